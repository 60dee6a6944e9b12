// The connection engine (ConnectionTester + ProtocolMachine + TlsClient) against malicious or broken
// servers played by FakeServer: every one must end with a clear error (libpq's words where libpq has
// them) inside the deadline, with no crash, no hang and bounded memory. When libpq is installed each
// row also runs the real libpq 15 against the same script (the `libpq15` column: its message, "=" for
// the same as ours, empty when libpq cannot be compared, e.g. PG16+ options or a libpq hang).

#include "FakeServer.h"
#include "TestPki.h"
#include "session/ConnectionTester.h"
#include "settings/ConnInfo.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcessEnvironment>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/ssl.h>

#ifdef VF_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

using namespace Qt::StringLiterals;
using namespace vf::test;
using namespace vf::session;
using namespace vf::settings;

Q_DECLARE_METATYPE(vf::session::Phase)

namespace {

const QString kClosed =
    u"server closed the connection unexpectedly\n\tThis probably means the server terminated "
    u"abnormally\n\tbefore or while processing the request."_s;
const QString kVersionHint = u"\nThis may indicate that the server does not support any SSL protocol version "
                             u"between TLSv1.2 and TLSv1.3."_s;

constexpr int kPhaseMs = 2000; // CheckOptions::phaseTimeoutMs for every row
constexpr int kSlackMs = 1500; // how late after the deadline "finished" may come

struct EngineRun
{
    bool parsed = false;
    bool finished = false;
    int finishedSignals = 0;
    qint64 elapsedMs = 0;
    ConnectionReport report;
};

// Peak resident set size of this process in KiB (VmHWM), and a way to reset it.
qint64 statusKb(QByteArrayView field)
{
    QFile f(u"/proc/self/status"_s);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

bool resetPeakRss()
{
    QFile f(u"/proc/self/clear_refs"_s);
    return f.open(QIODevice::WriteOnly) && f.write("5") == 1;
}

QByteArray pseudoRandom(int size, quint32 seed)
{
    QRandomGenerator gen(seed);
    QByteArray out(size, '\0');
    for (char& c : out)
        c = char(gen.bounded(256));
    return out;
}

// Backend message with an arbitrary (lying) length word and the given bytes after it.
QByteArray lyingHeader(char type, qint32 length, const QByteArray& rest = {})
{
    return QByteArray(1, type) + FakePg::int32(length) + rest;
}

QByteArray saslMechanisms(const QList<QByteArray>& names)
{
    QByteArray out;
    for (const QByteArray& n : names)
        out += n + '\0';
    return out + '\0';
}

// server-first-message built on the client's nonce (plus `serverPart`), with the given iteration count.
FakeScript::Computed serverFirst(const QByteArray& serverPart, const QByteArray& iterations)
{
    return [serverPart, iterations](const FakeConnectionLog& log) {
        return FakePg::authRequest(11, "r=" + FakePg::clientNonce(log) + serverPart +
                                           ",s=" + QByteArray("fake salt").toBase64() + ",i=" + iterations);
    };
}

} // namespace

class TestHostileServers : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_home;
    QString m_rootFile;
    QString m_clientCert, m_clientKey;
    TestCert m_root, m_server, m_otherRoot, m_client;
    FakeTlsOptions m_tls;        // leaf for "localhost", signed by m_root
    FakeTlsOptions m_chain50;    // leaf + 49 intermediates, chaining to m_root
    FakeTlsOptions m_chain50Gap; // the same with one intermediate missing
    FakeTlsOptions m_sans5000;   // 5,000 dNSName SANs h0.example … h4999.example
    FakeTlsOptions m_hugeCert;   // a certificate larger than OpenSSL's 100 KiB certificate-list limit

    QString file(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        return path;
    }

    static QString base(quint16 port)
    {
        return u"host=127.0.0.1 port=%1 user=fakeuser dbname=postgres "_s.arg(port);
    }
    static QString prefix(quint16 port)
    {
        return u"connection to server at \"127.0.0.1\", port %1 failed: "_s.arg(port);
    }

    EngineRun runEngine(const QString& conninfo, int phaseMs = kPhaseMs, int waitMs = 15000)
    {
        EngineRun run;
        Environment env;
        env.setVariable(u"HOME"_s, m_home);
        auto info = ConnInfo::parse(conninfo);
        if (!info)
            return run;
        auto settings = SettingsResolver(env).resolve(*info);
        if (!settings)
            return run;
        auto validated = OptionValidator::validate(*settings);
        if (!validated)
            return run;
        run.parsed = true;
        CheckOptions options;
        options.phaseTimeoutMs = phaseMs;
        ConnectionTester tester(*settings, *validated, options, nullptr);
        QSignalSpy done(&tester, &ConnectionTester::finished);
        QElapsedTimer clock;
        clock.start();
        tester.start();
        run.finished = done.wait(waitMs);
        run.elapsedMs = clock.elapsed();
        QTest::qWait(50); // anything still queued must not finish twice or crash
        run.finishedSignals = int(done.count());
        run.report = tester.report();
        return run;
    }

#ifdef VF_HAVE_LIBPQ
    // PQerrorMessage() of the real libpq against a fresh server playing `script` ("<connected>" if it
    // connected).
    static QString runLibpq(const FakeScript& script, const QString& options, int* connections = nullptr)
    {
        FakeServer server;
        if (!server.start({script}))
            return u"<fake server did not start>"_s;
        const QString conninfo = base(server.port()) + u"gssencmode=disable connect_timeout=2 "_s + options;
        PGconn* conn = PQconnectdb(conninfo.toUtf8().constData());
        QString message;
        if (PQstatus(conn) != CONNECTION_OK) {
            message = QString::fromUtf8(PQerrorMessage(conn));
            if (message.endsWith(u'\n'))
                message.chop(1);
        }
        PQfinish(conn);
        if (connections)
            *connections = server.connectionCount();
        return message.isEmpty() ? u"<connected>"_s : message;
    }
#endif

