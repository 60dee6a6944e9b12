#pragma once

// Runs one connection string through the real libpq (psql of PostgreSQL 15) and through our engine
// (ConnectionTester), with the same clean environment: no PG* variables, HOME set to a directory the
// test prepared, nothing else of the machine.

#include <QString>

namespace vf::test {

struct MatrixResult
{
    bool ok = false;
    // psql: exit status 0 and the query answered; ours: ConnectionReport::success.
    bool ssl = false;     // on success: the session was encrypted (pg_stat_ssl.ssl)
    QString message;      // psql: stderr after "psql: error: "; ours: ConnectionReport::libpqMessage
    int exitCode = -1;    // psql only: 0 success, 2 connection failure (anything else is a harness problem)
    bool harness = false; // the run itself went wrong (psql crashed, timed out, check did not finish)
};

class LibpqMatrixRunner final
{
public:
    static QString psqlPath();
    static bool psqlAvailable();

    // psql -X -A -t -w -c "<ssl query>" "<conninfo>" with env {HOME, PATH, LC_ALL=C}.
    static MatrixResult runPsql(const QString& conninfo, const QString& home);
    // ConnInfo::parse → SettingsResolver(Environment{HOME}) → OptionValidator → ConnectionTester. An
    // error before the network (parse, resolve, validation) is libpq's unprefixed message, as psql
    // prints it for PQconnectdb() failures in conninfo parsing or pqConnectOptions2().
    static MatrixResult runEngine(const QString& conninfo, const QString& home);
};

} // namespace vf::test
