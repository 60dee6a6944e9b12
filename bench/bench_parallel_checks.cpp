// Goal 2 of the connection-tester issue: 100 checks driven by one process through the core API
// (ConnectionTester), up to 32 in flight, finish at least 10x faster than 100 sequential psql runs
// with the same settings (verify-full + SCRAM). Also prints, for the analysis, the in-process cost of
// one check phase by phase and how the batch time scales with the number of checks in flight.

#include "BenchFixture.h"
#include "CheckBatch.h"
#include "MachineInfo.h"
#include "ProcessTimer.h"
#include "Stats.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTextStream>
#include <QThread>

#include <cmath>

using namespace Qt::StringLiterals;
using namespace vf::bench;

namespace {

constexpr int kSkipped = 77;

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

// CPU used per check by the client side and by the server, over one batch.
struct CpuUse
{
    double clientMs = 0;
    double serverMs = 0;

    QString text() const
    {
        return u"cpu per check: client %1 ms, server %2 ms"_s.arg(clientMs, 0, 'f', 2)
            .arg(serverMs, 0, 'f', 2);
    }
};

// Runs one batch on the application's event loop (returns when it has finished).
CheckBatchResult runBatch(const BenchFixture& fixture, const QString& conninfo, int total, int inFlight,
                          CpuUse* cpu = nullptr)
{
    CheckBatch batch(conninfo, fixture.settingsEnvironment(), total, inFlight);
    QObject::connect(&batch, &CheckBatch::finished, QCoreApplication::instance(), &QCoreApplication::quit);
    const qint64 client0 = MachineInfo::processCpuNs();
    const qint64 server0 = fixture.serverCpuNs();
    batch.start();
    QCoreApplication::exec();
    if (cpu) {
        cpu->clientMs = double(MachineInfo::processCpuNs() - client0) / 1e6 / total;
        cpu->serverMs = double(fixture.serverCpuNs() - server0) / 1e6 / total;
    }
    return batch.result();
}

// `total` psql runs one after the other; returns the wall time of all, or -1 on a failure.
qint64 runPsqlSequence(const BenchFixture& fixture, const QString& psql, const QString& conninfo, int total,
                       CpuUse* cpu = nullptr)
{
    const QString outputFile = fixture.scratchFile(u"psql-output.txt"_s);
    const QStringList argv{psql, u"-X"_s, u"-c"_s, u"select 1"_s, u"-d"_s, conninfo};
    const qint64 server0 = fixture.serverCpuNs();
    qint64 clientNs = 0;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < total; ++i) {
        const ProcessRun r = ProcessTimer::run(argv, fixture.processEnvironment(), outputFile);
        if (!r.ok()) {
            QFile f(outputFile);
            out() << "FAILED: psql (exit " << r.exitCode << ") " << r.error << "\n"
                  << (f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.read(8192)) : QString()) << Qt::endl;
            return -1;
        }
        clientNs += r.cpuNs;
    }
    const qint64 elapsed = timer.nsecsElapsed();
    if (cpu) {
        cpu->clientMs = double(clientNs) / 1e6 / total;
        cpu->serverMs = double(fixture.serverCpuNs() - server0) / 1e6 / total;
    }
    return elapsed;
}

