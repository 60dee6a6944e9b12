#include "tst_libpq_matrix_runner.h"

#include "session/ConnectionTester.h"
#include "settings/ConnInfo.h"
#include "settings/Environment.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

#include <QFileInfo>
#include <QProcess>
#include <QProcessEnvironment>
#include <QSignalSpy>

using namespace Qt::StringLiterals;

namespace vf::test {

namespace {

// One row (t/f) on success, so psql also tells whether the session it got was encrypted.
const QString kSslQuery = u"select ssl from pg_stat_ssl where pid = pg_backend_pid()"_s;
constexpr int kPsqlTimeoutMs = 60000;
constexpr int kEngineTimeoutMs = 60000;

MatrixResult failedBeforeNetwork(const Error& error)
{
    MatrixResult r;
    r.message = error.message;
    return r;
}

} // namespace

QString LibpqMatrixRunner::psqlPath()
{
    return u"/usr/lib/postgresql/15/bin/psql"_s;
}

bool LibpqMatrixRunner::psqlAvailable()
{
    return QFileInfo(psqlPath()).isExecutable();
}

MatrixResult LibpqMatrixRunner::runPsql(const QString& conninfo, const QString& home)
{
    MatrixResult r;
    QProcessEnvironment env; // empty: nothing of ours (no PG*, no SSL_CERT_*, no OPENSSL_CONF)
    env.insert(u"HOME"_s, home);
    env.insert(u"PATH"_s, u"/usr/bin:/bin"_s);
    env.insert(u"LC_ALL"_s, u"C"_s);
    QProcess p;
    p.setProcessEnvironment(env);
    p.setWorkingDirectory(home);
    p.start(psqlPath(), {u"-X"_s, u"-A"_s, u"-t"_s, u"-w"_s, u"-c"_s, kSslQuery, conninfo});
    if (!p.waitForFinished(kPsqlTimeoutMs)) {
        p.kill();
        p.waitForFinished(5000);
        r.harness = true;
        r.message = u"psql did not finish in time"_s;
        return r;
    }
    if (p.exitStatus() != QProcess::NormalExit) {
        r.harness = true;
        r.message = u"psql crashed"_s;
        return r;
    }
    r.exitCode = p.exitCode();
    const QString out = QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
    QString err = QString::fromLocal8Bit(p.readAllStandardError());
    while (err.endsWith(u'\n'))
        err.chop(1);
    if (r.exitCode == 0) {
        r.ok = out == u"t" || out == u"f";
        r.ssl = out == u"t";
        r.harness = !r.ok;
        r.message = r.ok ? QString() : u"unexpected psql output: "_s + out;
        return r;
    }
    const QLatin1StringView prefix("psql: error: ");
    r.message = err.startsWith(prefix) ? err.mid(prefix.size()) : err;
    // 2 is psql's "connection failed"; an empty message would agree with anything.
    r.harness = r.exitCode != 2 || r.message.isEmpty();
    return r;
}

MatrixResult LibpqMatrixRunner::runEngine(const QString& conninfo, const QString& home)
{
    settings::Environment env;
    env.setVariable(u"HOME"_s, home);
    auto info = settings::ConnInfo::parse(conninfo);
    if (!info)
        return failedBeforeNetwork(info.error());
    auto resolved = settings::SettingsResolver(env).resolve(*info);
    if (!resolved)
        return failedBeforeNetwork(resolved.error());
    auto validated = settings::OptionValidator::validate(*resolved);
    if (!validated)
        return failedBeforeNetwork(validated.error());

    session::ConnectionTester tester(*resolved, *validated, session::CheckOptions{}, nullptr);
    QSignalSpy done(&tester, &session::ConnectionTester::finished);
    tester.start();
    MatrixResult r;
    if (!done.wait(kEngineTimeoutMs)) {
        tester.cancel();
        r.harness = true;
        r.message = u"the check did not finish in time"_s;
        return r;
    }
    const session::ConnectionReport& report = tester.report();
    r.ok = report.success;
    r.message = report.libpqMessage;
    if (const session::AttemptReport* last = report.finalAttempt(); last && report.success)
        r.ssl = last->server.sslInUse;
    return r;
}

} // namespace vf::test
