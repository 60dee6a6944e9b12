#include "EnvironmentImport.h"

#include "settings/ConnOptions.h"
#include "settings/SettingsResolver.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

// Variables libpq reads that are not connection keywords: it sends them to the server as session
// settings (EnvironmentOptions[] in fe-connect.c).
constexpr QStringView kSessionVariables[] = {u"PGDATESTYLE", u"PGTZ", u"PGGEQO"};

// The default files a profile may name explicitly.
constexpr QStringView kDefaultFileKeywords[] = {u"sslrootcert", u"sslcrl", u"sslcert", u"sslkey",
                                                u"passfile"};

} // namespace

ImportedProfile EnvironmentImport::fromEnvironment(const settings::Environment& environment)
{
    ImportedProfile p;
    p.source = tr("the current environment");
    p.key = u"environment"_s;

    settings::Environment env = environment;
    Result<settings::EffectiveSettings> resolved = settings::SettingsResolver(env).resolve({});
    if (!resolved) {
        // PGSERVICE names a service no file has (or a service file is broken): keep the variable,
        // say what libpq will say, and read the rest without the service.
        p.notes << tr("libpq would fail with this environment: %1").arg(resolved.error().message);
        env.unsetVariable(u"PGSERVICE"_s);
        resolved = settings::SettingsResolver(env).resolve({});
        if (const auto service = environment.variable(u"PGSERVICE")) {
            p.conninfo.setValue(u"service"_s, *service);
            settings::ValueOrigin origin;
            origin.source = settings::ValueSource::Environment;
            origin.variable = u"PGSERVICE"_s;
            p.origins.append(ImportedValue{u"service"_s, origin});
        }
    }
    if (!resolved) {
        p.error = resolved.error();
        p.suggestedName = tr("Environment");
        return p;
    }

    for (const settings::EffectiveValue& v : resolved->values()) {
        if (!v.value)
            continue;
        const settings::ValueSource source = v.origin.source;
        if (source != settings::ValueSource::Environment && source != settings::ValueSource::RequireSslEnv)
            continue;
        if (!p.conninfo.setValue(v.keyword, *v.value))
            continue;
        p.origins.append(ImportedValue{v.keyword, v.origin});
    }
    for (QStringView keyword : kDefaultFileKeywords) {
        if (p.conninfo.contains(keyword))
            continue;
        const std::optional<settings::EffectiveValue> file = resolved->effectiveFile(keyword);
        if (!file || !file->value || file->origin.source != settings::ValueSource::DefaultFile ||
            !file->origin.fileExists)
            continue;
        if (keyword == u"passfile" && p.conninfo.contains(u"password"))
            continue;
        if (p.conninfo.setValue(keyword.toString(), *file->value))
            p.origins.append(ImportedValue{keyword.toString(), file->origin});
    }

    for (QStringView variable : kSessionVariables) {
        if (const auto value = environment.variable(variable)) {
            p.notes << tr("%1 is set: libpq also sends it to the server as a session setting; a profile does "
                          "not carry it (use options=-c … instead).")
                           .arg(variable);
        }
    }
    for (const QString& note : resolved->notes())
        p.notes << note;
    if (p.conninfo.isEmpty())
        p.notes << tr("No PG* variable is set and there are no ~/.postgresql/ files: the profile would have "
                      "libpq's defaults only.");
    if (p.hasSecrets())
        p.notes << tr("PGPASSWORD is set: the profile holds that password.");

    p.suggestedName = p.conninfo.isEmpty() ? tr("Environment")
                                           : tr("Environment: %1").arg(ImportedProfile::nameFor(p.conninfo));
    return p;
}

} // namespace vf::interop
