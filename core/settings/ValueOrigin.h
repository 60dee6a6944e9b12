#pragma once

#include <QString>

namespace vf::settings {

// Where an effective libpq setting came from, in the order conninfo_add_defaults() (fe-connect.c)
// tries the sources.
enum class ValueSource
{
    Unset,           // no source gave a value: libpq leaves it NULL
    Typed,           // written in a keyword/value connection string
    Uri,             // written in a postgresql:// URI
    ServiceFile,     // a line of the [service] section of a service file
    Environment,     // the option's PG* environment variable
    RequireSslEnv,   // PGREQUIRESSL=1 (deprecated), only ever for sslmode
    CompiledDefault, // libpq's compiled-in default
    OsUser,          // "user" defaults to the operating-system user name (pg_fe_getauthname())
    SameAsUser,      // "dbname" defaults to the user name (pqConnectOptions2())
    SystemRoots,     // defaulted sslmode raised to verify-full because sslrootcert=system
    DefaultFile,     // a file libpq falls back to: ~/.postgresql/root.crt, ~/.pgpass, …
};

// Provenance of one value, with enough detail to show a person where to change it.
struct ValueOrigin
{
    ValueSource source = ValueSource::Unset;
    QString path;            // ServiceFile: the service file; DefaultFile: the default file
    QString displayPath;     // path with the home directory written as "~"
    QString service;         // ServiceFile: the section name
    int line = 0;            // ServiceFile: 1-based line number
    QString variable;        // Environment / RequireSslEnv: the variable name
    bool fileExists = false; // DefaultFile: whether the file exists (stat() succeeds)

    // Short human label: "typed", "from the URI", "from PGSSLMODE",
    // "from service file ~/.pg_service.conf [prod]", "default", "default file ~/.postgresql/root.crt
    // (missing)".
    QString label() const;
    // The label with the line number for service-file values ("… [prod], line 3").
    QString detailedLabel() const;

    friend bool operator==(const ValueOrigin&, const ValueOrigin&) = default;
};

// "~/.pg_service.conf" for a path under home, the path unchanged otherwise.
QString displayPath(const QString& path, const QString& home);

} // namespace vf::settings
