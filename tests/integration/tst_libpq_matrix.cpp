// Differential test of the connection engine against libpq: every case runs through the real psql of
// PostgreSQL 15 (/usr/lib/postgresql/15/bin/psql) and through ConnectionTester, with the same
// connection string and the same clean environment (no PG* variables, HOME = a prepared temporary
// directory). Both must succeed or fail alike, succeed with the same encryption (pg_stat_ssl), and
// psql's message (after "psql: error: ") must be contained in ours (ConnectionReport::libpqMessage).
//
// Three real PostgreSQL 15 servers are shared by all cases: TLS on with a client CA ("tls"), TLS off
// ("plain"), and TLS on with a certificate for other names and an iPAddress SAN, without a client CA
// ("other"). Where libpq 15 behaves differently only because it is older than the PG16-18 libpq the
// engine implements, the case is marked as a known difference (docs/LIBPQ-DIFFERENCES.md): our PG18
// outcome is still asserted, and psql's PG15 behaviour is pinned too, so the difference stays the one
// documented.

#include "PgServer.h"
#include "TestPki.h"
#include "tst_libpq_matrix_runner.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace vf::test;
using namespace Qt::StringLiterals;

namespace {

struct MatrixCase
{
    QString name;
    QString conninfo; // with {placeholders}, expanded in defineCases()
    QString home;     // key into the prepared HOME directories
    bool expectOk = false;
    // Failure: a text our message must contain (the PG18 wording). Keeps every case able to fail even
    // when libpq and we would agree for an unintended reason (a broken fixture).
    QString expectText;
    // Success: whether the session must be encrypted.
    bool expectSsl = false;
    // Non-empty: a known libpq 15 ≠ PG16-18 difference, with the reason (docs/LIBPQ-DIFFERENCES.md).
    QString difference;
    // For a difference: a text psql 15's output must contain (pins what libpq 15 does instead).
    QString psqlText;
    // For a difference in wording only: psql's first line must still be contained in ours and the
    // outcome must match.
    bool compareFirstLine = false;

    MatrixCase& known(const QString& reason, const QString& libpq15Text = {}, bool firstLineOnly = false)
    {
        difference = reason;
        psqlText = libpq15Text;
        compareFirstLine = firstLineOnly;
        return *this;
    }
};

struct SummaryRow
{
    QString name;
    QString psql;
    QString ours;
    QString agree;
    QString note; // the reason of a known difference
};

QString outcome(const MatrixResult& r)
{
    if (r.harness)
        return u"ERROR"_s;
    if (!r.ok)
        return u"fail"_s;
    return r.ssl ? u"ok/ssl"_s : u"ok/plain"_s;
}

} // namespace

class TestLibpqMatrix : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PgServer> m_tls;
    std::unique_ptr<PgServer> m_plain;
    std::unique_ptr<PgServer> m_other;
    QHash<QString, QString> m_vars;  // placeholder → value
    QHash<QString, QString> m_homes; // home key → directory
    QList<MatrixCase> m_cases;
    QList<SummaryRow> m_summary;
    QStringList m_unknownPlaceholders;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    bool write(const QString& var, const QString& name, const QByteArray& data, int mode = 0600)
    {
        const QString p = path(name);
        if (!TestPki::writeFile(p, data) || !TestPki::chmod(p, mode))
            return false;
        m_vars.insert(var, p);
        return true;
    }

    bool makeHome(const QString& key, const QList<QPair<QString, QByteArray>>& files)
    {
        const QString home = path(u"home-"_s + key);
        if (!QDir().mkpath(home + u"/.postgresql"))
            return false;
        for (const auto& [name, data] : files) {
            if (!TestPki::writeFile(home + u"/.postgresql/" + name, data) ||
                !TestPki::chmod(home + u"/.postgresql/" + name, 0600))
                return false;
        }
        m_homes.insert(key, home);
        return true;
    }

    QString expand(const QString& text)
    {
        static const QRegularExpression placeholder(u"\\{([A-Za-z0-9]+)\\}"_s);
        QString out;
        qsizetype last = 0;
        auto it = placeholder.globalMatch(text);
        while (it.hasNext()) {
            const QRegularExpressionMatch m = it.next();
            out += QStringView(text).mid(last, m.capturedStart() - last);
            const QString key = m.captured(1);
            if (m_vars.contains(key))
                out += m_vars.value(key);
            else
                m_unknownPlaceholders << key; // reported by initTestCase()
            last = m.capturedEnd();
        }
        out += QStringView(text).mid(last);
        return out;
    }

    static int closedPort()
    {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            return 1;
        return probe.serverPort(); // closed again when probe goes away
    }

    MatrixCase& ok(const QString& name, const QString& conninfo, bool ssl, const QString& home = u"empty"_s)
    {
        MatrixCase c;
        c.name = name;
        c.conninfo = conninfo;
        c.home = home;
        c.expectOk = true;
        c.expectSsl = ssl;
        m_cases << c;
        return m_cases.last();
    }

    MatrixCase& fail(const QString& name, const QString& conninfo, const QString& text,
                     const QString& home = u"empty"_s)
    {
        MatrixCase c;
        c.name = name;
        c.conninfo = conninfo;
        c.home = home;
        c.expectText = text;
        m_cases << c;
        return m_cases.last();
    }

    bool startServers(QString* error);
    bool writeFixtures();
    void defineCases();

private Q_SLOTS:
    void initTestCase();
    void matrix_data();
    void matrix();
    void summary();
};

