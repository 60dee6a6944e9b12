#pragma once

#include "ImportedProfile.h"
#include "common/Error.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace vf::interop {

// The servers of a pgAdmin 4 export, in the order of their ids.
struct PgAdminExport
{
    QList<ImportedProfile> servers; // a server that could not be read carries its error
    QStringList notes;              // about the whole file
};

// Reads the JSON file pgAdmin 4 writes with "Import/Export Servers" or `setup.py dump-servers`:
//   {"Servers": {"1": {"Name": …, "Group": …, "Host": …, "HostAddr": …, "Port": 5432,
//                      "MaintenanceDB": …, "Username": …, "SSLMode": …, "SSLCert": …, "SSLKey": …,
//                      "SSLRootCert": …, "SSLCrl": …, "SSLCompression": 0|1, "PassFile": …,
//                      "Service": …, "Timeout": …, "ConnectionParameters": {libpq keyword: value}}}}
// Older pgAdmin (before 6.x) writes the SSL settings as top-level keys; newer pgAdmin writes every
// libpq setting into ConnectionParameters. Both are read; when both give a keyword, ConnectionParameters
// wins (a note says so when they differ). pgAdmin's own features that libpq does not have (SSH
// tunnels, SET ROLE, password commands, post-connection SQL) become notes. pgAdmin never exports
// passwords.
//
// The input is untrusted: it is size-capped, every value's type is checked, and a server with a
// wrong type gets its own error without losing the others.
class PgAdminImport final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::PgAdminImport)

public:
    static constexpr qint64 kMaxFileSize = 16LL * 1024 * 1024;
    static constexpr int kMaxServers = 10000;
    static constexpr qsizetype kMaxValueChars = 64 * 1024;

    PgAdminImport() = delete;

    // Errors for the whole file: the file errors of InteropFiles, interop.pgadmin-too-large,
    // interop.pgadmin-json (not JSON), interop.pgadmin-format (no "Servers" object),
    // interop.pgadmin-too-many-servers.
    static Result<PgAdminExport> readFile(const QString& path);
    static Result<PgAdminExport> parse(const QByteArray& json);
};

} // namespace vf::interop
