#include "Exporter.h"

#include "JdbcUrlWriter.h"
#include "NodePostgresWriter.h"
#include "PgPassWriter.h"
#include "PsqlCommandWriter.h"
#include "PsycopgWriter.h"
#include "ServiceSectionWriter.h"
#include "settings/ConnOptions.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

struct FormatInfo
{
    ExportFormat format;
    QStringView id;
};
constexpr FormatInfo kFormats[] = {
    {ExportFormat::KeywordValue, u"keyword-value"}, {ExportFormat::Uri, u"uri"},
    {ExportFormat::ServiceSection, u"service"},     {ExportFormat::PgPass, u"pgpass"},
    {ExportFormat::PsqlCommand, u"psql"},           {ExportFormat::Psycopg, u"psycopg"},
    {ExportFormat::NodePostgres, u"node-postgres"}, {ExportFormat::Jdbc, u"jdbc"},
};

bool usesLibpq(ExportFormat format)
{
    return format == ExportFormat::KeywordValue || format == ExportFormat::Uri ||
           format == ExportFormat::ServiceSection || format == ExportFormat::PsqlCommand ||
           format == ExportFormat::Psycopg;
}

} // namespace

QList<ExportFormat> Exporter::formats()
{
    QList<ExportFormat> out;
    for (const FormatInfo& f : kFormats)
        out.append(f.format);
    return out;
}

QString Exporter::formatName(ExportFormat format)
{
    switch (format) {
    case ExportFormat::KeywordValue:
        return tr("keyword/value string");
    case ExportFormat::Uri:
        return tr("URI");
    case ExportFormat::ServiceSection:
        return tr("pg_service.conf section");
    case ExportFormat::PgPass:
        return tr(".pgpass line");
    case ExportFormat::PsqlCommand:
        return tr("psql command line");
    case ExportFormat::Psycopg:
        return tr("Python (psycopg)");
    case ExportFormat::NodePostgres:
        return tr("Node.js (node-postgres)");
    case ExportFormat::Jdbc:
        return tr("JDBC URL");
    }
    return {};
}

QString Exporter::formatId(ExportFormat format)
{
    for (const FormatInfo& f : kFormats) {
        if (f.format == format)
            return f.id.toString();
    }
    return {};
}

std::optional<ExportFormat> Exporter::formatFromId(QStringView id)
{
    for (const FormatInfo& f : kFormats) {
        if (f.id == id)
            return f.format;
    }
    return std::nullopt;
}

settings::ConnInfo Exporter::withoutSecrets(const settings::ConnInfo& info)
{
    settings::ConnInfo out = info;
    for (const settings::ConnOptionInfo& option : settings::connOptions()) {
        if (option.isSecret())
            out.remove(option.keywordString());
    }
    return out;
}

Result<ExportResult> Exporter::exportAs(const settings::ConnInfo& info, ExportFormat format,
                                        const ExportOptions& options)
{
    QStringList omitted;
    for (const settings::ConnOptionInfo& option : settings::connOptions()) {
        if (option.isSecret() && info.contains(option.keywordString()))
            omitted << option.keywordString();
    }
    const settings::ConnInfo effective = options.includeSecrets ? info : withoutSecrets(info);
    if (options.includeSecrets)
        omitted.clear();

    Result<ExportResult> result;
    switch (format) {
    case ExportFormat::KeywordValue: {
        ExportResult r;
        r.bytes = effective.toKeywordValueBytes(true);
        r.suggestedFileName = u"conninfo.txt"_s;
        result = r;
        break;
    }
    case ExportFormat::Uri: {
        ExportResult r;
        r.bytes = effective.toUri(true).toLatin1();
        r.suggestedFileName = u"conninfo-uri.txt"_s;
        result = r;
        break;
    }
    case ExportFormat::ServiceSection:
        result = ServiceSectionWriter::write(effective, options.serviceName);
        break;
    case ExportFormat::PgPass:
        if (!options.includeSecrets && info.contains(u"password")) {
            return makeError(u"interop.pgpass-no-password"_s, tr("the password is not included"),
                             tr("A password-file line holds the password. Include secrets to write it."));
        }
        result = PgPassWriter::write(effective);
        break;
    case ExportFormat::PsqlCommand:
        result = PsqlCommandWriter::write(effective);
        break;
    case ExportFormat::Psycopg:
        result = PsycopgWriter::write(effective);
        break;
    case ExportFormat::NodePostgres:
        result = NodePostgresWriter::write(effective);
        break;
    case ExportFormat::Jdbc:
        result = JdbcUrlWriter::write(effective);
        break;
    }
    if (!result)
        return result;

    for (const settings::ConnOptionInfo& option : settings::connOptions()) {
        if (option.isSecret() && effective.contains(option.keywordString()))
            result->containsSecrets = true;
    }
    if (!omitted.isEmpty() && format != ExportFormat::PgPass) {
        result->notes.prepend(tr("Not included: %1 (secrets are left out unless you include them).")
                                  .arg(omitted.join(u", "_s)));
    }
    if (usesLibpq(format)) {
        // Keywords newer than the oldest supported libpq: name the version that reads them.
        int newest = 0;
        QStringList newer;
        for (const settings::ConnOptionInfo& option : settings::connOptions()) {
            if (option.sinceMajor >= 14 && effective.contains(option.keywordString())) {
                newer << option.keywordString();
                newest = std::max(newest, option.sinceMajor);
            }
        }
        if (!newer.isEmpty()) {
            result->notes << tr("Needs libpq %1 or later for %2; an older libpq refuses unknown keywords "
                                "(\"invalid connection option\") or ignores their environment variables.")
                                 .arg(newest)
                                 .arg(newer.join(u", "_s));
        }
    }
    if (effective.hasNonUtf8Value() && format != ExportFormat::Uri && format != ExportFormat::KeywordValue &&
        format != ExportFormat::PsqlCommand && format != ExportFormat::ServiceSection &&
        format != ExportFormat::PgPass) {
        result->notes << tr(
            "Some values are not valid UTF-8 and are shown with replacement characters here.");
    }
    return result;
}

} // namespace vf::interop
