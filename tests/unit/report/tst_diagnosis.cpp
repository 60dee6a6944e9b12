// The diagnosis of a connection check: for every kind of failure (built as the engine reports it, with
// real certificates and files so that the chain is verified again) libpq's wording, the key phrases of
// the explanation and the concrete fix, and the provenance of the settings; for successes the
// warnings (plaintext fallback, require behaving as verify-ca, an unchecked identity).

#include "TestPki.h"
#include "pki/Certificate.h"
#include "pki/PkiTypes.h"
#include "report/ChainCheck.h"
#include "report/Diagnosis.h"
#include "settings/ConnInfo.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace vf;
using namespace vf::test;
using namespace vf::report;
using namespace vf::session;
using namespace Qt::StringLiterals;

namespace {

struct Scenario
{
    ConnectionReport report;
    std::optional<settings::EffectiveSettings> settings;
    std::optional<settings::ValidatedOptions> options;
    bool inspect = false;
};

Error err(const char* code, const QString& message, const QString& explanation = {})
{
    return Error{QString::fromLatin1(code), message, explanation, {}};
}

pki::Certificate cert(const TestCert& c)
{
    return pki::Certificate::fromDer(c.der());
}

QString textOf(const Finding& f)
{
    return QStringList{f.libpqMessage, f.summary, f.explanation, f.fixes.join(u'\n'), f.evidence.join(u'\n')}
        .join(u'\n');
}

} // namespace

class TestDiagnosis : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_home;
    TestCert m_root, m_inter, m_server, m_otherRoot, m_sameNameRoot, m_expired, m_future, m_selfSigned,
        m_clientOnly, m_soon, m_client, m_ipServer;
    QHash<QString, std::function<Scenario()>> m_scenarios;

    QString file(const QString& name, const QByteArray& data, int mode = 0600)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        TestPki::chmod(path, mode);
        return path;
    }

    // Settings as the resolver makes them, with HOME in the test directory and extra variables.
    void resolve(Scenario& s, const QString& conninfo, const QHash<QString, QString>& env = {}) const
    {
        settings::Environment e;
        e.setVariable(u"HOME"_s, m_home);
        e.setUserNameLookup([] { return std::optional<QString>(u"alice"_s); });
        for (auto it = env.cbegin(); it != env.cend(); ++it)
            e.setVariable(it.key(), it.value());
        auto info = settings::ConnInfo::parse(conninfo);
        if (!info)
            qFatal("bad conninfo in the test: %s", qPrintable(info.error().message));
        auto resolved = settings::SettingsResolver(e).resolve(*info);
        if (!resolved)
            qFatal("cannot resolve: %s", qPrintable(resolved.error().message));
        auto validated = settings::OptionValidator::validate(*resolved);
        if (!validated)
            qFatal("invalid: %s", qPrintable(validated.error().message));
        s.settings = *resolved;
        s.options = *validated;
    }

    static AttemptReport attempt(const QString& host = u"db.example.com"_s,
                                 const QString& addr = u"192.0.2.10"_s)
    {
        AttemptReport a;
        a.host = host;
        a.hostaddr = addr;
        a.port = 5432;
        return a;
    }

    static tls::TlsFacts facts(const QList<TestCert>& chain, const QString& root, bool crl = false)
    {
        tls::TlsFacts f;
        f.protocol = u"TLSv1.3"_s;
        f.cipher = u"TLS_AES_256_GCM_SHA384"_s;
        f.cipherBits = 256;
        for (const TestCert& c : chain)
            f.presentedChain << cert(c);
        f.verificationEnabled = !root.isEmpty();
        f.rootCertPath = root;
        f.crlChecking = crl;
        return f;
    }

    // A check that failed with `e` in `phase` (one SSL try).
    Scenario failing(const QString& conninfo, const Error& e, Phase phase,
                     std::optional<tls::TlsFacts> tls = {}, const QHash<QString, QString>& env = {},
                     AttemptReport a = attempt()) const
    {
        Scenario s;
        resolve(s, conninfo, env);
        a.error = e;
        a.tries << MethodTry{EncryptionMethod::Ssl, true, false, e.message};
        a.phases << PhaseTiming{Phase::TcpConnect, 0, 1000, true} << PhaseTiming{phase, 1000, 2000, false};
        a.tls = tls;
        if (tls && !tls->presentedChain.isEmpty())
            a.hostName = pki::HostNameMatcher::match(tls->presentedChain.first(), a.host);
        s.report.attempts << a;
        s.report.error = e;
        s.report.libpqMessage =
            u"connection to server at \"%1\" (%2), port 5432 failed: "_s.arg(a.host, a.hostaddr) + e.message;
        return s;
    }

    // A check that succeeded.
    Scenario succeeding(const QString& conninfo, std::optional<tls::TlsFacts> tls, const QString& authMethod,
                        const QList<MethodTry>& tries = {}, const QHash<QString, QString>& env = {},
                        AttemptReport a = attempt()) const
    {
        Scenario s;
        resolve(s, conninfo, env);
        a.success = true;
        a.tls = tls;
        a.finalMethod = tries.isEmpty() || tries.last().method == EncryptionMethod::Ssl
                            ? EncryptionMethod::Ssl
                            : EncryptionMethod::Plaintext;
        a.tries =
            tries.isEmpty() ? QList<MethodTry>{MethodTry{EncryptionMethod::Ssl, true, true, {}}} : tries;
        if (tls && !tls->presentedChain.isEmpty())
            a.hostName = pki::HostNameMatcher::match(tls->presentedChain.first(), a.host);
        a.authMethod = authMethod;
        a.channelBound = authMethod == u"SCRAM-SHA-256-PLUS";
        a.server.currentUser = u"alice"_s;
        a.server.version = u"PostgreSQL 15"_s;
        s.report.attempts << a;
        s.report.success = true;
        return s;
    }

    Diagnosis diagnose(const Scenario& s) const
    {
        DiagnosisContext c;
        c.settings = s.settings ? &*s.settings : nullptr;
        c.options = s.options ? &*s.options : nullptr;
        c.inspectOnly = s.inspect;
        return Diagnosis::diagnose(s.report, c);
    }

    void add(const QString& name, std::function<Scenario()> build)
    {
        m_scenarios.insert(name, std::move(build));
    }

    void buildScenarios();

private Q_SLOTS:
    void initTestCase();
    void findings_data();
    void findings();
    void verdicts();
    void issueExamples();
    void chainCheck_data();
    void chainCheck();
    void chainCheckInputErrors();
    void findingCodesAreDocumented();
};