    void compareWithLibpq(const FakeScript& script, const QString& options, const QString& expected,
                          const QString& ours)
    {
#ifdef VF_HAVE_LIBPQ
        if (expected.isEmpty())
            return;
        const QString libpq = runLibpq(script, options);
        // libpq's message carries its own server's port: compare what follows the first prefix.
        const QString want = expected == u"="_s ? ours : expected;
        const qsizetype cut = libpq.indexOf(u" failed: "_s);
        const QString tail = cut >= 0 ? libpq.mid(cut + 9) : libpq;
        QVERIFY2(tail == want, qPrintable(u"libpq 15 says:\n"_s + libpq + u"\nexpected:\n"_s + want));
#else
        Q_UNUSED(script)
        Q_UNUSED(options)
        Q_UNUSED(expected)
        Q_UNUSED(ours)
#endif
    }

    // Finishes a session the way a trusting server does, so the engine reports success.
    static FakeScript& serveSession(FakeScript& s, bool ssl)
    {
        return s.expectStartup()
            .send(FakePg::trustedSession())
            .expectMessage('Q')
            .send(FakePg::reportQueryResult(ssl))
            .expectMessage('X')
            .close();
    }
    FakeScript tlsSession(const FakeTlsOptions& tls) const
    {
        FakeScript s;
        s.expectSslRequest().send("S").startTls(tls);
        return serveSession(s, true);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_home = m_dir.filePath(u"home"_s);
        QVERIFY(QDir().mkpath(m_home));
        // libpq reads the process environment: keep the machine's PG* settings and ~/.postgresql out.
        for (const QString& var : QProcessEnvironment::systemEnvironment().keys()) {
            if (var.startsWith(u"PG"_s))
                qunsetenv(var.toLocal8Bit().constData());
        }
        qputenv("HOME", QFile::encodeName(m_home));

        m_root = TestPki::makeCert(TestPki::rootSpec(u"Hostile Test Root"_s));
        m_server = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &m_root);
        m_otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Some Other Root"_s));
        m_client = TestPki::makeCert(TestPki::clientSpec(u"fakeuser"_s), &m_root);
        m_rootFile = file(u"root.crt"_s, m_root.pem());
        m_clientCert = file(u"client.crt"_s, m_client.pem());
        m_clientKey = file(u"client.key"_s, m_client.keyBytes());
        m_tls.certChainPem = m_server.pem();
        m_tls.keyPem = m_server.keyBytes();

