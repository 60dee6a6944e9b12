#pragma once

#include "CertificateRow.h"

#include <QAbstractListModel>
#include <QList>

namespace vf::ui {

// The certificates of a chain or a bundle, for the chain browser's card list. Rows are appended in
// batches as a big bundle loads; everything a card shows is precomputed in CertificateRow, details
// are built only for the selected certificate.
class CertificateListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificateListModel)

public:
    enum Role
    {
        CertificateRole = Qt::UserRole + 1, // QVariant<vf::pki::Certificate>
        StatusRole,                         // int (CertificateAssessment::Status)
        StatusNameRole,                     // "expired", "trusted"…
        LabelRole,                          // the card's status words
        ReasonsRole,                        // QStringList, worst first
        RoleTextRole,                       // "Leaf", "Intermediate", "Root"…
        IssuerRole,                         // the issuer's name
        NotAfterRole,                       // QDateTime
        LinksToNextRole,                    // bool: the next row is its issuer
        SourceRowRole,                      // int: the row in this model (for proxies)
        SearchRole,                         // lower-case search text
    };

    explicit CertificateListModel(QObject* parent = nullptr);
    ~CertificateListModel() override;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    void clear();
    // Empties the model and hands the old rows to the caller (to be freed on another thread).
    QList<CertificateRow> takeRows();
    void replaceRows(const QList<int>& indices, const QList<CertificateRow>& rows);
    void appendRows(const QList<CertificateRow>& rows);
    void setRows(const QList<CertificateRow>& rows);
    const CertificateRow& row(int row) const { return m_rows.at(row); }
    const QList<CertificateRow>& rows() const { return m_rows; }

private:
    QList<CertificateRow> m_rows;
};

} // namespace vf::ui
