// verifyfull-cli, the real binary, against real PostgreSQL 15 servers: exit codes, libpq's messages on
// stderr (compared with psql's where libpq 15 is installed), the diagnosis, the JSON report (parses,
// no secrets), inspect without authentication, and the chain command's verdicts.

#include "PgServer.h"
#include "TestPki.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace vf::test;
using namespace Qt::StringLiterals;

namespace {

struct CliRun
{
    int exitCode = -1;
    bool finished = false;
    QString out;
    QString err;
    QJsonObject json;
    bool jsonOk = false;
    qint64 elapsedMs = 0;
};

QJsonArray findingsOf(const QJsonObject& json)
{
    if (json.contains(u"diagnosis"))
        return json.value(u"diagnosis").toObject().value(u"findings").toArray();
    return json.value(u"findings").toArray();
}

QStringList findingCodes(const QJsonObject& json)
{
    QStringList codes;
    for (const QJsonValue& f : findingsOf(json))
        codes << f.toObject().value(u"code").toString();
    return codes;
}

QJsonObject findingWithCode(const QJsonObject& json, const QString& code)
{
    for (const QJsonValue& f : findingsOf(json)) {
        if (f.toObject().value(u"code").toString() == code)
            return f.toObject();
    }
    return {};
}

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_home;
    std::unique_ptr<PgServer> m_pg;       // chain leaf + intermediate, asks for client certificates
    std::unique_ptr<PgServer> m_leafOnly; // sends only its own certificate
    std::unique_ptr<PgServer> m_noSsl;    // ssl = off
    TestCert m_root, m_inter, m_server, m_client, m_otherRoot;
    QString m_rootFile, m_otherRootFile, m_serverFile, m_interFile, m_chainFile;
    QStringList m_sanitizerReports;

