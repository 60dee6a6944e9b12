#include "BenchFixture.h"

#include "TestPki.h"

#include <QDir>
#include <QFile>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace vf::bench {

QByteArray certificateBundle(int count, int selfSignedEvery)
{
    using namespace vf::test;
    const auto key = TestPki::makeKey(KeyType::EcP256);
    const TestCert issuer = TestPki::makeCert(TestPki::rootSpec(u"Bench Bundle Root"_s));
    QByteArray pem;
    pem.reserve(qsizetype(count) * 700);
    for (int i = 0; i < count; ++i) {
        const QString cn = u"Bench Cert %1"_s.arg(i, 5, 10, QLatin1Char('0'));
        pem += selfSignedEvery > 0 && i % selfSignedEvery == 0
                   ? TestPki::makeCertWithKey(TestPki::rootSpec(cn), key).pem()
                   : TestPki::makeCertWithKey(TestPki::serverSpec(cn, {u"h%1.example.com"_s.arg(i)}), key,
                                              &issuer)
                         .pem();
    }
    return pem;
}

QString scenarioName(Scenario scenario)
{
    switch (scenario) {
    case Scenario::Scram:
        return u"verify-full + SCRAM"_s;
    case Scenario::ClientCert:
        return u"verify-full + client certificate"_s;
    }
    return {};
}

BenchFixture::~BenchFixture() = default;

std::unique_ptr<BenchFixture> BenchFixture::create(int maxConnections, QString* error)
{
    auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return std::unique_ptr<BenchFixture>();
    };
    if (!test::PgServer::available())
        return fail(u"PostgreSQL 15 server is not installed in "_s + test::PgServer::binDir());
    std::unique_ptr<BenchFixture> f(new BenchFixture);
    if (!f->m_dir.isValid() || !QDir().mkpath(f->homeDirectory()))
        return fail(u"cannot create a temporary directory"_s);

    using test::TestPki;
    const test::TestCert root = TestPki::makeCert(TestPki::rootSpec(u"Bench Root"_s));
    const test::TestCert inter = TestPki::makeCert(TestPki::intermediateSpec(u"Bench Issuing CA"_s), &root);
    const test::TestCert server =
        TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &inter);
    const test::TestCert client = TestPki::makeCert(TestPki::clientSpec(u"certuser"_s), &root);
    if (root.isNull() || inter.isNull() || server.isNull() || client.isNull())
        return fail(u"cannot generate the test PKI"_s);

    f->m_rootCert = f->scratchFile(u"root.crt"_s);
    f->m_clientCert = f->scratchFile(u"client.crt"_s);
    f->m_clientKey = f->scratchFile(u"client.key"_s);
    if (!TestPki::writeFile(f->m_rootCert, root.pem()) ||
        !TestPki::writeFile(f->m_clientCert, client.pem()) ||
        !TestPki::writeFile(f->m_clientKey, client.keyBytes()))
        return fail(u"cannot write the client files"_s);

    test::PgServer::Options o;
    o.serverCertChainPem = server.pem() + inter.pem();
    o.serverKeyPem = server.keyBytes();
    o.clientCaPem = root.pem();
    o.hbaLines = {u"hostssl all certuser 127.0.0.1/32 cert"_s,
                  u"hostssl all scramuser 127.0.0.1/32 scram-sha-256"_s};
    // Later lines win over PgServer's defaults. No connection logging: it is server work that both
    // clients would pay equally, and it only adds noise.
    o.extraConfig = {u"max_connections = %1"_s.arg(maxConnections), u"log_connections = off"_s};
    QString why;
    f->m_server = test::PgServer::start(o, &why);
    if (!f->m_server)
        return fail(why);
    QString sqlError;
    if (f->m_server
            ->psql(u"create role scramuser login password 'scram-pw'; create role certuser login"_s,
                   &sqlError)
            .isNull())
        return fail(sqlError);
    return f;
}

QString BenchFixture::conninfo(Scenario scenario, bool hostaddr) const
{
    QString c =
        u"host=localhost port=%1 dbname=postgres sslmode=verify-full sslrootcert=%2"_s.arg(m_server->port())
            .arg(m_rootCert);
    if (hostaddr)
        c += u" hostaddr=127.0.0.1"_s;
    switch (scenario) {
    case Scenario::Scram:
        c += u" user=scramuser password=scram-pw"_s;
        break;
    case Scenario::ClientCert:
        c += u" user=certuser sslcert="_s + m_clientCert + u" sslkey="_s + m_clientKey;
        break;
    }
    return c;
}

QStringList BenchFixture::processEnvironment() const
{
    return {u"HOME="_s + homeDirectory(), u"PATH=/usr/bin:/bin"_s, u"LANG=C.UTF-8"_s};
}

settings::Environment BenchFixture::settingsEnvironment() const
{
    settings::Environment env;
    env.setVariable(u"HOME"_s, homeDirectory());
    return env;
}

qint64 BenchFixture::serverCpuNs() const
{
    // postmaster.pid: the first line is the postmaster's process id.
    QFile pidFile(m_server->dataDir() + u"/postmaster.pid"_s);
    if (!pidFile.open(QIODevice::ReadOnly))
        return -1;
    const QByteArray pid = pidFile.readLine().trimmed();
    QFile stat(u"/proc/"_s + QString::fromLatin1(pid) + u"/stat"_s);
    if (pid.isEmpty() || !stat.open(QIODevice::ReadOnly))
        return -1;
    // Fields after the parenthesised command name; utime, stime, cutime, cstime are fields 14-17.
    const QByteArray line = stat.readAll();
    const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (fields.size() < 15)
        return -1;
    qint64 ticks = 0;
    for (int i = 11; i <= 14; ++i)
        ticks += fields.at(i).toLongLong();
    return ticks * (1000000000 / sysconf(_SC_CLK_TCK));
}

QString BenchFixture::homeDirectory() const
{
    return m_dir.filePath(u"home"_s);
}

QString BenchFixture::scratchFile(const QString& name) const
{
    return m_dir.filePath(name);
}

} // namespace vf::bench
