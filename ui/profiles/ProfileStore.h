#pragma once

#include "Profile.h"
#include "common/Error.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QUuid>

#include <memory>

namespace vf::ui {

// Keeps the profiles in one JSON document (by default profiles.json in
// QStandardPaths::AppConfigLocation) that no crash, second instance or bad file loses:
//
// - Format: {"format": "verifyfull-profiles", "version": 2, "revision": n, "savedBy", "savedAt",
//   "profiles": [Profile::toJson()…]}. Secrets are never written (Profile::toJson()); file paths are
//   stored, never the files' contents.
// - Migration: a version 1 file (settings as a JSON object, which cannot keep bytes that are not
//   UTF-8) is copied to "<file>.v1-backup" and rewritten as version 2 when it is loaded. A file from a
//   newer VerifyFull is read as far as possible and never written: the store becomes read-only.
// - Every write is atomic (QSaveFile; mode 0600) and happens under a QLockFile ("<file>.lock"), after
//   reading the file again: if another instance changed it since this store last read or wrote it,
//   the changes are merged (three-way, against that last version): profiles changed or added there
//   are taken, profiles deleted there go unless edited here, and a profile edited on both sides is
//   kept twice: this side's under its id, the other side's as a copy named "<name> (conflict)".
//   sync() does the same merge without writing, for a file watcher.
// - A file that cannot be used (unreadable, not a regular file, empty, truncated or otherwise invalid
//   JSON, not a profile file, larger than 16 MiB, a bad entry) is renamed to
//   "<file>.corrupt-<UTC time>" before anything is written, and the outcome says so (the profiles
//   that could be read are kept). If it cannot be renamed, nothing is ever written over it.
//
// A ProfileStore is a handle: copies share what they know about the file (like the window and the
// code that created its store). Separate stores on one file behave like separate instances.
class ProfileStore final
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::ProfileStore)

public:
    static constexpr int kFormatVersion = 2;
    static constexpr qint64 kMaxFileSize = 16LL * 1024 * 1024;
    static constexpr int kLockTimeoutMs = 3000;

    // A profile edited here and in another instance: the other side's version, kept as a copy.
    struct Conflict
    {
        QUuid original; // the profile as edited here keeps this id
        QUuid copy;     // the other side's version
        QString copyName;
    };

    struct Outcome
    {
        QList<Profile> profiles;       // what to show now (the session's secrets kept)
        bool changedElsewhere = false; // the file held changes from elsewhere, merged into profiles
        QList<Conflict> conflicts;
        bool needsSave = false; // sync(): profiles hold changes the file does not have yet
        bool written = false;   // save(), load(): the file was written
        int fileVersion = 0;    // the format version found in the file (0: there was no file)
        int migratedFrom = 0;   // load(): the file was upgraded from this version
        QString backupPath;     // load(): the copy of the file as it was before the upgrade
        QString setAsidePath;   // the file could not be used and was renamed to this path
        QString problem;        // what was wrong with it (or why the store is read-only); translated
        bool readOnly = false;  // the file is from a newer VerifyFull: it is never written
    };

    explicit ProfileStore(QString path = defaultPath());

    static QString defaultPath();
    const QString& path() const;
    QString lockPath() const;
    // A newer VerifyFull wrote the file, or an old file could not be backed up before its upgrade.
    bool isReadOnly() const;

    // Reads the file (none yet: no profiles), upgrading or setting it aside as described above.
    // Errors: profiles.unreadable (it can neither be read nor moved aside: it is left as it is and
    // never written), profiles.locked, profiles.unwritable.
    Result<Outcome> load() const;
    // Writes `profiles`, merged with what another instance wrote meanwhile (the outcome holds the
    // merged list; the session's secrets are kept in it but never written). Nothing is written when
    // the file already holds exactly that. Errors: profiles.read-only, profiles.unreadable,
    // profiles.locked, profiles.unwritable.
    Result<Outcome> save(const QList<Profile>& profiles) const;
    // Merges what another instance wrote since the last load/save/sync into `profiles`, without
    // writing (unless the file turned out unusable: then it is set aside and `profiles` written).
    Result<Outcome> sync(const QList<Profile>& profiles) const;

private:
    struct State;
    std::shared_ptr<State> d;
};

} // namespace vf::ui