void TestDiagnosis::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_home = m_dir.filePath(u"home"_s);
    QVERIFY(QDir().mkpath(m_home));
    m_root = TestPki::makeCert(TestPki::rootSpec(u"Corp Root 2023"_s));
    m_inter = TestPki::makeCert(TestPki::intermediateSpec(u"Corp Issuing CA"_s), &m_root);
    m_server = TestPki::makeCert(TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s}), &m_inter);
    m_otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Corp Root 2019"_s));
    m_sameNameRoot = TestPki::makeCert(TestPki::rootSpec(u"Corp Root 2023"_s)); // re-created: another key
    CertSpec expired = TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s});
    expired.notBeforeOffset = -400 * 86400;
    expired.notAfterOffset = -10 * 86400;
    m_expired = TestPki::makeCert(expired, &m_inter);
    CertSpec future = TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s});
    future.notBeforeOffset = 5 * 86400;
    m_future = TestPki::makeCert(future, &m_inter);
    CertSpec soon = TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s});
    soon.notAfterOffset = 5 * 86400;
    m_soon = TestPki::makeCert(soon, &m_inter);
    m_selfSigned = TestPki::makeCert(TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s}));
    CertSpec clientOnly = TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s});
    clientOnly.extendedKeyUsage = u"clientAuth"_s;
    m_clientOnly = TestPki::makeCert(clientOnly, &m_inter);
    m_client = TestPki::makeCert(TestPki::clientSpec(u"alice"_s), &m_root);
    CertSpec ipServer = TestPki::serverSpec(u"db.internal"_s, {u"db.internal"_s});
    ipServer.ipAddresses = {u"10.0.0.5"_s};
    m_ipServer = TestPki::makeCert(ipServer, &m_inter);
    buildScenarios();
}

