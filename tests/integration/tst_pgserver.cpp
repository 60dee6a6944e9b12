// The PostgreSQL fixture itself: a TLS server from a generated PKI that the real psql (libpq) accepts
// with sslmode=verify-full, refuses for a wrong root, and that is gone after the fixture is destroyed.

#include "PgServer.h"
#include "TestPki.h"

#include <QDir>
#include <QProcess>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace vf::test;

class TestPgServer : public QObject
{
    Q_OBJECT

private:
    struct Psql
    {
        int exitCode = -1;
        QString out;
        QString err;
    };

    static Psql runPsql(const QString& conninfo, const QString& sql)
    {
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& key : env.keys()) {
            if (key.startsWith(u"PG"))
                env.remove(key);
        }
        env.insert(QStringLiteral("HOME"), QDir::tempPath() + u"/vf-no-home");
        p.setProcessEnvironment(env);
        p.start(PgServer::binDir() + u"/psql", {QStringLiteral("-X"), QStringLiteral("-A"),
                                                QStringLiteral("-t"), QStringLiteral("-c"), sql, conninfo});
        Psql r;
        if (!p.waitForFinished(30000))
            return r;
        r.exitCode = p.exitCode();
        r.out = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
        r.err = QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!PgServer::available())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
    }

    void tlsServerVerifiedByLibpq()
    {
        const TestCert root = TestPki::makeCert(TestPki::rootSpec(QStringLiteral("VF Test Root")));
        const TestCert inter =
            TestPki::makeCert(TestPki::intermediateSpec(QStringLiteral("VF Test Issuing CA")), &root);
        const TestCert server = TestPki::makeCert(
            TestPki::serverSpec(QStringLiteral("localhost"), {QStringLiteral("localhost")}), &inter);
        const TestCert otherRoot = TestPki::makeCert(TestPki::rootSpec(QStringLiteral("Someone Else")));

        PgServer::Options options;
        options.serverCertChainPem = server.pem() + inter.pem();
        options.serverKeyPem = server.keyBytes();
        QString error;
        auto pg = PgServer::start(options, &error);
        QVERIFY2(pg, qPrintable(error));

        QTemporaryDir dir;
        QVERIFY(TestPki::writeFile(dir.filePath(QStringLiteral("root.crt")), root.pem()));
        QVERIFY(TestPki::writeFile(dir.filePath(QStringLiteral("other.crt")), otherRoot.pem()));

        const QString base =
            QStringLiteral("host=localhost hostaddr=127.0.0.1 port=%1 user=postgres dbname=postgres ")
                .arg(pg->port());
        const Psql ok =
            runPsql(base + u"sslmode=verify-full sslrootcert=" + dir.filePath(QStringLiteral("root.crt")),
                    QStringLiteral("select ssl from pg_stat_ssl where pid = pg_backend_pid()"));
        QVERIFY2(ok.exitCode == 0, qPrintable(ok.err));
        QCOMPARE(ok.out, QStringLiteral("t"));

        const Psql wrongRoot =
            runPsql(base + u"sslmode=verify-full sslrootcert=" + dir.filePath(QStringLiteral("other.crt")),
                    QStringLiteral("select 1"));
        QCOMPARE(wrongRoot.exitCode, 2);
        QVERIFY2(wrongRoot.err.contains(u"certificate verify failed"), qPrintable(wrongRoot.err));

        const QString dataDir = pg->dataDir();
        const int port = pg->port();
        pg.reset();
        QVERIFY(!QDir(dataDir).exists());
        QTcpSocket probe;
        probe.connectToHost(QHostAddress::LocalHost, quint16(port));
        QVERIFY(!probe.waitForConnected(2000));
    }

    void plaintextServerRefusesSslRequire()
    {
        PgServer::Options options;
        options.ssl = false;
        QString error;
        auto pg = PgServer::start(options, &error);
        QVERIFY2(pg, qPrintable(error));
        const Psql r =
            runPsql(QStringLiteral("host=127.0.0.1 port=%1 user=postgres sslmode=require").arg(pg->port()),
                    QStringLiteral("select 1"));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"server does not support SSL, but SSL was required"), qPrintable(r.err));
        QCOMPARE(pg->psql(QStringLiteral("select 40 + 2")), QStringLiteral("42"));
    }
};

QTEST_GUILESS_MAIN(TestPgServer)
#include "tst_pgserver.moc"
