#pragma once

#include "ExportResult.h"
#include "common/Error.h"
#include "settings/ConnInfo.h"

#include <QCoreApplication>
#include <QString>
#include <QStringList>

namespace vf::interop {

// Lines for a libpq password file (~/.pgpass or passfile/PGPASSFILE):
// hostname:port:database:username:password, one line per host of a multi-host profile, with ":" and
// "\" escaped by "\" as passwordFromFile() (fe-connect.c) reads them. The host is written as libpq
// matches it ("localhost" for the default socket directory, hostaddr when host is empty); a field the
// profile leaves unset is written as "*" (any), with a note. A literal "*" field and a host starting
// with "#" are escaped so libpq does not take them for a wildcard or a comment.
class PgPassWriter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::PgPassWriter)

public:
    struct AppendResult
    {
        int added = 0;                     // lines written
        int alreadyPresent = 0;            // identical lines already in the file (not written again)
        bool created = false;              // the file did not exist
        bool permissionsTightened = false; // it had group/world access and was set to 0600
    };

    PgPassWriter() = delete;

    // The lines (without newlines). They hold the password: only call this when the person asked
    // for secrets. Errors: interop.pgpass-no-password (the profile has none),
    // interop.pgpass-line-break (a field contains CR or LF: libpq cannot read that line).
    static Result<ExportResult> write(const settings::ConnInfo& info);

    // One field escaped as libpq reads it.
    static QByteArray escapeField(QByteArrayView value, bool isHostField = false);

    // libpq's permission rule, for people: the file must be a plain file with mode 0600 or less.
    static QString permissionRule();

    // Appends lines to a password file, creating it with mode 0600 when it does not exist (never
    // readable by others, not even for a moment) and tightening an existing file with group/world
    // access to 0600 (libpq ignores such a file). Lines already present are not written again.
    // Errors: pki.not-regular-file, interop.pgpass-write (with errno text).
    static Result<AppendResult> append(const QString& path, const QList<QByteArray>& lines);
};

} // namespace vf::interop