bool TestLibpqMatrix::startServers(QString* error)
{
    // Server PKI: root → intermediate → leaf for "localhost" (tls), root → leaf for other names (other).
    const TestCert root = TestPki::makeCert(TestPki::rootSpec(u"Matrix Root CA"_s));
    const TestCert inter = TestPki::makeCert(TestPki::intermediateSpec(u"Matrix Issuing CA"_s), &root);
    const TestCert server = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &inter);
    CertSpec otherSpec =
        TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s, u"*.wild.example.com"_s});
    otherSpec.ipAddresses = {u"127.0.0.1"_s};
    const TestCert otherServer = TestPki::makeCert(otherSpec, &root);
    const TestCert wrongRoot =
        TestPki::makeCert(TestPki::rootSpec(u"Matrix Root CA"_s)); // same name, other key
    const TestCert clientRoot = TestPki::makeCert(TestPki::rootSpec(u"Matrix Client CA"_s));

    // Client certificates (trusted by the tls server's ssl_ca_file = clientRoot).
    const TestCert certUser = TestPki::makeCert(TestPki::clientSpec(u"certuser"_s), &clientRoot);
    const TestCert otherUser = TestPki::makeCert(TestPki::clientSpec(u"otheruser"_s), &clientRoot);
    const TestCert untrusted = TestPki::makeCert(TestPki::clientSpec(u"certuser"_s), &wrongRoot);
    const TestCert mismatch = TestPki::makeCert(TestPki::clientSpec(u"certuser"_s), &clientRoot);
    if (root.isNull() || inter.isNull() || server.isNull() || otherServer.isNull() || wrongRoot.isNull() ||
        clientRoot.isNull() || certUser.isNull() || otherUser.isNull() || untrusted.isNull() ||
        mismatch.isNull()) {
        *error = u"could not generate the PKI"_s;
        return false;
    }

    const QByteArray pass = "right-pass";
    bool ok = true;
    // Trust anchors.
    ok &= write(u"root"_s, u"root.crt"_s, root.pem());
    ok &= write(u"wrong"_s, u"wrong-root.crt"_s, wrongRoot.pem());
    ok &= write(u"inter"_s, u"intermediate-only.crt"_s, inter.pem());
    ok &= write(u"garbage"_s, u"garbage.crt"_s, "this is not a certificate\n");
    m_vars.insert(u"missing"_s, path(u"no-such-root.crt"_s));
    m_vars.insert(u"rootdir"_s, path(u"rootdir"_s));
    ok &= QDir().mkpath(path(u"rootdir"_s));
    // Client certificate and keys in every form the matrix needs.
    ok &= write(u"ccert"_s, u"client.crt"_s, certUser.pem());
    ok &= write(u"ckey"_s, u"client.key"_s, certUser.keyBytes());
    ok &= write(u"ckeyenc"_s, u"client-enc.key"_s, certUser.keyBytes(KeyFormat::Pkcs8Pem, pass));
    ok &= write(u"ckeytrad"_s, u"client-trad-enc.key"_s, certUser.keyBytes(KeyFormat::TraditionalPem, pass));
    ok &= write(u"ckeyder"_s, u"client-der.key"_s, certUser.keyBytes(KeyFormat::Pkcs8Der));
    ok &= write(u"ckey644"_s, u"client-0644.key"_s, certUser.keyBytes(), 0644);
    ok &= write(u"ckey640"_s, u"client-0640.key"_s, certUser.keyBytes(), 0640);
    ok &= write(u"ckeymismatch"_s, u"client-mismatch.key"_s, mismatch.keyBytes());
    ok &= write(u"ucert"_s, u"otheruser.crt"_s, otherUser.pem());
    ok &= write(u"ukey"_s, u"otheruser.key"_s, otherUser.keyBytes());
    ok &= write(u"xcert"_s, u"untrusted.crt"_s, untrusted.pem());
    ok &= write(u"xkey"_s, u"untrusted.key"_s, untrusted.keyBytes());
    ok &= write(u"badcert"_s, u"garbage-client.crt"_s, "-----BEGIN CERTIFICATE-----\nnot base64\n");
    m_vars.insert(u"nocert"_s, path(u"no-such-client.crt"_s));
    m_vars.insert(u"nokey"_s, path(u"no-such-client.key"_s));
    m_vars.insert(u"keydir"_s, path(u"keydir"_s));
    ok &= QDir().mkpath(path(u"keydir"_s));
    m_vars.insert(u"pass"_s, QString::fromLatin1(pass));
    // CRLs: libpq sets CRL_CHECK_ALL, so every CA of the chain (root, intermediate) needs one.
    const QByteArray rootCrl = TestPki::crlPem(root, {});
    const QByteArray interCrlRevoking = TestPki::crlPem(inter, {server});
    ok &= write(u"crlrevoked"_s, u"revoked.crl"_s, rootCrl + interCrlRevoking);
    ok &= write(u"crlempty"_s, u"empty.crl"_s, rootCrl + TestPki::crlPem(inter, {}));
    ok &= write(u"crlrootonly"_s, u"root-only.crl"_s, rootCrl);
    ok &= write(u"crlunrelated"_s, u"unrelated.crl"_s, TestPki::crlPem(wrongRoot, {}));
    m_vars.insert(u"crlmissing"_s, path(u"no-such.crl"_s));
    ok &= QDir().mkpath(path(u"crldir"_s));
    ok &= TestPki::writeFile(path(u"crldir/"_s + TestPki::crlHashName(root)), rootCrl);
    ok &= TestPki::writeFile(path(u"crldir/"_s + TestPki::crlHashName(inter)), interCrlRevoking);
    m_vars.insert(u"crldir"_s, path(u"crldir"_s));
    // HOME directories (~/.postgresql/…).
    ok &= makeHome(u"empty"_s, {});
    ok &= makeHome(u"root"_s, {{u"root.crt"_s, root.pem()}});
    ok &= makeHome(u"wrong"_s, {{u"root.crt"_s, wrongRoot.pem()}});
    ok &= makeHome(u"crl"_s, {{u"root.crt"_s, root.pem()}, {u"root.crl"_s, rootCrl + interCrlRevoking}});
    ok &= makeHome(u"client"_s, {{u"root.crt"_s, root.pem()},
                                 {u"postgresql.crt"_s, certUser.pem()},
                                 {u"postgresql.key"_s, certUser.keyBytes()}});
    ok &= makeHome(u"clientperm"_s,
                   {{u"postgresql.crt"_s, certUser.pem()}, {u"postgresql.key"_s, certUser.keyBytes()}});
    ok &= TestPki::chmod(path(u"home-clientperm/.postgresql/postgresql.key"_s), 0644);
    if (!ok) {
        *error = u"could not write the fixtures"_s;
        return false;
    }

    const QStringList roles = {
        u"create role trustuser login"_s,
        u"create role pwuser login password 'pw-secret'"_s,
        u"create role scramuser login password 'scram-secret'"_s,
        u"create role certuser login"_s,
        u"create role cfulluser login"_s,
        u"create role sslonly login"_s,
        u"create role nossluser login"_s,
        u"set password_encryption = 'md5'"_s,
        u"create role md5user login password 'md5-secret'"_s,
    };
    const QStringList hba = {
        u"local all all trust"_s,
        u"host all trustuser 127.0.0.1/32 trust"_s,
        u"host all pwuser 127.0.0.1/32 password"_s,
        u"host all md5user 127.0.0.1/32 md5"_s,
        u"host all scramuser 127.0.0.1/32 scram-sha-256"_s,
        u"hostssl all certuser 127.0.0.1/32 cert"_s,
        u"hostssl all cfulluser 127.0.0.1/32 trust clientcert=verify-full"_s,
        u"hostssl all sslonly 127.0.0.1/32 trust"_s,
        u"hostnossl all nossluser 127.0.0.1/32 trust"_s,
    };

    PgServer::Options tls;
    tls.serverCertChainPem = server.pem() + inter.pem();
    tls.serverKeyPem = server.keyBytes();
    tls.clientCaPem = clientRoot.pem();
    tls.hbaLines = hba;
    m_tls = PgServer::start(tls, error);
    if (!m_tls)
        return false;

    PgServer::Options plain;
    plain.ssl = false;
    plain.hbaLines = hba;
    m_plain = PgServer::start(plain, error);
    if (!m_plain)
        return false;

    PgServer::Options other;
    other.serverCertChainPem = otherServer.pem();
    other.serverKeyPem = otherServer.keyBytes();
    m_other = PgServer::start(other, error); // default pg_hba: trust everyone on loopback
    if (!m_other)
        return false;

    for (PgServer* s : {m_tls.get(), m_plain.get(), m_other.get()}) {
        if (s->psql(roles.join(u"; "_s), error).isNull())
            return false;
    }
    auto base = [](const PgServer& s) {
        return u"host=localhost hostaddr=127.0.0.1 port=%1 dbname=postgres"_s.arg(s.port());
    };
    m_vars.insert(u"T"_s, base(*m_tls));
    m_vars.insert(u"P"_s, base(*m_plain));
    m_vars.insert(u"O"_s, base(*m_other));
    m_vars.insert(u"Tport"_s, QString::number(m_tls->port()));
    m_vars.insert(u"Pport"_s, QString::number(m_plain->port()));
    m_vars.insert(u"Oport"_s, QString::number(m_other->port()));
    m_vars.insert(u"closed"_s, QString::number(closedPort()));
    m_vars.insert(u"sock"_s, m_tls->socketDir());
    m_vars.insert(u"hint15"_s, u"Either provide the file or change sslmode to disable server certificate "
                               u"verification."_s);
    m_vars.insert(u"hint"_s,
                  u"Either provide the file, use the system's trusted roots with sslrootcert=system, or "
                  u"change sslmode to disable server certificate verification."_s);
    m_vars.insert(u"perm"_s,
                  u"has group or world access; file must have permissions u=rw (0600) or less if owned "
                  u"by the current user, or permissions u=rw,g=r (0640) or less if owned by root"_s);
    for (auto it = m_homes.cbegin(); it != m_homes.cend(); ++it)
        m_vars.insert(u"home"_s + it.key(), it.value());
    return true;
}

