// Goal 1 of the connection-tester issue: one `verifyfull-cli check` takes no longer than
// `psql -c 'select 1'` with the same settings (ratio of medians <= 1.0). Both programs are started
// the same way (ProcessTimer: posix_spawn, a clean environment, output to a file), alternately
// psql, ours, psql, ours…, against one local PostgreSQL 15 with TLS, after a warm-up.

#include "BenchFixture.h"
#include "MachineInfo.h"
#include "ProcessTimer.h"
#include "Stats.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTextStream>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace vf::bench;

namespace {

constexpr int kSkipped = 77; // ctest SKIP_RETURN_CODE: no PostgreSQL server or psql here

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

struct Tool
{
    QString name;
    QStringList argv;
    QList<double> wallMs;
    QList<double> cpuMs;
};

QString readOutput(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.read(8192)) : QString();
}

// Runs every tool once per round, in order, `warmup` rounds discarded then `runs` rounds kept.
// Returns false (after printing why) when a run fails.
bool measure(QList<Tool>& tools, int warmup, int runs, const BenchFixture& fixture)
{
    const QString outputFile = fixture.scratchFile(u"run-output.txt"_s);
    for (int round = 0; round < warmup + runs; ++round) {
        for (Tool& tool : tools) {
            const ProcessRun r = ProcessTimer::run(tool.argv, fixture.processEnvironment(), outputFile);
            if (!r.ok()) {
                out() << "FAILED: " << tool.name << " (exit " << r.exitCode << ") " << r.error << "\n"
                      << readOutput(outputFile) << Qt::endl;
                return false;
            }
            if (round >= warmup) {
                tool.wallMs << double(r.wallNs) / 1e6;
                tool.cpuMs << double(r.cpuNs) / 1e6;
            }
        }
    }
    return true;
}

