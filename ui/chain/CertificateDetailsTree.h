#pragma once

#include <QTreeWidget>

namespace vf::ui {

struct CertificateRow;

// The fields of one certificate as a tree (status and reasons, subject, issuer, serial, validity,
// SANs, key, usages, identifiers, fingerprints), built only when a certificate is selected.
// Ctrl+C and the context menu copy the current field's value.
class CertificateDetailsTree final : public QTreeWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificateDetailsTree)

public:
    explicit CertificateDetailsTree(QWidget* parent = nullptr);
    ~CertificateDetailsTree() override;

    void showRow(const CertificateRow& row);
    void clearDetails();
    // The value of the current item (children of a group joined by lines).
    QString currentValue() const;
    void copyCurrentValue() const;
    // The top-level item titled `field` (for tests), or null.
    QTreeWidgetItem* findField(const QString& field) const;

private:
    QTreeWidgetItem* addField(const QString& field, const QString& value, QTreeWidgetItem* parent = nullptr);
};

} // namespace vf::ui