void TestDiagnosis::buildScenarios()
{
    const QString root = file(u"root.crt"_s, m_root.pem());
    const QString other = file(u"other.crt"_s, m_otherRoot.pem());
    const QString sameName = file(u"same-name.crt"_s, m_sameNameRoot.pem());
    const QString interOnly = file(u"inter-only.crt"_s, m_inter.pem());
    const QString vf = u"host=db.example.com user=alice dbname=app sslmode=verify-full sslrootcert="_s;
    const QString verifyFailed = u"SSL error: certificate verify failed"_s;
    auto fatal = [](const QString& text, const QString& state) {
        return err("server.error", u"FATAL:  "_s + text, state);
    };

    // Server errors.
    add(u"hba no encryption"_s, [=, this] {
        return failing(
            u"host=db.example.com user=alice dbname=app sslmode=disable"_s,
            fatal(u"no pg_hba.conf entry for host \"10.0.0.1\", user \"alice\", database \"app\", no "
                  u"encryption"_s,
                  u"28000"_s),
            Phase::Authentication);
    });
    add(u"hba ssl"_s, [=, this] {
        return failing(
            u"host=db.example.com user=alice dbname=app sslmode=require"_s,
            fatal(u"no pg_hba.conf entry for host \"10.0.0.1\", user \"alice\", database \"app\", SSL "
                  u"encryption"_s,
                  u"28000"_s),
            Phase::Authentication);
    });
    add(u"hba reject ssl"_s, [=, this] {
        return failing(
            u"host=db.example.com user=alice dbname=app sslmode=require"_s,
            fatal(u"pg_hba.conf rejects connection for host \"10.0.0.1\", user \"alice\", database \"app\", "
                  u"SSL encryption"_s,
                  u"28000"_s),
            Phase::Authentication);
    });
    add(u"password from PGPASSWORD"_s, [=, this] {
        return failing(u"host=db.example.com user=alice dbname=app sslmode=require"_s,
                       fatal(u"password authentication failed for user \"alice\""_s, u"28P01"_s),
                       Phase::Authentication, std::nullopt, {{u"PGPASSWORD"_s, u"s3cret-value"_s}});
    });
    add(u"password from pgpass"_s, [=, this] {
        const QString pgpass = m_dir.filePath(u"pgpass"_s);
        TestPki::writeFile(pgpass, "db.example.com:5432:app:alice:from-pgpass\n");
        return failing(u"host=db.example.com user=alice dbname=app sslmode=require passfile="_s + pgpass,
                       fatal(u"password authentication failed for user \"alice\""_s, u"28P01"_s),
                       Phase::Authentication);
    });
    add(u"no database"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s,
                       fatal(u"database \"alice\" does not exist"_s, u"3D000"_s), Phase::Authentication);
    });
    add(u"role missing"_s, [=, this] {
        return failing(u"host=db.example.com dbname=app sslmode=require"_s,
                       fatal(u"role \"alice\" does not exist"_s, u"28000"_s), Phase::Authentication);
    });
    add(u"too many"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s,
                       fatal(u"sorry, too many clients already"_s, u"53300"_s), Phase::Authentication);
    });
    add(u"starting up"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s,
                       fatal(u"the database system is starting up"_s, u"57P03"_s), Phase::Authentication);
    });
    add(u"no connect privilege"_s, [=, this] {
        return failing(u"host=db.example.com dbname=app sslmode=require"_s,
                       fatal(u"permission denied for database \"app\""_s, u"42501"_s), Phase::Authentication);
    });
    add(u"cert auth failed"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s,
                       fatal(u"certificate authentication failed for user \"alice\""_s, u"28000"_s),
                       Phase::Authentication);
    });
    add(u"other server error"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s,
                       fatal(u"the frobnicator is broken"_s, u"XX000"_s), Phase::Authentication);
    });

    // Connection.
    add(u"refused"_s, [=, this] {
        AttemptReport a = attempt();
        a.port = 5433;
        return failing(u"host=db.example.com port=5433 sslmode=require"_s,
                       err("session.connect",
                           u"Connection refused\n\tIs the server running on that host and accepting TCP/IP "
                           u"connections?"_s),
                       Phase::TcpConnect, std::nullopt, {}, a);
    });
    add(u"dns"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require"_s,
            err("session.connect",
                u"could not translate host name \"db.example.com\" to address: Name or service not known"_s),
            Phase::Dns);
    });
    add(u"connect timeout"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require connect_timeout=3"_s,
                       err("session.connect", u"timeout expired"_s), Phase::TcpConnect);
    });
    add(u"socket missing"_s, [=, this] {
        AttemptReport a = attempt(u"/var/run/postgresql"_s, u"/var/run/postgresql/.s.PGSQL.5432"_s);
        a.unixSocket = true;
        return failing(
            u"host=/var/run/postgresql"_s,
            err("session.connect",
                u"No such file or directory\n\tIs the server running locally and accepting connections "
                u"on that socket?"_s),
            Phase::TcpConnect, std::nullopt, {}, a);
    });
    add(u"handshake timeout"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s, err("session.timeout", u"timeout expired"_s),
                       Phase::TlsHandshake);
    });

    // Negotiation.
    add(u"no ssl"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s,
                       err("negotiation.no-ssl", u"server does not support SSL, but SSL was required"_s),
                       Phase::SslNegotiation);
    });
    add(u"error response"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require"_s,
            err("negotiation.error-response", u"server sent an error response during SSL exchange"_s),
            Phase::SslNegotiation);
    });
    add(u"invalid response"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require"_s,
            err("negotiation.invalid-response", u"received invalid response to SSL negotiation: H"_s),
            Phase::SslNegotiation);
    });
    add(u"unencrypted data"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s,
                       err("negotiation.unencrypted-data", u"received unencrypted data after SSL response"_s),
                       Phase::TlsHandshake);
    });
    add(u"gssencmode"_s, [=, this] {
        // (OptionValidator already refuses gssencmode=require in this build; the engine's own check stays.)
        return failing(u"host=db.example.com"_s,
                       err("settings.gssencmode", u"GSSAPI encryption required but no credential cache"_s),
                       Phase::TcpConnect);
    });

    // Root certificates.
    add(u"root tilde"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=verify-full sslrootcert=~/ca.pem"_s,
            err("tls.root-missing",
                u"root certificate file \"~/ca.pem\" does not exist\nEither provide the file, use the "
                u"system's trusted roots with sslrootcert=system, or change sslmode to disable server "
                u"certificate verification."_s),
            Phase::TlsHandshake);
    });
    add(u"root default missing"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=verify-ca"_s,
            err("tls.root-missing",
                u"root certificate file \"%1/.postgresql/root.crt\" does not exist\nEither provide the "
                u"file, use the system's trusted roots with sslrootcert=system, or change sslmode to "
                u"disable server certificate verification."_s.arg(m_home)),
            Phase::TlsHandshake);
    });
    add(u"root der"_s, [=, this] {
        const QString der = file(u"root.der"_s, m_root.der());
        return failing(
            u"host=db.example.com sslmode=verify-full sslrootcert="_s + der,
            err("tls.root-unreadable",
                u"could not read root certificate file \"%1\": no certificate or crl found"_s.arg(der)),
            Phase::TlsHandshake);
    });
    add(u"root p7b"_s, [=, this] {
        const QString p7 = file(u"bundle.p7b"_s, TestPki::pkcs7Der({m_root, m_inter}));
        return failing(
            u"host=db.example.com sslmode=verify-full sslrootcert="_s + p7,
            err("tls.root-unreadable",
                u"could not read root certificate file \"%1\": no certificate or crl found"_s.arg(p7)),
            Phase::TlsHandshake);
    });

    // Client certificate and key.
    add(u"key permissions"_s, [=, this] {
        const QString key = file(u"open.key"_s, m_client.keyBytes(), 0644);
        return failing(
            u"host=db.example.com sslmode=verify-full sslrootcert=%1 sslkey=%2"_s.arg(root, key),
            err("pki.key-permissions",
                u"private key file \"%1\" has group or world access; file must have permissions u=rw "
                u"(0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if "
                u"owned by root"_s.arg(key)),
            Phase::TlsHandshake);
    });
    add(u"key passphrase missing"_s, [=, this] {
        const QString key = file(u"enc.key"_s, m_client.keyBytes(KeyFormat::Pkcs8Pem, "pw"));
        return failing(
            u"host=db.example.com sslmode=verify-full sslrootcert=%1 sslkey=%2"_s.arg(root, key),
            err("tls.key-passphrase", u"could not load private key file \"%1\": bad decrypt"_s.arg(key)),
            Phase::TlsHandshake);
    });
    add(u"key passphrase wrong"_s, [=, this] {
        const QString key = file(u"enc2.key"_s, m_client.keyBytes(KeyFormat::Pkcs8Pem, "pw"));
        return failing(
            u"host=db.example.com sslmode=verify-full sslpassword=wrong-one sslrootcert=%1 sslkey=%2"_s.arg(
                root, key),
            err("tls.key-passphrase", u"could not load private key file \"%1\": bad decrypt"_s.arg(key)),
            Phase::TlsHandshake);
    });
    add(u"key missing"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require"_s,
            err("pki.key-missing",
                u"certificate present, but not private key file \"%1/.postgresql/postgresql.key\""_s.arg(
                    m_home)),
            Phase::TlsHandshake);
    });
    add(u"key mismatch"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require sslkey=/k/client.key"_s,
            err("tls.key-mismatch",
                u"certificate does not match private key file \"/k/client.key\": key values mismatch"_s),
            Phase::TlsHandshake);
    });
    add(u"key pkcs12"_s, [=, this] {
        const QString p12 = file(u"client.p12"_s, TestPki::pkcs12(m_client, {}, QByteArray()));
        return failing(u"host=db.example.com sslmode=require sslkey="_s + p12,
                       err("tls.key-load", u"could not load private key file \"%1\": unsupported"_s.arg(p12)),
                       Phase::TlsHandshake);
    });
    add(u"client cert der"_s, [=, this] {
        const QString der = file(u"client.der"_s, m_client.der());
        return failing(
            u"host=db.example.com sslmode=require sslcert="_s + der,
            err("tls.cert-read", u"could not read certificate file \"%1\": no start line"_s.arg(der)),
            Phase::TlsHandshake);
    });

    // Chains the server presented, verified again.
    add(u"unknown root"_s, [=, this] {
        return failing(vf + other, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_server, m_inter}, other));
    });
    add(u"missing intermediate"_s, [=, this] {
        return failing(vf + root, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_server}, root));
    });
    add(u"root presented, not trusted"_s, [=, this] {
        return failing(vf + other, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_server, m_inter, m_root}, other));
    });
    add(u"root re-created"_s, [=, this] {
        return failing(vf + sameName, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_server, m_inter, m_root}, sameName));
    });
    add(u"intermediate as root"_s, [=, this] {
        return failing(vf + interOnly, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_server, m_inter}, interOnly));
    });
    add(u"expired"_s, [=, this] {
        return failing(vf + root, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_expired, m_inter}, root));
    });
    add(u"not yet valid"_s, [=, this] {
        return failing(vf + root, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_future, m_inter}, root));
    });
    add(u"self-signed server"_s, [=, this] {
        return failing(vf + root, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_selfSigned}, root));
    });
    add(u"wrong purpose"_s, [=, this] {
        return failing(vf + root, err("tls.verify-failed", verifyFailed), Phase::TlsHandshake,
                       facts({m_clientOnly, m_inter}, root));
    });
    add(u"revoked"_s, [=, this] {
        const QString crl =
            file(u"all.crl"_s, TestPki::crlPem(m_inter, {m_server}) + TestPki::crlPem(m_root, {}));
        return failing(vf + root + u" sslcrl="_s + crl, err("tls.verify-failed", verifyFailed),
                       Phase::TlsHandshake, facts({m_server, m_inter}, root, true));
    });
    add(u"crl missing"_s, [=, this] {
        const QString crl = file(u"inter.crl"_s, TestPki::crlPem(m_inter, {}));
        return failing(vf + root + u" sslcrl="_s + crl, err("tls.verify-failed", verifyFailed),
                       Phase::TlsHandshake, facts({m_server, m_inter}, root, true));
    });
    add(u"crl expired"_s, [=, this] {
        const QString crl = file(u"old.crl"_s, TestPki::crlPem(m_inter, {}, -40 * 86400, -10 * 86400) +
                                                   TestPki::crlPem(m_root, {}));
        return failing(vf + root + u" sslcrl="_s + crl, err("tls.verify-failed", verifyFailed),
                       Phase::TlsHandshake, facts({m_server, m_inter}, root, true));
    });
    add(u"system roots"_s, [=, this] {
        return failing(u"host=db.example.com sslrootcert=system"_s,
                       err("tls.verify-failed", u"SSL error: certificate verify failed"_s),
                       Phase::TlsHandshake, facts({m_server, m_inter}, u"system"_s));
    });

    // Host name.
    add(u"hostname mismatch"_s, [=, this] {
        Scenario s = failing(vf + root, err("pki.hostname-mismatch", {}), Phase::TlsHandshake,
                             facts({m_ipServer, m_inter}, root));
        s.report.attempts[0].error->message = s.report.attempts[0].hostName->message;
        s.report.attempts[0].tries[0].failure = s.report.attempts[0].hostName->message;
        return s;
    });
    add(u"hostname missing"_s, [=, this] {
        AttemptReport a = attempt(QString(), u"192.0.2.10"_s);
        Scenario s = failing(
            u"hostaddr=192.0.2.10 sslmode=verify-full sslrootcert="_s + root,
            err("pki.hostname-missing-host", u"host name must be specified for a verified SSL connection"_s),
            Phase::TlsHandshake, facts({m_server, m_inter}, root), {}, a);
        return s;
    });

    // Handshake.
    add(u"protocol version"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require ssl_min_protocol_version=TLSv1.3"_s,
            err("tls.handshake",
                u"SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not "
                u"support any SSL protocol version between TLSv1.3 and TLSv1.3."_s),
            Phase::TlsHandshake, tls::TlsFacts());
    });
    add(u"certificate required"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require"_s,
                       err("tls.read", u"SSL error: tlsv13 alert certificate required"_s), Phase::Startup,
                       facts({m_server, m_inter}, QString()));
    });
    add(u"unknown ca alert"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require sslcert=/c/client.crt"_s,
                       err("tls.handshake", u"SSL error: tlsv1 alert unknown ca"_s), Phase::TlsHandshake,
                       facts({m_server, m_inter}, QString()));
    });
    add(u"wrong version number"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require"_s,
            err("tls.handshake",
                u"SSL error: wrong version number\nThis may indicate that the server does not support any "
                u"SSL protocol version between TLSv1.2 and TLSv1.3."_s),
            Phase::TlsHandshake, tls::TlsFacts());
    });
    add(u"eof"_s, [=, this] {
        tls::TlsFacts f = facts({m_server, m_inter}, QString());
        f.clientCertificateRequested = true;
        return failing(u"host=db.example.com sslmode=require"_s,
                       err("tls.eof", u"SSL SYSCALL error: EOF detected"_s), Phase::TlsHandshake, f);
    });

    // Authentication.
    add(u"channel binding without tls"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=prefer channel_binding=require"_s,
                       err("auth.channel-binding", u"channel binding required, but SSL not in use"_s),
                       Phase::Authentication);
    });
    add(u"channel binding not offered"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require channel_binding=require"_s,
            err("auth.channel-binding",
                u"channel binding is required, but server did not offer an authentication method that "
                u"supports channel binding"_s),
            Phase::Authentication);
    });
    add(u"require_auth"_s, [=, this] {
        return failing(
            u"host=db.example.com sslmode=require require_auth=scram-sha-256"_s,
            err("auth.require-auth",
                u"authentication method requirement \"scram-sha-256\" failed: server requested a hashed "
                u"password"_s),
            Phase::Authentication);
    });
    add(u"sslcertmode not requested"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=require sslcertmode=require"_s,
                       err("auth.cert-not-requested", u"server did not request an SSL certificate"_s),
                       Phase::Authentication);
    });
    add(u"no password"_s, [=, this] {
        TestPki::writeFile(m_home + u"/.pgpass"_s, "other.example.com:*:*:*:pw\n");
        return failing(u"host=db.example.com user=alice dbname=app sslmode=require"_s,
                       err("auth.no-password", u"fe_sendauth: no password supplied"_s),
                       Phase::Authentication);
    });
    add(u"plus over plaintext"_s, [=, this] {
        return failing(u"host=db.example.com sslmode=prefer"_s,
                       err("auth.plus-without-ssl",
                           u"server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection"_s),
                       Phase::Authentication);
    });

    // Successes.
    add(u"plaintext fallback"_s, [=, this] {
        return succeeding(u"host=db.example.com user=alice sslmode=prefer"_s,
                          facts({m_server, m_inter}, root), u"SCRAM-SHA-256"_s,
                          {MethodTry{EncryptionMethod::Ssl, true, false, verifyFailed},
                           MethodTry{EncryptionMethod::Plaintext, true, true, {}}});
    });
    add(u"plaintext disable md5"_s, [=, this] {
        return succeeding(u"host=db.example.com sslmode=disable"_s, std::nullopt, u"md5"_s,
                          {MethodTry{EncryptionMethod::Plaintext, true, true, {}}});
    });
    add(u"plaintext allow"_s, [=, this] {
        return succeeding(u"host=db.example.com sslmode=allow"_s, std::nullopt, u"SCRAM-SHA-256"_s,
                          {MethodTry{EncryptionMethod::Plaintext, true, true, {}}});
    });
    add(u"require with default root"_s, [=, this] {
        const QString home = m_dir.filePath(u"home-with-root"_s);
        QDir().mkpath(home + u"/.postgresql"_s);
        TestPki::writeFile(home + u"/.postgresql/root.crt"_s, m_root.pem());
        return succeeding(u"host=db.example.com sslmode=require"_s,
                          facts({m_server, m_inter}, home + u"/.postgresql/root.crt"_s),
                          u"SCRAM-SHA-256-PLUS"_s, {}, {{u"HOME"_s, home}});
    });
    add(u"require without root"_s, [=, this] {
        return succeeding(u"host=db.example.com sslmode=require"_s, facts({m_server, m_inter}, QString()),
                          u"SCRAM-SHA-256-PLUS"_s);
    });
    add(u"require without root, self-signed root presented"_s, [=, this] {
        return succeeding(u"host=db.example.com sslmode=require"_s,
                          facts({m_server, m_inter, m_root}, QString()), u"SCRAM-SHA-256-PLUS"_s);
    });
    add(u"verify-ca host mismatch"_s, [=, this] {
        return succeeding(u"host=db.example.com sslmode=verify-ca sslrootcert="_s + root,
                          facts({m_ipServer, m_inter}, root), u"SCRAM-SHA-256-PLUS"_s);
    });
    add(u"verify-full ok"_s, [=, this] {
        return succeeding(vf + root, facts({m_server, m_inter}, root), u"SCRAM-SHA-256-PLUS"_s);
    });
    add(u"expiring soon"_s, [=, this] {
        return succeeding(vf + root, facts({m_soon, m_inter}, root), u"SCRAM-SHA-256-PLUS"_s);
    });
    add(u"scram without plus"_s, [=, this] {
        return succeeding(vf + root, facts({m_server, m_inter}, root), u"SCRAM-SHA-256"_s);
    });
    add(u"unix socket"_s, [=, this] {
        AttemptReport a = attempt(u"/var/run/postgresql"_s, u"/var/run/postgresql/.s.PGSQL.5432"_s);
        a.unixSocket = true;
        return succeeding(u"host=/var/run/postgresql"_s, std::nullopt,
                          u"none requested (trust or certificate)"_s,
                          {MethodTry{EncryptionMethod::Plaintext, true, true, {}}}, {}, a);
    });
    add(u"inspect"_s, [=, this] {
        Scenario s = succeeding(vf + root, facts({m_server, m_inter}, root), QString());
        s.inspect = true;
        return s;
    });
    add(u"first host refused"_s, [=, this] {
        Scenario s =
            succeeding(u"host=db1.example.com,db.example.com sslmode=verify-full sslrootcert="_s + root,
                       facts({m_server, m_inter}, root), u"SCRAM-SHA-256-PLUS"_s);
        AttemptReport first = attempt(u"db1.example.com"_s, u"192.0.2.9"_s);
        first.error = err("session.connect", u"Connection refused\n\tIs the server running on that host and "
                                             u"accepting TCP/IP connections?"_s);
        s.report.attempts.prepend(first);
        return s;
    });
}