bool reportFailures(const CheckBatchResult& r)
{
    if (r.failures != 0) {
        out() << "FAILED: " << r.failures << " checks failed; first: " << r.firstFailure << Qt::endl;
        return true;
    }
    if (r.totalNs <= 0 || !Stats::of(r.checkMs).isValid()) {
        out() << "FAILED: the batch produced no valid figures" << Qt::endl;
        return true;
    }
    return false;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    // Developer logs cost time and are not part of what is measured.
    QLoggingCategory::setFilterRules(u"vf.*.debug=false"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Many checks in one process versus sequential psql runs."_s);
    parser.addHelpOption();
    const QCommandLineOption checksOpt(u"checks"_s, u"Checks per batch (default 100)."_s, u"n"_s, u"100"_s);
    const QCommandLineOption inFlightOpt(u"in-flight"_s, u"Checks in flight for the goal (default 32)."_s,
                                         u"n"_s, u"32"_s);
    const QCommandLineOption sweepOpt(u"sweep"_s, u"In-flight levels to show (default 1,4,8,16,32)."_s,
                                      u"list"_s, u"1,4,8,16,32"_s);
    const QCommandLineOption repeatOpt(u"repeat"_s, u"Repetitions of psql batch + core batch (default 3)."_s,
                                       u"n"_s, u"3"_s);
    const QCommandLineOption psqlOpt(u"psql"_s, u"The real psql binary."_s, u"path"_s,
                                     u"/usr/lib/postgresql/15/bin/psql"_s);
    const QCommandLineOption hostaddrOpt(u"hostaddr"_s, u"Add hostaddr=127.0.0.1 (no name lookup)."_s);
    const QCommandLineOption goalsOpt(u"check-goals"_s, u"Exit 1 when the speed-up is below 10."_s);
    parser.addOptions({checksOpt, inFlightOpt, sweepOpt, repeatOpt, psqlOpt, hostaddrOpt, goalsOpt});
    parser.process(app);
    const int checks = std::max(1, parser.value(checksOpt).toInt());
    const int inFlight = std::max(1, parser.value(inFlightOpt).toInt());
    const int repeat = std::max(1, parser.value(repeatOpt).toInt());
    const QString psql = parser.value(psqlOpt);
    QList<int> sweep;
    for (const QString& level : parser.value(sweepOpt).split(u',', Qt::SkipEmptyParts))
        if (const int n = level.toInt(); n > 0)
            sweep << n;

    if (!QFileInfo(psql).isExecutable()) {
        out() << "SKIP: needs " << psql << Qt::endl;
        return kSkipped;
    }
    int maxInFlight = inFlight;
    for (const int n : sweep)
        maxInFlight = std::max(maxInFlight, n);
    QString error;
    // Room for every check in flight, the superuser and autovacuum.
    const auto fixture = BenchFixture::create(std::max(100, maxInFlight + 20), &error);
    if (!fixture) {
        out() << "SKIP: cannot start PostgreSQL: " << error << Qt::endl;
        return kSkipped;
    }
    const QString conninfo = fixture->conninfo(Scenario::Scram, parser.isSet(hostaddrOpt));
    out() << "machine: " << MachineInfo::describe()
          << "\nload average at start: " << MachineInfo::loadAverage()
          << "\nscenario: " << scenarioName(Scenario::Scram)
          << (parser.isSet(hostaddrOpt) ? " (hostaddr)" : " (host=localhost)") << ", " << checks
          << " checks per batch" << Qt::endl;

    // Warm-up: the server's caches, the client's first-use initialisation.
    if (reportFailures(runBatch(*fixture, conninfo, std::min(checks, 8), 1)) ||
        runPsqlSequence(*fixture, psql, conninfo, std::min(checks, 3)) < 0)
        return 1;

    // One check at a time, in process: what a check costs without process start-up, phase by phase.
    {
        const CheckBatchResult r = runBatch(*fixture, conninfo, checks, 1);
        if (reportFailures(r))
            return 1;
        out() << "\nin-process, one at a time: per check " << Stats::of(r.checkMs).summary() << " ms"
              << Qt::endl;
        for (auto it = r.phaseMs.cbegin(); it != r.phaseMs.cend(); ++it)
            out() << "  " << vf::session::phaseName(it.key()).leftJustified(16)
                  << Stats::of(it.value()).summary(3) << " ms" << Qt::endl;
    }

    out() << "\nbatch of " << checks << " by checks in flight:" << Qt::endl;
    for (const int n : sweep) {
        CpuUse cpu;
        const CheckBatchResult r = runBatch(*fixture, conninfo, checks, n, &cpu);
        if (reportFailures(r))
            return 1;
        out() << "  in flight " << QString::number(n).rightJustified(3) << ": total "
              << QString::number(double(r.totalNs) / 1e6, 'f', 1) << " ms, per check "
              << Stats::of(r.checkMs).summary(1) << " ms; " << cpu.text() << Qt::endl;
    }

    // The goal, measured side by side: psql batch, then core batch, `repeat` times.
    QList<double> psqlMs;
    QList<double> coreMs;
    QList<double> serverCpuMs; // per check, in the core batches
    QList<double> clientCpuMs;
    for (int i = 0; i < repeat; ++i) {
        CpuUse psqlCpu;
        CpuUse coreCpu;
        const qint64 psqlNs = runPsqlSequence(*fixture, psql, conninfo, checks, &psqlCpu);
        if (psqlNs < 0)
            return 1;
        const CheckBatchResult r = runBatch(*fixture, conninfo, checks, inFlight, &coreCpu);
        if (reportFailures(r))
            return 1;
        psqlMs << double(psqlNs) / 1e6;
        coreMs << double(r.totalNs) / 1e6;
        serverCpuMs << coreCpu.serverMs;
        clientCpuMs << coreCpu.clientMs;
        out() << "\nrepetition " << i + 1 << ": " << checks << " sequential psql runs "
              << QString::number(psqlMs.last(), 'f', 1) << " ms; " << checks << " core checks (" << inFlight
              << " in flight) " << QString::number(coreMs.last(), 'f', 1) << " ms; speed-up "
              << QString::number(psqlMs.last() / coreMs.last(), 'f', 1) << "x\n  psql " << psqlCpu.text()
              << "\n  core " << coreCpu.text() << Qt::endl;
    }
    const double psqlMedian = Stats::of(psqlMs).median;
    const double coreMedian = Stats::of(coreMs).median;
    const double speedup = psqlMedian / coreMedian;
    if (!Stats::of(psqlMs).isValid() || !Stats::of(coreMs).isValid() || !std::isfinite(speedup)) {
        out() << "FAILED: no valid figures" << Qt::endl;
        return 1;
    }
    const bool met = speedup >= 10.0;
    out() << "\nmedian over " << repeat << " repetitions: psql " << QString::number(psqlMedian, 'f', 1)
          << " ms, core " << QString::number(coreMedian, 'f', 1) << " ms, speed-up "
          << QString::number(speedup, 'f', 1) << "x (goal >= 10x: " << (met ? "met" : "NOT met") << ")"
          << Qt::endl;
    // The batch cannot end before the machine has done its CPU work: the server's per connection (fork,
    // TLS, authentication, query, exit) and ours, shared by all CPUs.
    const int cpus = std::max(1, QThread::idealThreadCount());
    const double serverFloor = Stats::of(serverCpuMs).median * checks / cpus;
    const double cpuFloor = (Stats::of(serverCpuMs).median + Stats::of(clientCpuMs).median) * checks / cpus;
    out() << "CPU bound on " << cpus
          << " CPUs: the server's CPU alone needs >= " << QString::number(serverFloor, 'f', 0)
          << " ms (speed-up <= " << QString::number(psqlMedian / serverFloor, 'f', 1)
          << "x even with a free client); server + client >= " << QString::number(cpuFloor, 'f', 0)
          << " ms (speed-up <= " << QString::number(psqlMedian / cpuFloor, 'f', 1) << "x)" << Qt::endl;
    out() << "RESULT checks=" << checks << " in_flight=" << inFlight
          << " psql_total_ms=" << QString::number(psqlMedian, 'f', 1)
          << " core_total_ms=" << QString::number(coreMedian, 'f', 1)
          << " speedup=" << QString::number(speedup, 'f', 2) << Qt::endl;
    out() << "load average at end: " << MachineInfo::loadAverage() << Qt::endl;
    return parser.isSet(goalsOpt) && !met ? 1 : 0;
}