void TestLibpqMatrix::defineCases()
{
    const bool root = geteuid() == 0;
    // The "wrong permissions" rule depends on who owns the key: root-owned keys may be 0640.
    const QString n = u"no pg_hba.conf entry for host \"127.0.0.1\", user \""_s;

    // ---- A. sslmode × server TLS on/off, no root file (trust user)
    ok(u"A01 tls disable"_s, u"{T} user=trustuser sslmode=disable"_s, false);
    ok(u"A02 tls allow"_s, u"{T} user=trustuser sslmode=allow"_s, false);
    ok(u"A03 tls prefer"_s, u"{T} user=trustuser sslmode=prefer"_s, true);
    ok(u"A04 tls require"_s, u"{T} user=trustuser sslmode=require"_s, true);
    fail(u"A05 tls verify-ca no root"_s, u"{T} user=trustuser sslmode=verify-ca"_s,
         u"root certificate file \"{homeempty}/.postgresql/root.crt\" does not exist\n{hint}"_s)
        .known(u"root-file hint text (PG16+ mentions sslrootcert=system)"_s, u"{hint15}"_s, true);
    fail(u"A06 tls verify-full no root"_s, u"{T} user=trustuser sslmode=verify-full"_s,
         u"root certificate file \"{homeempty}/.postgresql/root.crt\" does not exist\n{hint}"_s)
        .known(u"root-file hint text (PG16+ mentions sslrootcert=system)"_s, u"{hint15}"_s, true);
    ok(u"A07 plain disable"_s, u"{P} user=trustuser sslmode=disable"_s, false);
    ok(u"A08 plain allow"_s, u"{P} user=trustuser sslmode=allow"_s, false);
    ok(u"A09 plain prefer"_s, u"{P} user=trustuser sslmode=prefer"_s, false);
    fail(u"A10 plain require"_s, u"{P} user=trustuser sslmode=require"_s,
         u"server does not support SSL, but SSL was required"_s);
    // The server's 'N' comes before initialize_SSL(): no root-file error even without a root file.
    fail(u"A11 plain verify-ca no root"_s, u"{P} user=trustuser sslmode=verify-ca"_s,
         u"server does not support SSL, but SSL was required"_s);
    fail(u"A12 plain verify-full root"_s, u"{P} user=trustuser sslmode=verify-full sslrootcert={root}"_s,
         u"server does not support SSL, but SSL was required"_s);

    // ---- B. root file present
    ok(u"B01 verify-ca root"_s, u"{T} user=trustuser sslmode=verify-ca sslrootcert={root}"_s, true);
    ok(u"B02 verify-full root"_s, u"{T} user=trustuser sslmode=verify-full sslrootcert={root}"_s, true);
    ok(u"B03 require root"_s, u"{T} user=trustuser sslmode=require sslrootcert={root}"_s, true);
    ok(u"B04 prefer root"_s, u"{T} user=trustuser sslmode=prefer sslrootcert={root}"_s, true);
    ok(u"B05 allow root"_s, u"{T} user=trustuser sslmode=allow sslrootcert={root}"_s, false);
    ok(u"B06 disable root"_s, u"{T} user=trustuser sslmode=disable sslrootcert={root}"_s, false);
    ok(u"B07 verify-full DNS host, no hostaddr"_s,
       u"host=localhost port={Tport} dbname=postgres user=trustuser sslmode=verify-full "
       u"sslrootcert={root}"_s,
       true);

    // ---- C. root file missing or wrong
    fail(u"C01 verify-ca wrong root"_s, u"{T} user=trustuser sslmode=verify-ca sslrootcert={wrong}"_s,
         u"SSL error: certificate verify failed"_s);
    fail(u"C02 verify-full wrong root"_s, u"{T} user=trustuser sslmode=verify-full sslrootcert={wrong}"_s,
         u"SSL error: certificate verify failed"_s);
    fail(u"C03 require wrong root (acts as verify-ca)"_s,
         u"{T} user=trustuser sslmode=require sslrootcert={wrong}"_s,
         u"SSL error: certificate verify failed"_s);
    ok(u"C04 prefer wrong root falls back"_s, u"{T} user=trustuser sslmode=prefer sslrootcert={wrong}"_s,
       false);
    ok(u"C05 allow wrong root"_s, u"{T} user=trustuser sslmode=allow sslrootcert={wrong}"_s, false);
    fail(u"C06 prefer wrong root, hostssl user"_s, u"{T} user=sslonly sslmode=prefer sslrootcert={wrong}"_s,
         u"SSL error: certificate verify failed"_s);
    fail(u"C07 allow wrong root, hostssl user"_s, u"{T} user=sslonly sslmode=allow sslrootcert={wrong}"_s,
         u"SSL error: certificate verify failed"_s);
    ok(u"C08 disable wrong root"_s, u"{T} user=trustuser sslmode=disable sslrootcert={wrong}"_s, false);
    fail(u"C09 verify-ca intermediate only"_s, u"{T} user=trustuser sslmode=verify-ca sslrootcert={inter}"_s,
         u"SSL error: certificate verify failed"_s);
    fail(u"C10 verify-ca missing root path"_s,
         u"{T} user=trustuser sslmode=verify-ca sslrootcert={missing}"_s,
         u"root certificate file \"{missing}\" does not exist\n{hint}"_s)
        .known(u"root-file hint text (PG16+ mentions sslrootcert=system)"_s, u"{hint15}"_s, true);
    ok(u"C11 require missing root path"_s, u"{T} user=trustuser sslmode=require sslrootcert={missing}"_s,
       true);
    ok(u"C12 prefer missing root path"_s, u"{T} user=trustuser sslmode=prefer sslrootcert={missing}"_s, true);
    fail(u"C13 verify-ca root is a directory"_s,
         u"{T} user=trustuser sslmode=verify-ca sslrootcert={rootdir}"_s,
         u"could not read root certificate file \"{rootdir}\": "_s);
    fail(u"C14 verify-ca garbage root"_s, u"{T} user=trustuser sslmode=verify-ca sslrootcert={garbage}"_s,
         u"could not read root certificate file \"{garbage}\": "_s);
    ok(u"C15 prefer garbage root falls back"_s, u"{T} user=trustuser sslmode=prefer sslrootcert={garbage}"_s,
       false);
    fail(u"C16 plain verify-ca wrong root"_s, u"{P} user=trustuser sslmode=verify-ca sslrootcert={wrong}"_s,
         u"server does not support SSL, but SSL was required"_s);

    // ---- D. host-name match / mismatch
    fail(u"D01 verify-full IP host vs DNS cert"_s,
         u"host=127.0.0.1 port={Tport} dbname=postgres user=trustuser sslmode=verify-full "
         u"sslrootcert={root}"_s,
         u"server certificate for \"localhost\" (and 1 other name) does not match host name "
         u"\"127.0.0.1\""_s);
    ok(u"D02 verify-ca IP host"_s,
       u"host=127.0.0.1 port={Tport} dbname=postgres user=trustuser sslmode=verify-ca "
       u"sslrootcert={root}"_s,
       true);
    fail(u"D03 verify-full other DNS name"_s,
         u"host=db.example.com hostaddr=127.0.0.1 port={Tport} dbname=postgres user=trustuser "
         u"sslmode=verify-full sslrootcert={root}"_s,
         u"server certificate for \"localhost\" does not match host name \"db.example.com\""_s);
    ok(u"D04 verify-full upper-case host"_s,
       u"host=LOCALHOST hostaddr=127.0.0.1 port={Tport} dbname=postgres user=trustuser "
       u"sslmode=verify-full sslrootcert={root}"_s,
       true);
    ok(u"D05 require mismatching name"_s,
       u"host=db.example.com hostaddr=127.0.0.1 port={Tport} dbname=postgres user=trustuser "
       u"sslmode=require sslrootcert={root}"_s,
       true);
    ok(u"D06 verify-full IP SAN"_s,
       u"host=127.0.0.1 port={Oport} dbname=postgres user=trustuser sslmode=verify-full "
       u"sslrootcert={root}"_s,
       true);
    fail(u"D07 verify-full cert for other names"_s,
         u"{O} user=trustuser sslmode=verify-full sslrootcert={root}"_s,
         u"server certificate for \"db.example.com\" (and 2 other names) does not match host name "
         u"\"localhost\""_s);
    ok(u"D08 verify-full SAN DNS match"_s,
       u"host=db.example.com hostaddr=127.0.0.1 port={Oport} dbname=postgres user=trustuser "
       u"sslmode=verify-full sslrootcert={root}"_s,
       true);
    ok(u"D09 verify-full wildcard one label"_s,
       u"host=a.wild.example.com hostaddr=127.0.0.1 port={Oport} dbname=postgres user=trustuser "
       u"sslmode=verify-full sslrootcert={root}"_s,
       true);
    fail(u"D10 verify-full wildcard two labels"_s,
         u"host=b.a.wild.example.com hostaddr=127.0.0.1 port={Oport} dbname=postgres user=trustuser "
         u"sslmode=verify-full sslrootcert={root}"_s,
         u"server certificate for \"db.example.com\" (and 2 other names) does not match host name "
         u"\"b.a.wild.example.com\""_s);
    ok(u"D11 verify-full inet_aton IP spelling"_s,
       u"host=127.000.000.001 hostaddr=127.0.0.1 port={Oport} dbname=postgres user=trustuser "
       u"sslmode=verify-full sslrootcert={root}"_s,
       true);
    fail(u"D12 verify-full hostaddr only"_s,
         u"hostaddr=127.0.0.1 port={Tport} dbname=postgres user=trustuser sslmode=verify-full "
         u"sslrootcert={root}"_s,
         u"host name must be specified for a verified SSL connection"_s);
    fail(u"D13 verify-full bare DNS host, other cert"_s,
         u"host=localhost port={Oport} dbname=postgres user=trustuser sslmode=verify-full "
         u"sslrootcert={root}"_s,
         u"does not match host name \"localhost\""_s);
    ok(u"D14 verify-ca hostaddr only"_s,
       u"hostaddr=127.0.0.1 port={Tport} dbname=postgres user=trustuser sslmode=verify-ca sslrootcert={root}"_s,
       true);

    // ---- E. client certificates and keys (tls server: ssl_ca_file, hostssl … cert)
    ok(u"E01 cert auth"_s,
       u"{T} user=certuser sslmode=verify-full sslrootcert={root} sslcert={ccert} sslkey={ckey}"_s, true);
    fail(u"E02 cert auth, no certificate"_s, u"{T} user=certuser sslmode=require"_s,
         u"FATAL:  connection requires a valid client certificate"_s);
    fail(u"E03 cert auth, no certificate, prefer"_s, u"{T} user=certuser sslmode=prefer"_s,
         n + u"certuser\", database \"postgres\", no encryption"_s);
    fail(u"E04 client cert from unknown CA"_s,
         u"{T} user=certuser sslmode=require sslcert={xcert} sslkey={xkey}"_s,
         u"SSL error: tlsv1 alert unknown ca"_s);
    ok(u"E05 encrypted key, right sslpassword"_s,
       u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckeyenc} sslpassword={pass}"_s, true);
    fail(u"E06 encrypted key, wrong sslpassword"_s,
         u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckeyenc} sslpassword=wrong"_s,
         u"could not load private key file \"{ckeyenc}\": bad decrypt"_s);
    fail(u"E07 encrypted key, wrong sslpassword, prefer"_s,
         u"{T} user=certuser sslmode=prefer sslcert={ccert} sslkey={ckeyenc} sslpassword=wrong"_s,
         n + u"certuser\", database \"postgres\", no encryption"_s);
    ok(u"E08 traditional encrypted PEM key"_s,
       u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckeytrad} sslpassword={pass}"_s, true);
    fail(u"E09 traditional encrypted PEM key, wrong"_s,
         u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckeytrad} sslpassword=nope"_s,
         u"could not load private key file \"{ckeytrad}\": "_s);
    ok(u"E10 DER key (ASN1 retry)"_s, u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckeyder}"_s,
       true);
    fail(u"E11 key mode 0644"_s, u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckey644}"_s,
         u"private key file \"{ckey644}\" {perm}"_s);
    // Root-owned keys may be u=rw,g=r (0640); keys of other users must be 0600 or less.
    if (root)
        ok(u"E12 key mode 0640 (root-owned)"_s,
           u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckey640}"_s, true);
    else
        fail(u"E12 key mode 0640 (not root)"_s,
             u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckey640}"_s,
             u"private key file \"{ckey640}\" {perm}"_s);
    ok(u"E13 key mode 0644, prefer, trust user"_s,
       u"{T} user=trustuser sslmode=prefer sslcert={ccert} sslkey={ckey644}"_s, false);
    ok(u"E14 key mode 0644, plain server, prefer"_s,
       u"{P} user=trustuser sslmode=prefer sslcert={ccert} sslkey={ckey644}"_s, false);
    fail(u"E15 certificate without key file"_s,
         u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={nokey}"_s,
         u"certificate present, but not private key file \"{nokey}\""_s);
    fail(u"E16 key of another certificate"_s,
         u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckeymismatch}"_s,
         u"could not load private key file \"{ckeymismatch}\": "_s);
    fail(u"E17 missing certificate file"_s,
         u"{T} user=certuser sslmode=require sslcert={nocert} sslkey={ckey}"_s,
         u"FATAL:  connection requires a valid client certificate"_s);
    fail(u"E18 garbage certificate file"_s,
         u"{T} user=certuser sslmode=require sslcert={badcert} sslkey={ckey}"_s,
         u"could not read certificate file \"{badcert}\": "_s);
    fail(u"E19 key path is a directory"_s,
         u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={keydir}"_s,
         u"private key file \"{keydir}\" is not a regular file"_s);
    ok(u"E20 default ~/.postgresql client cert"_s, u"{T} user=certuser sslmode=verify-full"_s, true,
       u"client"_s);
    fail(u"E21 cert CN is another user"_s,
         u"{T} user=certuser sslmode=require sslcert={ucert} sslkey={ukey}"_s,
         u"FATAL:  certificate authentication failed for user \"certuser\""_s);
    fail(u"E22 clientcert=verify-full, CN mismatch"_s,
         u"{T} user=cfulluser sslmode=require sslcert={ccert} sslkey={ckey}"_s,
         u"FATAL:  \"trust\" authentication failed for user \"cfulluser\""_s);
    ok(u"E23 key perms unchecked without cert"_s,
       u"{T} user=trustuser sslmode=require sslcert={nocert} sslkey={ckey644}"_s, true);
    ok(u"E24 sslpassword on a plain key"_s,
       u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckey} sslpassword=unused"_s, true);
    fail(u"E25 default ~/.postgresql key mode 0644"_s, u"{T} user=certuser sslmode=require"_s,
         u"private key file \"{homeclientperm}/.postgresql/postgresql.key\" {perm}"_s, u"clientperm"_s);

    // ---- F. authentication methods
    ok(u"F01 password over TLS"_s, u"{T} user=pwuser password=pw-secret sslmode=require"_s, true);
    fail(u"F02 password wrong"_s, u"{T} user=pwuser password=nope sslmode=require"_s,
         u"FATAL:  password authentication failed for user \"pwuser\""_s);
    fail(u"F03 password missing"_s, u"{T} user=pwuser sslmode=require"_s,
         u"fe_sendauth: no password supplied"_s);
    ok(u"F04 password plain server allow"_s, u"{P} user=pwuser password=pw-secret sslmode=allow"_s, false);
    ok(u"F05 md5 plain server"_s, u"{P} user=md5user password=md5-secret sslmode=disable"_s, false);
    fail(u"F06 md5 wrong"_s,
         u"{T} user=md5user password=nope sslmode=verify-full "
         u"sslrootcert={root}"_s,
         u"FATAL:  password authentication failed for user \"md5user\""_s);
    fail(u"F07 md5 channel_binding=require"_s,
         u"{T} user=md5user password=md5-secret sslmode=require channel_binding=require"_s,
         u"channel binding required but not supported by server's authentication request"_s);
    ok(u"F08 scram verify-full"_s,
       u"{T} user=scramuser password=scram-secret sslmode=verify-full sslrootcert={root}"_s, true);
    ok(u"F09 scram channel_binding=require"_s,
       u"{T} user=scramuser password=scram-secret sslmode=verify-full sslrootcert={root} "
       u"channel_binding=require"_s,
       true);
    fail(u"F10 scram channel_binding=require, disable"_s,
         u"{T} user=scramuser password=scram-secret sslmode=disable channel_binding=require"_s,
         u"channel binding required, but SSL not in use"_s);
    fail(u"F11 scram channel_binding=require, plain srv"_s,
         u"{P} user=scramuser password=scram-secret sslmode=prefer channel_binding=require"_s,
         u"channel binding required, but SSL not in use"_s);
    fail(u"F12 scram wrong password"_s, u"{T} user=scramuser password=nope sslmode=require"_s,
         u"FATAL:  password authentication failed for user \"scramuser\""_s);
    ok(u"F13 scram channel_binding=disable"_s,
       u"{T} user=scramuser password=scram-secret sslmode=require channel_binding=disable"_s, true);
    ok(u"F14 scram plaintext"_s, u"{P} user=scramuser password=scram-secret sslmode=prefer"_s, false);
    fail(u"F15 trust channel_binding=require"_s,
         u"{T} user=trustuser sslmode=require channel_binding=require"_s,
         u"channel binding required, but server authenticated client without channel binding"_s);
    fail(u"F16 cert channel_binding=require"_s,
         u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckey} channel_binding=require"_s,
         u"channel binding required, but server authenticated client without channel binding"_s);
    fail(u"F17 password channel_binding=require"_s,
         u"{T} user=pwuser password=pw-secret sslmode=require channel_binding=require"_s,
         u"channel binding required but not supported by server's authentication request"_s);
    ok(u"F18 md5 over TLS, prefer"_s, u"{T} user=md5user password=md5-secret"_s, true);
    fail(u"F19 scram channel_binding=require allow"_s,
         u"{T} user=scramuser password=scram-secret sslmode=allow channel_binding=require"_s,
         u"channel binding required, but SSL not in use"_s);

    // ---- G. hostssl / hostnossl
    ok(u"G01 hostssl user, require"_s, u"{T} user=sslonly sslmode=require"_s, true);
    fail(u"G02 hostssl user, disable"_s, u"{T} user=sslonly sslmode=disable"_s,
         n + u"sslonly\", database \"postgres\", no encryption"_s);
    ok(u"G03 hostssl user, allow (retries SSL)"_s, u"{T} user=sslonly sslmode=allow"_s, true);
    ok(u"G04 hostssl user, prefer"_s, u"{T} user=sslonly sslmode=prefer"_s, true);
    ok(u"G05 hostnossl user, prefer (retries plain)"_s, u"{T} user=nossluser sslmode=prefer"_s, false);
    fail(u"G06 hostnossl user, require"_s, u"{T} user=nossluser sslmode=require"_s,
         n + u"nossluser\", database \"postgres\", SSL encryption"_s);
    ok(u"G07 hostnossl user, allow"_s, u"{T} user=nossluser sslmode=allow"_s, false);
    fail(u"G08 hostssl user, plain server"_s, u"{P} user=sslonly sslmode=prefer"_s,
         n + u"sslonly\", database \"postgres\", no encryption"_s);
    fail(u"G09 unknown user, prefer (both messages)"_s, u"{T} user=nobody sslmode=prefer"_s,
         n + u"nobody\", database \"postgres\", no encryption"_s);

    // ---- H. default ~/.postgresql/root.crt ("require behaves as verify-ca")
    ok(u"H01 home root, require"_s, u"{T} user=trustuser sslmode=require"_s, true, u"root"_s);
    fail(u"H02 home wrong root, require"_s, u"{T} user=trustuser sslmode=require"_s,
         u"SSL error: certificate verify failed"_s, u"wrong"_s);
    ok(u"H03 home wrong root, prefer"_s, u"{T} user=trustuser sslmode=prefer"_s, false, u"wrong"_s);
    fail(u"H04 home wrong root, verify-ca"_s, u"{T} user=trustuser sslmode=verify-ca"_s,
         u"SSL error: certificate verify failed"_s, u"wrong"_s);
    ok(u"H05 home root, verify-full"_s, u"{T} user=trustuser sslmode=verify-full"_s, true, u"root"_s);
    ok(u"H06 home wrong root, explicit root wins"_s,
       u"{T} user=trustuser sslmode=verify-ca sslrootcert={root}"_s, true, u"wrong"_s);
    fail(u"H07 home wrong root, allow"_s, u"{T} user=sslonly sslmode=allow"_s,
         u"SSL error: certificate verify failed"_s, u"wrong"_s);
    ok(u"H08 home root, IP host, require"_s,
       u"host=127.0.0.1 port={Tport} dbname=postgres user=trustuser sslmode=require"_s, true, u"root"_s);

    // ---- I. CRLs
    fail(u"I01 sslcrl revokes server cert"_s,
         u"{T} user=trustuser sslmode=verify-ca sslrootcert={root} sslcrl={crlrevoked}"_s,
         u"SSL error: certificate verify failed"_s);
    ok(u"I02 sslcrl missing file: no CRL check"_s,
       u"{T} user=trustuser sslmode=verify-ca sslrootcert={root} sslcrl={crlmissing}"_s, true);
    ok(u"I03 sslcrl empty CRLs"_s,
       u"{T} user=trustuser sslmode=verify-full sslrootcert={root} sslcrl={crlempty}"_s, true);
    fail(u"I04 sslcrl of unrelated CA (CHECK_ALL)"_s,
         u"{T} user=trustuser sslmode=verify-ca sslrootcert={root} sslcrl={crlunrelated}"_s,
         u"SSL error: certificate verify failed"_s);
    fail(u"I05 sslcrl root CRL only (CHECK_ALL)"_s,
         u"{T} user=trustuser sslmode=verify-ca sslrootcert={root} sslcrl={crlrootonly}"_s,
         u"SSL error: certificate verify failed"_s);
    ok(u"I06 missing sslcrl disables sslcrldir"_s,
       u"{T} user=trustuser sslmode=verify-ca sslrootcert={root} sslcrl={crlmissing} "
       u"sslcrldir={crldir}"_s,
       true);
    fail(u"I07 sslcrldir revokes server cert"_s,
         u"{T} user=trustuser sslmode=verify-ca sslrootcert={root} sslcrldir={crldir}"_s,
         u"SSL error: certificate verify failed"_s);
    fail(u"I08 default ~/.postgresql/root.crl"_s, u"{T} user=trustuser sslmode=verify-ca"_s,
         u"SSL error: certificate verify failed"_s, u"crl"_s);
    ok(u"I09 revoked, prefer falls back"_s,
       u"{T} user=trustuser sslmode=prefer sslrootcert={root} sslcrl={crlrevoked}"_s, false);
    fail(u"I10 revoked, require with root file"_s,
         u"{T} user=trustuser sslmode=require sslrootcert={root} sslcrl={crlrevoked}"_s,
         u"SSL error: certificate verify failed"_s);
    fail(u"I11 revoked, verify-full, sslcrl='' + sslcrldir"_s,
         u"{T} user=trustuser sslmode=verify-full sslrootcert={root} sslcrl='' sslcrldir={crldir}"_s,
         u"SSL error: certificate verify failed"_s);
    // conninfo_parse() skips blanks after '=': sslcrl's value is "sslcrldir=…", a missing file.
    ok(u"I12 'sslcrl= sslcrldir=…' is one value"_s,
       u"{T} user=trustuser sslmode=verify-full sslrootcert={root} sslcrl= sslcrldir={crldir}"_s, true);
    ok(u"I13 CRL ignored without root file"_s, u"{T} user=trustuser sslmode=require sslcrl={crlrevoked}"_s,
       true);

    // ---- J. multiple hosts
    ok(u"J01 first host refuses"_s,
       u"host=127.0.0.1,localhost port={closed},{Tport} dbname=postgres user=trustuser "
       u"sslmode=require"_s,
       true);
    fail(u"J02 all hosts refuse"_s,
         u"host=127.0.0.1,localhost port={closed},{closed} dbname=postgres user=trustuser"_s,
         u"Connection refused"_s);
    fail(u"J03 TLS failure ends the list"_s,
         u"host=localhost,localhost hostaddr=127.0.0.1,127.0.0.1 port={Oport},{Tport} dbname=postgres "
         u"user=trustuser sslmode=verify-full sslrootcert={root}"_s,
         u"does not match host name \"localhost\""_s);
    fail(u"J04 auth failure ends the list"_s,
         u"host=localhost,localhost hostaddr=127.0.0.1,127.0.0.1 port={Tport},{Pport} dbname=postgres "
         u"user=pwuser password=nope sslmode=prefer"_s,
         u"password authentication failed for user \"pwuser\""_s);
    fail(u"J05 'N' with require ends the list"_s,
         u"host=localhost,localhost hostaddr=127.0.0.1,127.0.0.1 port={Pport},{Tport} dbname=postgres "
         u"user=trustuser sslmode=require"_s,
         u"server does not support SSL, but SSL was required"_s);
    ok(u"J06 refused, then plain server prefer"_s,
       u"host=localhost,localhost hostaddr=127.0.0.1,127.0.0.1 port={closed},{Pport} "
       u"dbname=postgres user=trustuser"_s,
       false);

    // ---- K. Unix-domain socket: never TLS
    ok(u"K01 socket, require (plaintext)"_s,
       u"host={sock} port={Tport} dbname=postgres user=trustuser sslmode=require"_s, false);
    ok(u"K02 socket, verify-full no root"_s,
       u"host={sock} port={Tport} dbname=postgres user=trustuser sslmode=verify-full"_s, false);
    fail(u"K03 socket, wrong port"_s,
         u"host={sock} port={closed} dbname=postgres user=trustuser sslmode=require"_s,
         u"No such file or directory"_s);
    fail(u"K04 socket, channel_binding=require"_s,
         u"host={sock} port={Tport} dbname=postgres user=trustuser channel_binding=require"_s,
         u"channel binding required, but server authenticated client without channel binding"_s);

    // ---- L. option validation and protocol bounds
    fail(u"L01 invalid sslmode"_s, u"{T} user=trustuser sslmode=verify"_s,
         u"invalid sslmode value: \"verify\""_s);
    fail(u"L02 invalid channel_binding"_s, u"{T} user=trustuser channel_binding=yes"_s,
         u"invalid channel_binding value: \"yes\""_s);
    ok(u"L03 min TLSv1.3"_s, u"{T} user=trustuser sslmode=require ssl_min_protocol_version=TLSv1.3"_s, true);
    fail(u"L04 max TLSv1.1 vs server min TLSv1.2"_s,
         u"{T} user=trustuser sslmode=require ssl_max_protocol_version=TLSv1.1 "
         u"ssl_min_protocol_version=TLSv1"_s,
         u"SSL error: "_s);
    fail(u"L05 invalid protocol range"_s,
         u"{T} user=trustuser sslmode=require ssl_min_protocol_version=TLSv1.3 "
         u"ssl_max_protocol_version=TLSv1.2"_s,
         u"invalid SSL protocol version range"_s);
    fail(u"L06 unknown keyword"_s, u"{T} user=trustuser sslmod=require"_s,
         u"invalid connection option \"sslmod\""_s);
    fail(u"L07 requiressl=1 on plain server"_s, u"{P} user=trustuser requiressl=1"_s,
         u"server does not support SSL, but SSL was required"_s);
    ok(u"L08 max TLSv1.2"_s,
       u"{T} user=trustuser sslmode=verify-full sslrootcert={root} ssl_max_protocol_version=TLSv1.2"_s, true);

    // ---- M. known PG15 ≠ PG16-18 differences (our PG18 outcome asserted)
    fail(u"M01 sslrootcert=system, verify-full"_s,
         u"{T} user=trustuser sslmode=verify-full sslrootcert=system"_s,
         u"SSL error: certificate verify failed"_s)
        .known(u"sslrootcert=system is PG16+ (PG15: a file named \"system\")"_s,
               u"root certificate file \"system\" does not exist"_s);
    fail(u"M02 sslrootcert=system, require"_s, u"{T} user=trustuser sslmode=require sslrootcert=system"_s,
         u"weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")"_s)
        .known(u"sslrootcert=system is PG16+ (PG15 connects without verification)"_s);
    fail(u"M03 sslrootcert=system sets verify-full"_s, u"{T} user=trustuser sslrootcert=system"_s,
         u"SSL error: certificate verify failed"_s)
        .known(u"sslrootcert=system defaults sslmode to verify-full in PG16+ (PG15: prefer)"_s);
    fail(u"M04 sslcertmode=disable"_s,
         u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckey} sslcertmode=disable"_s,
         u"FATAL:  connection requires a valid client certificate"_s)
        .known(u"sslcertmode is PG16+"_s, u"invalid connection option \"sslcertmode\""_s);
    fail(u"M05 sslcertmode=require, no CA on server"_s,
         u"{O} user=trustuser sslmode=require sslcert={ccert} sslkey={ckey} sslcertmode=require"_s,
         u"server did not request an SSL certificate"_s)
        .known(u"sslcertmode is PG16+"_s, u"invalid connection option \"sslcertmode\""_s);
    ok(u"M06 sslcertmode=require with cert"_s,
       u"{T} user=certuser sslmode=require sslcert={ccert} sslkey={ckey} sslcertmode=require"_s, true)
        .known(u"sslcertmode is PG16+"_s, u"invalid connection option \"sslcertmode\""_s);
    fail(u"M07 require_auth=scram-sha-256 vs md5"_s,
         u"{T} user=md5user password=md5-secret sslmode=require require_auth=scram-sha-256"_s,
         u"authentication method requirement \"scram-sha-256\" failed: server requested a hashed "
         u"password"_s)
        .known(u"require_auth is PG16+"_s, u"invalid connection option \"require_auth\""_s);
    ok(u"M08 require_auth=md5"_s, u"{T} user=md5user password=md5-secret sslmode=require require_auth=md5"_s,
       true)
        .known(u"require_auth is PG16+"_s, u"invalid connection option \"require_auth\""_s);
    ok(u"M09 require_auth=!password vs trust"_s,
       u"{T} user=trustuser sslmode=require require_auth=!password"_s, true)
        .known(u"require_auth is PG16+"_s, u"invalid connection option \"require_auth\""_s);
    fail(u"M10 sslnegotiation=direct vs PG15 server"_s,
         u"{T} user=trustuser sslmode=require sslnegotiation=direct"_s,
         // The PG15 server reads the ClientHello as a startup packet and closes the connection; the
         // wording of that EOF depends on the TLS layer (docs/LIBPQ-DIFFERENCES.md).
         u"connection to server at \"127.0.0.1\", port {Tport} failed: SSL "_s)
        .known(u"sslnegotiation is PG17+ (and a PG15 server cannot accept direct SSL)"_s,
               u"invalid connection option \"sslnegotiation\""_s);
    fail(u"M11 sslnegotiation=direct with prefer"_s,
         u"{T} user=trustuser sslmode=prefer sslnegotiation=direct"_s,
         u"weak sslmode \"prefer\" may not be used with sslnegotiation=direct (use \"require\", "
         u"\"verify-ca\", or \"verify-full\")"_s)
        .known(u"sslnegotiation is PG17+"_s, u"invalid connection option \"sslnegotiation\""_s);
    fail(u"M12 invalid ssl_min_protocol_version"_s, u"{T} user=trustuser ssl_min_protocol_version=TLSv9"_s,
         u"invalid \"ssl_min_protocol_version\" value: \"TLSv9\""_s)
        .known(u"message quotes the keyword since PG17"_s,
               u"invalid ssl_min_protocol_version value: \"TLSv9\""_s);

    for (MatrixCase& c : m_cases) {
        c.conninfo = expand(c.conninfo);
        c.expectText = expand(c.expectText);
        c.psqlText = expand(c.psqlText);
    }
}