void TestDiagnosis::findings_data()
{
    QTest::addColumn<QString>("scenario");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("severity");
    QTest::addColumn<QStringList>("phrases");

    auto row = [](const char* scenario, const char* code, const char* severity, const QStringList& phrases) {
        QTest::addRow("%s", scenario) << QString::fromUtf8(scenario) << QString::fromLatin1(code)
                                      << QString::fromLatin1(severity) << phrases;
    };
    row("hba no encryption", "no-hba-entry-without-encryption", "error",
        {u"no pg_hba.conf entry for host \"10.0.0.1\", user \"alice\", database \"app\", no encryption"_s,
         u"unencrypted connection from 10.0.0.1"_s, u"sslmode=verify-full"_s, u"sslmode=disable (typed)"_s});
    row("hba ssl", "no-hba-entry", "error",
        {u"accepts a TLS connection"_s, u"hostssl app alice 10.0.0.1/32 scram-sha-256"_s});
    row("hba reject ssl", "hba-reject", "error", {u"refuses this TLS connection"_s, u"allow TLS"_s});
    row("password from PGPASSWORD", "password-failed", "error",
        {u"password authentication failed for user \"alice\""_s, u"password is set (from PGPASSWORD)"_s,
         u"ALTER ROLE alice PASSWORD"_s, u"SQLSTATE 28P01"_s});
    row("password from pgpass", "password-failed", "error", {u"line 1 of the password file"_s});
    row("no database", "database-missing", "error",
        {u"database \"alice\" does not exist"_s, u"dbname=alice (default (same as the user name))"_s,
         u"dbname=postgres"_s});
    row("role missing", "role-missing", "error",
        {u"user=alice (default (operating-system user name))"_s, u"CREATE ROLE"_s});
    row("too many", "too-many-connections", "error",
        {u"max_connections"_s, u"sorry, too many clients already"_s});
    row("starting up", "server-not-ready", "error", {u"starting up"_s, u"next host"_s});
    row("no connect privilege", "no-connect-privilege", "error",
        {u"GRANT CONNECT ON DATABASE app TO alice"_s});
    row("cert auth failed", "client-certificate-refused", "error", {u"common name"_s, u"pg_ident.conf"_s});
    row("other server error", "server-error", "error", {u"the frobnicator is broken"_s});
    row("refused", "connection-refused", "error",
        {u"Connection refused"_s, u"listen_addresses"_s, u"port=5433 (typed)"_s, u"port 5433"_s});
    row("dns", "dns-failure", "error", {u"does not resolve"_s, u"hostaddr=<IP address>"_s});
    row("connect timeout", "connect-timeout", "error",
        {u"did not accept the connection in time"_s, u"connect_timeout=3 (typed)"_s});
    row("socket missing", "socket-missing", "error", {u"unix_socket_directories"_s});
    row("handshake timeout", "timeout", "error", {u"during TLS handshake"_s, u"sslnegotiation=direct"_s});
    row("no ssl", "server-no-ssl", "error",
        {u"server does not support SSL, but SSL was required"_s, u"ssl = on"_s, u"PgBouncer"_s});
    row("error response", "ssl-error-response", "error",
        {u"server sent an error response during SSL exchange"_s});
    row("invalid response", "not-postgresql", "error", {u"another service"_s});
    row("unencrypted data", "unencrypted-data-after-ssl", "error", {u"CVE-2021-23222"_s});
    row("gssencmode", "gssencmode-required", "error", {u"gssencmode=prefer"_s});
    row("root tilde", "root-file-missing", "error",
        {u"does not expand \"~\""_s, u"sslrootcert=~/ca.pem (typed)"_s, u"sslrootcert=system"_s});
    row("root default missing", "root-file-missing", "error",
        {u"sslrootcert is not set, so libpq uses its default file ~/.postgresql/root.crt (it does not exist)"_s,
         u"sslmode=verify-ca checks the server"_s});
    row("root der", "root-file-unreadable", "error", {u"openssl x509 -inform DER -in"_s, u"(DER)"_s});
    row("root p7b", "root-file-unreadable", "error", {u"openssl pkcs7 -print_certs -inform DER"_s});
    row("key permissions", "key-permissions", "error",
        {u"has group or world access"_s, u"chmod 0600 "_s, u"(mode 0644)"_s});
    row("key passphrase missing", "key-passphrase", "error",
        {u"bad decrypt"_s, u"no passphrase (or a wrong one)"_s, u"Set sslpassword"_s, u"PEM, encrypted"_s});
    row("key passphrase wrong", "key-passphrase", "error",
        {u"The passphrase in sslpassword does not open"_s, u"sslpassword is set (typed)"_s});
    row("key missing", "client-key-missing", "error",
        {u"certificate present, but not private key file"_s, u"sslcertmode=disable"_s,
         u"sslcert is not set, so libpq uses its default file ~/.postgresql/postgresql.crt"_s});
    row("key mismatch", "key-mismatch", "error", {u"does not belong to the client certificate"_s});
    row("key pkcs12", "client-key-unreadable", "error", {u"openssl pkcs12"_s, u"-nocerts -nodes"_s});
    row("client cert der", "client-certificate-unreadable", "error", {u"openssl x509 -inform DER"_s});
    row("unknown root", "chain-unknown-root", "error",
        {u"SSL error: certificate verify failed"_s, u"holds \"Corp Root 2019\""_s,
         u"ends at \"Corp Issuing CA\", which was issued by \"Corp Root 2023\": add that root"_s});
    row("missing intermediate", "chain-missing-intermediate", "error",
        {u"The server did not send the intermediate \"Corp Issuing CA\""_s,
         u"configure ssl_cert_file with the full chain"_s,
         u"add the intermediate \"Corp Issuing CA\" to your root file"_s});
    row("root presented, not trusted", "chain-unknown-root", "error",
        {u"holds \"Corp Root 2019\", but the server's chain ends at \"Corp Root 2023\": add that root"_s,
         u"SHA-256"_s});
    row("root re-created", "chain-root-replaced", "error",
        {u"another key"_s, u"Replace \"Corp Root 2023\""_s});
    row("intermediate as root", "chain-intermediate-as-root", "error",
        {u"holds the intermediate \"Corp Issuing CA\" but not the root \"Corp Root 2023\""_s,
         u"self-signed root"_s});
    row("expired", "certificate-expired", "error",
        {u"The server certificate \"db.example.com\" expired on"_s, u"renew the server certificate"_s,
         u"clock"_s});
    row("not yet valid", "certificate-not-yet-valid", "error",
        {u"is not valid before"_s, u"date and time"_s});
    row("self-signed server", "chain-self-signed-server", "error",
        {u"self-signed certificate \"db.example.com\""_s});
    row("wrong purpose", "certificate-wrong-purpose", "error",
        {u"serverAuth"_s, u"TLS Web Client Authentication"_s});
    row("revoked", "certificate-revoked", "error",
        {u"The server certificate \"db.example.com\""_s, u"has been revoked"_s, u"CRLs from"_s});
    row("crl missing", "crl-missing", "error",
        {u"no CRL from \"Corp Root 2023\", the issuer of \"Corp Issuing CA\""_s, u"openssl rehash"_s});
    row("crl expired", "crl-expired", "error", {u"out of date"_s, u"current CRL"_s});
    row("system roots", "chain-not-publicly-trusted", "error",
        {u"system's trusted roots"_s, u"private CA"_s});
    row("hostname mismatch", "hostname-mismatch", "error",
        {u"The server certificate names db.internal and 10.0.0.5; you connected to db.example.com."_s,
         u"connect with one of those names"_s.toLower(), u"reissued with this name"_s,
         u"server certificate for \"db.internal\" (and 1 other name) does not match host name \"db.example.com\""_s});
    row("hostname missing", "hostname-missing", "error",
        {u"host name must be specified for a verified SSL connection"_s, u"keep hostaddr"_s});
    row("protocol version", "protocol-version-mismatch", "error",
        {u"no TLS protocol version in common"_s, u"ssl_min_protocol_version=TLSv1.3 (typed)"_s});
    row("certificate required", "client-certificate-required", "error",
        {u"requires a client certificate"_s, u"sslcert"_s});
    row("unknown ca alert", "client-certificate-unknown-ca", "error", {u"ssl_ca_file"_s});
    row("wrong version number", "not-tls", "error", {u"does not speak TLS"_s});
    row("eof", "connection-closed", "error",
        {u"SSL SYSCALL error: EOF detected"_s, u"during the TLS handshake"_s,
         u"asked for a client certificate, and none was sent"_s});
    row("channel binding without tls", "channel-binding-without-tls", "error", {u"needs TLS"_s});
    row("channel binding not offered", "channel-binding-unavailable", "error",
        {u"password_encryption = scram-sha-256"_s, u"channel_binding=require (typed)"_s});
    row("require_auth", "require-auth-failed", "error", {u"require_auth=scram-sha-256 (typed)"_s});
    row("sslcertmode not requested", "sslcertmode-not-requested", "error", {u"ssl_ca_file"_s});
    row("no password", "no-password", "error",
        {u"fe_sendauth: no password supplied"_s, u"No line of"_s, u"db.example.com:5432:app:alice"_s});
    row("plus over plaintext", "scram-plus-over-plaintext", "error", {u"stripped TLS"_s});
    row("plaintext fallback", "plaintext-fallback", "warning",
        {u"WITHOUT encryption"_s, u"sslmode=prefer silently fell back"_s,
         u"SSL error: certificate verify failed"_s, u"sslmode=verify-full"_s});
    row("plaintext disable md5", "password-over-plaintext", "warning", {u"md5"_s});
    row("plaintext allow", "plaintext-allow", "warning", {u"sslmode=allow"_s});
    row("require with default root", "require-behaves-as-verify-ca", "warning",
        {u"Your sslmode=require behaves as verify-ca because ~/.postgresql/root.crt exists"_s,
         u"sslrootcert is not set, so libpq uses its default file ~/.postgresql/root.crt"_s,
         u"set sslmode=verify-full"_s});
    row("require without root", "identity-not-checked", "warning",
        {u"identity was not checked"_s, u"Get the root certificate of \"Corp Root 2023\""_s});
    row("require without root, self-signed root presented", "identity-not-checked", "warning",
        {u"Get the root certificate \"Corp Root 2023\" (SHA-256"_s});
    row("verify-ca host mismatch", "host-not-checked", "warning", {u"verify-full would fail here"_s});
    row("verify-full ok", "identity-verified", "info",
        {u"leads to \"Corp Root 2023\""_s, u"\"db.example.com\""_s});
    row("expiring soon", "certificate-expiring", "warning", {u"expires on"_s, u"(in "_s, u" day"_s});
    row("scram without plus", "no-channel-binding", "info", {u"SCRAM-SHA-256-PLUS"_s});
    row("unix socket", "unix-socket", "info", {u"Unix-domain socket"_s});
    row("inspect", "inspect-only", "info", {u"authentication was not attempted"_s});
    row("first host refused", "connection-refused", "warning", {u"db1.example.com"_s});
}

