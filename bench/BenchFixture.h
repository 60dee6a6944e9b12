#pragma once

// The server every benchmark measures against: a PostgreSQL 15 started for the run (tests/support
// PgServer) with verify-full-ready TLS material (root → intermediate → "localhost" leaf), a SCRAM user
// and a client-certificate user, plus a clean empty home directory for the clients.

#include "PgServer.h"
#include "settings/Environment.h"

#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace vf::bench {

enum class Scenario
{
    Scram,      // sslmode=verify-full, SCRAM-SHA-256 (channel binding preferred, so -PLUS)
    ClientCert, // sslmode=verify-full, pg_hba "cert": the client certificate is the authentication
};

QString scenarioName(Scenario scenario);

// A PEM bundle of `count` generated EC certificates ("Bench Cert 00000"…, each with a DNS name), issued
// by one CA; with selfSignedEvery = n, every n-th one is a self-signed root instead (0: none).
QByteArray certificateBundle(int count, int selfSignedEvery = 0);

class BenchFixture final
{
public:
    ~BenchFixture();

    // maxConnections: the server's max_connections (the parallel benchmark needs more than 32).
    static std::unique_ptr<BenchFixture> create(int maxConnections, QString* error);

    // A complete libpq connection string for the scenario. hostaddr=true adds hostaddr=127.0.0.1
    // (no name lookup); otherwise host=localhost is resolved by the client, as people usually write it.
    QString conninfo(Scenario scenario, bool hostaddr = false) const;

    // The clients' whole environment: HOME (empty temporary directory), PATH, LANG; no PG* variables.
    QStringList processEnvironment() const;
    // The same for the core API.
    settings::Environment settingsEnvironment() const;

    // CPU time (user + system) the server has used so far: the postmaster and every backend that has
    // exited (the postmaster reaps them, so they count in its children's times). -1 when unknown.
    qint64 serverCpuNs() const;

    QString homeDirectory() const;
    QString scratchFile(const QString& name) const;
    const test::PgServer& server() const { return *m_server; }

private:
    BenchFixture() = default;

    QTemporaryDir m_dir;
    std::unique_ptr<test::PgServer> m_server;
    QString m_rootCert;
    QString m_clientCert;
    QString m_clientKey;
};

} // namespace vf::bench
