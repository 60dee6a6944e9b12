// Exports against the real libpq: a PostgreSQL 15 server with TLS (a root, an intermediate, a server
// certificate for localhost), a client certificate plus SCRAM (clientcert=verify-full), and every
// exported keyword/value string, URI, service section (through PGSERVICEFILE), psql command line (run by
// sh) and .pgpass line is given to /usr/lib/postgresql/15/bin/psql, which must connect and run a query.
// Files live in a directory whose name has quotes, spaces and "$"; the password has ":", "\", quotes
// and "$" in it; application_name is hostile. The snippets for other drivers are syntax-checked with
// python3 and node when installed, and the PKCS#8 key is re-read by openssl.

#include "PgServer.h"
#include "TestPki.h"
#include "interop/Exporter.h"
#include "interop/PgPassWriter.h"
#include "interop/Pkcs8Converter.h"
#include "settings/ConnInfo.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

using namespace Qt::StringLiterals;
using namespace vf::interop;
using namespace vf::test;
using vf::settings::ConnInfo;

namespace {

constexpr char kQuery[] =
    "SELECT current_user || ' ' || ssl::text FROM pg_stat_ssl WHERE pid = pg_backend_pid()";

struct Outcome
{
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TestInteropPsql : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_files; // the hostile directory
    std::unique_ptr<PgServer> m_pg;
    TestCert m_root, m_inter, m_server, m_client;
    QString m_rootPath, m_certPath, m_keyPath, m_encryptedKeyPath;

    static QString password() { return u"p@ss:w\\rd 'x' \"y\" $z #1"_s; }
    static QByteArray keyPassphrase() { return "key 'pass' $x"; }

    QString psqlBin() const { return PgServer::binDir() + u"/psql"_s; }

    // A clean environment: no PG* variables of ours leak in, HOME is empty, PATH finds psql 15.
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env;
        env.insert(u"HOME"_s, m_dir.filePath(u"home"_s));
        env.insert(u"PATH"_s, PgServer::binDir() + u":/usr/bin:/bin"_s);
        env.insert(u"LC_ALL"_s, u"C.UTF-8"_s);
        env.insert(u"PGCONNECT_TIMEOUT"_s, u"10"_s);
        return env;
    }

    Outcome runProcess(const QString& program, const QStringList& args, const QProcessEnvironment& env) const
    {
        QProcess p;
        p.setProcessEnvironment(env);
        p.setWorkingDirectory(m_dir.path());
        p.start(program, args);
        Outcome o;
        if (!p.waitForStarted(10000))
            return o;
        p.closeWriteChannel();
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            o.err = u"timed out"_s;
            return o;
        }
        o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        o.out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        o.err = QString::fromUtf8(p.readAllStandardError()).trimmed();
        return o;
    }

    // psql with a connection string argument (-w: never prompt for a password).
    Outcome psql(const QByteArray& conninfo, const QProcessEnvironment& env) const
    {
        return runProcess(psqlBin(),
                          {u"-X"_s, u"-A"_s, u"-t"_s, u"-w"_s, u"-c"_s, QString::fromLatin1(kQuery),
                           QString::fromUtf8(conninfo)},
                          env);
    }

    ConnInfo profile(const QString& user, const QString& sslmode, bool clientCert,
                     bool encryptedKey = false) const
    {
        ConnInfo c;
        c.setValue(u"host"_s, u"localhost"_s);
        c.setValue(u"hostaddr"_s, u"127.0.0.1"_s);
        c.setValue(u"port"_s, QString::number(m_pg->port()));
        c.setValue(u"dbname"_s, u"postgres"_s);
        c.setValue(u"user"_s, user);
        c.setValue(u"password"_s, password());
        c.setValue(u"sslmode"_s, sslmode);
        c.setValue(u"sslrootcert"_s, m_rootPath);
        c.setValue(u"application_name"_s, u"it's \"export\" test $HOME `id` \\ ;&| é"_s);
        c.setValue(u"connect_timeout"_s, u"10"_s);
        if (clientCert) {
            c.setValue(u"sslcert"_s, m_certPath);
            c.setValue(u"sslkey"_s, encryptedKey ? m_encryptedKeyPath : m_keyPath);
            if (encryptedKey)
                c.setValue(u"sslpassword"_s, QString::fromUtf8(keyPassphrase()));
        }
        return c;
    }

    QByteArray exported(const ConnInfo& info, ExportFormat format, bool secrets,
                        const QString& service = {}) const
    {
        const auto r = Exporter::exportAs(info, format, {secrets, service});
        if (!r) {
            qWarning() << "export failed:" << r.error().message << r.error().explanation;
            return {};
        }
        return r->bytes;
    }

    QString expectedOutput(const QString& user) const { return user + u" true"_s; }

