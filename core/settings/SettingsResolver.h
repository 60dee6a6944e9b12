#pragma once

#include "common/Error.h"
#include "settings/ConnInfo.h"
#include "settings/EffectiveSettings.h"
#include "settings/Environment.h"

namespace vf::settings {

// Turns what a person wrote (a parsed connection string) into the settings libpq would use, recording
// where each value came from. Follows conninfo_add_defaults() (fe-connect.c, PG18):
//  1. values written in the connection string (keyword/value or URI);
//  2. the service (service= or PGSERVICE): servicefile= or PGSERVICEFILE (must exist), else
//     ~/.pg_service.conf when it exists; when that file lacks the section,
//     $PGSYSCONFDIR/pg_service.conf (default SYSCONFDIR, Debian: /etc/postgresql-common); the first
//     file with the section wins, `definition of service "%s" not found` otherwise;
//  3. each option's PG* environment variable (set-but-empty counts), PGREQUIRESSL=1 for sslmode;
//  4. the compiled-in default; "user" defaults to the operating-system user;
//  5. a defaulted sslmode becomes verify-full when sslrootcert=system.
// Then the defaults libpq fills later: dbname = user when empty (pqConnectOptions2()), and the
// ~/.postgresql/ files and ~/.pgpass (see EffectiveSettings::effectiveFile()).
// Only service-file problems are errors here; option values are checked by OptionValidator.
class SettingsResolver final
{
public:
    explicit SettingsResolver(Environment environment = Environment::system());

    Result<EffectiveSettings> resolve(const ConnInfo& info) const;

    const Environment& environment() const { return m_environment; }

private:
    // parseServiceInfo(): returns the file that had the section.
    Result<QString> applyService(EffectiveSettings& out, const QString& service) const;
    // parseServiceFile() for one file: true when the section was found and applied.
    Result<bool> applyServiceFile(EffectiveSettings& out, const QString& path, const QString& service) const;

    Environment m_environment;
};

} // namespace vf::settings