void TestLibpqMatrix::initTestCase()
{
    QLoggingCategory::setFilterRules(u"vf.*.debug=false"_s);
    if (!PgServer::available())
        QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
    if (!LibpqMatrixRunner::psqlAvailable())
        QSKIP("psql 15 (/usr/lib/postgresql/15/bin/psql) is not installed");
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(startServers(&error), qPrintable(error));
    defineCases();
    QVERIFY2(m_unknownPlaceholders.isEmpty(),
             qPrintable(u"unknown placeholders: "_s + m_unknownPlaceholders.join(u", ")));
}

void TestLibpqMatrix::matrix_data()
{
    QTest::addColumn<int>("index");
    for (int i = 0; i < m_cases.size(); ++i)
        QTest::addRow("%s", qPrintable(m_cases.at(i).name)) << i;
}

void TestLibpqMatrix::matrix()
{
    QFETCH(int, index);
    const MatrixCase& c = m_cases.at(index);
    const QString home = m_homes.value(c.home);
    QVERIFY2(!home.isEmpty(), qPrintable(u"unknown home "_s + c.home));

    const MatrixResult libpq = LibpqMatrixRunner::runPsql(c.conninfo, home);
    const MatrixResult ours = LibpqMatrixRunner::runEngine(c.conninfo, home);

    // Agreement with libpq 15.
    bool agree = !libpq.harness && !ours.harness && libpq.ok == ours.ok;
    if (agree && ours.ok)
        agree = libpq.ssl == ours.ssl;
    if (agree && !ours.ok)
        agree =
            ours.message.contains(c.compareFirstLine ? libpq.message.section(u'\n', 0, 0) : libpq.message);

    SummaryRow row{c.name, outcome(libpq), outcome(ours), agree ? u"yes"_s : u"NO"_s, c.difference};
    if (!c.difference.isEmpty() && !(c.compareFirstLine && agree))
        row.agree = u"diff"_s;
    else if (!c.difference.isEmpty())
        row.agree = u"yes (text diff)"_s;
    m_summary << row;

    const QString context = u"\n  conninfo: "_s + c.conninfo + u"\n  psql 15 [exit "_s +
                            QString::number(libpq.exitCode) + u"]: "_s + outcome(libpq) + u" " +
                            libpq.message + u"\n  ours: "_s + outcome(ours) + u" " + ours.message;
    qDebug().noquote() << c.name << context; // shown when run directly; ctest filters debug output
    QVERIFY2(!libpq.harness, qPrintable(u"psql run failed"_s + context));
    QVERIFY2(!ours.harness, qPrintable(u"engine run failed"_s + context));

    // Our outcome is the PG18 one, whatever libpq 15 does.
    QVERIFY2(ours.ok == c.expectOk, qPrintable(u"unexpected outcome"_s + context));
    if (!c.expectOk)
        QVERIFY2(ours.message.contains(c.expectText),
                 qPrintable(u"our message lacks \""_s + c.expectText + u"\""_s + context));
    if (c.expectOk)
        QVERIFY2(ours.ssl == c.expectSsl, qPrintable(u"unexpected encryption"_s + context));

    if (c.difference.isEmpty()) {
        QVERIFY2(agree, qPrintable(u"libpq 15 and the engine disagree"_s + context));
        return;
    }
    // A known difference: pin what libpq 15 does, so the documented difference stays the real one.
    if (!c.psqlText.isEmpty())
        QVERIFY2(libpq.message.contains(c.psqlText),
                 qPrintable(u"psql 15 no longer says \""_s + c.psqlText + u"\""_s + context));
    if (c.compareFirstLine)
        QVERIFY2(agree, qPrintable(u"first line of libpq 15's message not in ours"_s + context));
}

