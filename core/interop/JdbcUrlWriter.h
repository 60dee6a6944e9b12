#pragma once

#include "ExportResult.h"
#include "settings/ConnInfo.h"

#include <QCoreApplication>

namespace vf::interop {

// A JDBC URL for pgJDBC (org.postgresql.Driver):
// jdbc:postgresql://host:port[,host:port…]/dbname?sslmode=…&sslrootcert=…&sslcert=…&sslkey=…
// Values are percent-encoded (pgJDBC URL-decodes them, so "+" and spaces are encoded too). pgJDBC reads
// a client key only as PKCS#8 DER (.pk8) or PKCS#12: a PEM key is written as the .pk8 file next to it
// (Pkcs8Converter::suggestedPath()) with a note to convert it. libpq settings pgJDBC names differently
// are renamed (connect_timeout → connectTimeout, application_name → ApplicationName,
// target_session_attrs → targetServerType…); those it lacks are listed in a note.
class JdbcUrlWriter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::JdbcUrlWriter)

public:
    JdbcUrlWriter() = delete;

    static ExportResult write(const settings::ConnInfo& info);

    // True when pgJDBC can read the key file as it is (.pk8, .p12, .pfx, .der by name).
    static bool keyUsableByPgJdbc(const QString& keyPath);
};

} // namespace vf::interop
