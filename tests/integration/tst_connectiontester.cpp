// The connection engine against real PostgreSQL 15 servers: verify-full with SCRAM (and channel
// binding), client certificates, verification failures with the chain captured, fallbacks.

#include "PgServer.h"
#include "TestPki.h"
#include "session/ConnectionTester.h"
#include "settings/ConnInfo.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace vf::test;
using namespace vf::session;
using namespace vf::settings;

class TestConnectionTester : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PgServer> m_pg;
    TestCert m_root, m_inter, m_server, m_client, m_otherRoot;

    QString file(const QString& name, const QByteArray& data, int mode = 0600)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        TestPki::chmod(path, mode);
        return path;
    }

    ConnectionReport run(const QString& conninfo, CheckOptions options = {})
    {
        Environment env;
        env.setVariable(QStringLiteral("HOME"), m_dir.filePath(QStringLiteral("home")));
        auto info = ConnInfo::parse(conninfo);
        if (!info) {
            qWarning() << info.error().message;
            return {};
        }
        auto settings = SettingsResolver(env).resolve(*info);
        if (!settings) {
            qWarning() << settings.error().message;
            return {};
        }
        auto validated = OptionValidator::validate(*settings);
        if (!validated) {
            qWarning() << validated.error().message;
            return {};
        }
        ConnectionTester tester(*settings, *validated, options, nullptr);
        QSignalSpy done(&tester, &ConnectionTester::finished);
        tester.start();
        if (!done.wait(20000))
            qWarning("the check did not finish");
        return tester.report();
    }

    QString base() const
    {
        return QStringLiteral("host=localhost hostaddr=127.0.0.1 port=%1 dbname=postgres ").arg(m_pg->port());
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!PgServer::available())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
        QVERIFY(m_dir.isValid());
        m_root = TestPki::makeCert(TestPki::rootSpec(QStringLiteral("Corp Root 2023")));
        m_inter = TestPki::makeCert(TestPki::intermediateSpec(QStringLiteral("Corp Issuing CA")), &m_root);
        m_server = TestPki::makeCert(
            TestPki::serverSpec(QStringLiteral("localhost"), {QStringLiteral("localhost")}), &m_inter);
        m_client = TestPki::makeCert(TestPki::clientSpec(QStringLiteral("certuser")), &m_root);
        m_otherRoot = TestPki::makeCert(TestPki::rootSpec(QStringLiteral("Corp Root 2019")));
        PgServer::Options o;
        o.serverCertChainPem = m_server.pem() + m_inter.pem();
        o.serverKeyPem = m_server.keyBytes();
        o.clientCaPem = m_root.pem();
        o.hbaLines = {QStringLiteral("hostssl all certuser 127.0.0.1/32 cert"),
                      QStringLiteral("hostssl all scramuser 127.0.0.1/32 scram-sha-256"),
                      QStringLiteral("host all md5user 127.0.0.1/32 md5"),
                      QStringLiteral("hostnossl all plainuser 127.0.0.1/32 trust"),
                      QStringLiteral("hostssl all plainuser 127.0.0.1/32 reject"),
                      QStringLiteral("host all all 127.0.0.1/32 trust")};
        QString error;
        m_pg = PgServer::start(o, &error);
        QVERIFY2(m_pg, qPrintable(error));
        QString sqlError;
        QVERIFY2(
            !m_pg->psql(QStringLiteral(
                            "create role scramuser login password 'scram-pw'; "
                            "create role certuser login; create role plainuser login; "
                            "set password_encryption = 'md5'; create role md5user login password 'md5-pw'"),
                        &sqlError)
                 .isNull(),
            qPrintable(sqlError));
        QDir().mkpath(m_dir.filePath(QStringLiteral("home")));
    }

    void verifyFullScramWithChannelBinding()
    {
        const QString root = file(QStringLiteral("root.crt"), m_root.pem());
        const ConnectionReport r =
            run(base() + u"user=scramuser password=scram-pw sslmode=verify-full sslrootcert=" + root);
        QVERIFY2(r.success, qPrintable(r.libpqMessage));
        QCOMPARE(r.attempts.size(), 1);
        const AttemptReport& a = r.attempts.first();
        QCOMPARE(a.authMethod, QStringLiteral("SCRAM-SHA-256-PLUS"));
        QVERIFY(a.channelBound);
        QVERIFY(a.server.sslInUse);
        QCOMPARE(a.server.currentUser, QStringLiteral("scramuser"));
        QVERIFY(a.server.version.startsWith(u"PostgreSQL 15"));
        QVERIFY(a.tls.has_value());
        QCOMPARE(a.tls->protocol, QStringLiteral("TLSv1.3"));
        QCOMPARE(a.tls->presentedChain.size(), 2);
        QVERIFY(a.hostName && a.hostName->isMatched());
        QList<Phase> phases;
        for (const PhaseTiming& t : a.phases)
            phases << t.phase;
        QCOMPARE(phases,
                 (QList<Phase>{Phase::TcpConnect, Phase::SslNegotiation, Phase::TlsHandshake, Phase::Startup,
                               Phase::Authentication, Phase::Query, Phase::Terminate}));
    }

    void wrongPasswordIsServerError()
    {
        const QString root = file(QStringLiteral("root.crt"), m_root.pem());
        const ConnectionReport r =
            run(base() + u"user=scramuser password=nope sslmode=verify-full sslrootcert=" + root);
        QVERIFY(!r.success);
        QVERIFY2(r.libpqMessage.contains(u"password authentication failed for user \"scramuser\""),
                 qPrintable(r.libpqMessage));
        QVERIFY2(r.libpqMessage.startsWith(u"connection to server at \"127.0.0.1\", port "),
                 qPrintable(r.libpqMessage));
    }

    void clientCertificateAuth()
    {
        const QString root = file(QStringLiteral("root.crt"), m_root.pem());
        const QString cert = file(QStringLiteral("client.crt"), m_client.pem());
        const QString key = file(QStringLiteral("client.key"), m_client.keyBytes());
        const ConnectionReport r = run(base() + u"user=certuser sslmode=verify-full sslrootcert=" + root +
                                       u" sslcert=" + cert + u" sslkey=" + key + u" sslcertmode=require");
        QVERIFY2(r.success, qPrintable(r.libpqMessage));
        const AttemptReport& a = r.attempts.first();
        QVERIFY(a.tls->clientCertificateRequested);
        QVERIFY(a.tls->clientCertificateSent);
        QCOMPARE(a.server.clientDn, QStringLiteral("/CN=certuser"));
    }

    void wrongRootCapturesChain()
    {
        const QString other = file(QStringLiteral("other.crt"), m_otherRoot.pem());
        const ConnectionReport r = run(base() + u"user=postgres sslmode=verify-ca sslrootcert=" + other);
        QVERIFY(!r.success);
        QVERIFY2(r.libpqMessage.endsWith(u"SSL error: certificate verify failed"),
                 qPrintable(r.libpqMessage));
        const AttemptReport& a = r.attempts.first();
        QVERIFY(a.tls.has_value());
        QCOMPARE(a.tls->presentedChain.size(), 2);
        QCOMPARE(a.tls->presentedChain.at(1).commonName(), QStringLiteral("Corp Issuing CA"));
    }

    void hostNameMismatch()
    {
        const QString root = file(QStringLiteral("root.crt"), m_root.pem());
        const ConnectionReport r =
            run(QStringLiteral("host=127.0.0.1 port=%1 user=postgres sslmode=verify-full sslrootcert=")
                    .arg(m_pg->port()) +
                root);
        QVERIFY(!r.success);
        // An IP host with no iPAddress SAN: libpq also compares the CN, hence "(and 1 other name)".
        QVERIFY2(r.libpqMessage.endsWith(u"server certificate for \"localhost\" (and 1 other name) does not "
                                         u"match host name \"127.0.0.1\""),
                 qPrintable(r.libpqMessage));
    }

    void preferFallsBackToPlaintextForHostnossl()
    {
        const ConnectionReport r = run(base() + u"user=plainuser sslmode=prefer");
        QVERIFY2(r.success, qPrintable(r.libpqMessage));
        const AttemptReport& a = r.attempts.first();
        QCOMPARE(a.tries.size(), 2);
        QCOMPARE(a.tries.at(0).method, EncryptionMethod::Ssl);
        QVERIFY2(a.tries.at(0).failure.contains(u"pg_hba.conf rejects connection"),
                 qPrintable(a.tries.at(0).failure));
        QCOMPARE(a.tries.at(1).method, EncryptionMethod::Plaintext);
        QVERIFY(!a.server.sslInUse);
    }

    void md5OverTls()
    {
        const ConnectionReport r = run(base() + u"user=md5user password=md5-pw sslmode=require");
        QVERIFY2(r.success, qPrintable(r.libpqMessage));
        QCOMPARE(r.attempts.first().authMethod, QStringLiteral("md5"));
    }

    void channelBindingRequiredRejectsMd5()
    {
        const ConnectionReport r =
            run(base() + u"user=md5user password=md5-pw sslmode=require channel_binding=require");
        QVERIFY(!r.success);
        QVERIFY2(r.libpqMessage.endsWith(
                     u"channel binding required but not supported by server's authentication request"),
                 qPrintable(r.libpqMessage));
    }

    void refusedPortTriesNextHost()
    {
        const ConnectionReport r =
            run(QStringLiteral("host=127.0.0.1,127.0.0.1 port=1,%1 user=postgres sslmode=require")
                    .arg(m_pg->port()));
        QVERIFY2(r.success, qPrintable(r.libpqMessage));
        QCOMPARE(r.attempts.size(), 2);
        QVERIFY(r.attempts.first().error->message.startsWith(u"Connection refused"));
    }
};

QTEST_GUILESS_MAIN(TestConnectionTester)
#include "tst_connectiontester.moc"