void TestDiagnosis::findings()
{
    QFETCH(QString, scenario);
    QFETCH(QString, code);
    QFETCH(QString, severity);
    QFETCH(QStringList, phrases);
    QVERIFY2(m_scenarios.contains(scenario), qPrintable(scenario));
    const Scenario s = m_scenarios.value(scenario)();
    const Diagnosis d = diagnose(s);
    const Finding* found = nullptr;
    QStringList codes;
    for (const Finding& f : d.findings) {
        codes << f.code;
        if (f.code == code && !found)
            found = &f;
    }
    QVERIFY2(found, qPrintable(u"no finding %1 in: %2"_s.arg(code, codes.join(u", "))));
    QCOMPARE(Finding::severityName(found->severity), severity);
    const QString text = textOf(*found);
    for (const QString& phrase : phrases)
        QVERIFY2(text.contains(phrase, Qt::CaseInsensitive),
                 qPrintable(u"missing \"%1\" in:\n%2"_s.arg(phrase, text)));
    QVERIFY(!found->summary.isEmpty());
    if (severity == u"error") {
        // libpq's wording comes first, and the fix is concrete.
        QVERIFY2(!found->libpqMessage.isEmpty(), qPrintable(text));
        QVERIFY2(!found->fixes.isEmpty() || code == u"server-error", qPrintable(text));
        QCOMPARE(d.verdict, Diagnosis::Verdict::Failed);
        QVERIFY(d.headline.startsWith(u"Failed: "));
        QCOMPARE(d.findings.first().severity, Finding::Severity::Error);
    }
    // A secret never appears in a diagnosis.
    for (const Finding& f : d.findings) {
        QVERIFY(!textOf(f).contains(u"s3cret-value"));
        QVERIFY(!textOf(f).contains(u"from-pgpass"));
        QVERIFY(!textOf(f).contains(u"wrong-one"));
    }
}

