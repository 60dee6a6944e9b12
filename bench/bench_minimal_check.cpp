// The smallest program that runs one check through the core API: ConnInfo → SettingsResolver →
// OptionValidator → ConnectionTester, exit status 0 on success, libpq's message on failure, nothing
// else (no diagnosis, no report text). bench_cli_vs_psql runs it next to verifyfull-cli and psql so
// that the figures show what the engine costs and what the CLI's report layer adds.
//
// With VF_BENCH_TRACE=1 in the environment it prints CLOCK_MONOTONIC milestones (main entered, Qt
// ready, check started, each phase, check finished, event loop left) to stderr, to compare with the
// spawning process's own clock readings (docs/PERFORMANCE.md, "where the time goes").

#include "session/ConnectionTester.h"
#include "settings/ConnInfo.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTextStream>

#include <cstdio>
#include <cstdlib>
#include <ctime>

using namespace Qt::StringLiterals;
using namespace vf;

namespace {

bool g_trace = false;

void trace(const char* what)
{
    if (!g_trace)
        return;
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    std::fprintf(stderr, "trace %lld.%06ld %s\n", static_cast<long long>(now.tv_sec), now.tv_nsec / 1000,
                 what);
}

} // namespace

int main(int argc, char* argv[])
{
    g_trace = std::getenv("VF_BENCH_TRACE") != nullptr;
    trace("main");
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"*.debug=false"_s);
    trace("qt-ready");
    QTextStream err(stderr);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 2) {
        err << "usage: bench_minimal_check CONNINFO | --version" << Qt::endl;
        return 2;
    }
    if (args.at(1) == u"--version") { // start-up and exit, like the other tools' --version
        QTextStream(stdout) << "bench_minimal_check" << Qt::endl;
        return 0;
    }
    auto info = settings::ConnInfo::parse(args.at(1));
    auto resolved = info ? settings::SettingsResolver(settings::Environment::system()).resolve(*info)
                         : Result<settings::EffectiveSettings>(std::unexpected(info.error()));
    auto validated = resolved ? settings::OptionValidator::validate(*resolved)
                              : Result<settings::ValidatedOptions>(std::unexpected(resolved.error()));
    if (!validated) {
        err << validated.error().message << Qt::endl;
        return 2;
    }
    trace("settings-ready");
    session::ConnectionTester tester(*resolved, *validated, {}, nullptr);
    QObject::connect(&tester, &session::ConnectionTester::phaseStarted, &app,
                     [](int, session::Phase phase, const QString&) {
                         if (g_trace)
                             trace(qPrintable(u"phase "_s + session::phaseName(phase)));
                     });
    QObject::connect(&tester, &session::ConnectionTester::finished, &app,
                     [&err](const session::ConnectionReport& report) {
                         trace("finished");
                         if (!report.success)
                             err << report.libpqMessage << Qt::endl;
                         QCoreApplication::exit(report.success ? 0 : 1);
                     });
    tester.start();
    const int rc = QCoreApplication::exec();
    trace("loop-left");
    return rc;
}
