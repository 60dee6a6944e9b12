#pragma once

// A scriptable fake PostgreSQL server for hostile-server tests. It listens on 127.0.0.1 (free port),
// runs in its own thread with its own event loop (so a blocking client such as libpq can be tested
// from the test thread too), and plays one script per accepted connection: read the client's
// SSLRequest, StartupMessage or messages, answer with exact bytes (or nothing at all), run the server
// side of TLS over OpenSSL memory BIOs with TestPki material, abort a handshake with an alert, drip
// bytes one at a time, stream megabytes, close. Everything each connection saw is logged for the test
// to assert on. Test-only: the product never uses it.

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace vf::test {

// Server-side TLS for one connection.
struct FakeTlsOptions
{
    QByteArray certChainPem; // leaf first, then any further certificates, sent exactly in this order
    QByteArray keyPem;       // the leaf's private key
    // >= 0: answer the ClientHello with this fatal alert (SSL_AD_HANDSHAKE_FAILURE, SSL_AD_UNKNOWN_CA…).
    int abortWithAlert = -1;
    // Non-empty: request a client certificate, require one, and verify it against these CAs: a client
    // without one (or with one from another CA) gets OpenSSL's alert after its Finished (TLS 1.3).
    QByteArray clientCaPem;
    QByteArray alpn; // non-empty: select this ALPN protocol when the client offers it
};

// What one connection saw (a copy, taken under the server's lock).
struct FakeConnectionLog
{
    QByteArray rawIn;        // every byte the client sent, as it came off the socket
    QByteArray plainIn;      // the same after TLS decryption (equal to rawIn without TLS)
    QList<QByteArray> units; // what the expect steps consumed, in order (whole messages with headers)
    bool sslRequest = false; // an SSLRequest was read
    bool startup = false;    // a StartupMessage was read
    QMap<QByteArray, QByteArray> startupParameters;
    bool tlsStarted = false;
    bool tlsEstablished = false;
    QString tlsError;    // why the server side of TLS failed, if it did
    qint64 bytesOut = 0; // bytes written to the socket
    bool scriptFinished = false;
    bool clientClosed = false; // the client closed or reset the connection
    QStringList problems;      // expectations the client did not meet (wrong bytes…)
};

// The steps one connection plays, in order. The connection stays open and silent after the last
// step until the client closes it (a "server that never answers" is an empty script).
class FakeScript
{
public:
    enum class Kind
    {
        ExpectBytes,
        ExpectSslRequest,
        ExpectStartup,
        ExpectMessage,
        Send,
        SendComputed,
        SendRaw,
        StartTls,
        Drip,
        Stream,
        Pause,
        Close,
    };
    using Computed = std::function<QByteArray(const FakeConnectionLog&)>;
    struct Step
    {
        Kind kind = Kind::Send;
        QByteArray bytes;  // Send/SendRaw; Stream: header
        QByteArray unit;   // Stream: repeated after the header
        qint64 count = 0;  // ExpectBytes: bytes; Drip/Pause: ms; Stream: filler bytes
        char type = 0;     // ExpectMessage: expected type (0: any)
        Computed computed; // SendComputed
        std::shared_ptr<const FakeTlsOptions> tls;
    };

    FakeScript& expectBytes(int count);
    FakeScript& expectSslRequest(); // 8 bytes, checked against 00 00 00 08 04 d2 16 2f
    FakeScript& expectStartup();    // Int32 length + protocol 3.0 + parameters
    FakeScript& expectMessage(char type = 0);
    // Bytes for the client: inside TLS once startTls() has completed, else on the socket.
    FakeScript& send(const QByteArray& bytes);
    // Bytes made from what the connection has seen so far (e.g. a SCRAM answer with the client's nonce).
    FakeScript& sendComputed(Computed make);
    // Bytes on the socket even when TLS is up (garbage between records, a hand-made alert).
    FakeScript& sendRaw(const QByteArray& bytes);
    // The server side of a TLS handshake; bytes the client sent early are fed to it.
    FakeScript& startTls(const FakeTlsOptions& options);
    // From now on every byte for the socket goes out alone, one per interval.
    FakeScript& drip(int intervalMs);
    // `header`, then `unit` repeated until `fillerBytes` more went out, paced by what the client reads.
    FakeScript& stream(const QByteArray& header, const QByteArray& unit, qint64 fillerBytes);
    FakeScript& pause(int ms);
    FakeScript& close();

    const QList<Step>& steps() const { return m_steps; }

private:
    QList<Step> m_steps;
};

// Bytes of backend messages, as a PostgreSQL server writes them (protocol 3.0).
namespace FakePg {
QByteArray int32(qint32 value);
QByteArray message(char type, const QByteArray& payload);
QByteArray authRequest(qint32 code, const QByteArray& data = {});
QByteArray authOk();
QByteArray errorResponse(const QByteArray& sqlState, const QByteArray& text,
                         const QByteArray& severity = "FATAL");
QByteArray notice(const QByteArray& text);
QByteArray parameterStatus(const QByteArray& name, const QByteArray& value);
QByteArray readyForQuery();
// AuthenticationOk, server_version, BackendKeyData, ReadyForQuery: a trusting server after startup.
QByteArray trustedSession();
// The answer to the engine's report query (one row of nine columns), then ReadyForQuery.
QByteArray reportQueryResult(bool ssl);
// The SCRAM nonce the client put in its SASLInitialResponse (the last unit read), or empty.
QByteArray clientNonce(const FakeConnectionLog& log);
QByteArray sslRequest();
} // namespace FakePg

class FakeServer final
{
public:
    FakeServer();
    ~FakeServer(); // stops the thread; every connection is closed
    Q_DISABLE_COPY_MOVE(FakeServer)

    // Listens and serves: connection i plays scripts[i]; any later connection plays the last script.
    bool start(const QList<FakeScript>& scripts, QString* error = nullptr);
    // A listening port whose accept queue is full and never drained: a TCP connect to it hangs
    // (the kernel drops the SYNs), for deadlines and cancellation during the TCP connect.
    bool startStalled(QString* error = nullptr);

    quint16 port() const;
    int connectionCount() const;
    FakeConnectionLog connection(int index) const;
    // Waits (without an event loop: the server has its own) until connection `index` was closed by the
    // client.
    bool waitForClientClose(int index, int timeoutMs) const;

    struct Shared;

private:
    class Thread;
    std::shared_ptr<Shared> m_shared;
    std::unique_ptr<Thread> m_thread;
    QList<int> m_stalledFds;
};

} // namespace vf::test

Q_DECLARE_METATYPE(vf::test::FakeScript)