void TestLibpqMatrix::summary()
{
    if (m_summary.isEmpty())
        QSKIP("the matrix did not run");
    int agreed = 0;
    int differences = 0;
    int disagreed = 0;
    qInfo().noquote() << u"%1 %2 %3 %4 %5"_s.arg(u"case"_s, -46)
                             .arg(u"psql 15"_s, -9)
                             .arg(u"ours"_s, -9)
                             .arg(u"agree"_s, -15)
                             .arg(u"known difference"_s);
    for (const SummaryRow& r : std::as_const(m_summary)) {
        qInfo().noquote() << u"%1 %2 %3 %4 %5"_s.arg(r.name, -46)
                                 .arg(r.psql, -9)
                                 .arg(r.ours, -9)
                                 .arg(r.agree, -15)
                                 .arg(r.note);
        if (r.agree == u"diff")
            ++differences;
        else if (r.agree == u"NO")
            ++disagreed;
        else
            ++agreed;
    }
    qInfo().noquote() << u"%1 cases: %2 agree with libpq 15, %3 known differences, %4 disagree"_s
                             .arg(m_summary.size())
                             .arg(agreed)
                             .arg(differences)
                             .arg(disagreed);
    if (m_summary.size() != m_cases.size())
        QSKIP("only some matrix rows ran: the summary needs the whole matrix");
    QVERIFY(m_summary.size() >= 80);
    QCOMPARE(disagreed, 0);
    // Differences are the exception, not the rule.
    QVERIFY(differences * 5 < m_summary.size());
}

QTEST_GUILESS_MAIN(TestLibpqMatrix)
#include "tst_libpq_matrix.moc"
