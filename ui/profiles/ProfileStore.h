#pragma once

#include "Profile.h"
#include "common/Error.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace vf::ui {

// Keeps the profiles in one JSON file (by default profiles.json in QStandardPaths::AppConfigLocation),
// written atomically with QSaveFile and readable by its owner only. Secrets are never written (see
// Profile::toJson()). A file that cannot be read back is not overwritten silently: load() copies it to
// "<file>.corrupt-<time>" first and says so. Small on purpose: the keychain, schema migration and
// locking come with the profiles issue.
class ProfileStore final
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::ProfileStore)

public:
    static constexpr int kFormatVersion = 1;

    explicit ProfileStore(QString path = defaultPath());

    static QString defaultPath();
    const QString& path() const { return m_path; }

    // The saved profiles; none when the file does not exist yet. Errors: profiles.unreadable,
    // profiles.corrupt (the explanation names the backup copy).
    Result<QList<Profile>> load() const;
    Result<void> save(const QList<Profile>& profiles) const;

private:
    QString m_path;
};

} // namespace vf::ui
