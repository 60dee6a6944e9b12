#pragma once

#include "common/Error.h"

#include <QByteArray>

namespace vf::auth {

// The client side of SCRAM-SHA-256 and SCRAM-SHA-256-PLUS (RFC 5802, RFC 7677) as libpq speaks it
// (fe-auth-scram.c): empty user name in the messages (the server takes the StartupMessage user),
// an 18-byte nonce, gs2 flags n / y / p=tls-server-end-point. No I/O: feed it the server's messages.
// The password is held only as long as the exchange and never appears in an error.
class ScramClient final
{
public:
    enum class Binding
    {
        None,               // gs2 "n": no TLS, or channel_binding=disable
        ClientSupportsOnly, // gs2 "y": TLS in use but the server did not offer SCRAM-SHA-256-PLUS
        TlsServerEndPoint,  // gs2 "p=tls-server-end-point": SCRAM-SHA-256-PLUS
    };

    // cbindData: the tls-server-end-point hash of the server's certificate (for TlsServerEndPoint).
    // nonce: the printable client nonce; empty means 18 random bytes in base64, as libpq. user: the
    // name put in the messages; libpq leaves it empty. Both exist for the RFC 7677 test vector.
    ScramClient(const QByteArray& password, Binding binding, const QByteArray& cbindData = {},
                const QByteArray& nonce = {}, const QByteArray& user = {});
    ~ScramClient();
    Q_DISABLE_COPY_MOVE(ScramClient)

    const char* mechanism() const;
    QByteArray clientFirstMessage() const;
    // Checks the server-first-message and returns the client-final-message.
    Result<QByteArray> handleServerFirst(const QByteArray& serverFirst);
    // Checks the server's signature in the server-final-message.
    Result<void> handleServerFinal(const QByteArray& serverFinal);
    bool finished() const { return m_state == State::Done; }
    bool channelBound() const { return finished() && m_binding == Binding::TlsServerEndPoint; }

    // The highest iteration count we compute (a hostile server could ask for billions and freeze us).
    static constexpr int kMaxIterations = 10'000'000;

    // SASLprep (RFC 4013) as pg_saslprep(): the prepared password, or the raw one when it is not
    // valid UTF-8 or has prohibited characters (libpq then uses the password as it is).
    static QByteArray saslPrep(const QByteArray& password);

private:
    enum class State
    {
        Initial,
        SentFinal,
        Done,
        Failed,
    };
    QByteArray gs2Header() const;

    QByteArray m_password;
    Binding m_binding;
    QByteArray m_cbindData;
    QByteArray m_nonce; // base64
    QByteArray m_clientFirstBare;
    QByteArray m_serverFirst;
    QByteArray m_clientFinalWithoutProof;
    QByteArray m_serverSignature;
    State m_state = State::Initial;
};

} // namespace vf::auth
