#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace vf::settings {

// One host slot, as pqConnectOptions2() (fe-connect.c) builds conn->connhost[].
struct HostEntry
{
    enum class Type
    {
        Name,       // host name to resolve (CHT_HOST_NAME)
        Address,    // numeric hostaddr (CHT_HOST_ADDRESS)
        UnixSocket, // socket directory, "/…" or "@abstract" (CHT_UNIX_SOCKET)
    };

    QString host;     // host name (used for verify-full and SNI), or the socket directory
    QString hostaddr; // numeric address when hostaddr was given, else empty
    QString port;     // may be empty: libpq then uses 5432
    Type type = Type::Name;
    bool defaultHost = false; // neither host nor hostaddr gave this slot a value

    friend bool operator==(const HostEntry&, const HostEntry&) = default;
};

// require_auth after parsing (PG16+; "oauth" PG18).
struct RequireAuth
{
    bool set = false;     // require_auth was non-empty
    bool negated = false; // "!method,…": every listed method is forbidden
    QStringList methods;  // as written, without "!", e.g. {"scram-sha-256", "none"}
};

// What OptionValidator accepts: the option values pqConnectOptions2() checked, with its defaults
// filled in.
struct ValidatedOptions
{
    QList<HostEntry> hosts;
    QString sslmode;
    QString sslnegotiation;
    QString sslcertmode;
    QString gssencmode;
    QString channelBinding;
    QString sslMinProtocolVersion; // empty: no bound
    QString sslMaxProtocolVersion; // empty: no bound
    bool systemRoots = false;      // sslrootcert=system
    RequireAuth requireAuth;
};

} // namespace vf::settings