void TestDiagnosis::verdicts()
{
    QCOMPARE(diagnose(m_scenarios.value(u"verify-full ok"_s)()).verdict, Diagnosis::Verdict::Connected);
    QCOMPARE(diagnose(m_scenarios.value(u"plaintext fallback"_s)()).verdict,
             Diagnosis::Verdict::ConnectedWithWarnings);
    QCOMPARE(diagnose(m_scenarios.value(u"first host refused"_s)()).verdict,
             Diagnosis::Verdict::ConnectedWithWarnings);
    const Diagnosis ok = diagnose(m_scenarios.value(u"verify-full ok"_s)());
    QVERIFY2(ok.headline.startsWith(u"Connected to db.example.com (192.0.2.10) port 5432 with TLSv1.3"),
             qPrintable(ok.headline));
    QVERIFY(ok.assessment.has_value());
    QCOMPARE(ok.chains.size(), 1);
    QVERIFY(ok.chains.first().verifiedByLibpq);
    QVERIFY(ok.chains.first().verification.ok);

    Scenario canceled = m_scenarios.value(u"refused"_s)();
    canceled.report.canceled = true;
    QCOMPARE(diagnose(canceled).verdict, Diagnosis::Verdict::Canceled);

    // Without settings (a report alone) the diagnosis still works, without provenance.
    Scenario bare = m_scenarios.value(u"unknown root"_s)();
    bare.settings.reset();
    bare.options.reset();
    const Diagnosis d = diagnose(bare);
    QVERIFY(!d.assessment);
    QCOMPARE(d.findings.first().code, u"chain-unknown-root"_s);

    // No settings and no attempts: a failure before any attempt.
    ConnectionReport empty;
    empty.error = err("session.connect", u"Connection refused"_s);
    empty.libpqMessage = u"Connection refused"_s;
    const Diagnosis e = Diagnosis::diagnose(empty);
    QCOMPARE(e.verdict, Diagnosis::Verdict::Failed);
    QVERIFY(!e.findings.isEmpty());
}

