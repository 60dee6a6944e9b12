#pragma once

#include "ImportedProfile.h"
#include "settings/Environment.h"

#include <QCoreApplication>

namespace vf::interop {

// "Current environment" as a profile: the settings libpq would take from the PG* variables
// (PGHOST, PGSSLMODE, PGSERVICE…, PGREQUIRESSL=1 as sslmode=require) and the ~/.postgresql/ files
// and ~/.pgpass that exist, resolved by settings::SettingsResolver. Only values that are set are
// copied, each with its origin; compiled-in defaults are left out (the profile stays portable).
// Values that come from a service file named by PGSERVICE are not copied: the profile names the
// service (service=…), as the environment does.
class EnvironmentImport final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::EnvironmentImport)

public:
    EnvironmentImport() = delete;

    static ImportedProfile fromEnvironment(const settings::Environment& environment);
};

} // namespace vf::interop
