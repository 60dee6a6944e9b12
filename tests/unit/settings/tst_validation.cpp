#include "settings/ConnInfo.h"
#include "settings/Environment.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#ifdef VF_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

using namespace Qt::StringLiterals;
using vf::settings::ConnInfo;
using vf::settings::EffectiveSettings;
using vf::settings::Environment;
using vf::settings::HostEntry;
using vf::settings::OptionValidator;
using vf::settings::SettingsResolver;
using vf::settings::ValidatedOptions;

namespace {

// An environment with nothing but the given variables and a throw-away home directory.
Environment makeEnvironment(const QString& home, const QStringList& vars)
{
    Environment env;
    env.setVariable(u"HOME"_s, home);
    env.setVariable(u"PGSYSCONFDIR"_s, home);
    env.setUserNameLookup([] { return std::optional<QString>(u"tester"_s); });
    for (const QString& v : vars) {
        const qsizetype eq = v.indexOf(u'=');
        env.setVariable(v.left(eq), v.mid(eq + 1));
    }
    return env;
}

vf::Result<ValidatedOptions> validate(const QString& conninfo, const QStringList& vars, const QString& home)
{
    const auto info = ConnInfo::parse(conninfo);
    if (!info)
        return std::unexpected(info.error());
    const auto settings = SettingsResolver(makeEnvironment(home, vars)).resolve(*info);
    if (!settings)
        return std::unexpected(settings.error());
    return OptionValidator::validate(*settings);
}

#ifdef VF_HAVE_LIBPQ
// The error message the installed libpq gives before connecting (every PG* variable replaced).
QString libpqError(const QString& conninfo, const QStringList& vars, const QString& home)
{
    QHash<QString, QByteArray> saved;
    const QStringList keys = QProcessEnvironment::systemEnvironment().keys();
    for (const QString& key : keys) {
        if (key.startsWith(u"PG"_s) || key == u"HOME")
            saved.insert(key, qgetenv(key.toLocal8Bit().constData()));
    }
    for (auto it = saved.constBegin(); it != saved.constEnd(); ++it)
        qunsetenv(it.key().toLocal8Bit().constData());
    QStringList all = vars;
    all << u"HOME="_s + home << u"PGSYSCONFDIR="_s + home;
    for (const QString& v : all) {
        const qsizetype eq = v.indexOf(u'=');
        qputenv(v.left(eq).toLocal8Bit().constData(), v.mid(eq + 1).toLocal8Bit());
    }

    PGconn* conn = PQconnectStart(conninfo.toUtf8().constData());
    const QString error = QString::fromUtf8(PQerrorMessage(conn)).trimmed();
    PQfinish(conn);

    for (const QString& v : all)
        qunsetenv(v.left(v.indexOf(u'=')).toLocal8Bit().constData());
    for (auto it = saved.constBegin(); it != saved.constEnd(); ++it)
        qputenv(it.key().toLocal8Bit().constData(), it.value());
    return error;
}
#endif

} // namespace

