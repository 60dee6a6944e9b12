#pragma once

#include "Profile.h"

#include <QAbstractListModel>
#include <QList>
#include <QUuid>

namespace vf::ui {

// The saved profiles, in the order they were created, for the list beside the editor.
class ProfileListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileListModel)

public:
    enum Role
    {
        IdRole = Qt::UserRole + 1, // QUuid
        ResultRole,                // int(Profile::TestResult)
        SummaryRole,               // "user@host:port/db"
        SslModeRole,               // the typed sslmode
        SearchRole,                // what the filter matches: name, host, database, user
    };

    explicit ProfileListModel(QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    const QList<Profile>& profiles() const { return m_profiles; }
    void setProfiles(const QList<Profile>& profiles);
    int rowOf(const QUuid& id) const;
    const Profile* find(const QUuid& id) const;
    QModelIndex indexOf(const QUuid& id) const;

    // Inserts at row (clamped to the end).
    void insertProfile(int row, const Profile& profile);
    // Removes and returns the profile at row.
    Profile takeProfile(int row);
    // Makes the list hold exactly `profiles` (changed ones updated, new ones appended, missing ones
    // removed) row by row, so that views keep their selection. Emits no modified(): for changes that
    // come from the profile file.
    void mergeProfiles(const QList<Profile>& profiles);
    // Replaces the profile with the same id; false when there is none.
    bool updateProfile(const Profile& profile);
    void setTestResult(const QUuid& id, Profile::TestResult result, const QDateTime& when);

    // A name no profile has yet: base, "base 2", "base 3"…
    QString uniqueName(const QString& base) const;

Q_SIGNALS:
    // Anything changed that belongs in the profile file.
    void modified();

private:
    QList<Profile> m_profiles;
};

} // namespace vf::ui
