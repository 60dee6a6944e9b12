#pragma once

#include <QString>

namespace vf::security {

// The effective settings SslModeAssessment judges: the values libpq will really use for one host,
// after the connection string, the service file, the environment and the defaults were applied, plus
// the few facts about files that change libpq's behaviour. Filling it in (from a resolved profile and
// a look at the disk) is the caller's job; this struct knows nothing about where values came from.
struct AssessmentInput
{
    // sslmode as resolved, "" when nothing set it (libpq's default applies: prefer, or verify-full
    // with sslrootcert=system). Compared exactly, like libpq: "Require" is an invalid value.
    QString sslmode;
    // True when sslmode was set by the user: in the connection string, a service file, PGSSLMODE or
    // PGREQUIRESSL=1. False when `sslmode` only repeats the compiled default; then
    // sslrootcert=system turns it into verify-full instead of being rejected.
    bool sslmodeExplicit = false;

    // sslrootcert as resolved: "" (use the default file), "system", or a path.
    QString sslrootcert;
    // The root certificate file libpq opens when sslrootcert is not "system": sslrootcert, or
    // $HOME/.postgresql/root.crt. Used in messages as libpq prints it; "" = derive it
    // (sslrootcert, else "~/.postgresql/root.crt").
    QString rootCertPath;
    // stat() on rootCertPath succeeds (a directory counts, as in libpq).
    bool rootFileExists = false;
    // When the file exists but OpenSSL cannot load it: the reason (e.g. "no certificate or crl found").
    // libpq then fails the TLS attempt with `could not read root certificate file "…": <reason>`.
    QString rootFileError;
    // False when libpq cannot find a home directory (no $HOME and no passwd entry) and sslrootcert is
    // empty: there is then no default root file.
    bool homeDirectoryKnown = true;

    // sslnegotiation: "" or "postgres" (default), "direct" (PostgreSQL 17+).
    QString sslnegotiation;
    // gssencmode: "" = "prefer" (libpq's default when built with GSSAPI, as Debian's libpq is),
    // "disable", "require".
    QString gssencmode;

    // The host is a Unix-domain socket directory (or the default socket): libpq never uses TLS there.
    bool hostIsUnixSocket = false;
    // Only hostaddr is given, no host name: nothing to check the certificate against (verify-full
    // fails) and no SNI.
    bool hostIsIpOnly = false;

    // sslcrl / sslcrldir as resolved; both empty = libpq tries ~/.postgresql/root.crl.
    QString sslcrl;
    QString sslcrldir;
    // libpq's X509_STORE_load_locations(sslcrl or the default root.crl, sslcrldir) succeeds, so CRL
    // checking is switched on. A missing or unreadable CRL file silently disables it (and a failing
    // sslcrl also disables sslcrldir).
    bool crlLoads = false;
};

} // namespace vf::security