private Q_SLOTS:
    void initTestCase()
    {
        if (!PgServer::available())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir().mkpath(m_dir.filePath(u"home"_s)));
        m_files = m_dir.filePath(u"dir with 'quotes' \"and\" $HOME `x`"_s);
        QVERIFY(QDir().mkpath(m_files));

        m_root = TestPki::makeCert(TestPki::rootSpec(u"Interop Root"_s));
        m_inter = TestPki::makeCert(TestPki::intermediateSpec(u"Interop Issuing CA"_s), &m_root);
        m_server = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &m_inter);
        m_client = TestPki::makeCert(TestPki::clientSpec(u"certscram"_s), &m_root);
        m_rootPath = m_files + u"/root.crt"_s;
        m_certPath = m_files + u"/client.crt"_s;
        m_keyPath = m_files + u"/client.key"_s;
        m_encryptedKeyPath = m_files + u"/client-encrypted.key"_s;
        QVERIFY(TestPki::writeFile(m_rootPath, m_root.pem()));
        QVERIFY(TestPki::writeFile(m_certPath, m_client.pem()));
        QVERIFY(TestPki::writeFile(m_keyPath, m_client.keyBytes()));
        QVERIFY(
            TestPki::writeFile(m_encryptedKeyPath, m_client.keyBytes(KeyFormat::Pkcs8Pem, keyPassphrase())));

        PgServer::Options o;
        o.serverCertChainPem = m_server.pem() + m_inter.pem();
        o.serverKeyPem = m_server.keyBytes();
        o.clientCaPem = m_root.pem();
        o.hbaLines = {u"hostssl all certscram 127.0.0.1/32 scram-sha-256 clientcert=verify-full"_s,
                      u"hostssl all scramuser 127.0.0.1/32 scram-sha-256"_s,
                      u"host all all 127.0.0.1/32 reject"_s};
        QString error;
        m_pg = PgServer::start(o, &error);
        QVERIFY2(m_pg, qPrintable(error));
        QString pw = password();
        pw.replace(u'\'', u"''"_s);
        QString sqlError;
        QVERIFY2(
            !m_pg->psql(
                     u"create role certscram login password '%1'; create role scramuser login password '%1'"_s
                         .arg(pw),
                     &sqlError)
                 .isNull(),
            qPrintable(sqlError));
    }

    void connects_data()
    {
        QTest::addColumn<QString>("user");
        QTest::addColumn<ConnInfo>("info");
        QTest::addRow("verify-full, client certificate and SCRAM")
            << u"certscram"_s << profile(u"certscram"_s, u"verify-full"_s, true);
        QTest::addRow("encrypted client key with sslpassword")
            << u"certscram"_s << profile(u"certscram"_s, u"verify-full"_s, true, true);
        ConnInfo verifyCa = profile(u"scramuser"_s, u"verify-ca"_s, false);
        verifyCa.setValue(u"channel_binding"_s, u"require"_s);
        QTest::addRow("verify-ca, SCRAM with channel binding") << u"scramuser"_s << verifyCa;
        // Two hosts: nothing listens on the first port, libpq moves on to the second.
        ConnInfo multi = profile(u"certscram"_s, u"verify-full"_s, true);
        multi.setValue(u"host"_s, u"localhost,localhost"_s);
        multi.setValue(u"hostaddr"_s, u"127.0.0.1,127.0.0.1"_s);
        multi.setValue(u"port"_s, u"1,%1"_s.arg(m_pg->port()));
        QTest::addRow("multi-host") << u"certscram"_s << multi;
    }

    // Every exported form connects with the real psql 15.
    void connects()
    {
        QFETCH(QString, user);
        QFETCH(ConnInfo, info);
        const QString expected = expectedOutput(user);
        const QProcessEnvironment env = environment();

        // Keyword/value string and URI, with secrets.
        for (ExportFormat format : {ExportFormat::KeywordValue, ExportFormat::Uri}) {
            const QByteArray text = exported(info, format, true);
            QVERIFY(!text.isEmpty());
            const Outcome o = psql(text, env);
            QVERIFY2(o.exitCode == 0 && o.out == expected,
                     qPrintable(Exporter::formatId(format) + u": "_s + o.err + u" / "_s + o.out));
        }

        // Service section through PGSERVICEFILE, named by the argument and by PGSERVICE.
        const QByteArray section = exported(info, ExportFormat::ServiceSection, true, u"exported"_s);
        QVERIFY(!section.isEmpty());
        const QString serviceFile = m_files + u"/pg_service.conf"_s;
        QVERIFY(TestPki::writeFile(serviceFile, "[other]\nport=1\n\n" + section));
        QProcessEnvironment serviceEnv = env;
        serviceEnv.insert(u"PGSERVICEFILE"_s, serviceFile);
        Outcome o = psql("service=exported", serviceEnv);
        QVERIFY2(o.exitCode == 0 && o.out == expected, qPrintable(u"service: "_s + o.err + u" / "_s + o.out));
        serviceEnv.insert(u"PGSERVICE"_s, u"exported"_s);
        o = runProcess(psqlBin(), {u"-XAtw"_s, u"-c"_s, QString::fromLatin1(kQuery)}, serviceEnv);
        QVERIFY2(o.exitCode == 0 && o.out == expected,
                 qPrintable(u"PGSERVICE: "_s + o.err + u" / "_s + o.out));

        // The psql command line, run by sh, with psql's options appended.
        const QByteArray command = exported(info, ExportFormat::PsqlCommand, true);
        QVERIFY(!command.isEmpty());
        o = runProcess(u"/bin/sh"_s,
                       {u"-c"_s, QString::fromUtf8(command) +
                                     u" -X -A -t -w -c \"%1\""_s.arg(QString::fromLatin1(kQuery))},
                       env);
        QVERIFY2(o.exitCode == 0 && o.out == expected,
                 qPrintable(u"psql command: "_s + o.err + u" / "_s + o.out));
        QVERIFY2(!QFile::exists(m_dir.filePath(u"id"_s)), "nothing was executed");

        // Without secrets the password is missing (psql -w fails), and the .pgpass line supplies it.
        const QByteArray noSecrets = exported(info, ExportFormat::KeywordValue, false);
        QVERIFY(!noSecrets.contains("p@ss"));
        ConnInfo keyOnly = *ConnInfo::parseBytes(noSecrets);
        if (info.contains(u"sslpassword"))
            keyOnly.setValue(u"sslpassword"_s,
                             info.value(u"sslpassword").value()); // the key's, not the login's
        const QByteArray withoutPassword = keyOnly.toKeywordValueBytes(true);
        o = psql(withoutPassword, env);
        QVERIFY2(o.exitCode != 0, "connects without the password: the test proves nothing");
        QVERIFY2(o.err.contains(u"password"), qPrintable(o.err));

        const QByteArray lines = exported(info, ExportFormat::PgPass, true);
        QVERIFY(!lines.isEmpty());
        const QString passfile = m_files + u"/pgpass"_s;
        QFile::remove(passfile);
        QList<QByteArray> list = lines.split('\n');
        list.removeAll(QByteArray());
        const auto appended = PgPassWriter::append(passfile, list);
        QVERIFY(appended.has_value());
        QProcessEnvironment passEnv = env;
        passEnv.insert(u"PGPASSFILE"_s, passfile);
        o = psql(withoutPassword, passEnv);
        QVERIFY2(o.exitCode == 0 && o.out == expected,
                 qPrintable(u".pgpass: "_s + o.err + u" / "_s + QString::fromUtf8(lines)));
        // A group-readable password file is ignored by libpq, with its warning.
        QVERIFY(TestPki::chmod(passfile, 0640));
        o = psql(withoutPassword, passEnv);
        QVERIFY(o.exitCode != 0);
        QVERIFY2(o.err.contains(u"has group or world access"), qPrintable(o.err));
    }

    void snippetsParse()
    {
        const ConnInfo info = profile(u"certscram"_s, u"verify-full"_s, true, true);
        const QString python = QStandardPaths::findExecutable(u"python3"_s);
        const QString node = QStandardPaths::findExecutable(u"node"_s);
        if (python.isEmpty() && node.isEmpty())
            QSKIP("neither python3 nor node is installed");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        if (!python.isEmpty()) {
            const QString file = m_dir.filePath(u"connect.py"_s);
            QVERIFY(TestPki::writeFile(file, exported(info, ExportFormat::Psycopg, true)));
            const Outcome o = runProcess(
                python,
                {u"-c"_s, u"import ast, sys; ast.parse(open(sys.argv[1], encoding='utf-8').read())"_s, file},
                env);
            QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        }
        if (!node.isEmpty()) {
            const QString file = m_dir.filePath(u"connect.js"_s);
            QVERIFY(TestPki::writeFile(file, exported(info, ExportFormat::NodePostgres, true)));
            const Outcome o = runProcess(node, {u"--check"_s, file}, env);
            QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        }
    }

    // The JDBC URL names the .pk8 file; the conversion writes it, and openssl reads it as DER.
    void pkcs8ForJdbc()
    {
        const ConnInfo info = profile(u"certscram"_s, u"verify-full"_s, true, true);
        const QString url = QString::fromUtf8(exported(info, ExportFormat::Jdbc, true));
        const QString pk8 = Pkcs8Converter::suggestedPath(m_encryptedKeyPath);
        QVERIFY2(url.contains(u"sslkey="_s + QString::fromLatin1(QUrl::toPercentEncoding(pk8, "/"))),
                 qPrintable(url));
        const auto converted = Pkcs8Converter::convertFile(m_encryptedKeyPath, pk8, keyPassphrase());
        QVERIFY2(converted.has_value(), converted ? "" : qPrintable(converted.error().message));
        if (QStandardPaths::findExecutable(u"openssl"_s).isEmpty())
            QSKIP("the openssl command is not installed");
        const Outcome o =
            runProcess(u"openssl"_s, {u"pkey"_s, u"-inform"_s, u"DER"_s, u"-in"_s, pk8, u"-pubout"_s},
                       QProcessEnvironment::systemEnvironment());
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        QCOMPARE(o.out.toUtf8() + '\n', m_client.publicKeyPem());
    }
};

QTEST_GUILESS_MAIN(TestInteropPsql)
#include "tst_interop_psql.moc"
