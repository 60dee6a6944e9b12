#pragma once

#include "common/Error.h"
#include "settings/EffectiveSettings.h"
#include "settings/ValidatedOptions.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vf::settings {

// The four fields libpq matches a password-file line against, for one host slot.
struct PgPassQuery
{
    QString host; // connhost[i].host, or hostaddr when host is empty
    QString port; // empty: 5432
    QString dbname;
    QString user;
};

enum class PgPassStatus
{
    NotSearched, // dbname or user empty: libpq does not look
    NoFile,      // the file cannot be opened (missing, unreadable…): libpq ignores it silently
    NotRegular,  // not a plain file: libpq warns and ignores it
    Insecure,    // group or world access: libpq warns and ignores it
    NoMatch,     // read, no line matched
    Matched,
};

struct PgPassResult
{
    PgPassStatus status = PgPassStatus::NotSearched;
    QString path;
    int line = 0;     // Matched: the 1-based line that matched
    QString password; // Matched: the password, de-escaped. A SECRET: never log or print it.
    // NotRegular / Insecure: message is libpq's stderr warning (without the trailing newline);
    // NoFile: why the file could not be opened (libpq says nothing).
    std::optional<vf::Error> warning;
    QStringList notes; // lines we could not read like libpq (over-long lines)
};

// A libpq password file (~/.pgpass or passfile/PGPASSFILE), read as passwordFromFile() (fe-connect.c,
// PG18): opened, fstat()ed (must be a regular file without group/world permission bits, else the
// warning and the file is ignored), then streamed line by line; "#" in the first column starts a
// comment; trailing CR/LF are stripped; hostname:port:database:username:password with "*" as a whole
// field matching anything and "\" escaping ":" and "\"; the first matching line wins; the password
// ends at the next unescaped ":".
class PgPass final
{
public:
    explicit PgPass(QString path)
        : m_path(std::move(path))
    {}

    const QString& path() const { return m_path; }

    PgPassResult lookup(const PgPassQuery& query) const;

    // The host libpq matches: "" and the default socket directory become "localhost".
    static QString matchHost(const QString& host);

    // The queries pqConnectOptions2() makes, one per host slot; empty when a password is already set.
    static QList<PgPassQuery> queries(const EffectiveSettings& settings, const ValidatedOptions& options);

    // libpq buffers a whole line however long it is; we stop at this many bytes and skip the line.
    static constexpr qsizetype kMaxLineBytes = 1024 * 1024;

private:
    QString m_path;
};

} // namespace vf::settings