class TestValidation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_home.isValid()); }

    void errors_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QStringList>("env");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");
        // What libpq 15 says: "=" the same, "" not comparable (option or check added after 15).
        QTest::addColumn<QString>("libpq15");

        const QString same = u"="_s;
        const QString newer;

        // 1. host/hostaddr/port lists.
        QTest::addRow("more hosts than hostaddrs")
            << u"host=a,b hostaddr=1.2.3.4"_s << QStringList{} << u"settings.host-count-mismatch"_s
            << u"could not match 2 host names to 1 hostaddr values"_s << same;
        QTest::addRow("fewer hosts than hostaddrs")
            << u"host=a hostaddr=1.2.3.4,5.6.7.8"_s << QStringList{} << u"settings.host-count-mismatch"_s
            << u"could not match 1 host names to 2 hostaddr values"_s << same;
        QTest::addRow("empty host elements count")
            << u"host=a,,b, hostaddr=1.1.1.1,2.2.2.2,3.3.3.3"_s << QStringList{}
            << u"settings.host-count-mismatch"_s << u"could not match 4 host names to 3 hostaddr values"_s
            << same;
        QTest::addRow("ports vs hosts")
            << u"host=a,b,c port=1,2"_s << QStringList{} << u"settings.port-count-mismatch"_s
            << u"could not match 2 port numbers to 3 hosts"_s << same;
        QTest::addRow("ports vs hostaddrs")
            << u"hostaddr=1.1.1.1,2.2.2.2 port=1,2,3"_s << QStringList{} << u"settings.port-count-mismatch"_s
            << u"could not match 3 port numbers to 2 hosts"_s << same;
        QTest::addRow("two ports, default host")
            << u"port=1,2"_s << QStringList{} << u"settings.port-count-mismatch"_s
            << u"could not match 2 port numbers to 1 hosts"_s << same;
        QTest::addRow("ports from PGPORT")
            << u"host=a,b"_s << QStringList{u"PGPORT=1,2,3"_s} << u"settings.port-count-mismatch"_s
            << u"could not match 3 port numbers to 2 hosts"_s << same;

        // 2. require_auth (PG16+).
        QTest::addRow("require_auth unknown")
            << u"require_auth=kerberos"_s << QStringList{} << u"settings.invalid-require-auth"_s
            << u"invalid require_auth value: \"kerberos\""_s << newer;
        QTest::addRow("require_auth case-sensitive")
            << u"require_auth=MD5"_s << QStringList{} << u"settings.invalid-require-auth"_s
            << u"invalid require_auth value: \"MD5\""_s << newer;
        QTest::addRow("require_auth empty element")
            << u"require_auth=password,"_s << QStringList{} << u"settings.invalid-require-auth"_s
            << u"invalid require_auth value: \"\""_s << newer;
        QTest::addRow("require_auth lone !")
            << u"require_auth=!"_s << QStringList{} << u"settings.invalid-require-auth"_s
            << u"invalid require_auth value: \"\""_s << newer;
        QTest::addRow("require_auth negated unknown")
            << u"require_auth=!foo"_s << QStringList{} << u"settings.invalid-require-auth"_s
            << u"invalid require_auth value: \"foo\""_s << newer;
        QTest::addRow("negative after positive")
            << u"require_auth=password,!md5"_s << QStringList{} << u"settings.require-auth-mixed"_s
            << u"negative require_auth method \"!md5\" cannot be mixed with "
               "non-negative methods"_s
            << newer;
        QTest::addRow("positive after negative")
            << u"require_auth=!password,md5"_s << QStringList{} << u"settings.require-auth-mixed"_s
            << u"require_auth method \"md5\" cannot be mixed with negative methods"_s << newer;
        QTest::addRow("duplicate password")
            << u"require_auth=password,md5,password"_s << QStringList{}
            << u"settings.require-auth-duplicate"_s
            << u"require_auth method \"password\" is specified more than once"_s << newer;
        QTest::addRow("duplicate negated md5")
            << u"require_auth=!md5,!md5"_s << QStringList{} << u"settings.require-auth-duplicate"_s
            << u"require_auth method \"!md5\" is specified more than once"_s << newer;
        QTest::addRow("duplicate scram")
            << u"require_auth=scram-sha-256,scram-sha-256"_s << QStringList{}
            << u"settings.require-auth-duplicate"_s
            << u"require_auth method \"scram-sha-256\" is specified more than once"_s << newer;
        QTest::addRow("duplicate negated oauth")
            << u"require_auth=!oauth,!oauth"_s << QStringList{} << u"settings.require-auth-duplicate"_s
            << u"require_auth method \"!oauth\" is specified more than once"_s << newer;
        QTest::addRow("duplicate none")
            << u"require_auth=none,none"_s << QStringList{} << u"settings.require-auth-duplicate"_s
            << u"require_auth method \"none\" is specified more than once"_s << newer;
        QTest::addRow("duplicate negated none")
            << u"require_auth=!none,!none"_s << QStringList{} << u"settings.require-auth-duplicate"_s
            << u"require_auth method \"!none\" is specified more than once"_s << newer;
        QTest::addRow("duplicate gss")
            << u"require_auth=gss,sspi,gss"_s << QStringList{} << u"settings.require-auth-duplicate"_s
            << u"require_auth method \"gss\" is specified more than once"_s << newer;
        QTest::addRow("require_auth from env")
            << QString() << QStringList{u"PGREQUIREAUTH=bogus"_s} << u"settings.invalid-require-auth"_s
            << u"invalid require_auth value: \"bogus\""_s << newer;

        // 3. channel_binding; also: it is checked before sslmode.
        QTest::addRow("channel_binding")
            << u"channel_binding=always"_s << QStringList{} << u"settings.invalid-channel-binding"_s
            << u"invalid channel_binding value: \"always\""_s << same;
        QTest::addRow("channel_binding empty")
            << u"channel_binding=''"_s << QStringList{} << u"settings.invalid-channel-binding"_s
            << u"invalid channel_binding value: \"\""_s << same;
        QTest::addRow("channel_binding before sslmode")
            << u"sslmode=x channel_binding=y"_s << QStringList{} << u"settings.invalid-channel-binding"_s
            << u"invalid channel_binding value: \"y\""_s << same;
        QTest::addRow("require_auth before channel_binding")
            << u"channel_binding=y require_auth=z"_s << QStringList{} << u"settings.invalid-require-auth"_s
            << u"invalid require_auth value: \"z\""_s << newer;
        QTest::addRow("hosts before require_auth")
            << u"require_auth=z host=a,b hostaddr=1.1.1.1"_s << QStringList{}
            << u"settings.host-count-mismatch"_s << u"could not match 2 host names to 1 hostaddr values"_s
            << newer;

        // 4. sslmode.
        QTest::addRow("sslmode") << u"sslmode=verify_full"_s << QStringList{} << u"settings.invalid-sslmode"_s
                                 << u"invalid sslmode value: \"verify_full\""_s << same;
        QTest::addRow("sslmode case-sensitive")
            << u"sslmode=Require"_s << QStringList{} << u"settings.invalid-sslmode"_s
            << u"invalid sslmode value: \"Require\""_s << same;
        QTest::addRow("sslmode empty from PGSSLMODE")
            << QString() << QStringList{u"PGSSLMODE="_s} << u"settings.invalid-sslmode"_s
            << u"invalid sslmode value: \"\""_s << same;

        // 5. sslnegotiation (PG17+).
        QTest::addRow("sslnegotiation") << u"sslnegotiation=requiredirect sslmode=require"_s << QStringList{}
                                        << u"settings.invalid-sslnegotiation"_s
                                        << u"invalid sslnegotiation value: \"requiredirect\""_s << newer;
        QTest::addRow("direct with default sslmode")
            << u"sslnegotiation=direct"_s << QStringList{} << u"settings.weak-sslmode-direct"_s
            << u"weak sslmode \"prefer\" may not be used with sslnegotiation=direct (use \"require\", "
               "\"verify-ca\", or \"verify-full\")"_s
            << newer;
        QTest::addRow("direct with allow from env")
            << QString() << QStringList{u"PGSSLNEGOTIATION=direct"_s, u"PGSSLMODE=allow"_s}
            << u"settings.weak-sslmode-direct"_s
            << u"weak sslmode \"allow\" may not be used with sslnegotiation=direct (use \"require\", "
               "\"verify-ca\", or \"verify-full\")"_s
            << newer;
        QTest::addRow("direct before system roots")
            << u"sslnegotiation=direct sslmode=disable sslrootcert=system"_s << QStringList{}
            << u"settings.weak-sslmode-direct"_s
            << u"weak sslmode \"disable\" may not be used with sslnegotiation=direct (use \"require\", "
               "\"verify-ca\", or \"verify-full\")"_s
            << newer;

        // 6. sslrootcert=system (PG16+).
        QTest::addRow("system roots with require")
            << u"sslrootcert=system sslmode=require"_s << QStringList{}
            << u"settings.weak-sslmode-system-roots"_s
            << u"weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")"_s
            << newer;
        QTest::addRow("system roots with verify-ca from env")
            << QString() << QStringList{u"PGSSLROOTCERT=system"_s, u"PGSSLMODE=verify-ca"_s}
            << u"settings.weak-sslmode-system-roots"_s
            << u"weak sslmode \"verify-ca\" may not be used with sslrootcert=system (use \"verify-full\")"_s
            << newer;
        QTest::addRow("system roots with PGREQUIRESSL")
            << u"sslrootcert=system"_s << QStringList{u"PGREQUIRESSL=1"_s}
            << u"settings.weak-sslmode-system-roots"_s
            << u"weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")"_s
            << newer;

        // 7. TLS protocol bounds (PG17+ wording; libpq 15/16: `invalid ssl_min_protocol_version value:
        // "%s"`).
        QTest::addRow("min version") << u"ssl_min_protocol_version=TLSv1.4"_s << QStringList{}
                                     << u"settings.invalid-ssl-min-protocol-version"_s
                                     << u"invalid \"ssl_min_protocol_version\" value: \"TLSv1.4\""_s
                                     << u"invalid ssl_min_protocol_version value: \"TLSv1.4\""_s;
        QTest::addRow("max version") << u"ssl_max_protocol_version=SSLv3"_s << QStringList{}
                                     << u"settings.invalid-ssl-max-protocol-version"_s
                                     << u"invalid \"ssl_max_protocol_version\" value: \"SSLv3\""_s
                                     << u"invalid ssl_max_protocol_version value: \"SSLv3\""_s;
        QTest::addRow("min version from env") << QString() << QStringList{u"PGSSLMINPROTOCOLVERSION=1.2"_s}
                                              << u"settings.invalid-ssl-min-protocol-version"_s
                                              << u"invalid \"ssl_min_protocol_version\" value: \"1.2\""_s
                                              << u"invalid ssl_min_protocol_version value: \"1.2\""_s;
        QTest::addRow("min checked before max")
            << u"ssl_max_protocol_version=x ssl_min_protocol_version=y"_s << QStringList{}
            << u"settings.invalid-ssl-min-protocol-version"_s
            << u"invalid \"ssl_min_protocol_version\" value: \"y\""_s
            << u"invalid ssl_min_protocol_version value: \"y\""_s;
        QTest::addRow("range with default min")
            << u"ssl_max_protocol_version=TLSv1.1"_s << QStringList{}
            << u"settings.invalid-ssl-protocol-range"_s << u"invalid SSL protocol version range"_s << same;
        QTest::addRow("range any case")
            << u"ssl_min_protocol_version=tlsv1.3 ssl_max_protocol_version=TLSV1.2"_s << QStringList{}
            << u"settings.invalid-ssl-protocol-range"_s << u"invalid SSL protocol version range"_s << same;
        QTest::addRow("max TLSv1 below min")
            << u"ssl_min_protocol_version=TLSv1.1 ssl_max_protocol_version=TLSv1"_s << QStringList{}
            << u"settings.invalid-ssl-protocol-range"_s << u"invalid SSL protocol version range"_s << same;
        QTest::addRow("versions before sslcertmode")
            << u"sslcertmode=x ssl_min_protocol_version=y"_s << QStringList{}
            << u"settings.invalid-ssl-min-protocol-version"_s
            << u"invalid \"ssl_min_protocol_version\" value: \"y\""_s << newer;

        // 8. sslcertmode (PG16+).
        QTest::addRow("sslcertmode") << u"sslcertmode=always"_s << QStringList{}
                                     << u"settings.invalid-sslcertmode"_s
                                     << u"invalid sslcertmode value: \"always\""_s << newer;
        QTest::addRow("sslcertmode from env")
            << QString() << QStringList{u"PGSSLCERTMODE=Require"_s} << u"settings.invalid-sslcertmode"_s
            << u"invalid sslcertmode value: \"Require\""_s << newer;

        // 9. gssencmode.
        QTest::addRow("gssencmode") << u"gssencmode=on"_s << QStringList{} << u"settings.invalid-gssencmode"_s
                                    << u"invalid gssencmode value: \"on\""_s << same;
        // libpq 15 on Debian has GSSAPI and accepts it.
        QTest::addRow("gssencmode require")
            << u"gssencmode=require"_s << QStringList{} << u"settings.gssencmode-unsupported"_s
            << u"gssencmode value \"require\" invalid when GSSAPI support is not "
               "compiled in"_s
            << newer;
        QTest::addRow("gssencmode after sslmode")
            << u"gssencmode=x sslmode=y"_s << QStringList{} << u"settings.invalid-sslmode"_s
            << u"invalid sslmode value: \"y\""_s << same;

        // Later checks of pqConnectOptions2().
        QTest::addRow("target_session_attrs")
            << u"target_session_attrs=master"_s << QStringList{} << u"settings.invalid-target-session-attrs"_s
            << u"invalid target_session_attrs value: \"master\""_s << same;
        QTest::addRow("load_balance_hosts")
            << u"load_balance_hosts=yes"_s << QStringList{} << u"settings.invalid-load-balance-hosts"_s
            << u"invalid load_balance_hosts value: \"yes\""_s << newer;
        QTest::addRow("min_protocol_version")
            << u"min_protocol_version=3.1"_s << QStringList{} << u"settings.invalid-min-protocol-version"_s
            << u"invalid min_protocol_version value: \"3.1\""_s << newer;
        QTest::addRow("protocol range")
            << u"min_protocol_version=latest max_protocol_version=3.0"_s << QStringList{}
            << u"settings.protocol-version-range"_s
            << u"\"min_protocol_version\" is greater than \"max_protocol_version\""_s << newer;
    }

    void errors()
    {
        QFETCH(QString, conninfo);
        QFETCH(QStringList, env);
        QFETCH(QString, code);
        QFETCH(QString, message);
        QFETCH(QString, libpq15);

        const auto result = validate(conninfo, env, m_home.path());
        QVERIFY2(!result.has_value(), "validation passed");
        QCOMPARE(result.error().code, code);
        QCOMPARE(result.error().message, message);
        QVERIFY(!result.error().explanation.isEmpty());
        QVERIFY(result.error().explanation != result.error().message);

#ifdef VF_HAVE_LIBPQ
        if (!libpq15.isEmpty())
            QCOMPARE(libpqError(conninfo, env, m_home.path()), libpq15 == u"=" ? message : libpq15);
#else
        Q_UNUSED(libpq15)
#endif
    }

    void explanationNamesTheSource()
    {
        const auto result = validate(QString(), {u"PGSSLMODE=bogus"_s}, m_home.path());
        QVERIFY(!result.has_value());
        QVERIFY2(result.error().explanation.contains(u"(sslmode is \"bogus\", from PGSSLMODE)"_s),
                 qPrintable(result.error().explanation));
    }

    void accepted_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QStringList>("env");

        QTest::addRow("defaults") << QString() << QStringList{};
        QTest::addRow("verify-full with system roots") << u"sslrootcert=system"_s << QStringList{};
        QTest::addRow("direct with require") << u"sslnegotiation=direct sslmode=require"_s << QStringList{};
        QTest::addRow("empty TLS bounds")
            << u"ssl_min_protocol_version='' ssl_max_protocol_version=''"_s << QStringList{};
        QTest::addRow("TLSv1 min allows any max")
            << u"ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=TLSv1"_s << QStringList{};
        QTest::addRow("empty min with TLSv1 max")
            << u"ssl_min_protocol_version='' ssl_max_protocol_version=tlsv1"_s << QStringList{};
        QTest::addRow("gss and sspi share a bit") << u"require_auth=gss,sspi"_s << QStringList{};
        QTest::addRow("negated gss and sspi") << u"require_auth=!gss,!sspi"_s << QStringList{};
        QTest::addRow("none with methods") << u"require_auth=none,scram-sha-256,oauth"_s << QStringList{};
        QTest::addRow("one port for many hosts") << u"host=a,b,c port=5433"_s << QStringList{};
        QTest::addRow("empty port element") << u"host=a,b port=1,"_s << QStringList{};
        QTest::addRow("sslcertmode require") << u"sslcertmode=require"_s << QStringList{};
        QTest::addRow("protocol 3.2") << u"min_protocol_version=3.2"_s << QStringList{};
    }

    void accepted()
    {
        QFETCH(QString, conninfo);
        QFETCH(QStringList, env);
        const auto result = validate(conninfo, env, m_home.path());
        QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
    }

    void validatedValues()
    {
        const auto defaults = validate(QString(), {}, m_home.path());
        QVERIFY(defaults.has_value());
        QCOMPARE(defaults->sslmode, u"prefer"_s);
        QCOMPARE(defaults->sslnegotiation, u"postgres"_s);
        QCOMPARE(defaults->sslcertmode, u"allow"_s);
        QCOMPARE(defaults->gssencmode, u"prefer"_s);
        QCOMPARE(defaults->channelBinding, u"prefer"_s);
        QCOMPARE(defaults->sslMinProtocolVersion, u"TLSv1.2"_s);
        QCOMPARE(defaults->sslMaxProtocolVersion, QString());
        QVERIFY(!defaults->systemRoots);
        QVERIFY(!defaults->requireAuth.set);
        QCOMPARE(defaults->hosts.size(), 1);
        QCOMPARE(defaults->hosts.first(), (HostEntry{u"/var/run/postgresql"_s, QString(), u"5432"_s,
                                                     HostEntry::Type::UnixSocket, true}));

        const auto system = validate(u"sslrootcert=system"_s, {}, m_home.path());
        QVERIFY(system.has_value());
        QCOMPARE(system->sslmode, u"verify-full"_s);
        QVERIFY(system->systemRoots);

        const auto hosts = validate(u"host=db.example,/tmp,,@abstract hostaddr=,,10.0.0.1, port=1,2,3,4"_s,
                                    {}, m_home.path());
        QVERIFY2(hosts.has_value(), qPrintable(hosts ? QString() : hosts.error().message));
        const QList<HostEntry> expected{
            {u"db.example"_s, QString(), u"1"_s, HostEntry::Type::Name, false},
            {u"/tmp"_s, QString(), u"2"_s, HostEntry::Type::UnixSocket, false},
            {QString(), u"10.0.0.1"_s, u"3"_s, HostEntry::Type::Address, false},
            {u"@abstract"_s, QString(), u"4"_s, HostEntry::Type::UnixSocket, false},
        };
        QCOMPARE(hosts->hosts, expected);

        const auto auth = validate(u"require_auth=!password,!md5"_s, {}, m_home.path());
        QVERIFY(auth.has_value());
        QVERIFY(auth->requireAuth.set);
        QVERIFY(auth->requireAuth.negated);
        QCOMPARE(auth->requireAuth.methods, (QStringList{u"password"_s, u"md5"_s}));
    }

private:
    QTemporaryDir m_home;
};

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