// The examples the issue asks for, word for word.
void TestDiagnosis::issueExamples()
{
    const Diagnosis host = diagnose(m_scenarios.value(u"hostname mismatch"_s)());
    QCOMPARE(host.findings.first().summary,
             u"The server certificate names db.internal and 10.0.0.5; you connected to db.example.com."_s);
    const Diagnosis root = diagnose(m_scenarios.value(u"root presented, not trusted"_s)());
    QVERIFY2(
        root.findings.first().summary.contains(
            u"holds \"Corp Root 2019\", but the server's chain ends at \"Corp Root 2023\": add that root."_s),
        qPrintable(root.findings.first().summary));
    QCOMPARE(root.findings.first().certificateDepth, 2);
    const Diagnosis inter = diagnose(m_scenarios.value(u"missing intermediate"_s)());
    QVERIFY(inter.findings.first().summary.startsWith(
        u"The server did not send the intermediate \"Corp Issuing CA\""));
    QVERIFY(inter.findings.first().fixes.first().contains(u"configure ssl_cert_file with the full chain"));
    QCOMPARE(inter.findings.first().certificateDepth, 0);
    const Diagnosis require = diagnose(m_scenarios.value(u"require with default root"_s)());
    bool found = false;
    for (const Finding& f : require.findings)
        found = found ||
                f.summary.startsWith(
                    u"Your sslmode=require behaves as verify-ca because ~/.postgresql/root.crt exists"_s);
    QVERIFY(found);
    QCOMPARE(require.assessment->effective()->behavesAs, security::SslMode::VerifyCa);
}

