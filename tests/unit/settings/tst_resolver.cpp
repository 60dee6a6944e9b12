#include "settings/ConnInfo.h"
#include "settings/ConnOptions.h"
#include "settings/Environment.h"
#include "settings/SettingsResolver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <pwd.h>
#include <unistd.h>

#ifdef VF_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

using namespace Qt::StringLiterals;
using vf::settings::ConnInfo;
using vf::settings::EffectiveSettings;
using vf::settings::Environment;
using vf::settings::SettingsResolver;
using vf::settings::ValueSource;

namespace {

constexpr QStringView kUnset = u"<unset>";

QString realUserName()
{
    const struct passwd* pw = getpwuid(geteuid());
    return pw ? QString::fromLocal8Bit(pw->pw_name) : QString();
}

// One scenario: a fresh directory tree with home/, sys/ (PGSYSCONFDIR) and compiled/ (SYSCONFDIR), files
// written into it, and an environment. "%T" in any text stands for the tree's root.
class Scenario
{
public:
    Scenario()
    {
        QDir root(m_dir.path());
        root.mkpath(u"home"_s);
        root.mkpath(u"sys"_s);
        root.mkpath(u"compiled"_s);
        root.mkpath(u"pwhome"_s);
        m_vars.insert(u"HOME"_s, m_dir.path() + u"/home"_s);
        m_vars.insert(u"PGSYSCONFDIR"_s, m_dir.path() + u"/sys"_s);
    }

    QString expand(QString text) const { return text.replace(u"%T"_s, m_dir.path()); }

    // "relative/path=content": writes the file (creating directories).
    bool addFiles(const QStringList& files)
    {
        for (const QString& spec : files) {
            const qsizetype eq = spec.indexOf(u'=');
            const QString path = m_dir.filePath(spec.left(eq));
            QDir().mkpath(QFileInfo(path).absolutePath());
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                return false;
            f.write(expand(spec.mid(eq + 1)).toUtf8());
        }
        return true;
    }

    // "NAME=value" sets, "!NAME" unsets.
    void addEnv(const QStringList& env)
    {
        for (const QString& spec : env) {
            if (spec.startsWith(u'!')) {
                m_vars.remove(spec.mid(1));
                continue;
            }
            const qsizetype eq = spec.indexOf(u'=');
            m_vars.insert(spec.left(eq), expand(spec.mid(eq + 1)));
        }
    }

    Environment environment() const
    {
        Environment env;
        for (auto it = m_vars.constBegin(); it != m_vars.constEnd(); ++it)
            env.setVariable(it.key(), it.value());
        if (m_passwd) {
            const QString pwhome = m_dir.path() + u"/pwhome"_s;
            env.setPasswdHomeLookup([pwhome] { return std::optional<QString>(pwhome); });
        }
        const QString user = realUserName();
        env.setUserNameLookup([user] { return std::optional<QString>(user); });
        env.setCompiledSysconfDir(m_dir.path() + u"/compiled"_s);
        return env;
    }

    void setPasswdEntry(bool present) { m_passwd = present; }
    const QHash<QString, QString>& variables() const { return m_vars; }
    bool isValid() const { return m_dir.isValid(); }

private:
    QTemporaryDir m_dir;
    QHash<QString, QString> m_vars;
    bool m_passwd = true;
};

#ifdef VF_HAVE_LIBPQ
// Runs the real libpq (15 on this machine) with exactly the scenario's environment: every PG*
// variable and HOME are replaced for the duration of the call.
class LibpqRun
{
public:
    LibpqRun(const QString& conninfo, const QHash<QString, QString>& vars)
    {
        const QStringList keys = QProcessEnvironment::systemEnvironment().keys();
        for (const QString& key : keys) {
            if (key.startsWith(u"PG"_s) || key == u"HOME")
                m_saved.insert(key, qgetenv(key.toLocal8Bit().constData()));
        }
        for (auto it = m_saved.constBegin(); it != m_saved.constEnd(); ++it)
            qunsetenv(it.key().toLocal8Bit().constData());
        for (auto it = vars.constBegin(); it != vars.constEnd(); ++it)
            qputenv(it.key().toLocal8Bit().constData(), it.value().toLocal8Bit());

        PGconn* conn = PQconnectStart(conninfo.toUtf8().constData());
        m_bad = PQstatus(conn) == CONNECTION_BAD;
        m_error = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
        PQconninfoOption* options = PQconninfo(conn);
        for (PQconninfoOption* o = options; o && o->keyword; ++o) {
            if (o->val)
                m_values.insert(QString::fromUtf8(o->keyword), QString::fromUtf8(o->val));
        }
        PQconninfoFree(options);
        PQfinish(conn);

        for (auto it = vars.constBegin(); it != vars.constEnd(); ++it)
            qunsetenv(it.key().toLocal8Bit().constData());
        for (auto it = m_saved.constBegin(); it != m_saved.constEnd(); ++it)
            qputenv(it.key().toLocal8Bit().constData(), it.value());
    }

