#pragma once

#include "common/Error.h"
#include "pki/HostNameMatcher.h"
#include "tls/TlsClient.h"

#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace vf::session {

enum class EncryptionMethod
{
    Plaintext,
    Ssl,
};
QString methodName(EncryptionMethod method);

// The phases of one connection, in the order they happen (some may be skipped).
enum class Phase
{
    Dns,
    TcpConnect,
    SslNegotiation, // SSLRequest sent, waiting for the one-byte answer
    TlsHandshake,
    Startup,        // StartupMessage sent, waiting for the first authentication request
    Authentication, // exchanging authentication messages
    Query,          // SELECT version(), current_user, pg_stat_ssl
    Terminate,
};
QString phaseName(Phase phase);
// The same name for people, translated ("TLS handshake", "Handshake TLS"…); phaseName() stays English for
// logs and JSON.
QString phaseDisplayName(Phase phase);

struct PhaseTiming
{
    Phase phase;
    qint64 startedNs = 0; // since the start of the whole check
    qint64 durationNs = 0;
    bool ok = true;
};

// One encryption method tried on one server address (libpq's enc-method loop).
struct MethodTry
{
    EncryptionMethod method = EncryptionMethod::Ssl;
    bool newConnection = true; // false: reused the socket after the server's 'N'
    bool succeeded = false;
    QString failure; // libpq's message for this try, empty on success
};

// What the server told us after authentication.
struct ServerFacts
{
    QString version;       // SELECT version()
    QString serverVersion; // ParameterStatus server_version
    QString currentUser;
    QString database;
    bool sslInUse = false; // pg_stat_ssl.ssl
    QString sslVersion;    // pg_stat_ssl.version
    QString sslCipher;
    int sslBits = 0;
    QString clientDn; // pg_stat_ssl.client_dn
    int backendPid = 0;
    QMap<QString, QString> parameters; // ParameterStatus
};

// Everything one attempt (one host/address) saw.
struct AttemptReport
{
    QString host;     // connhost.host (the name used for verify-full and SNI)
    QString hostaddr; // the address connected to
    int port = 0;
    bool unixSocket = false;
    bool success = false;
    std::optional<Error> error; // libpq's message (without the "connection to server…" prefix)
    QList<MethodTry> tries;
    QList<PhaseTiming> phases;
    std::optional<tls::TlsFacts> tls;           // the last TLS attempt's facts, kept on failure too
    std::optional<pki::HostNameMatch> hostName; // checked for every TLS connection; enforced for verify-full
    QString authMethod; // "trust", "password", "md5", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "none requested"
    bool channelBound = false;
    EncryptionMethod finalMethod = EncryptionMethod::Plaintext;
    ServerFacts server;
    QStringList notices;
};

} // namespace vf::session
