// Imports of core/interop: pasted connection strings (detected as libpq detects them, libpq's errors),
// service files (user and system, PGSERVICEFILE and PGSYSCONFDIR, every section as libpq reads it),
// pgAdmin 4 server exports (old and new layouts, and hostile JSON: every bad server gets its own
// error, the good ones stay), and the current environment (PG* variables and ~/.postgresql/ files).

#include "TestPki.h"
#include "interop/EnvironmentImport.h"
#include "interop/PastedText.h"
#include "interop/PgAdminImport.h"
#include "interop/ServiceFileImport.h"
#include "settings/ConnInfo.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace vf::interop;
using vf::settings::ConnInfo;
using vf::settings::Environment;
using vf::settings::ValueSource;

namespace {

ConnInfo parsed(const char* text)
{
    auto r = ConnInfo::parse(QString::fromUtf8(text));
    if (!r)
        qFatal("test data: %s", qPrintable(r.error().message));
    return *r;
}

QString show(const ConnInfo& info)
{
    return info.toKeywordValue(true);
}

} // namespace

class TestInteropImport : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString write(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).path());
        vf::test::TestPki::writeFile(path, data);
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // --- pasted text -------------------------------------------------------------------------------

    void detect_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("kind");
        QTest::addRow("empty") << QString() << int(PastedText::Kind::Empty);
        QTest::addRow("blank") << u" \n\t "_s << int(PastedText::Kind::Empty);
        QTest::addRow("keyword/value") << u"host=db port=5432"_s << int(PastedText::Kind::KeywordValue);
        QTest::addRow("uri") << u"postgresql://db/app"_s << int(PastedText::Kind::Uri);
        QTest::addRow("short uri") << u"postgres://db"_s << int(PastedText::Kind::Uri);
        QTest::addRow("uri with newline") << u"  postgresql://db/app\n"_s << int(PastedText::Kind::Uri);
        QTest::addRow("capital scheme") << u"POSTGRESQL://db"_s << int(PastedText::Kind::KeywordValue);
        QTest::addRow("jdbc") << u"jdbc:postgresql://db/app"_s << int(PastedText::Kind::KeywordValue);
    }

    void detect()
    {
        QFETCH(QString, text);
        QFETCH(int, kind);
        QCOMPARE(int(PastedText::detect(text)), kind);
        QCOMPARE(PastedText::kindName(PastedText::Kind(kind)).isEmpty(),
                 kind == int(PastedText::Kind::Empty));
    }

    void parseGood_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<ConnInfo>("expected");
        QTest::addColumn<QString>("name");
        QTest::addRow("keyword/value")
            << u"host=db.example.com dbname=app sslmode=verify-full\n"_s
            << parsed("host=db.example.com dbname=app sslmode=verify-full") << u"app on db.example.com"_s;
        QTest::addRow("uri") << u" postgresql://alice@db.example.com:5433/app?sslmode=require "_s
                             << parsed("postgresql://alice@db.example.com:5433/app?sslmode=require")
                             << u"app on db.example.com"_s;
        QTest::addRow("multi-host uri")
            << u"postgresql://a,b:5433/x"_s << parsed("postgresql://a,b:5433/x") << u"x on a"_s;
        QTest::addRow("user only") << u"user=bob host=h"_s << parsed("user=bob host=h") << u"bob@h"_s;
        QTest::addRow("socket") << u"host=/tmp dbname=d"_s << parsed("host=/tmp dbname=d")
                                << u"d on local socket"_s;
        QTest::addRow("service") << u"service=prod"_s << parsed("service=prod") << u"service prod"_s;
        QTest::addRow("requiressl") << u"requiressl=1"_s << parsed("sslmode=require") << u"local socket"_s;
    }

    void parseGood()
    {
        QFETCH(QString, text);
        QFETCH(ConnInfo, expected);
        QFETCH(QString, name);
        const auto r = PastedText::parse(text);
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
        QVERIFY2(r->conninfo == expected, qPrintable(show(r->conninfo)));
        QCOMPARE(r->suggestedName, name);
        QVERIFY(r->isValid());
        QVERIFY(!r->hasSecrets());
        QVERIFY(!r->source.isEmpty());
    }

    void parseBad_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("explanationHas");
        QTest::addRow("empty") << u"  "_s << u"interop.paste-empty"_s << QString() << u"host="_s;
        QTest::addRow("no equals") << u"host"_s << u"settings.conninfo.missing-equals"_s
                                   << u"missing \"=\" after \"host\" in connection info string"_s
                                   << QString();
        QTest::addRow("unknown keyword") << u"hots=db"_s << u"settings.conninfo.invalid-option"_s
                                         << u"invalid connection option \"hots\""_s << QString();
        QTest::addRow("unterminated quote")
            << u"host='db"_s << u"settings.conninfo.unterminated-quote"_s
            << u"unterminated quoted string in connection info string"_s << QString();
        QTest::addRow("bad uri parameter")
            << u"postgresql://h/?nope=1"_s << u"settings.conninfo.uri-invalid-parameter"_s
            << u"invalid URI query parameter: \"nope\""_s << QString();
        QTest::addRow("jdbc") << u"jdbc:postgresql://h/db"_s << u"settings.conninfo.missing-equals"_s
                              << QString() << u"JDBC"_s;
        QTest::addRow("capital scheme") << u"POSTGRESQL://h/db"_s << u"settings.conninfo.missing-equals"_s
                                        << QString() << u"lower case"_s;
        QTest::addRow("psql command") << u"psql \"host=h\""_s << u"settings.conninfo.missing-equals"_s
                                      << QString() << u"psql command line"_s;
        QTest::addRow("huge") << QString(PastedText::kMaxChars + 1, u'a') << u"interop.paste-too-large"_s
                              << QString() << QString();
        QTest::addRow("binary") << QString::fromLatin1("\x01\x02\xff host=x")
                                << u"settings.conninfo.missing-equals"_s << QString() << QString();
    }

    void parseBad()
    {
        QFETCH(QString, text);
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(QString, explanationHas);
        const auto r = PastedText::parse(text);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, code);
        QVERIFY(!r.error().message.isEmpty());
        if (!message.isEmpty())
            QCOMPARE(r.error().message, message);
        if (!explanationHas.isEmpty())
            QVERIFY2(r.error().explanation.contains(explanationHas), qPrintable(r.error().explanation));
    }

    void parseSecrets()
    {
        const auto r = PastedText::parse(u"postgresql://u:pw@h/d"_s);
        QVERIFY(r.has_value());
        QVERIFY(r->hasSecrets());
        QVERIFY(!r->notes.isEmpty());
        QVERIFY(!r->notes.join(u' ').contains(u"pw@"));
    }

    // --- service files -----------------------------------------------------------------------------

    void sectionNames()
    {
        const QByteArray text =
            "# [commented]\n  [first]  \nhost=a\n[second] trailing text\n[first]\n[]\n[no close\n"
            "\t[third]\r\n[with]bracket]\n";
        QCOMPARE(ServiceFileImport::sectionNames(text),
                 (QStringList{u"first"_s, u"second"_s, u"third"_s, u"with"_s}));
        QVERIFY(ServiceFileImport::sectionNames({}).isEmpty());
        QVERIFY(ServiceFileImport::sectionNames(QByteArray(4096, '\0')).isEmpty());
    }

    void serviceFileSections()
    {
        const QString path = write(u"svc/ok.conf"_s,
                                   "# settings\n[prod]\nhost=db.example.com\nport=5432\nsslmode=verify-full\n"
                                   "sslmode=disable\n\n[broken]\nhost=x\nnot a setting\n[empty]\n"
                                   "[nested]\nservice=prod\n[ldap]\nldap://ldap.example.com/dc=x\n"
                                   "[secret]\npassword=pw\n[prod]\nhost=second\n");
        const ServiceFileListing l = ServiceFileImport::read(path, ServiceFileListing::Scope::User);
        QVERIFY(l.exists);
        QVERIFY(!l.error);
        QCOMPARE(l.sections.size(), 6);

        const ImportedProfile& prod = l.sections.at(0);
        QVERIFY(prod.isValid());
        QCOMPARE(prod.key, u"prod"_s);
        QCOMPARE(prod.suggestedName, u"prod"_s);
        // libpq keeps the first value of a keyword and the first section of a name.
        QVERIFY2(prod.conninfo == parsed("host=db.example.com port=5432 sslmode=verify-full"),
                 qPrintable(show(prod.conninfo)));
        const auto* origin = prod.originOf(u"port");
        QVERIFY(origin);
        QCOMPARE(origin->source, ValueSource::ServiceFile);
        QCOMPARE(origin->line, 4);
        QCOMPARE(origin->service, u"prod"_s);
        QCOMPARE(origin->path, path);

        const ImportedProfile& broken = l.sections.at(1);
        QVERIFY(!broken.isValid());
        QCOMPARE(broken.error->code, u"settings.service-file-syntax"_s);
        QCOMPARE(broken.error->message, u"syntax error in service file \"%1\", line 10"_s.arg(path));

        QVERIFY(l.sections.at(2).isValid());
        QVERIFY(l.sections.at(2).conninfo.isEmpty());
        QVERIFY(!l.sections.at(2).notes.isEmpty());
        QCOMPARE(l.sections.at(3).error->code, u"settings.service-file-nested"_s);
        QCOMPARE(l.sections.at(4).error->code, u"settings.service-file-ldap"_s);
        QVERIFY(l.sections.at(5).hasSecrets());

        const ImportedProfile ref = ServiceFileImport::referenceTo(prod);
        QVERIFY(ref.conninfo == parsed("service=prod"));
        QVERIFY(!ref.notes.isEmpty());
    }

    void serviceFileLongLine()
    {
        const QString path =
            write(u"svc/long.conf"_s,
                  "[before]\nhost=a\n[long]\noptions=" + QByteArray(1100, 'x') + "\n[after]\nhost=b\n");
        const ServiceFileListing l = ServiceFileImport::read(path, ServiceFileListing::Scope::System);
        QCOMPARE(l.sections.size(), 3);
        QVERIFY(l.sections.at(0).isValid());
        QCOMPARE(l.sections.at(1).error->code, u"settings.service-file-line-too-long"_s);
        // libpq reads the file from the top for every service: the long line is in the way of [after].
        QCOMPARE(l.sections.at(2).error->code, u"settings.service-file-line-too-long"_s);
    }

    void serviceFileBadFiles()
    {
        const ServiceFileListing missing =
            ServiceFileImport::read(m_dir.filePath(u"nope.conf"_s), ServiceFileListing::Scope::User);
        QVERIFY(!missing.exists);
        QCOMPARE(missing.error->code, u"settings.service-file-missing"_s);
        QCOMPARE(missing.error->message,
                 u"service file \"%1\" not found"_s.arg(m_dir.filePath(u"nope.conf"_s)));

        const ServiceFileListing directory =
            ServiceFileImport::read(m_dir.path(), ServiceFileListing::Scope::User);
        QCOMPARE(directory.error->code, u"pki.is-directory"_s);

        const QString huge = m_dir.filePath(u"svc/huge.conf"_s);
        {
            QFile f(huge);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(ServiceFileImport::kMaxFileSize + 1));
        }
        QCOMPARE(ServiceFileImport::read(huge, ServiceFileListing::Scope::User).error->code,
                 u"pki.file-too-large"_s);

        const QString fifo = m_dir.filePath(u"svc/fifo.conf"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QCOMPARE(ServiceFileImport::read(fifo, ServiceFileListing::Scope::User).error->code,
                 u"pki.not-regular-file"_s);

        const QString empty = write(u"svc/empty.conf"_s, {});
        const ServiceFileListing e = ServiceFileImport::read(empty, ServiceFileListing::Scope::User);
        QVERIFY(!e.error);
        QVERIFY(e.sections.isEmpty());

        QByteArray binary;
        for (int i = 0; i < 20000; ++i)
            binary += char((i * 7919) % 256);
        const ServiceFileListing b =
            ServiceFileImport::read(write(u"svc/binary.conf"_s, binary), ServiceFileListing::Scope::User);
        QVERIFY(!b.error);

        QByteArray many;
        for (int i = 0; i < ServiceFileImport::kMaxSections + 20; ++i)
            many += "[s" + QByteArray::number(i) + "]\nport=" + QByteArray::number(i + 1) + "\n";
        const ServiceFileListing m =
            ServiceFileImport::read(write(u"svc/many.conf"_s, many), ServiceFileListing::Scope::User);
        QCOMPARE(m.sections.size(), ServiceFileImport::kMaxSections);
        QVERIFY(m.error);
        QCOMPARE(m.error->code, u"interop.service-too-many-sections"_s);
        QVERIFY(m.sections.last().conninfo == parsed("port=500"));
    }

    void serviceFilesOfEnvironment()
    {
        const QString home = m_dir.filePath(u"home1"_s);
        write(u"home1/.pg_service.conf"_s, "[mine]\nhost=user-file\n");
        write(u"sysconf/pg_service.conf"_s, "[shared]\nhost=system-file\n[mine]\nhost=shadowed\n");
        Environment env;
        env.setVariable(u"HOME"_s, home);
        env.setCompiledSysconfDir(m_dir.filePath(u"nowhere"_s));

        QList<ServiceFileListing> all = ServiceFileImport::listAll(env);
        QCOMPARE(all.size(), 2);
        QCOMPARE(all.at(0).scope, ServiceFileListing::Scope::User);
        QCOMPARE(all.at(0).displayPath, u"~/.pg_service.conf"_s);
        QCOMPARE(all.at(0).sections.size(), 1);
        QVERIFY(all.at(0).sections.at(0).conninfo == parsed("host=user-file"));
        QCOMPARE(all.at(1).scope, ServiceFileListing::Scope::System);
        QVERIFY(!all.at(1).exists);
        QVERIFY(!all.at(1).error);

        // PGSYSCONFDIR names the system file's directory.
        env.setVariable(u"PGSYSCONFDIR"_s, m_dir.filePath(u"sysconf"_s));
        all = ServiceFileImport::listAll(env);
        QVERIFY(all.at(1).exists);
        QCOMPARE(all.at(1).sections.size(), 2);
        QCOMPARE(all.at(1).chosenBy, u"PGSYSCONFDIR"_s);

        // PGSERVICEFILE replaces ~/.pg_service.conf, and must exist.
        env.setVariable(u"PGSERVICEFILE"_s, write(u"other/services"_s, "[x]\nport=7\n"));
        all = ServiceFileImport::listAll(env);
        QCOMPARE(all.at(0).chosenBy, u"PGSERVICEFILE"_s);
        QCOMPARE(all.at(0).sections.size(), 1);
        QCOMPARE(all.at(0).sections.at(0).key, u"x"_s);
        env.setVariable(u"PGSERVICEFILE"_s, m_dir.filePath(u"other/missing"_s));
        all = ServiceFileImport::listAll(env);
        QCOMPARE(all.at(0).error->code, u"settings.service-file-missing"_s);

        // No home directory at all.
        Environment bare;
        bare.setCompiledSysconfDir(m_dir.filePath(u"nowhere"_s));
        all = ServiceFileImport::listAll(bare);
        QCOMPARE(all.size(), 2);
        QVERIFY(!all.at(0).exists);
    }

    // --- pgAdmin -----------------------------------------------------------------------------------

    void pgAdminOldLayout()
    {
        const QByteArray json = R"({"Servers": {
            "2": {"Name": "Second", "Group": "G", "Host": "b.example.com", "Port": 5433, "MaintenanceDB": "postgres",
                  "Username": "bob", "SSLMode": "require"},
            "1": {"Name": "Fully Defined", "Group": "Server Group 2", "Host": "host.domain.com", "HostAddr": "192.168.1.2",
                  "Port": 5432, "MaintenanceDB": "postgres", "Username": "postgres", "Role": "my_role_name",
                  "SSLMode": "verify-full", "Comment": "every option", "DBRestriction": "live_db test_db",
                  "PassFile": "/path/to/pgpassfile", "SSLCert": "/path/to/sslcert.crt", "SSLKey": "/path/to/sslcert.key",
                  "SSLRootCert": "/path/to/sslroot.crt", "SSLCrl": "/path/to/sslcrl.crl", "SSLCompression": 1,
                  "BGColor": "#ff9900", "FGColor": "#000000", "Service": "postgresql-10", "Timeout": 60,
                  "UseSSHTunnel": 1, "TunnelHost": "192.168.1.253", "TunnelPort": 22, "TunnelUsername": "username",
                  "TunnelAuthentication": 0},
            "10": {"Name": "Tenth", "Group": "G", "Host": "j", "Port": 1, "MaintenanceDB": "d", "Username": "u",
                   "SSLMode": "prefer"}
        }})";
        const auto r = PgAdminImport::parse(json);
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->servers.size(), 3);
        QCOMPARE(r->servers.at(0).key, u"1"_s);
        QCOMPARE(r->servers.at(1).key, u"2"_s);
        QCOMPARE(r->servers.at(2).key, u"10"_s);

        const ImportedProfile& full = r->servers.at(0);
        QVERIFY(full.isValid());
        QCOMPARE(full.suggestedName, u"Fully Defined"_s);
        QCOMPARE(full.group, u"Server Group 2"_s);
        QCOMPARE(full.comment, u"every option"_s);
        QVERIFY2(full.conninfo ==
                     parsed("host=host.domain.com hostaddr=192.168.1.2 port=5432 dbname=postgres "
                            "user=postgres sslmode=verify-full sslcert=/path/to/sslcert.crt "
                            "sslkey=/path/to/sslcert.key sslrootcert=/path/to/sslroot.crt "
                            "sslcrl=/path/to/sslcrl.crl sslcompression=1 passfile=/path/to/pgpassfile "
                            "service=postgresql-10 connect_timeout=60"),
                 qPrintable(show(full.conninfo)));
        const QString notes = full.notes.join(u'\n');
        QVERIFY2(notes.contains(u"SSH tunnel (192.168.1.253)"), qPrintable(notes));
        QVERIFY(notes.contains(u"my_role_name"));
        QVERIFY(r->servers.at(1).conninfo == parsed("host=b.example.com port=5433 dbname=postgres user=bob "
                                                    "sslmode=require"));
    }

    void pgAdminNewLayout()
    {
        const QByteArray json = R"({"Servers": {"1": {
            "Name": "New", "Group": "Servers", "Host": "db", "Port": 5432, "MaintenanceDB": "postgres",
            "Username": "alice", "SSLMode": "prefer", "KerberosAuthentication": true,
            "PasswordExecCommand": "echo 'test'", "PostConnectionSQL": "set timezone='UTC'",
            "ConnectionParameters": {"sslmode": "verify-ca", "connect_timeout": 10, "passfile": "/Users/a/.pgpass",
                                     "sslcert": "<STORAGE_DIR>/.postgresql/postgresql.crt", "sslkey": "/k.key",
                                     "sslrootcert": "/r.crt", "sslcompression": false, "application_name": "",
                                     "not_a_keyword": "x", "sslsni": 1, "hostaddr": "10.0.0.1"},
            "Tags": [{"color": "#EC0BB4", "text": "Development"}]
        }}})";
        const auto r = PgAdminImport::parse(json);
        QVERIFY(r.has_value());
        QCOMPARE(r->servers.size(), 1);
        const ImportedProfile& p = r->servers.first();
        QVERIFY(p.isValid());
        QVERIFY2(p.conninfo == parsed("host=db hostaddr=10.0.0.1 port=5432 dbname=postgres user=alice "
                                      "sslmode=verify-ca connect_timeout=10 passfile=/Users/a/.pgpass "
                                      "sslcert='<STORAGE_DIR>/.postgresql/postgresql.crt' sslkey=/k.key "
                                      "sslrootcert=/r.crt sslcompression=0 sslsni=1"),
                 qPrintable(show(p.conninfo)));
        const QString notes = p.notes.join(u'\n');
        QVERIFY2(notes.contains(u"sslmode is given twice"), qPrintable(notes));
        QVERIFY(notes.contains(u"not_a_keyword"));
        QVERIFY(notes.contains(u"<STORAGE_DIR>"));
        QVERIFY(notes.contains(u"Kerberos"));
        QVERIFY(notes.contains(u"command"));
        QVERIFY(notes.contains(u"SQL"));
    }

    void pgAdminPerServerErrors_data()
    {
        QTest::addColumn<QByteArray>("server");
        QTest::addColumn<QString>("messageHas");
        QTest::addRow("name not string")
            << QByteArray(R"({"Name": 5, "Host": "h"})") << u"\"Name\" must be a string"_s;
        QTest::addRow("port object") << QByteArray(R"({"Name": "n", "Port": {"x": 1}})") << u"port number"_s;
        QTest::addRow("port fraction") << QByteArray(R"({"Name": "n", "Port": 54.5})") << u"port number"_s;
        QTest::addRow("port bool") << QByteArray(R"({"Name": "n", "Port": true})") << u"port number"_s;
        QTest::addRow("host array") << QByteArray(R"({"Name": "n", "Host": ["a", "b"]})") << u"an array"_s;
        QTest::addRow("params not object")
            << QByteArray(R"({"Name": "n", "ConnectionParameters": "sslmode=x"})")
            << u"\"ConnectionParameters\" must be an object"_s;
        QTest::addRow("param object")
            << QByteArray(R"({"Name": "n", "ConnectionParameters": {"sslmode": {}}})")
            << u"ConnectionParameters.sslmode"_s;
        QTest::addRow("nul in value") << QByteArray(R"({"Name": "n", "Host": "a\u0000b"})") << u"NUL"_s;
        QTest::addRow("huge value") << QByteArray(R"({"Name": "n", "Host": ")" + QByteArray(70000, 'h') +
                                                  R"("})")
                                    << u"too long"_s;
        QTest::addRow("not an object") << QByteArray(R"("just a string")") << u"must be an object"_s;
        QTest::addRow("null server") << QByteArray("null") << u"must be an object"_s;
    }

    // One bad server does not cost the good ones.
    void pgAdminPerServerErrors()
    {
        QFETCH(QByteArray, server);
        QFETCH(QString, messageHas);
        const QByteArray json = R"({"Servers": {"1": {"Name": "good", "Host": "g", "Port": "6543"}, "2": )" +
                                server + R"(, "3": {"Name": "also good", "Service": "s"}}})";
        const auto r = PgAdminImport::parse(json);
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->servers.size(), 3);
        QVERIFY(r->servers.at(0).isValid());
        QVERIFY(r->servers.at(0).conninfo == parsed("host=g port=6543"));
        QVERIFY(r->servers.at(2).isValid());
        const ImportedProfile& bad = r->servers.at(1);
        QVERIFY(!bad.isValid());
        QCOMPARE(bad.error->code, u"interop.pgadmin-server"_s);
        QVERIFY2(bad.error->message.contains(messageHas), qPrintable(bad.error->message));
        QVERIFY(bad.error->message.startsWith(u"server \"2\""));
        QVERIFY(!bad.error->explanation.isEmpty());
        QVERIFY(!bad.suggestedName.isEmpty());
    }

    void pgAdminFileErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("code");
        QTest::addRow("empty") << QByteArray() << u"interop.pgadmin-json"_s;
        QTest::addRow("blank") << QByteArray(" \n ") << u"interop.pgadmin-json"_s;
        QTest::addRow("truncated") << QByteArray(R"({"Servers": {"1": {"Name": "x")")
                                   << u"interop.pgadmin-json"_s;
        QTest::addRow("garbage") << QByteArray("this is not json") << u"interop.pgadmin-json"_s;
        QTest::addRow("binary") << QByteArray("\x00\x01\xff\xfe{}", 6) << u"interop.pgadmin-json"_s;
        QTest::addRow("deep nesting") << QByteArray(100000, '[') << u"interop.pgadmin-json"_s;
        QTest::addRow("array") << QByteArray("[1, 2]") << u"interop.pgadmin-format"_s;
        QTest::addRow("no servers") << QByteArray(R"({"servers": {}})") << u"interop.pgadmin-format"_s;
        QTest::addRow("servers array")
            << QByteArray(R"({"Servers": [{"Name": "x"}]})") << u"interop.pgadmin-format"_s;
        QByteArray many = R"({"Servers": {)";
        for (int i = 0; i <= PgAdminImport::kMaxServers; ++i)
            many += (i ? "," : "") + QByteArray("\"") + QByteArray::number(i) + "\": {}";
        many += "}}";
        QTest::addRow("too many servers") << many << u"interop.pgadmin-too-many-servers"_s;
        QTest::addRow("too large") << QByteArray(PgAdminImport::kMaxFileSize + 1, ' ')
                                   << u"interop.pgadmin-too-large"_s;
    }

    void pgAdminFileErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, code);
        const auto r = PgAdminImport::parse(json);
        QVERIFY(!r.has_value());
        QCOMPARE(r.error().code, code);
        QVERIFY(!r.error().message.isEmpty());
        QVERIFY(!r.error().explanation.isEmpty());
    }

    void pgAdminEdgeCases()
    {
        // No servers: fine, with a note. No name and no host: a name and notes.
        const auto none = PgAdminImport::parse(R"({"Servers": {}})");
        QVERIFY(none.has_value());
        QVERIFY(none->servers.isEmpty());
        QVERIFY(!none->notes.isEmpty());

        const auto bare =
            PgAdminImport::parse(R"({"Servers": {"7": {"SharedUsername": "shared", "Port": null}}})");
        QVERIFY(bare.has_value());
        const ImportedProfile& p = bare->servers.first();
        QVERIFY(p.isValid());
        QCOMPARE(p.suggestedName, u"pgAdmin server 7"_s);
        QVERIFY(p.conninfo == parsed("user=shared"));
        QVERIFY(p.notes.join(u' ').contains(u"Unix socket"));

        // A password in ConnectionParameters is kept and flagged.
        const auto secret = PgAdminImport::parse(R"({"Servers": {"1": {"Name": "s", "Host": "h",
            "ConnectionParameters": {"password": "pw"}}}})");
        QVERIFY(secret->servers.first().hasSecrets());
    }

    void pgAdminFiles()
    {
        const QString good =
            write(u"pgadmin/servers.json"_s, R"({"Servers": {"1": {"Name": "x", "Host": "h"}}})");
        const auto r = PgAdminImport::readFile(good);
        QVERIFY(r.has_value());
        QCOMPARE(r->servers.size(), 1);

        QCOMPARE(PgAdminImport::readFile(m_dir.filePath(u"pgadmin/missing.json"_s)).error().code,
                 u"pki.file-missing"_s);
        QCOMPARE(PgAdminImport::readFile(m_dir.filePath(u"pgadmin"_s)).error().code, u"pki.is-directory"_s);
        QCOMPARE(PgAdminImport::readFile(write(u"pgadmin/empty.json"_s, {})).error().code,
                 u"interop.pgadmin-json"_s);
        const QString fifo = m_dir.filePath(u"pgadmin/fifo.json"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QCOMPARE(PgAdminImport::readFile(fifo).error().code, u"pki.not-regular-file"_s);
        const QString huge = m_dir.filePath(u"pgadmin/huge.json"_s);
        {
            QFile f(huge);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(PgAdminImport::kMaxFileSize + 1));
        }
        const auto tooLarge = PgAdminImport::readFile(huge);
        QCOMPARE(tooLarge.error().code, u"pki.file-too-large"_s);
        QVERIFY(tooLarge.error().explanation.contains(u"pgAdmin"));
        const QString loop = m_dir.filePath(u"pgadmin/loop.json"_s);
        QVERIFY(QFile::link(loop, loop));
        QCOMPARE(PgAdminImport::readFile(loop).error().code, u"pki.symlink-loop"_s);
        if (::geteuid() != 0) {
            const QString unreadable = write(u"pgadmin/unreadable.json"_s, "{}");
            vf::test::TestPki::chmod(unreadable, 0);
            QCOMPARE(PgAdminImport::readFile(unreadable).error().code, u"pki.file-unreadable"_s);
        } else {
            qInfo("running as root: the unreadable-file case is skipped (root reads any file)");
        }
    }

    // --- environment -------------------------------------------------------------------------------

    void environmentVariables()
    {
        const QString home = m_dir.filePath(u"envhome"_s);
        write(u"envhome/.postgresql/root.crt"_s, "x");
        write(u"envhome/.postgresql/postgresql.key"_s, "x");
        Environment env;
        env.setVariable(u"HOME"_s, home);
        env.setVariable(u"PGHOST"_s, u"db.example.com"_s);
        env.setVariable(u"PGPORT"_s, u"6432"_s);
        env.setVariable(u"PGSSLMODE"_s, u"verify-full"_s);
        env.setVariable(u"PGAPPNAME"_s, QString());
        env.setVariable(u"PGTZ"_s, u"UTC"_s);
        env.setVariable(u"UNRELATED"_s, u"x"_s);
        env.setUserNameLookup([] { return std::optional<QString>(u"osuser"_s); });
        env.setCompiledSysconfDir(m_dir.filePath(u"nowhere"_s));

        const ImportedProfile p = EnvironmentImport::fromEnvironment(env);
        QVERIFY(p.isValid());
        const QString root = home + u"/.postgresql/root.crt"_s;
        const QString key = home + u"/.postgresql/postgresql.key"_s;
        ConnInfo expected = parsed("host=db.example.com port=6432 sslmode=verify-full application_name=''");
        expected.setValue(u"sslrootcert"_s, root);
        expected.setValue(u"sslkey"_s, key);
        // Not the compiled-in defaults, not the OS user, not files that do not exist.
        QVERIFY2(p.conninfo == expected, qPrintable(show(p.conninfo)));
        QCOMPARE(p.originOf(u"port")->source, ValueSource::Environment);
        QCOMPARE(p.originOf(u"port")->variable, u"PGPORT"_s);
        QCOMPARE(p.originOf(u"sslrootcert")->source, ValueSource::DefaultFile);
        QCOMPARE(p.originOf(u"sslrootcert")->displayPath, u"~/.postgresql/root.crt"_s);
        QVERIFY(!p.originOf(u"user"));
        QVERIFY(p.notes.join(u' ').contains(u"PGTZ"));
        QVERIFY(p.suggestedName.contains(u"db.example.com"));
    }

    void environmentEdgeCases()
    {
        Environment env;
        env.setVariable(u"HOME"_s, m_dir.filePath(u"emptyhome"_s));
        env.setCompiledSysconfDir(m_dir.filePath(u"nowhere"_s));
        ImportedProfile p = EnvironmentImport::fromEnvironment(env);
        QVERIFY(p.isValid());
        QVERIFY(p.conninfo.isEmpty());
        QVERIFY(!p.notes.isEmpty());

        env.setVariable(u"PGREQUIRESSL"_s, u"1"_s);
        env.setVariable(u"PGPASSWORD"_s, u"pw"_s);
        p = EnvironmentImport::fromEnvironment(env);
        QVERIFY(p.conninfo == parsed("sslmode=require password=pw"));
        QCOMPARE(p.originOf(u"sslmode")->source, ValueSource::RequireSslEnv);
        QVERIFY(p.hasSecrets());

        // A service that no file has: libpq would fail; the profile keeps service= and says so.
        env.setVariable(u"PGSERVICE"_s, u"ghost"_s);
        p = EnvironmentImport::fromEnvironment(env);
        QVERIFY(p.isValid());
        QCOMPARE(p.conninfo.value(u"service"), std::optional<QString>(u"ghost"_s));
        QVERIFY2(p.notes.join(u' ').contains(u"definition of service \"ghost\" not found"),
                 qPrintable(p.notes.join(u' ')));

        // A service that exists: the profile names it; its settings stay in the file.
        write(u"envsys/pg_service.conf"_s, "[real]\nhost=from-service\n");
        env.setVariable(u"PGSERVICE"_s, u"real"_s);
        env.setVariable(u"PGSYSCONFDIR"_s, m_dir.filePath(u"envsys"_s));
        p = EnvironmentImport::fromEnvironment(env);
        QVERIFY(p.conninfo == parsed("service=real sslmode=require password=pw"));
    }
};

QTEST_GUILESS_MAIN(TestInteropImport)
#include "tst_interop_import.moc"