    QString file(const QString& name, const QByteArray& data, int mode = 0600)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        TestPki::chmod(path, mode);
        return path;
    }

    QString base(const PgServer& pg) const
    {
        return u"host=localhost hostaddr=127.0.0.1 port=%1 dbname=postgres "_s.arg(pg.port());
    }

    QProcessEnvironment environment(const QString& home) const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        for (const QString& key : env.keys()) {
            if (key.startsWith(u"PG"))
                env.remove(key);
        }
        env.remove(u"QT_LOGGING_RULES"_s);
        env.insert(u"HOME"_s, home.isEmpty() ? m_home : home);
        return env;
    }

    CliRun cli(const QStringList& args, const QString& home = {}, int timeoutMs = 60000,
               const QMap<QString, QString>& extraEnv = {})
    {
        QProcess p;
        QProcessEnvironment env = environment(home);
        for (auto it = extraEnv.cbegin(); it != extraEnv.cend(); ++it)
            env.insert(it.key(), it.value());
        p.setProcessEnvironment(env);
        QElapsedTimer timer;
        timer.start();
        p.start(QStringLiteral(VF_CLI_PATH), args);
        CliRun r;
        if (!p.waitForStarted(10000))
            return r;
        p.closeWriteChannel(); // standard input: not a terminal, at end of file
        r.finished = p.waitForFinished(timeoutMs);
        if (!r.finished) {
            p.kill();
            p.waitForFinished();
        }
        r.elapsedMs = timer.elapsed();
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        r.err = QString::fromUtf8(p.readAllStandardError());
        QJsonParseError error{};
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        r.jsonOk = error.error == QJsonParseError::NoError && doc.isObject();
        r.json = doc.object();
        // Under -DVF_SANITIZE=ON the binary reports memory errors, leaks and undefined behaviour here.
        for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"}) {
            if (r.err.contains(QLatin1StringView(marker)))
                m_sanitizerReports << args.join(u' ') + u"\n"_s + r.err;
        }
        if (qEnvironmentVariableIsSet("VF_TEST_VERBOSE"))
            qInfo().noquote() << args.join(u' ') << "\n" << diag(r);
        return r;
    }

    // What psql (libpq 15) prints for the same connection string, without "psql: error: ".
    QString psqlError(const QString& conninfo, const QString& home = {})
    {
        const QString psql = PgServer::binDir() + u"/psql"_s;
        if (!QFileInfo(psql).isExecutable())
            return {};
        QProcess p;
        p.setProcessEnvironment(environment(home));
        p.start(psql, {u"-w"_s, u"-X"_s, u"-c"_s, u"select 1"_s, conninfo});
        p.closeWriteChannel();
        if (!p.waitForFinished(30000))
            return {};
        QString err = QString::fromUtf8(p.readAllStandardError());
        if (err.startsWith(u"psql: error: "))
            err = err.mid(13);
        return err.trimmed();
    }

    static QString diag(const CliRun& r)
    {
        return u"exit %1\n--- stdout\n%2\n--- stderr\n%3"_s.arg(r.exitCode).arg(r.out, r.err);
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!PgServer::available())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
        QVERIFY(QFileInfo(QStringLiteral(VF_CLI_PATH)).isExecutable());
        QVERIFY(m_dir.isValid());
        m_home = m_dir.filePath(u"home"_s);
        QVERIFY(QDir().mkpath(m_home));

        m_root = TestPki::makeCert(TestPki::rootSpec(u"Corp Root 2023"_s));
        m_inter = TestPki::makeCert(TestPki::intermediateSpec(u"Corp Issuing CA"_s), &m_root);
        m_server = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s, u"db.internal"_s}),
                                     &m_inter);
        m_client = TestPki::makeCert(TestPki::clientSpec(u"certuser"_s), &m_root);
        m_otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Corp Root 2019"_s));
        m_rootFile = file(u"root.crt"_s, m_root.pem());
        m_otherRootFile = file(u"other-root.crt"_s, m_otherRoot.pem());
        m_serverFile = file(u"server.crt"_s, m_server.pem());
        m_interFile = file(u"inter.der"_s, m_inter.der()); // the chain command reads DER too
        m_chainFile = file(u"chain.pem"_s, m_server.pem() + m_inter.pem());

        const QStringList hba = {u"hostssl all certuser 127.0.0.1/32 cert"_s,
                                 u"hostssl all scramuser 127.0.0.1/32 scram-sha-256"_s,
                                 u"host all md5user 127.0.0.1/32 md5"_s,
                                 u"hostnossl all plainuser 127.0.0.1/32 trust"_s,
                                 u"hostssl all plainuser 127.0.0.1/32 reject"_s,
                                 u"hostssl all sslonly 127.0.0.1/32 trust"_s,
                                 u"hostnossl all nossl 127.0.0.1/32 trust"_s,
                                 u"host all postgres 127.0.0.1/32 trust"_s};
        QString error;
        PgServer::Options o;
        o.serverCertChainPem = m_server.pem() + m_inter.pem();
        o.serverKeyPem = m_server.keyBytes();
        o.clientCaPem = m_root.pem();
        o.hbaLines = hba;
        m_pg = PgServer::start(o, &error);
        QVERIFY2(m_pg, qPrintable(error));
        QString sqlError;
        QVERIFY2(
            !m_pg->psql(u"create role scramuser login password 'scram-pw'; create role certuser login; "
                        u"create role plainuser login; create role sslonly login; create role nossl login; "
                        u"set password_encryption = 'md5'; create role md5user login password 'md5-pw'"_s,
                        &sqlError)
                 .isNull(),
            qPrintable(sqlError));

        PgServer::Options leaf;
        leaf.serverCertChainPem = m_server.pem();
        leaf.serverKeyPem = m_server.keyBytes();
        m_leafOnly = PgServer::start(leaf, &error);
        QVERIFY2(m_leafOnly, qPrintable(error));

        PgServer::Options plain;
        plain.ssl = false;
        m_noSsl = PgServer::start(plain, &error);
        QVERIFY2(m_noSsl, qPrintable(error));
    }

    void cleanup()
    {
        const QStringList reports = m_sanitizerReports;
        m_sanitizerReports.clear();
        QVERIFY2(reports.isEmpty(), qPrintable(reports.join(u"\n\n")));
    }

    void helpAndVersion()
    {
        const CliRun version = cli({u"--version"_s});
        QCOMPARE(version.exitCode, 0);
        QVERIFY2(version.out.startsWith(u"verifyfull-cli "), qPrintable(version.out));
        const CliRun help = cli({u"--help"_s});
        QCOMPARE(help.exitCode, 0);
        QVERIFY(help.out.contains(u"Usage: verifyfull-cli check [--json] [--timeout SECONDS] [CONNINFO]"));
        QVERIFY(help.out.contains(u"Exit status:"));
    }

    void usageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("stderrPart");
        QTest::addRow("no command") << QStringList{} << u"missing command"_s;
        QTest::addRow("unknown command") << QStringList{u"connect"_s} << u"unknown command \"connect\""_s;
        QTest::addRow("unknown option") << QStringList{u"check"_s, u"--frobnicate"_s} << u"frobnicate"_s;
        QTest::addRow("bad timeout") << QStringList{u"check"_s, u"--timeout"_s, u"soon"_s}
                                     << u"invalid --timeout value \"soon\""_s;
        QTest::addRow("negative timeout") << QStringList{u"check"_s, u"--timeout"_s, u"-1"_s} << u"timeout"_s;
        QTest::addRow("two conninfos")
            << QStringList{u"check"_s, u"host=a"_s, u"port=1"_s} << u"one connection string"_s;
        QTest::addRow("invalid sslmode")
            << QStringList{u"check"_s, u"sslmode=bogus"_s} << u"invalid sslmode value: \"bogus\""_s;
        QTest::addRow("unparsable") << QStringList{u"check"_s, u"host=a nonsense"_s}
                                    << u"missing \"=\" after \"nonsense\" in connection info string"_s;
        QTest::addRow("unknown keyword")
            << QStringList{u"inspect"_s, u"hots=a"_s} << u"invalid connection option \"hots\""_s;
        QTest::addRow("bad uri") << QStringList{u"check"_s, u"postgresql://host/db?bogus=1"_s}
                                 << u"invalid URI query parameter: \"bogus\""_s;
        QTest::addRow("unknown service") << QStringList{u"check"_s, u"service=nosuchservice"_s}
                                         << u"definition of service \"nosuchservice\" not found"_s;
        QTest::addRow("chain without files") << QStringList{u"chain"_s} << u"at least one certificate file"_s;
        QTest::addRow("chain root and system")
            << QStringList{u"chain"_s, u"x.crt"_s, u"--root"_s, u"r.crt"_s, u"--system"_s}
            << u"either --root FILE or --system"_s;
        QTest::addRow("chain missing file")
            << QStringList{u"chain"_s, u"/nonexistent/x.crt"_s} << u"/nonexistent/x.crt"_s;
        QTest::addRow("chain garbage file") << QStringList{u"chain"_s, u"GARBAGE"_s} << u"error"_s;
        QTest::addRow("chain directory") << QStringList{u"chain"_s, u"/tmp"_s} << u"/tmp"_s;
    }

    void usageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, stderrPart);
        if (args.contains(u"GARBAGE"_s))
            args.replace(args.indexOf(u"GARBAGE"_s), file(u"garbage.crt"_s, QByteArray(300, '\x7f')));
        const CliRun r = cli(args);
        QVERIFY2(r.exitCode == 2, qPrintable(diag(r)));
        QVERIFY2(r.err.contains(stderrPart), qPrintable(diag(r)));
    }

    void inputErrorAsJson()
    {
        const CliRun r = cli({u"check"_s, u"--json"_s, u"sslmode=bogus password=hunter2"_s});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.jsonOk, qPrintable(diag(r)));
        QCOMPARE(r.json.value(u"schemaVersion").toInt(), 1);
        QCOMPARE(r.json.value(u"inputError").toObject().value(u"message").toString(),
                 u"invalid sslmode value: \"bogus\""_s);
        QVERIFY(!r.out.contains(u"hunter2"));
        QVERIFY(!r.err.contains(u"hunter2"));
    }

    void successVerifyFull()
    {
        const QString conninfo =
            base(*m_pg) + u"user=scramuser password=scram-pw sslmode=verify-full sslrootcert="_s + m_rootFile;
        const CliRun r = cli({u"check"_s, conninfo});
        QVERIFY2(r.exitCode == 0, qPrintable(diag(r)));
        QVERIFY2(r.err.isEmpty(), qPrintable(diag(r)));
        QVERIFY2(r.out.contains(u"Connected to localhost (127.0.0.1) port"), qPrintable(r.out));
        QVERIFY(r.out.contains(u"TLS handshake"));
        QVERIFY(r.out.contains(u"TLSv1.3"));
        QVERIFY(r.out.contains(u"Corp Issuing CA"));
        QVERIFY(r.out.contains(u"SCRAM-SHA-256-PLUS (channel binding)"));
        QVERIFY(r.out.contains(u"The server proved its identity"));
        QVERIFY(!r.out.contains(u"scram-pw"));
    }

    void successJson()
    {
        const QString conninfo =
            base(*m_pg) +
            u"user=scramuser password=scram-pw sslmode=verify-full sslpassword=keypass-secret "
            u"sslrootcert="_s +
            m_rootFile;
        const CliRun r = cli({u"check"_s, u"--json"_s, conninfo});
        QVERIFY2(r.exitCode == 0, qPrintable(diag(r)));
        QVERIFY2(r.jsonOk, qPrintable(r.out));
        const QJsonObject& j = r.json;
        QCOMPARE(j.value(u"schemaVersion").toInt(), 1);
        QCOMPARE(j.value(u"command").toString(), u"check"_s);
        QVERIFY(j.value(u"success").toBool());
        QCOMPARE(j.value(u"diagnosis").toObject().value(u"verdict").toString(), u"connected"_s);
        const QJsonObject a = j.value(u"attempts").toArray().first().toObject();
        QCOMPARE(a.value(u"authMethod").toString(), u"SCRAM-SHA-256-PLUS"_s);
        QVERIFY(a.value(u"channelBinding").toBool());
        QCOMPARE(a.value(u"tls").toObject().value(u"presentedChain").toArray().size(), 2);
        QCOMPARE(a.value(u"server").toObject().value(u"currentUser").toString(), u"scramuser"_s);
        QCOMPARE(a.value(u"hostName").toObject().value(u"outcome").toString(), u"matched"_s);
        QVERIFY(a.value(u"chainVerification").toObject().value(u"ok").toBool());
        // Secrets never leave the process.
        QVERIFY(!r.out.contains(u"scram-pw"));
        QVERIFY(!r.out.contains(u"keypass-secret"));
        QVERIFY(!r.err.contains(u"scram-pw"));
        bool sawPassword = false;
        for (const QJsonValue& v : j.value(u"settings").toObject().value(u"values").toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(u"keyword").toString() == u"password") {
                sawPassword = true;
                QCOMPARE(o.value(u"value").toString(), u"********"_s);
                QVERIFY(o.value(u"secret").toBool());
            }
        }
        QVERIFY(sawPassword);
        QVERIFY(!j.value(u"conninfo").toString().contains(u"password"));
    }

    // Failures: exit 1, libpq's message on stderr (as psql prints it), then the diagnosis.
    void failures_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QString>("libpqMessage"); // must appear on stderr
        QTest::addColumn<QString>("findingCode");
        QTest::addColumn<QStringList>("diagnosisParts"); // must appear in the stderr diagnosis
        QTest::addColumn<bool>("comparePsql");

        const QString pg = base(*m_pg);
        QTest::addRow("host name mismatch")
            << u"host=127.0.0.2 hostaddr=127.0.0.1 port=%1 user=postgres sslmode=verify-full sslrootcert=%2"_s
                   .arg(m_pg->port())
                   .arg(m_rootFile)
            << u"server certificate for \"localhost\" (and 2 other names) does not match host name \"127.0.0.2\""_s
            << u"hostname-mismatch"_s
            << QStringList{u"The server certificate names localhost and db.internal; you connected to 127.0.0.2."_s,
                           u"Connect with one of those names"_s,
                           u"have the certificate reissued with this name"_s}
            << true;
        QTest::addRow("wrong root") << pg + u"user=postgres sslmode=verify-ca sslrootcert="_s +
                                           m_otherRootFile
                                    << u"SSL error: certificate verify failed"_s << u"chain-unknown-root"_s
                                    << QStringList{u"holds \"Corp Root 2019\", but the server's chain ends "
                                                   u"at \"Corp Issuing CA\", which was "
                                                   u"issued by \"Corp Root 2023\": add that root."_s,
                                                   u"Add the root certificate \"Corp Root 2023\""_s}
                                    << true;
        QTest::addRow("missing intermediate")
            << base(*m_leafOnly) + u"user=postgres sslmode=verify-full sslrootcert="_s + m_rootFile
            << u"SSL error: certificate verify failed"_s << u"chain-missing-intermediate"_s
            << QStringList{u"The server did not send the intermediate \"Corp Issuing CA\""_s,
                           u"configure ssl_cert_file with the full chain"_s,
                           u"Or add the intermediate \"Corp Issuing CA\" to your root file"_s}
            << true;
        QTest::addRow("root file missing")
            << pg + u"user=postgres sslmode=verify-full sslrootcert=/nonexistent/root.crt"_s
            << u"root certificate file \"/nonexistent/root.crt\" does not exist"_s << u"root-file-missing"_s
            << QStringList{u"sslrootcert=system"_s} << false; // PG15's hint line differs (PG16+ wording)
        QTest::addRow("default root file missing")
            << pg + u"user=postgres sslmode=verify-ca"_s
            << u"root certificate file \"%1/.postgresql/root.crt\" does not exist"_s.arg(m_home)
            << u"root-file-missing"_s
            << QStringList{u"sslrootcert is not set, so libpq uses its default file ~/.postgresql/root.crt"_s}
            << false;
        QTest::addRow("no ssl on server") << base(*m_noSsl) + u"user=postgres sslmode=require"_s
                                          << u"server does not support SSL, but SSL was required"_s
                                          << u"server-no-ssl"_s << QStringList{u"set ssl = on"_s} << true;
        QTest::addRow("wrong password")
            << pg + u"user=scramuser password=wrong sslmode=require"_s
            << u"password authentication failed for user \"scramuser\""_s << u"password-failed"_s
            << QStringList{u"The server refused the password for user \"scramuser\"."_s,
                           u"password is set (typed)"_s}
            << true;
        QTest::addRow("no hba entry, no encryption")
            << pg + u"user=sslonly sslmode=disable"_s
            << u"no pg_hba.conf entry for host \"127.0.0.1\", user \"sslonly\", database \"postgres\", no encryption"_s
            << u"no-hba-entry-without-encryption"_s << QStringList{u"Use TLS: sslmode=verify-full"_s} << true;
        QTest::addRow("no hba entry, ssl")
            << pg + u"user=nossl sslmode=require"_s
            << u"no pg_hba.conf entry for host \"127.0.0.1\", user \"nossl\", database \"postgres\", SSL encryption"_s
            << u"no-hba-entry"_s << QStringList{u"hostssl postgres nossl 127.0.0.1/32 scram-sha-256"_s}
            << true;
        QTest::addRow("no database")
            << u"host=localhost hostaddr=127.0.0.1 port=%1 user=postgres dbname=nosuchdb sslmode=require"_s
                   .arg(m_pg->port())
            << u"database \"nosuchdb\" does not exist"_s << u"database-missing"_s
            << QStringList{u"dbname=nosuchdb (typed)"_s} << true;
        QTest::addRow("channel binding with md5")
            << pg + u"user=md5user password=md5-pw sslmode=require channel_binding=require"_s
            << u"channel binding required but not supported by server's authentication request"_s
            << u"channel-binding-unavailable"_s << QStringList{u"password_encryption = scram-sha-256"_s}
            << true;
        QTest::addRow("refused")
            << u"host=127.0.0.1 port=1 user=postgres sslmode=require"_s
            << u"connection to server at \"127.0.0.1\", port 1 failed: Connection refused"_s
            << u"connection-refused"_s << QStringList{u"Nothing accepted the connection"_s} << true;
        QTest::addRow("sslcertmode require without certificate")
            << pg + u"user=postgres sslmode=require sslcertmode=require"_s
            << u"server accepted connection without a valid SSL certificate"_s << u"sslcertmode-not-sent"_s
            << QStringList{u"Set sslcert and sslkey"_s} << false; // sslcertmode is PG16+
    }

    void failures()
    {
        QFETCH(QString, conninfo);
        QFETCH(QString, libpqMessage);
        QFETCH(QString, findingCode);
        QFETCH(QStringList, diagnosisParts);
        QFETCH(bool, comparePsql);

        const CliRun r = cli({u"check"_s, conninfo});
        QVERIFY2(r.exitCode == 1, qPrintable(diag(r)));
        QVERIFY2(r.err.startsWith(u"verifyfull-cli: error: connection to server "), qPrintable(diag(r)));
        QVERIFY2(r.err.contains(libpqMessage), qPrintable(diag(r)));
        QVERIFY2(r.err.contains(u"Diagnosis:"), qPrintable(diag(r)));
        for (const QString& part : diagnosisParts)
            QVERIFY2(r.err.contains(part), qPrintable(u"missing \"%1\"\n"_s.arg(part) + diag(r)));
        // The libpq message comes before the diagnosis.
        QVERIFY(r.err.indexOf(libpqMessage) < r.err.indexOf(u"Diagnosis:"));
        // stdout still has the report (phases), without the diagnosis.
        QVERIFY2(r.out.contains(u"Attempt 1:"), qPrintable(diag(r)));

        const CliRun j = cli({u"check"_s, u"--json"_s, conninfo});
        QCOMPARE(j.exitCode, 1);
        QVERIFY2(j.jsonOk, qPrintable(j.out));
        QVERIFY(!j.json.value(u"success").toBool());
        QVERIFY2(j.json.value(u"libpqMessage").toString().contains(libpqMessage), qPrintable(j.out));
        QVERIFY2(findingCodes(j.json).contains(findingCode), qPrintable(findingCodes(j.json).join(u", ")));
        QCOMPARE(findingWithCode(j.json, findingCode).value(u"severity").toString(), u"error"_s);
        QVERIFY(!j.out.contains(u"scram-pw"));

        if (comparePsql) {
            const QString psql = psqlError(conninfo);
            if (psql.isEmpty())
                QSKIP("psql (libpq 15) is not installed");
            const QString firstLine = psql.section(u'\n', 0, 0);
            QVERIFY2(r.err.contains(firstLine), qPrintable(u"psql: "_s + psql + u"\n"_s + diag(r)));
        }
    }

    void dnsFailure()
    {
        const QString conninfo = u"host=nonexistent.invalid user=postgres sslmode=require"_s;
        const CliRun r = cli({u"check"_s, u"--timeout"_s, u"10"_s, conninfo});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"could not translate host name \"nonexistent.invalid\" to address"),
                 qPrintable(diag(r)));
        QVERIFY2(r.err.contains(u"does not resolve"), qPrintable(diag(r)));
        const QString psql = psqlError(conninfo);
        if (psql.isEmpty())
            QSKIP("psql (libpq 15) is not installed");
        // libpq prints the name-lookup failure without the "connection to server at …" prefix.
        QVERIFY2(r.err.startsWith(u"verifyfull-cli: error: "_s + psql.section(u'\n', 0, 0)),
                 qPrintable(u"psql: "_s + psql + u"\n"_s + diag(r)));
    }

    void keyPermissions()
    {
        const QString cert = file(u"perm-client.crt"_s, m_client.pem());
        const QString key = file(u"perm-client.key"_s, m_client.keyBytes(), 0644);
        const QString conninfo = base(*m_pg) + u"user=certuser sslmode=verify-full sslrootcert="_s +
                                 m_rootFile + u" sslcert="_s + cert + u" sslkey="_s + key;
        const CliRun r = cli({u"check"_s, conninfo});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(
                     u"private key file \"%1\" has group or world access; file must have permissions "
                     u"u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) "
                     u"or less if owned by root"_s.arg(key)),
                 qPrintable(diag(r)));
        QVERIFY2(r.err.contains(u"chmod 0600 "_s + key), qPrintable(diag(r)));
        QVERIFY2(r.err.contains(u"(mode 0644)"), qPrintable(diag(r)));
        const QString psql = psqlError(conninfo);
        if (!psql.isEmpty())
            QVERIFY2(r.err.contains(psql.section(u'\n', 0, 0)), qPrintable(psql));
    }

    void clientCertificateWithPassphrase()
    {
        const QString cert = file(u"enc-client.crt"_s, m_client.pem());
        const QString key = file(u"enc-client.key"_s, m_client.keyBytes(KeyFormat::Pkcs8Pem, "open-sesame"));
        const QString conninfo = base(*m_pg) + u"user=certuser sslmode=verify-full sslrootcert="_s +
                                 m_rootFile + u" sslcert="_s + cert + u" sslkey="_s + key;
        // No sslpassword, standard input not a terminal: fails clearly.
        const CliRun noTty = cli({u"check"_s, conninfo});
        QCOMPARE(noTty.exitCode, 1);
        QVERIFY2(noTty.err.contains(u"could not load private key file \"%1\""_s.arg(key)),
                 qPrintable(diag(noTty)));
        QVERIFY2(noTty.err.contains(u"standard input is not a terminal"), qPrintable(diag(noTty)));
        QVERIFY2(noTty.err.contains(u"is encrypted"), qPrintable(diag(noTty)));
        // A wrong sslpassword.
        const CliRun wrong = cli({u"check"_s, u"--json"_s, conninfo + u" sslpassword=not-it"_s});
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY(findingCodes(wrong.json).contains(u"key-passphrase"_s));
        QVERIFY2(wrong.err.contains(u"The passphrase in sslpassword does not open"), qPrintable(diag(wrong)));
        QVERIFY(!wrong.out.contains(u"not-it"));
        QVERIFY(!wrong.err.contains(u"not-it"));
        // The right one: certificate authentication works, and the passphrase is not echoed anywhere.
        const CliRun ok = cli({u"check"_s, u"--json"_s, conninfo + u" sslpassword=open-sesame"_s});
        QVERIFY2(ok.exitCode == 0, qPrintable(diag(ok)));
        QVERIFY(!ok.out.contains(u"open-sesame"));
        const QJsonObject a = ok.json.value(u"attempts").toArray().first().toObject();
        QCOMPARE(a.value(u"server").toObject().value(u"clientDn").toString(), u"/CN=certuser"_s);
        QVERIFY(a.value(u"tls").toObject().value(u"clientCertificateSent").toBool());
    }

    void plaintextFallbackIsWarning()
    {
        const CliRun r = cli({u"check"_s, u"--json"_s, base(*m_pg) + u"user=plainuser sslmode=prefer"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(diag(r)));
        QCOMPARE(r.json.value(u"diagnosis").toObject().value(u"verdict").toString(),
                 u"connected-with-warnings"_s);
        const QJsonObject f = findingWithCode(r.json, u"plaintext-fallback"_s);
        QCOMPARE(f.value(u"severity").toString(), u"warning"_s);
        QVERIFY2(f.value(u"libpqMessage").toString().contains(u"pg_hba.conf rejects connection"),
                 qPrintable(r.out));
        const CliRun text = cli({u"check"_s, base(*m_pg) + u"user=plainuser sslmode=prefer"_s});
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains(u"WITHOUT encryption"), qPrintable(text.out));
    }

    void requireBehavesAsVerifyCa()
    {
        const QString home = m_dir.filePath(u"home-with-root"_s);
        QVERIFY(QDir().mkpath(home + u"/.postgresql"_s));
        QVERIFY(TestPki::writeFile(home + u"/.postgresql/root.crt"_s, m_root.pem()));
        const CliRun r =
            cli({u"check"_s, u"--json"_s, base(*m_pg) + u"user=postgres sslmode=require"_s}, home);
        QVERIFY2(r.exitCode == 0, qPrintable(diag(r)));
        const QJsonObject f = findingWithCode(r.json, u"require-behaves-as-verify-ca"_s);
        QVERIFY2(
            f.value(u"summary")
                .toString()
                .contains(u"Your sslmode=require behaves as verify-ca because ~/.postgresql/root.crt exists"),
            qPrintable(r.out));
        QVERIFY(f.value(u"evidence")
                    .toArray()
                    .contains(QJsonValue(
                        u"sslrootcert is not set, so libpq uses its default file ~/.postgresql/root.crt"_s)));
        QCOMPARE(r.json.value(u"security").toObject().value(u"behavesAs").toString(), u"verify-ca"_s);
    }

    void requireWithoutRootWarns()
    {
        const CliRun r = cli({u"check"_s, u"--json"_s, base(*m_pg) + u"user=postgres sslmode=require"_s});
        QVERIFY2(r.exitCode == 0, qPrintable(diag(r)));
        const QJsonObject f = findingWithCode(r.json, u"identity-not-checked"_s);
        QCOMPARE(f.value(u"severity").toString(), u"warning"_s);
        QVERIFY(
            !r.json.value(u"attempts").toArray().first().toObject().value(u"chainVerifiedByLibpq").toBool());
    }

    void revokedAndMissingCrl()
    {
        const QString crlAll =
            file(u"all.crl"_s, TestPki::crlPem(m_inter, {m_server}) + TestPki::crlPem(m_root, {}));
        const CliRun revoked = cli({u"check"_s, u"--json"_s,
                                    base(*m_pg) + u"user=postgres sslmode=verify-full sslrootcert="_s +
                                        m_rootFile + u" sslcrl="_s + crlAll});
        QCOMPARE(revoked.exitCode, 1);
        QVERIFY2(revoked.err.contains(u"SSL error: certificate verify failed"), qPrintable(diag(revoked)));
        QVERIFY2(findingCodes(revoked.json).contains(u"certificate-revoked"_s), qPrintable(revoked.out));
        QCOMPARE(findingWithCode(revoked.json, u"certificate-revoked"_s).value(u"certificateDepth").toInt(),
                 0);

        const QString crlInterOnly = file(u"inter.crl"_s, TestPki::crlPem(m_inter, {}));
        const CliRun missing =
            cli({u"check"_s, base(*m_pg) + u"user=postgres sslmode=verify-full sslrootcert="_s + m_rootFile +
                                 u" sslcrl="_s + crlInterOnly});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains(u"unable to get certificate CRL"), qPrintable(diag(missing)));
        QVERIFY2(missing.err.contains(u"no CRL from \"Corp Root 2023\""), qPrintable(diag(missing)));
    }

    void inspectWithoutAuthentication()
    {
        // No password: a check would fail; inspect never authenticates.
        const QString conninfo = base(*m_pg) + u"user=scramuser sslmode=require"_s;
        const CliRun r = cli({u"inspect"_s, conninfo});
        QVERIFY2(r.exitCode == 0, qPrintable(diag(r)));
        QVERIFY(r.out.contains(u"Corp Issuing CA"));
        QVERIFY(r.out.contains(u"SHA-256"));
        QVERIFY(!r.out.contains(u"Authentication:"));
        const CliRun j = cli({u"inspect"_s, u"--json"_s, conninfo});
        QCOMPARE(j.exitCode, 0);
        QCOMPARE(j.json.value(u"command").toString(), u"inspect"_s);
        const QJsonObject a = j.json.value(u"attempts").toArray().first().toObject();
        QVERIFY(a.value(u"authMethod").isNull());
        QCOMPARE(a.value(u"tls").toObject().value(u"presentedChain").toArray().size(), 2);
        for (const QJsonValue& p : a.value(u"phases").toArray()) {
            const QString phase = p.toObject().value(u"phase").toString();
            QVERIFY2(phase != u"authentication" && phase != u"startup", qPrintable(phase));
        }
        QVERIFY(findingCodes(j.json).contains(u"inspect-only"_s));
        // A verify failure still shows the chain the server presented.
        const CliRun bad =
            cli({u"inspect"_s, base(*m_pg) + u"sslmode=verify-ca sslrootcert="_s + m_otherRootFile});
        QCOMPARE(bad.exitCode, 1);
        QVERIFY(bad.out.contains(u"Corp Issuing CA"));
        QVERIFY(bad.err.contains(u"SSL error: certificate verify failed"));
    }

    void timeoutOption()
    {
        QTcpServer silent; // accepts (in the kernel) and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        const CliRun r =
            cli({u"check"_s, u"--timeout"_s, u"1"_s,
                 u"host=127.0.0.1 port=%1 user=postgres sslmode=require"_s.arg(silent.serverPort())},
                {}, 20000);
        QVERIFY2(r.finished, "did not finish");
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"timeout expired"), qPrintable(diag(r)));
        QVERIFY2(r.elapsedMs < 10000, qPrintable(QString::number(r.elapsedMs)));
    }

    // Ctrl-C cancels the check at whatever phase it is in: the report says so, exit status 130, at
    // once (not at the 30 s deadline); --json still prints the report.
    void interruptCancelsCleanly_data()
    {
        QTest::addColumn<bool>("json");
        QTest::addRow("text") << false;
        QTest::addRow("json") << true;
    }

    void interruptCancelsCleanly()
    {
        QFETCH(bool, json);
        QTcpServer silent; // accepts (in the kernel) and never answers
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        QProcess p;
        p.setProcessEnvironment(environment({}));
        QStringList args{u"check"_s, u"--timeout"_s, u"30"_s,
                         u"host=127.0.0.1 port=%1 user=postgres sslmode=require"_s.arg(silent.serverPort())};
        if (json)
            args.insert(1, u"--json"_s);
        p.start(QStringLiteral(VF_CLI_PATH), args);
        QVERIFY(p.waitForStarted(10000));
        p.closeWriteChannel();
        QTest::qWait(700); // inside the SSL negotiation phase, waiting for the server's answer
        QElapsedTimer timer;
        timer.start();
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY2(p.waitForFinished(10000), "did not stop after SIGINT");
        const qint64 ms = timer.elapsed();
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY2(err.contains(u"interrupted: the check was canceled"), qPrintable(err));
        QVERIFY2(ms < 3000, qPrintable(QString::number(ms)));
        if (json) {
            const QJsonObject report = QJsonDocument::fromJson(out.toUtf8()).object();
            QVERIFY2(!report.isEmpty(), qPrintable(out));
            QVERIFY2(out.contains(u"\"canceled\": true"_s) || out.contains(u"\"canceled\":true"_s),
                     qPrintable(out));
        }
    }

    void environmentIsHonoured()
    {
        const CliRun r = cli({u"check"_s, u"--json"_s}, {}, 60000,
                             {{u"PGHOST"_s, u"localhost"_s},
                              {u"PGHOSTADDR"_s, u"127.0.0.1"_s},
                              {u"PGPORT"_s, QString::number(m_pg->port())},
                              {u"PGUSER"_s, u"scramuser"_s},
                              {u"PGDATABASE"_s, u"postgres"_s},
                              {u"PGPASSWORD"_s, u"scram-pw"_s},
                              {u"PGSSLMODE"_s, u"verify-full"_s},
                              {u"PGSSLROOTCERT"_s, m_rootFile}});
        QVERIFY2(r.exitCode == 0, qPrintable(diag(r)));
        QVERIFY(!r.out.contains(u"scram-pw"));
        bool found = false;
        for (const QJsonValue& v : r.json.value(u"settings").toObject().value(u"values").toArray()) {
            const QJsonObject o = v.toObject();
            if (o.value(u"keyword").toString() == u"sslmode") {
                found = true;
                QCOMPARE(o.value(u"origin").toObject().value(u"variable").toString(), u"PGSSLMODE"_s);
            }
        }
        QVERIFY(found);
    }

    void chainCommand_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("outPart");
        QTest::addColumn<QString>("findingCode");

        QTest::addRow("valid with host")
            << QStringList{u"SERVER"_s, u"INTER"_s, u"--root"_s, u"ROOT"_s, u"--host"_s, u"db.internal"_s}
            << 0 << u"Valid for db.internal"_s << QString();
        QTest::addRow("bundle, any order")
            << QStringList{u"INTER"_s, u"CHAIN"_s, u"--root"_s, u"ROOT"_s} << 0 << u"Valid"_s << QString();
        QTest::addRow("missing intermediate")
            << QStringList{u"SERVER"_s, u"--root"_s, u"ROOT"_s} << 1
            << u"did not send the intermediate \"Corp Issuing CA\""_s << u"chain-missing-intermediate"_s;
        QTest::addRow("wrong root") << QStringList{u"CHAIN"_s, u"--root"_s, u"OTHER"_s} << 1
                                    << u"\"Corp Root 2019\""_s << u"chain-unknown-root"_s;
        QTest::addRow("host mismatch")
            << QStringList{u"CHAIN"_s, u"--root"_s, u"ROOT"_s, u"--host"_s, u"db.example.com"_s} << 1
            << u"you connected to db.example.com"_s << u"hostname-mismatch"_s;
        QTest::addRow("not verified")
            << QStringList{u"CHAIN"_s} << 0 << u"not verified"_s << u"chain-not-verified"_s;
        QTest::addRow("revoked") << QStringList{u"CHAIN"_s, u"--root"_s, u"ROOT"_s, u"--crl"_s,
                                                u"CRLREVOKED"_s}
                                 << 1 << u"revoked"_s << u"certificate-revoked"_s;
        QTest::addRow("root file missing") << QStringList{u"CHAIN"_s, u"--root"_s, u"/nonexistent/root.crt"_s}
                                           << 2 << QString() << QString();
    }

    void chainCommand()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, outPart);
        QFETCH(QString, findingCode);
        const QString crlRevoked =
            file(u"chain-revoked.crl"_s, TestPki::crlPem(m_inter, {m_server}) + TestPki::crlPem(m_root, {}));
        for (QString& a : args) {
            if (a == u"SERVER")
                a = m_serverFile;
            else if (a == u"INTER")
                a = m_interFile;
            else if (a == u"CHAIN")
                a = m_chainFile;
            else if (a == u"ROOT")
                a = m_rootFile;
            else if (a == u"OTHER")
                a = m_otherRootFile;
            else if (a == u"CRLREVOKED")
                a = crlRevoked;
        }
        args.prepend(u"chain"_s);
        const CliRun r = cli(args);
        QVERIFY2(r.exitCode == exitCode, qPrintable(diag(r)));
        if (exitCode == 2)
            return;
        QVERIFY2(r.out.contains(outPart, Qt::CaseInsensitive), qPrintable(diag(r)));
        QVERIFY(r.out.contains(u"Corp Issuing CA"));
        if (exitCode == 1)
            QVERIFY2(r.err.startsWith(u"verifyfull-cli: error: "), qPrintable(diag(r)));

        args.append(u"--json"_s);
        const CliRun j = cli(args);
        QCOMPARE(j.exitCode, exitCode);
        QVERIFY2(j.jsonOk, qPrintable(j.out));
        QCOMPARE(j.json.value(u"command").toString(), u"chain"_s);
        QCOMPARE(j.json.value(u"ok").toBool(), exitCode == 0 && findingCode.isEmpty());
        QCOMPARE(j.json.value(u"certificates").toArray().first().toObject().value(u"commonName").toString(),
                 u"localhost"_s);
        if (!findingCode.isEmpty())
            QVERIFY2(findingCodes(j.json).contains(findingCode), qPrintable(j.out));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
