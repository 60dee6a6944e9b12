#pragma once

#include "AttemptReport.h"
#include "common/Error.h"
#include "tls/PassphraseProvider.h"
#include "tls/TlsConfig.h"
#include "wire/BackendMessageReader.h"

#include <QByteArray>
#include <QList>
#include <QPair>

#include <functional>
#include <memory>
#include <optional>

namespace vf::auth {
class ScramClient;
}
namespace vf::tls {
class TlsClient;
}

namespace vf::session {

// The settings one server address is connected with, as libpq's PQconnectPoll() uses them.
struct MachineConfig
{
    QString sslmode = QStringLiteral("prefer");
    QString gssencmode = QStringLiteral("prefer");
    QString sslnegotiation = QStringLiteral("postgres");
    QString channelBinding = QStringLiteral("prefer");
    QString sslcertmode = QStringLiteral("allow");
    QString requireAuth; // as given; already validated
    QString host;        // connhost[i].host: verify-full and SNI
    bool unixSocket = false;
    QByteArray user;
    QByteArray database;
    QList<QPair<QByteArray, QByteArray>> extraStartupParameters; // application_name, options, …
    tls::TlsConfig tls;
    // The password, looked up only when the server asks (settings, PGPASSWORD, then .pgpass).
    std::function<std::optional<QByteArray>()> password;
    // false: stop after the TLS handshake (the CLI's inspect), never authenticate.
    bool authenticate = true;
};

// libpq's connection state machine for one server address, without any I/O: the driver tells it
// what happened on the socket and does what it answers. It covers encryption negotiation (§2-3 of the
// spec: the sslmode sequence, fallbacks on the same socket or a new one, the hard failures), the TLS
// handshake through TlsClient, the verify-full host-name check, authentication (trust, password,
// MD5, SCRAM-SHA-256[-PLUS] with channel binding; channel_binding, require_auth and sslcertmode as
// check_expected_areq()), then the report queries and Terminate.
class ProtocolMachine final
{
public:
    enum class Next
    {
        Read,      // wait for bytes from the server
        Reconnect, // close the socket and connect to the same address again, then call connected()
        Finished,  // the attempt is over: see report()
    };
    struct Output
    {
        QByteArray send; // write these bytes first
        Next next = Next::Read;
    };

    ProtocolMachine(MachineConfig config, tls::PassphraseProvider* passphrases);
    ~ProtocolMachine();
    Q_DISABLE_COPY_MOVE(ProtocolMachine)

    // Computes the allowed methods; an error here means no connection should be attempted at all
    // (e.g. gssencmode=require without GSSAPI).
    Result<void> prepare();

    Output connected();
    Output received(QByteArrayView bytes);
    Output peerClosed();
    // The driver's deadline for the current phase expired.
    Output timedOut();

    Phase phase() const { return m_phase; }
    // Called with the new phase whenever it changes (the driver timestamps it).
    std::function<void(Phase)> onPhase;

    // The attempt so far; complete once Finished.
    AttemptReport& report() { return m_report; }
    // Whether the failure allows libpq to try the next host (connection-level only).
    bool canTryNextHost() const { return m_tryNextHost; }
    // libpq's message of every failed connection of this attempt, in order (one per TCP connection:
    // libpq prefixes each with "connection to server at …").
    const QStringList& failures() const { return m_failures; }

    // Upper bound for bytes buffered while waiting for one message.
    static constexpr qsizetype kMaxBuffered = 32 * 1024 * 1024;

private:
    enum class State
    {
        Idle,
        AwaitSslResponse,
        TlsHandshake,
        AwaitAuth,
        Authenticated, // AuthenticationOk seen, waiting for ReadyForQuery
        AwaitQuery,
        Finished,
    };
    struct AuthOutcome;

    Output startMethod();
    Output startupMessage();
    Output onSslResponse(QByteArrayView bytes);
    Output continueHandshake(QByteArrayView bytes);
    Output afterHandshake();
    Output onPlain(QByteArrayView bytes);
    Output handleMessages();
    Output handleAuthRequest(const QByteArray& payload);
    Output handleQueryMessage(char type, const QByteArray& payload);
    Output sendToServer(const QByteArray& bytes, Next next = Next::Read);

    // Failures: `methodFailed` moves to the next encryption method when libpq would
    // (CONNECTION_FAILED()); `hardFail` ends the attempt (goto error_return).
    Output methodFailed(Error error, bool reconnect);
    Output hardFail(Error error);
    Output finish();
    void setPhase(Phase phase);

    std::optional<Error> checkExpectedAreq(int areq);
    Result<void> selectSaslMechanism(const QByteArray& payload, QByteArray* mechanism);

    MachineConfig m_config;
    tls::PassphraseProvider* m_passphrases;
    AttemptReport m_report;
    State m_state = State::Idle;
    Phase m_phase = Phase::TcpConnect;
    QList<EncryptionMethod> m_methods; // remaining, in order
    std::optional<EncryptionMethod> m_current;
    bool m_reuseSocket = false;
    bool m_tryNextHost = false;
    std::unique_ptr<tls::TlsClient> m_tls;
    bool m_unencryptedAfterS = false;
    wire::BackendMessageReader m_reader; // plaintext (after TLS) not yet parsed
    bool m_lastWasReuse = false;
    std::unique_ptr<auth::ScramClient> m_scram;
    bool m_clientFinishedAuth = false;
    // require_auth (libpq's allowed_auth_methods and auth_required)
    quint32 m_allowedAuth = 0xFFFFFFFF;
    bool m_authRequired = false;
    QStringList m_failures;
};

} // namespace vf::session