    std::optional<QString> value(const QString& keyword) const
    {
        const auto it = m_values.constFind(keyword);
        return it == m_values.constEnd() ? std::nullopt : std::optional<QString>(it.value());
    }
    const QString& error() const { return m_error; }

private:
    QHash<QString, QByteArray> m_saved;
    QHash<QString, QString> m_values;
    QString m_error;
    bool m_bad = false;
};
#endif

vf::Result<EffectiveSettings> resolve(const Scenario& scenario, const QString& conninfo)
{
    const auto info = ConnInfo::parse(scenario.expand(conninfo));
    if (!info)
        return std::unexpected(info.error());
    return SettingsResolver(scenario.environment()).resolve(*info);
}

} // namespace

class TestResolver : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void precedence_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("keyword");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("label"); // detailedLabel()
        QTest::addColumn<bool>("libpq15");  // compare with the installed libpq

        const QString userSvc = u"home/.pg_service.conf=[s]\nhost=/nonexistent-svc\nsslmode=verify-ca\n"_s;
        const QString noHost = u"PGHOST=/nonexistent-vf"_s;

        // sslmode through every step.
        QTest::addRow("typed beats service and env")
            << u"sslmode=require service=s"_s << QStringList{u"PGSSLMODE=allow"_s} << QStringList{userSvc}
            << u"sslmode"_s << u"require"_s << u"typed"_s << true;
        QTest::addRow("uri") << u"postgresql://%2Fnonexistent-vf/db?sslmode=require"_s << QStringList{}
                             << QStringList{} << u"sslmode"_s << u"require"_s << u"from the URI"_s << true;
        QTest::addRow("uri host") << u"postgresql://%2Fnonexistent-vf/db?sslmode=require"_s << QStringList{}
                                  << QStringList{} << u"host"_s << u"/nonexistent-vf"_s << u"from the URI"_s
                                  << true;
        QTest::addRow("service beats env")
            << u"service=s"_s << QStringList{u"PGSSLMODE=allow"_s} << QStringList{userSvc} << u"sslmode"_s
            << u"verify-ca"_s << u"from service file ~/.pg_service.conf [s], line 3"_s << true;
        QTest::addRow("env beats default")
            << QString() << QStringList{noHost, u"PGSSLMODE=allow"_s} << QStringList{} << u"sslmode"_s
            << u"allow"_s << u"from PGSSLMODE"_s << true;
        QTest::addRow("compiled default") << QString() << QStringList{noHost} << QStringList{} << u"sslmode"_s
                                          << u"prefer"_s << u"default"_s << true;
        QTest::addRow("empty env value is a value")
            << QString() << QStringList{noHost, u"PGSSLMODE="_s} << QStringList{} << u"sslmode"_s << QString()
            << u"from PGSSLMODE"_s << false; // libpq stops at validation; PQconninfo still says ""
        QTest::addRow("PGREQUIRESSL=1")
            << QString() << QStringList{noHost, u"PGREQUIRESSL=1"_s} << QStringList{} << u"sslmode"_s
            << u"require"_s << u"from PGREQUIRESSL=1"_s << true;
        QTest::addRow("PGREQUIRESSL=1yes counts first char")
            << QString() << QStringList{noHost, u"PGREQUIRESSL=1yes"_s} << QStringList{} << u"sslmode"_s
            << u"require"_s << u"from PGREQUIRESSL=1"_s << true;
        QTest::addRow("PGREQUIRESSL=0 is ignored")
            << QString() << QStringList{noHost, u"PGREQUIRESSL=0"_s} << QStringList{} << u"sslmode"_s
            << u"prefer"_s << u"default"_s << true;
        QTest::addRow("PGSSLMODE beats PGREQUIRESSL")
            << QString() << QStringList{noHost, u"PGREQUIRESSL=1"_s, u"PGSSLMODE=allow"_s} << QStringList{}
            << u"sslmode"_s << u"allow"_s << u"from PGSSLMODE"_s << true;
        QTest::addRow("service beats PGREQUIRESSL")
            << u"service=s"_s << QStringList{u"PGREQUIRESSL=1"_s} << QStringList{userSvc} << u"sslmode"_s
            << u"verify-ca"_s << u"from service file ~/.pg_service.conf [s], line 3"_s << true;

        // sslrootcert=system raises only a defaulted sslmode (PG16+: libpq 15 reads "system" as a file).
        QTest::addRow("system roots typed")
            << u"sslrootcert=system"_s << QStringList{noHost} << QStringList{} << u"sslmode"_s
            << u"verify-full"_s << u"default, raised to verify-full by sslrootcert=system"_s << false;
        QTest::addRow("system roots from env")
            << QString() << QStringList{noHost, u"PGSSLROOTCERT=system"_s} << QStringList{} << u"sslmode"_s
            << u"verify-full"_s << u"default, raised to verify-full by sslrootcert=system"_s << false;
        QTest::addRow("system roots from service")
            << u"service=s"_s << QStringList{}
            << QStringList{u"home/.pg_service.conf=[s]\nhost=/nonexistent\nsslrootcert=system\n"_s}
            << u"sslmode"_s << u"verify-full"_s << u"default, raised to verify-full by sslrootcert=system"_s
            << false;
        QTest::addRow("system roots keep typed sslmode")
            << u"sslrootcert=system sslmode=require"_s << QStringList{noHost} << QStringList{} << u"sslmode"_s
            << u"require"_s << u"typed"_s << false;
        QTest::addRow("system roots keep PGSSLMODE")
            << u"sslrootcert=system"_s << QStringList{noHost, u"PGSSLMODE=prefer"_s} << QStringList{}
            << u"sslmode"_s << u"prefer"_s << u"from PGSSLMODE"_s << false;
        QTest::addRow("system roots keep PGREQUIRESSL")
            << u"sslrootcert=system"_s << QStringList{noHost, u"PGREQUIRESSL=1"_s} << QStringList{}
            << u"sslmode"_s << u"require"_s << u"from PGREQUIRESSL=1"_s << false;
        QTest::addRow("./system is a file")
            << u"sslrootcert=./system"_s << QStringList{noHost} << QStringList{} << u"sslmode"_s
            << u"prefer"_s << u"default"_s << true;

        // Where the service comes from and which file wins.
        // libpq 15 does not report "service" in PQconninfo() (PG18 keeps it in PGconn).
        QTest::addRow("PGSERVICE") << QString() << QStringList{u"PGSERVICE=s"_s} << QStringList{userSvc}
                                   << u"service"_s << u"s"_s << u"from PGSERVICE"_s << false;
        QTest::addRow("PGSERVICE supplies host")
            << QString() << QStringList{u"PGSERVICE=s"_s} << QStringList{userSvc} << u"host"_s
            << u"/nonexistent-svc"_s << u"from service file ~/.pg_service.conf [s], line 2"_s << true;
        QTest::addRow("typed host beats service")
            << u"service=s host=/nonexistent-typed"_s << QStringList{} << QStringList{userSvc} << u"host"_s
            << u"/nonexistent-typed"_s << u"typed"_s << true;
        QTest::addRow("PGSERVICEFILE wins over ~/.pg_service.conf")
            << u"service=s"_s << QStringList{u"PGSERVICEFILE=%T/custom.conf"_s}
            << QStringList{userSvc, u"custom.conf=[s]\nhost=/nonexistent-custom\n"_s} << u"host"_s
            << u"/nonexistent-custom"_s << u"from service file %T/custom.conf [s], line 2"_s << true;
        QTest::addRow("user file without the section falls back to PGSYSCONFDIR")
            << u"service=s"_s << QStringList{}
            << QStringList{u"home/.pg_service.conf=[other]\nhost=/x\n"_s,
                           u"sys/pg_service.conf=# system\n[s]\nhost=/nonexistent-sys\n"_s}
            << u"host"_s << u"/nonexistent-sys"_s << u"from service file %T/sys/pg_service.conf [s], line 3"_s
            << true;
        QTest::addRow("PGSERVICEFILE without the section falls back to PGSYSCONFDIR")
            << u"service=s"_s << QStringList{u"PGSERVICEFILE=%T/custom.conf"_s}
            << QStringList{u"custom.conf=[t]\n"_s, u"sys/pg_service.conf=[s]\nhost=/nonexistent-sys\n"_s}
            << u"host"_s << u"/nonexistent-sys"_s << u"from service file %T/sys/pg_service.conf [s], line 2"_s
            << true;
        QTest::addRow("first file with the section wins")
            << u"service=s"_s << QStringList{}
            << QStringList{u"home/.pg_service.conf=[s]\nport=1111\n"_s,
                           u"sys/pg_service.conf=[s]\nport=2222\nhost=/nonexistent-sys\n"_s}
            << u"host"_s << kUnset.toString() << u"not set"_s << false; // sys file is not read at all
        QTest::addRow("no PGSYSCONFDIR: compiled SYSCONFDIR")
            << u"service=s"_s << QStringList{u"!PGSYSCONFDIR"_s}
            << QStringList{u"compiled/pg_service.conf=[s]\nhost=/nonexistent-compiled\n"_s} << u"host"_s
            << u"/nonexistent-compiled"_s << u"from service file %T/compiled/pg_service.conf [s], line 2"_s
            << false;
        QTest::addRow("service sets a secret")
            << u"service=s"_s << QStringList{}
            << QStringList{u"home/.pg_service.conf=[s]\nhost=/n\nsslpassword=hunter2\n"_s} << u"sslpassword"_s
            << u"hunter2"_s << u"from service file ~/.pg_service.conf [s], line 3"_s << false;
        QTest::addRow("empty typed value is not overridden by the service")
            << u"service=s sslrootcert=''"_s << QStringList{}
            << QStringList{u"home/.pg_service.conf=[s]\nhost=/n\nsslrootcert=/x\n"_s} << u"sslrootcert"_s
            << QString() << u"typed"_s << true;

        // Other defaults.
        QTest::addRow("port default") << QString() << QStringList{noHost} << QStringList{} << u"port"_s
                                      << u"5432"_s << u"default"_s << true;
        QTest::addRow("PGPORT") << QString() << QStringList{noHost, u"PGPORT=6000"_s} << QStringList{}
                                << u"port"_s << u"6000"_s << u"from PGPORT"_s << true;
        QTest::addRow("host unset") << QString() << QStringList{} << QStringList{} << u"host"_s
                                    << kUnset.toString() << u"not set"_s << false;
        QTest::addRow("user is the OS user")
            << QString() << QStringList{noHost} << QStringList{} << u"user"_s << realUserName()
            << u"default (operating-system user name)"_s << true;
        QTest::addRow("PGUSER") << QString() << QStringList{noHost, u"PGUSER=alice"_s} << QStringList{}
                                << u"user"_s << u"alice"_s << u"from PGUSER"_s << true;
        QTest::addRow("dbname is the user")
            << QString() << QStringList{noHost, u"PGUSER=alice"_s} << QStringList{} << u"dbname"_s
            << u"alice"_s << u"default (same as the user name)"_s << true;
        QTest::addRow("empty dbname is the user")
            << u"dbname=''"_s << QStringList{noHost, u"PGUSER=alice"_s} << QStringList{} << u"dbname"_s
            << u"alice"_s << u"default (same as the user name)"_s << true;
        QTest::addRow("PGDATABASE") << QString() << QStringList{noHost, u"PGDATABASE=app"_s} << QStringList{}
                                    << u"dbname"_s << u"app"_s << u"from PGDATABASE"_s << true;
        QTest::addRow("gssencmode default") << QString() << QStringList{noHost} << QStringList{}
                                            << u"gssencmode"_s << u"prefer"_s << u"default"_s << true;
        QTest::addRow("channel_binding env")
            << QString() << QStringList{noHost, u"PGCHANNELBINDING=require"_s} << QStringList{}
            << u"channel_binding"_s << u"require"_s << u"from PGCHANNELBINDING"_s << true;
        QTest::addRow("ssl_min_protocol_version default")
            << QString() << QStringList{noHost} << QStringList{} << u"ssl_min_protocol_version"_s
            << u"TLSv1.2"_s << u"default"_s << true;
    }

    void precedence()
    {
        QFETCH(QString, conninfo);
        QFETCH(QStringList, env);
        QFETCH(QStringList, files);
        QFETCH(QString, keyword);
        QFETCH(QString, value);
        QFETCH(QString, label);
        QFETCH(bool, libpq15);

        Scenario scenario;
        QVERIFY(scenario.isValid());
        scenario.addEnv(env);
        QVERIFY(scenario.addFiles(files));

        const auto settings = resolve(scenario, conninfo);
        QVERIFY2(settings.has_value(), qPrintable(settings ? QString() : settings.error().message));
        const std::optional<QString> got = settings->value(keyword);
        QCOMPARE(got.value_or(kUnset.toString()), scenario.expand(value));
        QCOMPARE(settings->origin(keyword).detailedLabel(), scenario.expand(label));
        QCOMPARE(got.has_value(), settings->origin(keyword).source != ValueSource::Unset);

#ifdef VF_HAVE_LIBPQ
        if (libpq15) {
            const LibpqRun libpq(scenario.expand(conninfo), scenario.variables());
            QCOMPARE(libpq.value(keyword).value_or(kUnset.toString()), got.value_or(kUnset.toString()));
        }
#else
        Q_UNUSED(libpq15)
#endif
    }

    void serviceLabels()
    {
        Scenario scenario;
        QVERIFY(scenario.addFiles({u"home/.pg_service.conf=[prod]\nhost=db.example\n"_s}));
        const auto settings = resolve(scenario, u"service=prod"_s);
        QVERIFY(settings.has_value());
        QCOMPARE(settings->origin(u"host").label(), u"from service file ~/.pg_service.conf [prod]"_s);
        QCOMPARE(settings->origin(u"host").line, 2);
        QCOMPARE(settings->origin(u"host").path, scenario.expand(u"%T/home/.pg_service.conf"_s));
        QCOMPARE(settings->serviceName(), u"prod"_s);
        QCOMPARE(settings->serviceNameOrigin().label(), u"typed"_s);
        QCOMPARE(settings->serviceFile(), scenario.expand(u"%T/home/.pg_service.conf"_s));
    }

    void secretsAreMasked()
    {
        Scenario scenario;
        scenario.addEnv({u"PGPASSWORD=s3cret"_s});
        const auto settings = resolve(scenario, u"sslpassword=k3y host=h"_s);
        QVERIFY(settings.has_value());
        const auto* password = settings->find(u"password");
        QVERIFY(password != nullptr);
        QVERIFY(password->secret);
        QCOMPARE(password->value, std::optional<QString>(u"s3cret"_s));
        QCOMPARE(password->displayValue(), u"********"_s);
        QCOMPARE(settings->find(u"sslpassword")->displayValue(), u"********"_s);
        QCOMPARE(settings->find(u"host")->displayValue(), u"h"_s);
        QVERIFY(!settings->find(u"host")->secret);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        QTest::addColumn<bool>("libpq15");

        QTest::addRow("PGSERVICEFILE missing")
            << u"service=s"_s << QStringList{u"PGSERVICEFILE=%T/none.conf"_s}
            << QStringList{u"sys/pg_service.conf=[s]\nport=1\n"_s} << u"settings.service-file-missing"_s
            << u"service file \"%T/none.conf\" not found"_s << true;
        QTest::addRow("PGSERVICEFILE empty")
            << u"service=s"_s << QStringList{u"PGSERVICEFILE="_s} << QStringList{}
            << u"settings.service-file-missing"_s << u"service file \"\" not found"_s << true;
        QTest::addRow("service not defined anywhere")
            << u"service=nope"_s << QStringList{}
            << QStringList{u"home/.pg_service.conf=[s]\n"_s, u"sys/pg_service.conf=[t]\n"_s}
            << u"settings.service-not-found"_s << u"definition of service \"nope\" not found"_s << true;
        QTest::addRow("no service files at all")
            << QString() << QStringList{u"PGSERVICE=s"_s} << QStringList{} << u"settings.service-not-found"_s
            << u"definition of service \"s\" not found"_s << true;
        QTest::addRow("empty service name")
            << u"service=''"_s << QStringList{} << QStringList{} << u"settings.service-not-found"_s
            << u"definition of service \"\" not found"_s << true;
        QTest::addRow("syntax error in user file")
            << u"service=s"_s << QStringList{} << QStringList{u"home/.pg_service.conf=[s]\nhost db\n"_s}
            << u"settings.service-file-syntax"_s
            << u"syntax error in service file \"%T/home/.pg_service.conf\", line 2"_s << true;
        QTest::addRow("syntax error in system file")
            << u"service=s"_s << QStringList{}
            << QStringList{u"home/.pg_service.conf=[t]\n"_s, u"sys/pg_service.conf=[s]\nbogus=1\n"_s}
            << u"settings.service-file-syntax"_s
            << u"syntax error in service file \"%T/sys/pg_service.conf\", line 2"_s << true;
        // libpq 15 words it `nested service specifications not supported …` (no quotes).
        QTest::addRow("nested service")
            << u"service=s"_s << QStringList{} << QStringList{u"home/.pg_service.conf=[s]\nservice=t\n"_s}
            << u"settings.service-file-nested"_s
            << u"nested \"service\" specifications not supported in service file "
               "\"%T/home/.pg_service.conf\", line 2"_s
            << false;
        QTest::addRow("too long line")
            << u"service=s"_s << QStringList{}
            << QStringList{u"home/.pg_service.conf=[s]\n#"_s + QString(1100, u'x')}
            << u"settings.service-file-line-too-long"_s
            << u"line 2 too long in service file \"%T/home/.pg_service.conf\""_s << true;
    }

    void errors()
    {
        QFETCH(QString, conninfo);
        QFETCH(QStringList, env);
        QFETCH(QStringList, files);
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(bool, libpq15);

        Scenario scenario;
        scenario.addEnv(env);
        QVERIFY(scenario.addFiles(files));
        const auto settings = resolve(scenario, conninfo);
        QVERIFY(!settings.has_value());
        QCOMPARE(settings.error().code, code);
        QCOMPARE(settings.error().message, scenario.expand(message));
        QVERIFY(!settings.error().explanation.isEmpty());

#ifdef VF_HAVE_LIBPQ
        if (libpq15) {
            const LibpqRun libpq(scenario.expand(conninfo), scenario.variables());
            QCOMPARE(libpq.error(), settings.error().message);
        }
#else
        Q_UNUSED(libpq15)
#endif
    }

    void notFoundExplainsWhereItLooked()
    {
        Scenario scenario;
        QVERIFY(scenario.addFiles({u"home/.pg_service.conf=[t]\n"_s}));
        const auto settings = resolve(scenario, u"service=s"_s);
        QVERIFY(!settings.has_value());
        QVERIFY2(settings.error().explanation.contains(u"~/.pg_service.conf (no [s] section)"_s),
                 qPrintable(settings.error().explanation));
        QVERIFY(settings.error().explanation.contains(
            scenario.expand(u"%T/sys/pg_service.conf (does not exist)"_s)));
    }

    void serviceFileDirectory()
    {
        Scenario scenario;
        QVERIFY(QDir().mkpath(scenario.expand(u"%T/home/.pg_service.conf"_s)));
        QVERIFY(scenario.addFiles({u"sys/pg_service.conf=[s]\nport=7\n"_s}));
        const auto settings = resolve(scenario, u"service=s"_s);
        QVERIFY(settings.has_value());
        QCOMPARE(settings->value(u"port"), std::optional<QString>(u"7"_s));
        QCOMPARE(settings->notes().size(), 1);
        QVERIFY(settings->notes().first().contains(u"~/.pg_service.conf is a directory"_s));
    }

    void defaultFiles_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<bool>("passwd");
        QTest::addColumn<QString>("keyword");
        QTest::addColumn<QString>("path"); // kUnset: no file
        QTest::addColumn<QString>("label");

        QTest::addRow("root.crt missing")
            << QString() << QStringList{} << QStringList{} << true << u"sslrootcert"_s
            << u"%T/home/.postgresql/root.crt"_s << u"default file ~/.postgresql/root.crt (missing)"_s;
        QTest::addRow("root.crt exists")
            << QString() << QStringList{} << QStringList{u"home/.postgresql/root.crt=x"_s} << true
            << u"sslrootcert"_s << u"%T/home/.postgresql/root.crt"_s
            << u"default file ~/.postgresql/root.crt (exists)"_s;
        QTest::addRow("empty sslrootcert uses the default")
            << u"sslrootcert=''"_s << QStringList{} << QStringList{} << true << u"sslrootcert"_s
            << u"%T/home/.postgresql/root.crt"_s << u"default file ~/.postgresql/root.crt (missing)"_s;
        QTest::addRow("typed sslrootcert") << u"sslrootcert=/ca.pem"_s << QStringList{} << QStringList{}
                                           << true << u"sslrootcert"_s << u"/ca.pem"_s << u"typed"_s;
        QTest::addRow("sslrootcert=system") << u"sslrootcert=system"_s << QStringList{} << QStringList{}
                                            << true << u"sslrootcert"_s << u"system"_s << u"typed"_s;
        QTest::addRow("root.crl default")
            << QString() << QStringList{} << QStringList{} << true << u"sslcrl"_s
            << u"%T/home/.postgresql/root.crl"_s << u"default file ~/.postgresql/root.crl (missing)"_s;
        QTest::addRow("no root.crl with sslcrldir") << u"sslcrldir=/crls"_s << QStringList{} << QStringList{}
                                                    << true << u"sslcrl"_s << kUnset.toString() << QString();
        QTest::addRow("no root.crl with PGSSLCRLDIR")
            << QString() << QStringList{u"PGSSLCRLDIR=/crls"_s} << QStringList{} << true << u"sslcrl"_s
            << kUnset.toString() << QString();
        QTest::addRow("typed sslcrl") << u"sslcrl=/my.crl"_s << QStringList{} << QStringList{} << true
                                      << u"sslcrl"_s << u"/my.crl"_s << u"typed"_s;
        QTest::addRow("empty sslcrl and sslcrldir use root.crl")
            << u"sslcrl='' sslcrldir=''"_s << QStringList{} << QStringList{} << true << u"sslcrl"_s
            << u"%T/home/.postgresql/root.crl"_s << u"default file ~/.postgresql/root.crl (missing)"_s;
        QTest::addRow("client cert") << QString() << QStringList{}
                                     << QStringList{u"home/.postgresql/postgresql.crt=x"_s} << true
                                     << u"sslcert"_s << u"%T/home/.postgresql/postgresql.crt"_s
                                     << u"default file ~/.postgresql/postgresql.crt (exists)"_s;
        QTest::addRow("client key from PGSSLKEY")
            << QString() << QStringList{u"PGSSLKEY=/k.pem"_s} << QStringList{} << true << u"sslkey"_s
            << u"/k.pem"_s << u"from PGSSLKEY"_s;
        QTest::addRow("client key default") << QString() << QStringList{} << QStringList{} << true
                                            << u"sslkey"_s << u"%T/home/.postgresql/postgresql.key"_s
                                            << u"default file ~/.postgresql/postgresql.key (missing)"_s;
        QTest::addRow("pgpass default")
            << QString() << QStringList{} << QStringList{u"home/.pgpass=x"_s} << true << u"passfile"_s
            << u"%T/home/.pgpass"_s << u"default file ~/.pgpass (exists)"_s;
        QTest::addRow("PGPASSFILE") << QString() << QStringList{u"PGPASSFILE=/p"_s} << QStringList{} << true
                                    << u"passfile"_s << u"/p"_s << u"from PGPASSFILE"_s;
        QTest::addRow("empty HOME: passwd home")
            << QString() << QStringList{u"HOME="_s} << QStringList{} << true << u"sslrootcert"_s
            << u"%T/pwhome/.postgresql/root.crt"_s << u"default file ~/.postgresql/root.crt (missing)"_s;
        QTest::addRow("no HOME and no passwd entry")
            << QString() << QStringList{u"!HOME"_s} << QStringList{} << false << u"sslrootcert"_s
            << kUnset.toString() << QString();
    }

    void defaultFiles()
    {
        QFETCH(QString, conninfo);
        QFETCH(QStringList, env);
        QFETCH(QStringList, files);
        QFETCH(bool, passwd);
        QFETCH(QString, keyword);
        QFETCH(QString, path);
        QFETCH(QString, label);

        Scenario scenario;
        scenario.addEnv(env);
        scenario.setPasswdEntry(passwd);
        QVERIFY(scenario.addFiles(files));
        const auto settings = resolve(scenario, conninfo);
        QVERIFY(settings.has_value());
        const auto file = settings->effectiveFile(keyword);
        if (path == kUnset) {
            QVERIFY(!file.has_value());
            return;
        }
        QVERIFY(file.has_value());
        QCOMPARE(file->value.value_or(kUnset.toString()), scenario.expand(path));
        QCOMPARE(file->origin.label(), label);
    }

    void noHomeIsANote()
    {
        Scenario scenario;
        scenario.addEnv({u"!HOME"_s});
        scenario.setPasswdEntry(false);
        const auto settings = resolve(scenario, QString());
        QVERIFY(settings.has_value());
        QVERIFY(!settings->homeDirectory().has_value());
        QCOMPARE(settings->notes().size(), 1);
        QVERIFY(settings->notes().first().startsWith(u"No home directory"_s));
        QVERIFY(!settings->effectiveFile(u"passfile").has_value());
    }

    void everyKeywordHasAnEntry()
    {
        Scenario scenario;
        const auto settings = resolve(scenario, QString());
        QVERIFY(settings.has_value());
        QCOMPARE(settings->values().size(), qsizetype(vf::settings::connOptions().size()));
        for (const auto& v : settings->values())
            QCOMPARE(v.value.has_value(), v.origin.source != ValueSource::Unset);
    }

    void systemEnvironmentReadsTheProcess()
    {
        qputenv("VF_TEST_VARIABLE", "42");
        const Environment env = Environment::system();
        QCOMPARE(env.variable(u"VF_TEST_VARIABLE"), std::optional<QString>(u"42"_s));
        QVERIFY(!env.variable(u"VF_TEST_VARIABLE_UNSET").has_value());
        QCOMPARE(env.osUserName(), std::optional<QString>(realUserName()));
        qunsetenv("VF_TEST_VARIABLE");
        QCOMPARE(env.sysconfDir(), qEnvironmentVariableIsSet("PGSYSCONFDIR")
                                       ? qEnvironmentVariable("PGSYSCONFDIR")
                                       : u"/etc/postgresql-common"_s);
    }
};

QTEST_GUILESS_MAIN(TestResolver)
#include "tst_resolver.moc"
