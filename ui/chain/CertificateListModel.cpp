#include "CertificateListModel.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace vf::ui {

QString CertificateRow::searchTextFor(const pki::Certificate& certificate, const QString& extra)
{
    QStringList parts{certificate.displayName(),
                      certificate.subjectDn(),
                      certificate.issuerDn(),
                      certificate.serialNumberHex(),
                      QString(certificate.serialNumberHex()).remove(u':'),
                      QString::fromLatin1(certificate.sha256Fingerprint().toHex()),
                      QString::fromLatin1(certificate.sha1Fingerprint().toHex()),
                      extra};
    for (const pki::SubjectAltName& san : certificate.subjectAltNames())
        parts << san.value;
    return parts.join(u'\n').toLower();
}

CertificateListModel::CertificateListModel(QObject* parent)
    : QAbstractListModel(parent)
{}

CertificateListModel::~CertificateListModel() = default;

int CertificateListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

QVariant CertificateListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CertificateRow& r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return r.title;
    case Qt::ToolTipRole:
        return r.assessment.reasons.join(u'\n');
    case Qt::AccessibleTextRole:
        return tr("%1, %2: %3, issued by %4").arg(r.title, r.roleText, r.assessment.label, r.issuerName);
    case Qt::AccessibleDescriptionRole:
        return r.assessment.reasons.join(u' ');
    case CertificateRole:
        return QVariant::fromValue(r.certificate);
    case StatusRole:
        return static_cast<int>(r.assessment.status);
    case StatusNameRole:
        return CertificateAssessment::statusName(r.assessment.status);
    case LabelRole:
        return r.assessment.label;
    case ReasonsRole:
        return r.assessment.reasons;
    case RoleTextRole:
        return r.roleText;
    case IssuerRole:
        return r.issuerName;
    case NotAfterRole:
        return r.certificate.notAfter();
    case LinksToNextRole:
        return r.linksToNext;
    case SourceRowRole:
        return index.row();
    case SearchRole:
        return r.searchText;
    default:
        return {};
    }
}

QHash<int, QByteArray> CertificateListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(CertificateRole, "certificate");
    names.insert(StatusRole, "status");
    names.insert(StatusNameRole, "statusName");
    names.insert(LabelRole, "label");
    names.insert(ReasonsRole, "reasons");
    names.insert(RoleTextRole, "roleText");
    names.insert(IssuerRole, "issuer");
    names.insert(NotAfterRole, "notAfter");
    names.insert(LinksToNextRole, "linksToNext");
    names.insert(SourceRowRole, "sourceRow");
    names.insert(SearchRole, "search");
    return names;
}

void CertificateListModel::clear()
{
    if (m_rows.isEmpty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

QList<CertificateRow> CertificateListModel::takeRows()
{
    if (m_rows.isEmpty())
        return {};
    beginResetModel();
    QList<CertificateRow> old = std::exchange(m_rows, {});
    endResetModel();
    return old;
}

void CertificateListModel::replaceRows(const QList<int>& indices, const QList<CertificateRow>& rows)
{
    for (qsizetype i = 0; i < indices.size() && i < rows.size(); ++i) {
        const int row = indices.at(i);
        if (row < 0 || row >= m_rows.size())
            continue;
        m_rows[row] = rows.at(i);
        Q_EMIT dataChanged(index(row, 0), index(row, 0));
    }
}

void CertificateListModel::appendRows(const QList<CertificateRow>& rows)
{
    if (rows.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(rows.size()) - 1);
    m_rows.append(rows);
    endInsertRows();
}

void CertificateListModel::setRows(const QList<CertificateRow>& rows)
{
    beginResetModel();
    m_rows = rows;
    endResetModel();
}

} // namespace vf::ui
