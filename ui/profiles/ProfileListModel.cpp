#include "ProfileListModel.h"

#include <QLocale>
#include <QSet>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace vf::ui {

ProfileListModel::ProfileListModel(QObject* parent)
    : QAbstractListModel(parent)
{}

int ProfileListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_profiles.size());
}

QVariant ProfileListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Profile& p = m_profiles.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return p.name.isEmpty() ? tr("(unnamed)") : p.name;
    case Qt::ToolTipRole: {
        QString tip = p.summary();
        const QString mode = p.sslmode();
        tip += u"\n"_s + tr("sslmode: %1").arg(mode.isEmpty() ? tr("not set (libpq's default)") : mode);
        tip += u"\n"_s + tr("Last test: %1").arg(Profile::resultLabel(p.lastResult));
        if (p.lastTestedAt.isValid())
            tip += u" ("_s + QLocale().toString(p.lastTestedAt.toLocalTime(), QLocale::ShortFormat) + u')';
        return tip;
    }
    case Qt::AccessibleTextRole:
        return tr("%1, %2, last test %3").arg(p.name, p.summary(), Profile::resultLabel(p.lastResult));
    case IdRole:
        return p.id;
    case ResultRole:
        return int(p.lastResult);
    case SummaryRole:
        return p.summary();
    case SslModeRole:
        return p.sslmode();
    case SearchRole:
        return QStringList{p.name, p.summary(), p.sslmode()}.join(u'\n');
    default:
        return {};
    }
}

QHash<int, QByteArray> ProfileListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(IdRole, "profileId");
    names.insert(ResultRole, "lastResult");
    names.insert(SummaryRole, "summary");
    names.insert(SslModeRole, "sslmode");
    names.insert(SearchRole, "search");
    return names;
}

void ProfileListModel::setProfiles(const QList<Profile>& profiles)
{
    beginResetModel();
    m_profiles = profiles;
    endResetModel();
}

void ProfileListModel::mergeProfiles(const QList<Profile>& profiles)
{
    QSet<QUuid> keep;
    for (const Profile& p : profiles)
        keep.insert(p.id);
    for (int row = int(m_profiles.size()) - 1; row >= 0; --row) {
        if (keep.contains(m_profiles.at(row).id))
            continue;
        beginRemoveRows({}, row, row);
        m_profiles.removeAt(row);
        endRemoveRows();
    }
    for (const Profile& p : profiles) {
        const int row = rowOf(p.id);
        if (row < 0) {
            const int at = int(m_profiles.size());
            beginInsertRows({}, at, at);
            m_profiles.append(p);
            endInsertRows();
        } else if (!(m_profiles.at(row) == p)) {
            m_profiles[row] = p;
            Q_EMIT dataChanged(index(row, 0), index(row, 0));
        }
    }
}

int ProfileListModel::rowOf(const QUuid& id) const
{
    for (qsizetype i = 0; i < m_profiles.size(); ++i) {
        if (m_profiles.at(i).id == id)
            return int(i);
    }
    return -1;
}

const Profile* ProfileListModel::find(const QUuid& id) const
{
    const int row = rowOf(id);
    return row < 0 ? nullptr : &m_profiles.at(row);
}

QModelIndex ProfileListModel::indexOf(const QUuid& id) const
{
    const int row = rowOf(id);
    return row < 0 ? QModelIndex() : index(row, 0);
}

void ProfileListModel::insertProfile(int row, const Profile& profile)
{
    row = std::clamp(row, 0, int(m_profiles.size()));
    beginInsertRows({}, row, row);
    m_profiles.insert(row, profile);
    endInsertRows();
    Q_EMIT modified();
}

Profile ProfileListModel::takeProfile(int row)
{
    Q_ASSERT(row >= 0 && row < m_profiles.size());
    beginRemoveRows({}, row, row);
    Profile p = m_profiles.takeAt(row);
    endRemoveRows();
    Q_EMIT modified();
    return p;
}

bool ProfileListModel::updateProfile(const Profile& profile)
{
    const int row = rowOf(profile.id);
    if (row < 0)
        return false;
    if (m_profiles.at(row) == profile)
        return true;
    m_profiles[row] = profile;
    Q_EMIT dataChanged(index(row, 0), index(row, 0));
    Q_EMIT modified();
    return true;
}

void ProfileListModel::setTestResult(const QUuid& id, Profile::TestResult result, const QDateTime& when)
{
    const int row = rowOf(id);
    if (row < 0)
        return;
    m_profiles[row].lastResult = result;
    m_profiles[row].lastTestedAt = when.toUTC();
    Q_EMIT dataChanged(index(row, 0), index(row, 0));
    Q_EMIT modified();
}

QString ProfileListModel::uniqueName(const QString& base) const
{
    auto taken = [this](const QString& name) {
        return std::any_of(m_profiles.cbegin(), m_profiles.cend(),
                           [&](const Profile& p) { return p.name == name; });
    };
    if (!taken(base))
        return base;
    for (int n = 2;; ++n) {
        const QString candidate = u"%1 %2"_s.arg(base).arg(n);
        if (!taken(candidate))
            return candidate;
    }
}

} // namespace vf::ui