void TestDiagnosis::chainCheck_data()
{
    QTest::addColumn<QStringList>("certs"); // names of fixtures
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("host");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<QString>("code");

    QTest::addRow("valid") << QStringList{u"server"_s, u"inter"_s} << u"root"_s << QString() << true
                           << QString();
    QTest::addRow("valid, host") << QStringList{u"server"_s, u"inter"_s} << u"root"_s << u"DB.Example.com"_s
                                 << true << QString();
    QTest::addRow("reversed order") << QStringList{u"inter"_s, u"server"_s} << u"root"_s << QString() << true
                                    << QString();
    QTest::addRow("missing intermediate")
        << QStringList{u"server"_s} << u"root"_s << QString() << false << u"chain-missing-intermediate"_s;
    QTest::addRow("host mismatch") << QStringList{u"server"_s, u"inter"_s} << u"root"_s << u"db.other.com"_s
                                   << false << u"hostname-mismatch"_s;
    QTest::addRow("expired") << QStringList{u"expired"_s, u"inter"_s} << u"root"_s << QString() << false
                             << u"certificate-expired"_s;
    QTest::addRow("expiring soon") << QStringList{u"soon"_s, u"inter"_s} << u"root"_s << QString() << true
                                   << u"certificate-expiring"_s;
    QTest::addRow("no root") << QStringList{u"server"_s, u"inter"_s} << QString() << QString() << false
                             << u"chain-not-verified"_s;
}

void TestDiagnosis::chainCheck()
{
    QFETCH(QStringList, certs);
    QFETCH(QString, root);
    QFETCH(QString, host);
    QFETCH(bool, ok);
    QFETCH(QString, code);
    const QHash<QString, TestCert*> fixtures = {{u"server"_s, &m_server},
                                                {u"inter"_s, &m_inter},
                                                {u"root"_s, &m_root},
                                                {u"expired"_s, &m_expired},
                                                {u"soon"_s, &m_soon}};
    ChainCheckRequest request;
    for (const QString& name : certs)
        request.files << file(u"chain-"_s + name + u".pem"_s, fixtures.value(name)->pem());
    if (!root.isEmpty())
        request.rootFile = file(u"chain-root.pem"_s, fixtures.value(root)->pem());
    request.host = host;
    request.homeDirectory = m_home; // no ~/.postgresql/root.crt there
    const auto result = ChainCheck::run(request);
    QVERIFY2(result, result ? "" : qPrintable(result.error().message));
    QCOMPARE(result->ok, ok);
    QCOMPARE(result->certificates.first().certificate.commonName(), u"db.example.com"_s);
    QCOMPARE(result->failed(), !ok && code != u"chain-not-verified");
    if (!code.isEmpty()) {
        bool found = false;
        for (const Finding& f : result->findings)
            found = found || f.code == code;
        QVERIFY2(found, qPrintable(code));
    }
    QVERIFY(!result->headline.isEmpty());
}

void TestDiagnosis::chainCheckInputErrors()
{
    ChainCheckRequest none;
    QVERIFY(!ChainCheck::run(none));
    ChainCheckRequest missing;
    missing.files << m_dir.filePath(u"does-not-exist.pem"_s);
    QVERIFY(!ChainCheck::run(missing));
    ChainCheckRequest directory;
    directory.files << m_dir.path();
    QVERIFY(!ChainCheck::run(directory));
    ChainCheckRequest key;
    key.files << file(u"just-a-key.pem"_s, m_server.keyBytes());
    const auto keyResult = ChainCheck::run(key);
    QVERIFY(!keyResult);
    ChainCheckRequest empty;
    empty.files << file(u"empty.pem"_s, QByteArray());
    QVERIFY(!ChainCheck::run(empty));
    ChainCheckRequest loop;
    const QString a = m_dir.filePath(u"loop-a"_s);
    const QString b = m_dir.filePath(u"loop-b"_s);
    QVERIFY(QFile::link(b, a));
    QVERIFY(QFile::link(a, b));
    loop.files << a;
    QVERIFY(!ChainCheck::run(loop));
    ChainCheckRequest huge;
    QFile big(m_dir.filePath(u"huge.pem"_s));
    QVERIFY(big.open(QIODevice::WriteOnly));
    QVERIFY(big.resize(pki::kMaxPkiFileSize + 1)); // sparse
    big.close();
    huge.files << big.fileName();
    QVERIFY(!ChainCheck::run(huge));
    ChainCheckRequest garbage;
    garbage.files << file(u"garbage.bin"_s, QByteArray(4096, '\xff'));
    QVERIFY(!ChainCheck::run(garbage));
    ChainCheckRequest badRoot;
    badRoot.files << file(u"srv.pem"_s, m_server.pem());
    badRoot.rootFile = m_dir.filePath(u"no-root.pem"_s);
    const auto rootResult = ChainCheck::run(badRoot);
    QVERIFY(!rootResult);
    QVERIFY2(rootResult.error().message.contains(u"does not exist"), qPrintable(rootResult.error().message));
}

// Every code a scenario produces is listed in docs/REPORT-JSON.md (the codes are part of the schema).
void TestDiagnosis::findingCodesAreDocumented()
{
    QFile doc(QStringLiteral(VF_DOCS_DIR) + u"/REPORT-JSON.md"_s);
    QVERIFY(doc.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(doc.readAll());
    const QString list = text.section(u"Finding codes:"_s, 1).section(u"###"_s, 0, 0);
    QVERIFY(list.size() > 500);
    QSet<QString> codes;
    for (auto it = m_scenarios.cbegin(); it != m_scenarios.cend(); ++it) {
        for (const Finding& f : diagnose(it.value()()).findings)
            codes << f.code;
    }
    QVERIFY(codes.size() > 60);
    for (const QString& code : std::as_const(codes))
        QVERIFY2(list.contains(u'`' + code + u'`'), qPrintable(code));
}

QTEST_GUILESS_MAIN(TestDiagnosis)
#include "tst_diagnosis.moc"