void printTools(const QList<Tool>& tools)
{
    for (const Tool& t : tools) {
        const Stats wall = Stats::of(t.wallMs);
        const Stats cpu = Stats::of(t.cpuMs);
        out() << "  " << t.name.leftJustified(16) << " n=" << wall.count << "  wall ms: " << wall.summary()
              << "   (cpu ms: median " << QString::number(cpu.median, 'f', 2) << ")" << Qt::endl;
    }
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    // Developer logs cost time and are not part of what is measured.
    QLoggingCategory::setFilterRules(u"vf.*.debug=false"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"verifyfull-cli check versus psql -c 'select 1', interleaved."_s);
    parser.addHelpOption();
    const QCommandLineOption runsOpt(u"runs"_s, u"Measured runs per tool and scenario (default 30)."_s,
                                     u"n"_s, u"30"_s);
    const QCommandLineOption warmupOpt(u"warmup"_s, u"Discarded warm-up rounds (default 5)."_s, u"n"_s,
                                       u"5"_s);
    const QCommandLineOption cliOpt(u"cli"_s, u"The verifyfull-cli binary."_s, u"path"_s,
                                    QString::fromUtf8(VF_CLI_PATH));
    const QCommandLineOption psqlOpt(u"psql"_s, u"The real psql binary (not Debian's Perl wrapper)."_s,
                                     u"path"_s, u"/usr/lib/postgresql/15/bin/psql"_s);
    const QCommandLineOption minimalOpt(u"minimal"_s,
                                        u"Also run bench_minimal_check (the engine without the CLI's report "
                                        u"layer), as a third tool: \"\" to leave it out."_s,
                                        u"path"_s, QString::fromUtf8(VF_MINIMAL_CHECK_PATH));
    const QCommandLineOption hostaddrOpt(
        u"hostaddr"_s, u"Add hostaddr=127.0.0.1 (no name lookup) to the connection strings."_s);
    const QCommandLineOption goalsOpt(u"check-goals"_s, u"Exit 1 when a ratio is above 1.0."_s);
    const QCommandLineOption serveOpt(
        u"serve"_s,
        u"Only start the server, print the connection strings and the clean "
        u"environment, and keep it running for this many seconds (for profiling "
        u"one tool by hand)."_s,
        u"seconds"_s);
    parser.addOptions({runsOpt, warmupOpt, cliOpt, psqlOpt, minimalOpt, hostaddrOpt, goalsOpt, serveOpt});
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOpt).toInt());
    const int warmup = std::max(0, parser.value(warmupOpt).toInt());
    const QString cli = parser.value(cliOpt);
    const QString psql = parser.value(psqlOpt);
    const QString minimal = parser.value(minimalOpt);

    if (!QFileInfo(psql).isExecutable() || !QFileInfo(cli).isExecutable() ||
        (!minimal.isEmpty() && !QFileInfo(minimal).isExecutable())) {
        out() << "SKIP: needs " << psql << " and " << cli << Qt::endl;
        return kSkipped;
    }
    QString error;
    const auto fixture = BenchFixture::create(100, &error);
    if (!fixture) {
        out() << "SKIP: cannot start PostgreSQL: " << error << Qt::endl;
        return kSkipped;
    }

    if (parser.isSet(serveOpt)) {
        for (const Scenario scenario : {Scenario::Scram, Scenario::ClientCert})
            out() << scenarioName(scenario) << ": " << fixture->conninfo(scenario, parser.isSet(hostaddrOpt))
                  << "\n";
        out() << "environment: env -i " << fixture->processEnvironment().join(u' ') << Qt::endl;
        QTimer::singleShot(std::chrono::seconds(std::max(1, parser.value(serveOpt).toInt())), &app,
                           &QCoreApplication::quit);
        return QCoreApplication::exec();
    }

    out() << "machine: " << MachineInfo::describe()
          << "\nload average at start: " << MachineInfo::loadAverage() << "\nruns per tool: " << runs
          << " (after " << warmup << " warm-up rounds), interleaved\n"
          << "psql: " << psql << "\nours: " << cli << Qt::endl;

    // Process start-up alone, for the analysis: neither program connects.
    {
        QList<Tool> tools{{u"psql"_s, {psql, u"--version"_s}, {}, {}},
                          {u"verifyfull-cli"_s, {cli, u"--version"_s}, {}, {}}};
        if (!minimal.isEmpty())
            tools.append({u"engine only"_s, {minimal, u"--version"_s}, {}, {}});
        if (!measure(tools, warmup, runs, *fixture))
            return 1;
        out() << "\nstart-up only (--version):" << Qt::endl;
        printTools(tools);
    }

    bool goalsMet = true;
    const bool hostaddr = parser.isSet(hostaddrOpt);
    for (const Scenario scenario : {Scenario::Scram, Scenario::ClientCert}) {
        const QString conninfo = fixture->conninfo(scenario, hostaddr);
        QList<Tool> tools{{u"psql"_s, {psql, u"-X"_s, u"-c"_s, u"select 1"_s, u"-d"_s, conninfo}, {}, {}},
                          {u"verifyfull-cli"_s, {cli, u"check"_s, conninfo}, {}, {}}};
        if (!minimal.isEmpty())
            tools.append({u"engine only"_s, {minimal, conninfo}, {}, {}});
        if (!measure(tools, warmup, runs, *fixture))
            return 1;
        const Stats psqlWall = Stats::of(tools.at(0).wallMs);
        const Stats oursWall = Stats::of(tools.at(1).wallMs);
        if (!psqlWall.isValid() || !oursWall.isValid()) {
            out() << "FAILED: no valid figures for " << scenarioName(scenario) << Qt::endl;
            return 1;
        }
        const double ratio = oursWall.median / psqlWall.median;
        const bool met = ratio <= 1.0;
        goalsMet = goalsMet && met;
        out() << "\n"
              << scenarioName(scenario) << (hostaddr ? " (hostaddr)" : " (host=localhost)") << ":"
              << Qt::endl;
        printTools(tools);
        out() << "  ratio of medians verifyfull-cli/psql = " << QString::number(ratio, 'f', 3)
              << "  (goal <= 1.0: " << (met ? "met" : "NOT met") << ")" << Qt::endl;
        out() << "RESULT scenario=" << (scenario == Scenario::Scram ? "scram" : "cert")
              << " psql_median_ms=" << QString::number(psqlWall.median, 'f', 2)
              << " ours_median_ms=" << QString::number(oursWall.median, 'f', 2)
              << " ratio=" << QString::number(ratio, 'f', 3) << Qt::endl;
    }
    out() << "\nload average at end: " << MachineInfo::loadAverage() << Qt::endl;
    return parser.isSet(goalsOpt) && !goalsMet ? 1 : 0;
}
