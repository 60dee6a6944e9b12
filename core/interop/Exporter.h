#pragma once

#include "ExportResult.h"
#include "common/Error.h"
#include "settings/ConnInfo.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace vf::interop {

enum class ExportFormat
{
    KeywordValue,   // host=db port=5432 …  (ConnInfo::toKeywordValue)
    Uri,            // postgresql://…       (ConnInfo::toUri)
    ServiceSection, // [name] + keyword=value lines for pg_service.conf
    PgPass,         // hostname:port:database:username:password line(s); needs the password
    PsqlCommand,    // PGHOST='…' … psql
    Psycopg,        // Python, psycopg.connect(…)
    NodePostgres,   // JavaScript, new Client({… ssl: {…}})
    Jdbc,           // jdbc:postgresql://…
};

struct ExportOptions
{
    // Secrets (password, sslpassword, oauth_client_secret) are left out unless this is true. The UI
    // sets it only after warning the person.
    bool includeSecrets = false;
    // ServiceSection: the section name (see ServiceSectionWriter::checkServiceName()).
    QString serviceName;
};

// Writes a profile's settings in the formats the PostgreSQL world uses. Secrets are excluded by
// default: without includeSecrets every format is written from the settings minus the secrets, and a
// note says what was left out (never the value).
class Exporter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::Exporter)

public:
    Exporter() = delete;

    static QList<ExportFormat> formats();
    // "keyword/value string", "URI", "pg_service.conf section", ".pgpass line", "psql command line",
    // "Python (psycopg)", "Node.js (node-postgres)", "JDBC URL" (translated).
    static QString formatName(ExportFormat format);
    // A stable id: "keyword-value", "uri", "service", "pgpass", "psql", "psycopg", "node-postgres", "jdbc".
    static QString formatId(ExportFormat format);
    static std::optional<ExportFormat> formatFromId(QStringView id);

    // Errors: those of ServiceSectionWriter and PgPassWriter (interop.service-*, interop.pgpass-*).
    static Result<ExportResult> exportAs(const settings::ConnInfo& info, ExportFormat format,
                                         const ExportOptions& options = {});

    // The settings without their secrets.
    static settings::ConnInfo withoutSecrets(const settings::ConnInfo& info);
};

} // namespace vf::interop