        // 50 presented certificates: the leaf and 49 intermediates (root → i1 → … → i49 → leaf).
        QList<TestCert> inters;
        const TestCert* issuer = &m_root;
        for (int i = 1; i <= 49; ++i) {
            CertSpec spec = TestPki::rootSpec(u"Intermediate %1"_s.arg(i));
            inters << TestPki::makeCert(spec, issuer);
            issuer = &inters.last();
        }
        const TestCert leaf50 =
            TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), issuer);
        QByteArray chain = leaf50.pem();
        QByteArray gap = leaf50.pem();
        for (qsizetype i = inters.size() - 1; i >= 0; --i) {
            chain += inters.at(i).pem();
            if (i != 20)
                gap += inters.at(i).pem();
        }
        m_chain50 = {chain, leaf50.keyBytes(), -1, {}, {}};
        m_chain50Gap = {gap, leaf50.keyBytes(), -1, {}, {}};

        CertSpec many = TestPki::serverSpec(u"many names"_s);
        for (int i = 0; i < 5000; ++i)
            many.dnsNames << u"h%1.example"_s.arg(i);
        const TestCert sans = TestPki::makeCert(many, &m_root);
        m_sans5000 = {sans.pem(), sans.keyBytes(), -1, {}, {}};

        CertSpec huge = TestPki::serverSpec(u"huge"_s);
        for (int i = 0; i < 9000; ++i)
            huge.dnsNames << u"name-%1.huge.example"_s.arg(i);
        const TestCert big = TestPki::makeCert(huge, &m_root);
        QVERIFY(big.der().size() > 100 * 1024);
        m_hugeCert = {big.pem(), big.keyBytes(), -1, {}, {}};
    }

    // One row: a server script and the exact message the check must end with.
    void failures_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<FakeScript>("script");
        QTest::addColumn<QString>("message"); // after the "connection to server at …" prefix
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("connections"); // TCP connections the server saw (-1: any)
        QTest::addColumn<bool>("timeout");    // the phase deadline is what ends it
        QTest::addColumn<QString>("libpq15");

        using namespace FakePg;
        const QByteArray tooMany = errorResponse("53300", "sorry, too many clients already");

        // --- the one-byte answer to SSLRequest (spec §3.2, §3.3) ---
        for (const QString& mode : {u"require"_s, u"prefer"_s}) {
            QTest::addRow("S+plaintext then TLS (CVE-2021-23222), %s", qPrintable(mode))
                << u"sslmode="_s + mode << FakeScript().expectSslRequest().send("Sinjected").startTls(m_tls)
                << u"received unencrypted data after SSL response"_s << u"negotiation.unencrypted-data"_s << 1
                << false << u"="_s;
            QTest::addRow("E answer (CVE-2024-10977), %s", qPrintable(mode))
                << u"sslmode="_s + mode << FakeScript().expectSslRequest().send(tooMany)
                << u"server sent an error response during SSL exchange"_s << u"negotiation.error-response"_s
                << 1 << false << u"="_s;
            QTest::addRow("invalid answer X, %s", qPrintable(mode))
                << u"sslmode="_s + mode << FakeScript().expectSslRequest().send("X")
                << u"received invalid response to SSL negotiation: X"_s << u"negotiation.invalid-response"_s
                << 1 << false << u"="_s;
            QTest::addRow("close after SSLRequest, %s", qPrintable(mode))
                << u"sslmode="_s + mode << FakeScript().expectSslRequest().close() << kClosed
                << u"server.closed"_s << 1 << false << u"="_s;
        }
        QTest::addRow("N answer, require")
            << u"sslmode=require"_s << FakeScript().expectSslRequest().send("N")
            << u"server does not support SSL, but SSL was required"_s << u"negotiation.no-ssl"_s << 1 << false
            << u"="_s;

        // --- silence and slowness: the deadline ends it ---
        QTest::addRow("silent server") << u"sslmode=prefer"_s << FakeScript() << u"timeout expired"_s
                                       << u"session.timeout"_s << 1 << true << u"="_s;
        QTest::addRow("silent after S")
            << u"sslmode=require"_s << FakeScript().expectSslRequest().send("S") << u"timeout expired"_s
            << u"session.timeout"_s << 1 << true << u"="_s;
        QTest::addRow("TLS handshake dripped 1 byte/s")
            << u"sslmode=require"_s << FakeScript().expectSslRequest().send("S").drip(1000).startTls(m_tls)
            << u"timeout expired"_s << u"session.timeout"_s << 1 << true << u"="_s;
        QTest::addRow("startup answer dripped 1 byte/s")
            << u"sslmode=disable"_s << FakeScript().expectStartup().drip(1000).send(tooMany)
            << u"timeout expired"_s << u"session.timeout"_s << 1 << true << u"="_s;
        QTest::addRow("silent after StartupMessage over TLS")
            << u"sslmode=require"_s
            << FakeScript().expectSslRequest().send("S").startTls(m_tls).expectStartup()
            << u"timeout expired"_s << u"session.timeout"_s << 1 << true << u"="_s;

        // --- TLS failures ---
        FakeTlsOptions handshakeFailure = m_tls;
        handshakeFailure.abortWithAlert = SSL_AD_HANDSHAKE_FAILURE;
        FakeTlsOptions unknownCa = m_tls;
        unknownCa.abortWithAlert = SSL_AD_UNKNOWN_CA;
        QTest::addRow("fatal alert handshake_failure")
            << u"sslmode=require"_s << FakeScript().expectSslRequest().send("S").startTls(handshakeFailure)
            << u"SSL error: sslv3 alert handshake failure"_s << u"tls.handshake"_s << 1 << false << u"="_s;
        QTest::addRow("fatal alert unknown_ca")
            << u"sslmode=require"_s << FakeScript().expectSslRequest().send("S").startTls(unknownCa)
            << u"SSL error: tlsv1 alert unknown ca"_s << u"tls.handshake"_s << 1 << false << u"="_s;
        QTest::addRow("hand-made alert record after ClientHello")
            << u"sslmode=require"_s
            << FakeScript().expectSslRequest().send("S").expectBytes(5).sendRaw(
                   QByteArray("\x15\x03\x03\x00\x02\x02\x28", 7))
            << u"SSL error: sslv3 alert handshake failure"_s << u"tls.handshake"_s << 1 << false << u"="_s;
        QTest::addRow("plaintext instead of ServerHello")
            << u"sslmode=require"_s
            << FakeScript().expectSslRequest().send("S").expectBytes(5).sendRaw(
                   "HTTP/1.1 400 Bad Request\r\n\r\n")
            << u"SSL error: wrong version number"_s + kVersionHint << u"tls.handshake"_s << 1 << false
            << u"="_s;
        QTest::addRow("close during TLS handshake")
            << u"sslmode=require"_s << FakeScript().expectSslRequest().send("S").expectBytes(5).close()
            << u"SSL SYSCALL error: EOF detected"_s << u"tls.eof"_s << 1 << false << u"="_s;
        QTest::addRow("close after StartupMessage over TLS")
            << u"sslmode=require"_s
            << FakeScript().expectSslRequest().send("S").startTls(m_tls).expectStartup().close()
            << u"SSL SYSCALL error: EOF detected"_s << u"tls.eof"_s << 1 << false << u"="_s;
        QTest::addRow("close after StartupMessage, plaintext")
            << u"sslmode=disable"_s << FakeScript().expectStartup().close() << kClosed << u"server.closed"_s
            << 1 << false << u"="_s;
        FakeTlsOptions wantsClientCert = m_tls;
        wantsClientCert.clientCaPem = m_otherRoot.pem();
        QTest::addRow("client certificate rejected with unknown_ca after the handshake")
            << u"sslmode=require sslcert="_s + m_clientCert + u" sslkey="_s + m_clientKey
            << FakeScript().expectSslRequest().send("S").startTls(wantsClientCert)
            << u"SSL error: tlsv1 alert unknown ca"_s << u"tls.read"_s << 1 << false << u"="_s;
        QTest::addRow("garbage bytes between TLS records")
            << u"sslmode=require"_s
            << FakeScript().expectSslRequest().send("S").startTls(m_tls).expectStartup().sendRaw(
                   pseudoRandom(64, 7))
            << u"SSL error: wrong version number"_s << u"tls.read"_s << 1 << false << u"="_s;
        QTest::addRow("application-data record with a random payload")
            << u"sslmode=require"_s
            << FakeScript().expectSslRequest().send("S").startTls(m_tls).expectStartup().sendRaw(
                   QByteArray("\x17\x03\x03\x00\x40", 5) + pseudoRandom(64, 11))
            << u"SSL error: decryption failed or bad record mac"_s << u"tls.read"_s << 1 << false << u"="_s;
        QTest::addRow("random bytes inside TLS")
            << u"sslmode=require"_s
            << FakeScript().expectSslRequest().send("S").startTls(m_tls).expectStartup().send(
                   "Q" + pseudoRandom(4096, 3))
            << u"expected authentication request from server, but received Q"_s << u"wire.unexpected"_s << 1
            << false << u"="_s;

        // --- message lengths after the StartupMessage, plaintext and over TLS ---
        struct Lie
        {
            const char* name;
            QByteArray bytes;
            QString message;
            QString code;
            QString libpq15;
        };
        const QList<Lie> lies = {
            {"R with length 2^31-1", lyingHeader('R', 0x7fffffff),
             u"received invalid authentication request"_s, u"wire.invalid-auth"_s,
             u"expected authentication request from server, but received R"_s},
            {"R with length -1", lyingHeader('R', -1), u"received invalid authentication request"_s,
             u"wire.invalid-auth"_s, u"expected authentication request from server, but received R"_s},
            {"R with length 0", lyingHeader('R', 0), u"received invalid authentication request"_s,
             u"wire.invalid-auth"_s, u"expected authentication request from server, but received R"_s},
            {"S with length 2^31-1 after AuthenticationOk", authOk() + lyingHeader('S', 0x7fffffff),
             u"lost synchronization with server: got message type \"S\", length 2147483647"_s,
             u"wire.invalid-length"_s, u"="_s},
            {"S with length -1 after AuthenticationOk", authOk() + lyingHeader('S', -1),
             u"lost synchronization with server: got message type \"S\", length -1"_s,
             u"wire.invalid-length"_s, u"="_s},
            {"K with length 3 after AuthenticationOk", authOk() + lyingHeader('K', 3),
             u"lost synchronization with server: got message type \"K\", length 3"_s,
             u"wire.invalid-length"_s, u"="_s},
        };
        for (const Lie& lie : lies) {
            QTest::addRow("%s, plaintext", lie.name)
                << u"sslmode=disable"_s << FakeScript().expectStartup().send(lie.bytes) << lie.message
                << lie.code << 1 << false << lie.libpq15;
            QTest::addRow("%s, TLS", lie.name)
                << u"sslmode=require"_s
                << FakeScript().expectSslRequest().send("S").startTls(m_tls).expectStartup().send(lie.bytes)
                << lie.message << lie.code << 1 << false << lie.libpq15;
        }

        // --- authentication ---
        const QString scram = u"sslmode=disable password=secret"_s;
        QTest::addRow("authentication request with code 99")
            << u"sslmode=disable"_s << FakeScript().expectStartup().send(authRequest(99))
            << u"authentication method 99 not supported"_s << u"auth.unknown"_s << 1 << false << u"="_s;
        QTest::addRow("SCRAM wrong nonce")
            << scram
            << FakeScript()
                   .expectStartup()
                   .send(authRequest(10, saslMechanisms({"SCRAM-SHA-256"})))
                   .expectMessage('p')
                   .send(authRequest(11, "r=bogusnonce,s=" + QByteArray("salt").toBase64() + ",i=4096"))
            << u"invalid SCRAM response (nonce mismatch)"_s << u"scram.nonce-mismatch"_s << 1 << false
            << u"="_s;
        QTest::addRow("SCRAM 2^31 iterations")
            << scram
            << FakeScript()
                   .expectStartup()
                   .send(authRequest(10, saslMechanisms({"SCRAM-SHA-256"})))
                   .expectMessage('p')
                   .sendComputed(serverFirst("srv", "2147483648"))
            << u"malformed SCRAM message (invalid iteration count)"_s << u"scram.malformed"_s << 1 << false
            << u"="_s;
        QTest::addRow("SCRAM 2^31-1 iterations")
            << scram
            << FakeScript()
                   .expectStartup()
                   .send(authRequest(10, saslMechanisms({"SCRAM-SHA-256"})))
                   .expectMessage('p')
                   .sendComputed(serverFirst("srv", "2147483647"))
            << u"SCRAM iteration count 2147483647 is above the limit of 10000000"_s
            << u"scram.too-many-iterations"_s << 1 << false << QString(); // libpq computes PBKDF2 for minutes
        QTest::addRow("SCRAM bad server signature")
            << scram
            << FakeScript()
                   .expectStartup()
                   .send(authRequest(10, saslMechanisms({"SCRAM-SHA-256"})))
                   .expectMessage('p')
                   .sendComputed(serverFirst("srv", "4096"))
                   .expectMessage('p')
                   .send(authRequest(12, "v=" + QByteArray(32, '\0').toBase64()))
            << u"incorrect server signature"_s << u"scram.bad-server-signature"_s << 1 << false << u"="_s;
        QTest::addRow("SCRAM server nonce equal to the client's, then bad signature")
            << scram
            << FakeScript()
                   .expectStartup()
                   .send(authRequest(10, saslMechanisms({"SCRAM-SHA-256"})))
                   .expectMessage('p')
                   .sendComputed(serverFirst("", "4096"))
                   .expectMessage('p')
                   .send(authRequest(12, "v=" + QByteArray(32, '\0').toBase64()))
            << u"incorrect server signature"_s << u"scram.bad-server-signature"_s << 1 << false << u"="_s;
        QTest::addRow("SCRAM-SHA-256-PLUS offered over plaintext")
            << scram
            << FakeScript().expectStartup().send(
                   authRequest(10, saslMechanisms({"SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"})))
            << u"server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection"_s
            << u"auth.plus-without-ssl"_s << 1 << false << u"="_s;
        QTest::addRow("require_auth=scram-sha-256, AuthenticationOk at once")
            << u"sslmode=disable require_auth=scram-sha-256"_s
            << FakeScript().expectStartup().send(trustedSession())
            << u"authentication method requirement \"scram-sha-256\" failed: server did not complete authentication"_s
            << u"auth.require-auth"_s << 1 << false << QString(); // require_auth is PG16+
        QTest::addRow("require_auth=scram-sha-256, cleartext request")
            << u"sslmode=disable require_auth=scram-sha-256 password=secret"_s
            << FakeScript().expectStartup().send(authRequest(3))
            << u"authentication method requirement \"scram-sha-256\" failed: server requested a cleartext password"_s
            << u"auth.require-auth"_s << 1 << false << QString();
        QTest::addRow("NoticeResponse before authentication")
            << u"sslmode=disable"_s
            << FakeScript().expectStartup().send(notice("hello").repeated(3) + authOk())
            << u"expected authentication request from server, but received N"_s << u"wire.unexpected"_s << 1
            << false << u"="_s;
        // NegotiateProtocolVersion: PG16+ parse it (PG18 wording), libpq 15 rejects the type.
        const QString v15 = u"expected authentication request from server, but received v"_s;
        QTest::addRow("NegotiateProtocolVersion 3.0 without options")
            << u"sslmode=disable"_s
            << FakeScript().expectStartup().send(message('v', int32(0x00030000) + int32(0)) +
                                                 trustedSession())
            << u"received invalid protocol negotiation message: server negotiated but asks for no changes"_s
            << u"wire.protocol-negotiation"_s << 1 << false << v15;
        QTest::addRow("NegotiateProtocolVersion to 3.5")
            << u"sslmode=disable"_s
            << FakeScript().expectStartup().send(message('v', int32(0x00030005) + int32(0)))
            << u"received invalid protocol negotiation message: server requested downgrade to a "
               u"higher-numbered "
               u"version"_s
            << u"wire.protocol-negotiation"_s << 1 << false << v15;
        QTest::addRow("NegotiateProtocolVersion with -5 parameters")
            << u"sslmode=disable"_s
            << FakeScript().expectStartup().send(message('v', int32(0x00030000) + int32(-5)))
            << u"received invalid protocol negotiation message: server reported negative number of "
               u"unsupported "
               u"parameters"_s
            << u"wire.protocol-negotiation"_s << 1 << false << v15;
        QTest::addRow("NegotiateProtocolVersion rejecting an option never sent")
            << u"sslmode=disable"_s
            << FakeScript().expectStartup().send(
                   message('v', int32(0x00030000) + int32(1) + "_pq_.bogus" + '\0'))
            << u"received invalid protocol negotiation message: server reported an unsupported parameter "
               u"that was "
               u"not requested (\"_pq_.bogus\")"_s
            << u"wire.protocol-negotiation"_s << 1 << false << v15;
        QTest::addRow("NegotiateProtocolVersion with length 2^31-1")
            << u"sslmode=disable"_s << FakeScript().expectStartup().send(lyingHeader('v', 0x7fffffff))
            << u"received invalid protocol negotiation message"_s << u"wire.protocol-negotiation"_s << 1
            << false << v15;
        // An 'E' with an impossible length: libpq reads it as a pre-7.4 server's NUL-terminated error text.
        QTest::addRow("pre-3.0 error text")
            << u"sslmode=disable"_s
            << FakeScript().expectStartup().send(QByteArray("EFATAL:  sorry, too many clients already\n") +
                                                 '\0')
            << u"FATAL:  sorry, too many clients already"_s << u"server.error-v2"_s << 1 << false << u"="_s;
    }

    void failures()
    {
        QFETCH(QString, options);
        QFETCH(FakeScript, script);
        QFETCH(QString, message);
        QFETCH(QString, code);
        QFETCH(int, connections);
        QFETCH(bool, timeout);
        QFETCH(QString, libpq15);

        FakeServer server;
        QString error;
        QVERIFY2(server.start({script}, &error), qPrintable(error));
        const EngineRun run = runEngine(base(server.port()) + options);
        QVERIFY(run.parsed);
        QVERIFY2(run.finished, "the check never finished");
        QCOMPARE(run.finishedSignals, 1);
        const ConnectionReport& r = run.report;
        QVERIFY(!r.success);
        QVERIFY(!r.canceled);
        QCOMPARE(r.libpqMessage, prefix(server.port()) + message);
        QVERIFY(r.error.has_value());
        QCOMPARE(r.error->code, code);
        if (connections >= 0)
            QCOMPARE(server.connectionCount(), connections);
        if (timeout)
            QVERIFY2(run.elapsedMs >= kPhaseMs - 50, qPrintable(u"ended after %1 ms"_s.arg(run.elapsedMs)));
        else
            QVERIFY2(run.elapsedMs < kPhaseMs, qPrintable(u"took %1 ms"_s.arg(run.elapsedMs)));
        QVERIFY2(run.elapsedMs < kPhaseMs + kSlackMs, qPrintable(u"took %1 ms"_s.arg(run.elapsedMs)));
        // The client closed its socket (nothing left dangling), and what it sent was what the script
        // expected.
        QVERIFY(server.waitForClientClose(0, 2000));
        const FakeConnectionLog log = server.connection(0);
        QVERIFY2(log.problems.isEmpty(), qPrintable(log.problems.join(u'\n')));
        if (QByteArrayView(QTest::currentDataTag()).startsWith("S+plaintext"))
            QVERIFY(log.tlsEstablished); // the check refused only after a complete handshake, as libpq
        compareWithLibpq(script, options, libpq15, message);
    }

    // 'N' with sslmode=prefer: libpq continues on the same socket with a StartupMessage.
    void preferContinuesOnSameSocketAfterN()
    {
        FakeScript script;
        script.expectSslRequest().send("N");
        serveSession(script, false);
        FakeServer server;
        QVERIFY(server.start({script}));
        const EngineRun run = runEngine(base(server.port()) + u"sslmode=prefer"_s);
        QVERIFY(run.finished);
        QVERIFY2(run.report.success, qPrintable(run.report.libpqMessage));
        QCOMPARE(server.connectionCount(), 1);
        const FakeConnectionLog log = server.connection(0);
        QVERIFY(log.sslRequest);
        QVERIFY(log.startup);
        QCOMPARE(log.startupParameters.value("user"), QByteArray("fakeuser"));
        QVERIFY2(log.problems.isEmpty(), qPrintable(log.problems.join(u'\n')));
        QVERIFY(log.scriptFinished);
        const AttemptReport& a = run.report.attempts.first();
        QCOMPARE(a.tries.size(), 2);
        QCOMPARE(a.tries.at(0).method, EncryptionMethod::Ssl);
        QCOMPARE(a.tries.at(0).failure, u"server does not support SSL, but SSL was required"_s);
        QCOMPARE(a.tries.at(1).method, EncryptionMethod::Plaintext);
        QVERIFY(!a.tries.at(1).newConnection);
        QVERIFY(a.tries.at(1).succeeded);
        QCOMPARE(a.server.currentUser, u"fakeuser"_s);
#ifdef VF_HAVE_LIBPQ
        int libpqConnections = 0;
        QCOMPARE(runLibpq(script, u"sslmode=prefer"_s, &libpqConnections), u"<connected>"_s);
        QCOMPARE(libpqConnections, 1);
#endif
    }

    // A TLS failure with sslmode=prefer: libpq closes, reconnects and tries plaintext; both messages.
    void preferRetriesPlaintextAfterTlsAlert()
    {
        FakeTlsOptions alert = m_tls;
        alert.abortWithAlert = SSL_AD_HANDSHAKE_FAILURE;
        FakeScript first;
        first.expectSslRequest().send("S").startTls(alert);
        FakeScript second;
        second.expectStartup().send(
            FakePg::errorResponse("28000", "no pg_hba.conf entry for host \"127.0.0.1\""));
        FakeServer server;
        QVERIFY(server.start({first, second}));
        const EngineRun run = runEngine(base(server.port()) + u"sslmode=prefer"_s);
        QVERIFY(run.finished);
        QVERIFY(!run.report.success);
        QCOMPARE(server.connectionCount(), 2);
        QVERIFY(server.connection(1).startup);
        QVERIFY(!server.connection(1).sslRequest);
        const QString expected = prefix(server.port()) + u"SSL error: sslv3 alert handshake failure\n"_s +
                                 prefix(server.port()) +
                                 u"FATAL:  no pg_hba.conf entry for host \"127.0.0.1\""_s;
        QCOMPARE(run.report.libpqMessage, expected);
#ifdef VF_HAVE_LIBPQ
        FakeServer again;
        QVERIFY(again.start({first, second}));
        const QString conninfo =
            base(again.port()) + u"gssencmode=disable connect_timeout=2 sslmode=prefer"_s;
        PGconn* conn = PQconnectdb(conninfo.toUtf8().constData());
        QString libpq = QString::fromUtf8(PQerrorMessage(conn));
        PQfinish(conn);
        libpq.chop(1);
        QCOMPARE(libpq, prefix(again.port()) + u"SSL error: sslv3 alert handshake failure\n"_s +
                            prefix(again.port()) + u"FATAL:  no pg_hba.conf entry for host \"127.0.0.1\""_s);
#endif
    }

    // Certificates that are large in every direction: the check still ends quickly and exactly.
    void certificates_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<FakeScript>("script");
        QTest::addColumn<QString>("message"); // empty: success
        QTest::addColumn<int>("presented");   // certificates the engine recorded (-1: don't check)
        QTest::addColumn<QString>("libpq15");

        const FakeScript chain50 = tlsSession(m_chain50);
        QTest::addRow("chain of 50, require") << u"sslmode=require"_s << chain50 << QString() << 50 << u"="_s;
        QTest::addRow("chain of 50, verify-full")
            << u"sslmode=verify-full host=localhost hostaddr=127.0.0.1 sslrootcert="_s + m_rootFile << chain50
            << QString() << 50 << u"="_s;
        QTest::addRow("chain of 50 with a link missing, verify-ca")
            << u"sslmode=verify-ca sslrootcert="_s + m_rootFile << tlsSession(m_chain50Gap)
            << u"SSL error: certificate verify failed"_s << 49 << u"="_s;
        const FakeScript sans = tlsSession(m_sans5000);
        QTest::addRow("5000 SANs, verify-full, the last name")
            << u"sslmode=verify-full host=h4999.example hostaddr=127.0.0.1 sslrootcert="_s + m_rootFile
            << sans << QString() << 1 << u"="_s;
        QTest::addRow("5000 SANs, verify-full, no name matches")
            << u"sslmode=verify-full host=nomatch.example hostaddr=127.0.0.1 sslrootcert="_s + m_rootFile
            << sans
            << u"server certificate for \"h0.example\" (and 4999 other names) does not match host name "
               u"\"nomatch.example\""_s
            << 1 << u"="_s;
        QTest::addRow("certificate larger than 100 KiB")
            << u"sslmode=require"_s << tlsSession(m_hugeCert) << u"SSL error: excessive message size"_s << -1
            << u"="_s;
    }

    void certificates()
    {
        QFETCH(QString, options);
        QFETCH(FakeScript, script);
        QFETCH(QString, message);
        QFETCH(int, presented);
        QFETCH(QString, libpq15);

        FakeServer server;
        QVERIFY(server.start({script}));
        const EngineRun run = runEngine(base(server.port()) + options);
        QVERIFY(run.parsed);
        QVERIFY(run.finished);
        QCOMPARE(run.finishedSignals, 1);
        QVERIFY2(run.elapsedMs < kPhaseMs, qPrintable(u"took %1 ms"_s.arg(run.elapsedMs)));
        const ConnectionReport& r = run.report;
        const bool hostaddr = options.contains(u"hostaddr"_s);
        if (message.isEmpty()) {
            QVERIFY2(r.success, qPrintable(r.libpqMessage));
        } else {
            QVERIFY(!r.success);
            QVERIFY2(r.libpqMessage.endsWith(u" failed: "_s + message), qPrintable(r.libpqMessage));
            if (!hostaddr)
                QCOMPARE(r.libpqMessage, prefix(server.port()) + message);
        }
        if (presented >= 0) {
            QVERIFY(r.attempts.first().tls.has_value());
            QCOMPARE(r.attempts.first().tls->presentedChain.size(), presented);
        }
#ifdef VF_HAVE_LIBPQ
        if (!libpq15.isEmpty()) {
            const QString libpq = runLibpq(script, options);
            if (message.isEmpty())
                QCOMPARE(libpq, u"<connected>"_s);
            else
                QVERIFY2(libpq.endsWith(u" failed: "_s + (libpq15 == u"="_s ? message : libpq15)),
                         qPrintable(libpq));
        }
#else
        Q_UNUSED(libpq15)
#endif
    }

    // The server claims a huge message (or floods valid ones) and streams 50 MB: the engine must stop
    // with an error while the process's peak memory stays far below what it was sent.
    void memoryStaysBounded_data()
    {
        QTest::addColumn<QString>("options");
        QTest::addColumn<FakeScript>("script");
        QTest::addColumn<QString>("message");

        using namespace FakePg;
        constexpr qint64 k50MB = 50LL * 1024 * 1024;
        const QByteArray filler(64 * 1024, 'x');
        const auto afterQuery = [](FakeScript s) { return s.expectMessage('Q'); };
        QTest::addRow("2 GB DataRow claim, plaintext")
            << u"sslmode=disable"_s
            << afterQuery(FakeScript().expectStartup().send(trustedSession()))
                   .stream(lyingHeader('D', 0x7fffffff), filler, k50MB)
            << u"lost synchronization with server: got message type \"D\", length 2147483647"_s;
        QTest::addRow("2 GB DataRow claim, TLS")
            << u"sslmode=require"_s
            << afterQuery(FakeScript().expectSslRequest().send("S").startTls(m_tls).expectStartup().send(
                              trustedSession()))
                   .stream(lyingHeader('D', 0x7fffffff), filler, k50MB)
            << u"lost synchronization with server: got message type \"D\", length 2147483647"_s;
        QTest::addRow("2 GB ErrorResponse claim before authentication")
            << u"sslmode=disable"_s
            << FakeScript().expectStartup().stream(lyingHeader('E', 0x7fffffff), filler, k50MB)
            << u"received invalid error message"_s;
        // Valid messages, endlessly: what the report keeps of them must be bounded.
        QTest::addRow("100 MB of NoticeResponses after the query")
            << u"sslmode=disable"_s
            << afterQuery(FakeScript().expectStartup().send(trustedSession()))
                   .stream({}, notice("x").repeated(4096), 2 * k50MB)
            << u"timeout expired"_s;
        QByteArray distinct;
        for (int i = 0; i < 400000; ++i)
            distinct += parameterStatus("p" + QByteArray::number(i), "v");
        QTest::addRow("400,000 distinct ParameterStatus names")
            << u"sslmode=disable"_s << FakeScript().expectStartup().send(authOk()).stream({}, distinct, k50MB)
            << u"timeout expired"_s;
    }

    void memoryStaysBounded()
    {
        QFETCH(QString, options);
        QFETCH(FakeScript, script);
        QFETCH(QString, message);

        FakeServer server;
        QVERIFY(server.start({script}));
        const bool peakReset = resetPeakRss();
        const qint64 before = statusKb(peakReset ? "VmHWM:" : "VmRSS:");
        const EngineRun run = runEngine(base(server.port()) + options, 3000);
        const qint64 peak = statusKb("VmHWM:");
        QVERIFY(run.finished);
        QCOMPARE(run.finishedSignals, 1);
        QVERIFY(!run.report.success);
        QCOMPARE(run.report.libpqMessage, prefix(server.port()) + message);
        QVERIFY(run.elapsedMs < 3000 + kSlackMs);
        const qint64 growthKb = peak - before;
        qInfo("server wrote %lld bytes; peak RSS grew by %lld KiB (peak reset: %s)",
              server.connection(0).bytesOut, growthKb, peakReset ? "yes" : "no");
#if defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer keeps freed memory in quarantine, so the peak says nothing here.
        Q_UNUSED(growthKb)
#else
        // Without the engine's limits these rows grow by 50-75 MiB; with them by a few MiB.
        QVERIFY2(growthKb < 24 * 1024, qPrintable(u"peak RSS grew by %1 KiB"_s.arg(growthKb)));
#endif
        QVERIFY(server.waitForClientClose(0, 2000));
    }

    // cancel() at every phase against a server that stops answering there: finished at once,
    // canceled=true, the socket closed, nothing fires afterwards.
    void cancelAtEachPhase_data()
    {
        QTest::addColumn<Phase>("phase");
        QTest::addColumn<QString>("options");
        QTest::addColumn<FakeScript>("script");
        QTest::addColumn<bool>("stalled"); // a port whose TCP handshake never completes

        QTest::addRow("TCP connect") << Phase::TcpConnect << u"sslmode=require"_s << FakeScript() << true;
        QTest::addRow("SSL negotiation")
            << Phase::SslNegotiation << u"sslmode=require"_s << FakeScript() << false;
        QTest::addRow("TLS handshake") << Phase::TlsHandshake << u"sslmode=require"_s
                                       << FakeScript().expectSslRequest().send("S") << false;
        QTest::addRow("startup") << Phase::Startup << u"sslmode=require"_s
                                 << FakeScript().expectSslRequest().send("S").startTls(m_tls) << false;
        QTest::addRow("authentication")
            << Phase::Authentication << u"sslmode=require password=secret"_s
            << FakeScript().expectSslRequest().send("S").startTls(m_tls).expectStartup().send(
                   FakePg::authRequest(3))
            << false;
    }

    void cancelAtEachPhase()
    {
        QFETCH(Phase, phase);
        QFETCH(QString, options);
        QFETCH(FakeScript, script);
        QFETCH(bool, stalled);

        FakeServer server;
        QString error;
        QVERIFY2(stalled ? server.startStalled(&error) : server.start({script}, &error), qPrintable(error));
        Environment env;
        env.setVariable(u"HOME"_s, m_home);
        const QString conninfo = base(server.port()) + options;
        auto info = ConnInfo::parse(conninfo);
        QVERIFY(info);
        auto settings = SettingsResolver(env).resolve(*info);
        QVERIFY(settings);
        auto validated = OptionValidator::validate(*settings);
        QVERIFY(validated);
        CheckOptions check;
        check.phaseTimeoutMs = 20000; // only cancel() may end it
        ConnectionTester tester(*settings, *validated, check, nullptr);
        QSignalSpy started(&tester, &ConnectionTester::phaseStarted);
        QSignalSpy done(&tester, &ConnectionTester::finished);
        tester.start();
        const auto reached = [&] {
            for (const QList<QVariant>& args : std::as_const(started)) {
                if (args.at(1).value<Phase>() == phase)
                    return true;
            }
            return false;
        };
        QTRY_VERIFY_WITH_TIMEOUT(reached(), 5000);
        QTest::qWait(300); // the server is now silent in this phase
        QVERIFY(tester.isRunning());
        QCOMPARE(done.count(), 0);
        QElapsedTimer clock;
        clock.start();
        tester.cancel();
        QVERIFY(done.count() == 1 || done.wait(500));
        QVERIFY2(clock.elapsed() < 500, qPrintable(u"cancel took %1 ms"_s.arg(clock.elapsed())));
        QVERIFY(!tester.isRunning());
        const ConnectionReport r = tester.report();
        QVERIFY(r.canceled);
        QVERIFY(!r.success);
        QVERIFY(!r.attempts.isEmpty());
        const AttemptReport& a = r.attempts.last();
        QVERIFY(!a.phases.isEmpty());
        QCOMPARE(a.phases.last().phase, phase);
        QVERIFY(!a.phases.last().ok);
        QVERIFY(a.error.has_value());
        QCOMPARE(a.error->code, u"session.canceled"_s);
        if (!stalled)
            QVERIFY2(server.waitForClientClose(0, 2000), "the engine did not close its socket");
        tester.cancel(); // a second cancel is harmless
        QTest::qWait(200);
        QCOMPARE(done.count(), 1);
    }

    // connect_timeout is libpq's budget for the whole address, not per phase: a server that answers
    // each phase just in time still ends at connect_timeout, whatever phaseTimeoutMs is.
    void connectTimeoutBoundsSlowServer_data()
    {
        QTest::addColumn<FakeScript>("script");
        QTest::addRow("silent after S") << FakeScript().expectSslRequest().send("S");
        QTest::addRow("S after 1.5 s, then the handshake dripped")
            << FakeScript().expectSslRequest().pause(1500).send("S").drip(400).startTls(m_tls);
    }

    void connectTimeoutBoundsSlowServer()
    {
        QFETCH(FakeScript, script);
        FakeServer server;
        QVERIFY(server.start({script}));
        const EngineRun run = runEngine(base(server.port()) + u"sslmode=require connect_timeout=2"_s, 60000);
        QVERIFY(run.finished);
        QCOMPARE(run.report.libpqMessage, prefix(server.port()) + u"timeout expired"_s);
        QVERIFY2(run.elapsedMs >= 1950 && run.elapsedMs < 2000 + kSlackMs,
                 qPrintable(u"ended after %1 ms"_s.arg(run.elapsedMs)));
        QVERIFY(server.waitForClientClose(0, 2000));
    }
};

QTEST_GUILESS_MAIN(TestHostileServers)
#include "tst_hostileservers.moc"
