#pragma once

#include "ExportResult.h"
#include "settings/ConnInfo.h"

#include <QCoreApplication>

namespace vf::interop {

// JavaScript for node-postgres (the "pg" package): new Client({host, port, database, user, …, ssl}),
// with the ssl object built from sslmode the way libpq behaves, files read with fs.readFileSync():
//   disable, allow → ssl: false (node-postgres never switches between TLS and plain text)
//   prefer, require → TLS without checking the server (rejectUnauthorized: false); with a root
//                     certificate file libpq checks the chain even then, and so does the snippet
//   verify-ca       → ca + rejectUnauthorized: true + checkServerIdentity: () => undefined (chain
//                     checked, host name not: node has no direct equivalent of verify-ca)
//   verify-full     → ca + rejectUnauthorized: true (+ servername when the host is a name)
// An unset sslrootcert becomes libpq's default file ~/.postgresql/root.crt; sslrootcert=system leaves
// ca out (Node's own CA list). Settings node-postgres does not have are listed in a note.
class NodePostgresWriter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::NodePostgresWriter)

public:
    NodePostgresWriter() = delete;

    static ExportResult write(const settings::ConnInfo& info);
};

} // namespace vf::interop
