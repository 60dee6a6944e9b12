#pragma once

#include "common/Error.h"
#include "secrets/SecretKind.h"
#include "settings/ConnInfo.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonObject>
#include <QString>
#include <QUuid>

namespace vf::ui {

// A saved connection: a name and the libpq settings typed for it, plus the outcome of its last test.
// The settings may hold a password and a key password for this session; toJson() never writes them.
// Whether they are remembered in the OS keychain (SecretStore) is part of the profile.
struct Profile
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::Profile)

public:
    enum class TestResult
    {
        Untested,
        Passed,
        Failed,
    };

    QUuid id;
    QString name;
    settings::ConnInfo conninfo;
    TestResult lastResult = TestResult::Untested;
    QDateTime lastTestedAt;           // UTC; invalid when untested
    bool rememberPassword = false;    // password kept in the OS keychain between sessions
    bool rememberKeyPassword = false; // sslpassword kept in the OS keychain between sessions

    // A new profile: a fresh id and sslmode=verify-full (safe by default).
    static Profile createNew(const QString& name);
    // A copy under a new id and name, untested.
    Profile duplicated(const QString& newName) const;

    // "user@host:port/dbname", the parts that are set.
    QString summary() const;
    // The sslmode typed for the profile ("" when not set).
    QString sslmode() const;
    static QString resultLabel(TestResult result); // "passed", "failed", "not tested" (translated)

    bool remembers(SecretKind kind) const;
    void setRemembers(SecretKind kind, bool remember);
    // The secret held for this session ("" when none) and its replacement (empty removes it).
    QString secret(SecretKind kind) const;
    void setSecret(SecretKind kind, const QString& value);
    // The same name, settings and keychain choices: what the profile file holds, without the session's
    // secrets and the last test.
    bool sameSettings(const Profile& other) const;

    // The profile file's entry (format 2), without secrets: only options whose dispchar is not "*"
    // are written, as {"keyword", "value"} pairs in libpq's option order; a value that is not UTF-8 is
    // written as "valueBase64" so that it comes back byte for byte.
    QJsonObject toJson() const;
    // Reads toJson()'s output. Unknown keywords and secrets found in the file are skipped.
    static Result<Profile> fromJson(const QJsonObject& object);

    friend bool operator==(const Profile&, const Profile&) = default;
};

} // namespace vf::ui
