// The desktop app's start-up and memory goals (docs/PERFORMANCE.md), on the real `verifyfull` binary:
//  - start to first window painted, from spawning the process to the app's "first-window-painted"
//    line (VF_STARTUP_PROBE, app/gui/StartupProbe.h), with no profiles and with 500 profiles
//    (goal: <= 300 ms);
//  - resident memory with 500 profiles and a 5,000-certificate bundle open (given on the command line,
//    like `verifyfull FILE`), read from /proc/PID/status once the bundle is loaded (goal: <= 100 MB).
// Runs on the platform QT_QPA_PLATFORM names (offscreen by default; xcb under Xvfb for the real window
// system). Each run gets a private XDG_CONFIG_HOME holding the generated profiles.

#include "BenchFixture.h"
#include "MachineInfo.h"
#include "Stats.h"
#include "TestPki.h"
#include "profiles/Profile.h"
#include "profiles/ProfileStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <csignal>

using namespace Qt::StringLiterals;
using namespace vf::bench;

namespace {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

// Writes `count` profiles where the app will look for them under this XDG_CONFIG_HOME.
bool writeProfiles(const QString& configHome, int count, const QString& rootFile)
{
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(configHome));
    const QString path = vf::ui::ProfileStore::defaultPath();
    QList<vf::ui::Profile> profiles;
    for (int i = 0; i < count; ++i) {
        vf::ui::Profile p = vf::ui::Profile::createNew(u"Database %1"_s.arg(i, 3, 10, QLatin1Char('0')));
        p.conninfo.setValue(u"host"_s, u"db%1.example.com"_s.arg(i));
        p.conninfo.setValue(u"dbname"_s, u"app%1"_s.arg(i % 17));
        p.conninfo.setValue(u"user"_s, u"user%1"_s.arg(i % 5));
        p.conninfo.setValue(u"sslrootcert"_s, rootFile);
        profiles << p;
    }
    QDir().mkpath(QFileInfo(path).path());
    return count == 0 || vf::ui::ProfileStore(path).save(profiles).has_value();
}

struct AppRun
{
    double firstPaintMs = -1;
    double loadedMs = -1;
    double rssMb = -1;
    double peakMb = -1;
    QString error;
};

double statusMb(qint64 pid, const QByteArray& field)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    return -1;
}

// Starts the app and waits for its probe lines. quitAfterPaint: the app quits by itself after the first
// paint; otherwise it is asked to quit (SIGTERM) after the file is loaded and the memory is read.
AppRun runApp(const QString& app, const QString& configHome, const QString& file, bool quitAfterPaint)
{
    AppRun run;
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(u"XDG_CONFIG_HOME"_s, configHome);
    env.insert(u"VF_STARTUP_PROBE"_s, quitAfterPaint ? u"quit-after-paint"_s : u"1"_s);
    if (!env.contains(u"QT_QPA_PLATFORM"_s))
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::SeparateChannels);
    QElapsedTimer clock;
    clock.start();
    p.start(app, file.isEmpty() ? QStringList() : QStringList{file});
    if (!p.waitForStarted(10000)) {
        run.error = u"could not start %1: %2"_s.arg(app, p.errorString());
        return run;
    }
    QByteArray buffer;
    const qint64 deadline = 60000;
    while (clock.elapsed() < deadline) {
        if (!p.waitForReadyRead(int(deadline - clock.elapsed())))
            break;
        buffer += p.readAllStandardOutput();
        const double now = double(clock.nsecsElapsed()) / 1e6;
        if (run.firstPaintMs < 0 && buffer.contains("vf-probe first-window-painted"))
            run.firstPaintMs = now;
        if (run.loadedMs < 0 && buffer.contains("vf-probe file-loaded")) {
            run.loadedMs = now;
            if (!buffer.contains(" ok")) // "file-loaded N ok"
                run.error = u"the file did not load: "_s + QString::fromUtf8(buffer);
        }
        if (run.firstPaintMs >= 0 && (file.isEmpty() || run.loadedMs >= 0))
            break;
    }
    if (run.firstPaintMs < 0 && run.error.isEmpty())
        run.error =
            u"no first-window-painted line within 60 s: "_s + QString::fromUtf8(p.readAllStandardError());
    if (!file.isEmpty() && run.error.isEmpty()) {
        QThread::msleep(300); // let the loader's temporary memory go back
        run.rssMb = statusMb(p.processId(), "VmRSS:");
        run.peakMb = statusMb(p.processId(), "VmHWM:");
    }
    if (!quitAfterPaint || !p.waitForFinished(10000)) {
        ::kill(pid_t(p.processId()), SIGTERM);
        if (!p.waitForFinished(10000)) {
            p.kill();
            p.waitForFinished();
        }
    }
    return run;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    // The app's names, so ProfileStore::defaultPath() here is the app's path under XDG_CONFIG_HOME.
    QCoreApplication::setApplicationName(u"VerifyFull"_s);
    QCoreApplication::setOrganizationName(u"VerifyFull"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption runsOption(u"runs"_s, u"Start-up runs per case (default 15)."_s, u"n"_s,
                                        u"15"_s);
    const QCommandLineOption profilesOption(u"profiles"_s, u"Profiles (default 500)."_s, u"n"_s, u"500"_s);
    const QCommandLineOption certsOption(u"certificates"_s, u"Certificates in the bundle (default 5000)."_s,
                                         u"n"_s, u"5000"_s);
    const QCommandLineOption goalsOption(u"check-goals"_s, u"Exit 1 when a goal is not met."_s);
    const QCommandLineOption keepOption(u"keep"_s,
                                        u"Keep the generated bundle and profiles (for profiling)."_s);
    parser.addOptions({runsOption, profilesOption, certsOption, goalsOption, keepOption});
    parser.process(app);
    const int runs = std::max(1, parser.value(runsOption).toInt());
    const int profileCount = std::max(0, parser.value(profilesOption).toInt());
    const int certCount = std::max(1, parser.value(certsOption).toInt());
    const QString appPath = QStringLiteral(VF_GUI_PATH);

    QTemporaryDir dir(QDir::temp().filePath(u"bench_startup-XXXXXX"_s));
    dir.setAutoRemove(!parser.isSet(keepOption));
    if (!dir.isValid()) {
        out() << "FAILED: no temporary directory\n";
        return 1;
    }
    const QString bundle = dir.filePath(u"bundle.pem"_s);
    {
        QFile f(bundle);
        if (!f.open(QIODevice::WriteOnly) || f.write(certificateBundle(certCount)) < 0) {
            out() << "FAILED: could not write the bundle\n";
            return 1;
        }
    }
    // The profiles name an ordinary root file (one CA); the bundle is what the browser has open.
    const QString rootFile = dir.filePath(u"root.crt"_s);
    vf::test::TestPki::writeFile(
        rootFile, vf::test::TestPki::makeCert(vf::test::TestPki::rootSpec(u"Bench Root"_s)).pem());
    const QString emptyHome = dir.filePath(u"empty"_s);
    const QString fullHome = dir.filePath(u"profiles"_s);
    if (!writeProfiles(emptyHome, 0, rootFile) || !writeProfiles(fullHome, profileCount, rootFile)) {
        out() << "FAILED: could not write the profiles\n";
        return 1;
    }

    out() << "machine: " << MachineInfo::describe() << "\n"
          << "load average at start: " << MachineInfo::loadAverage() << "\n"
          << (parser.isSet(keepOption) ? u"files kept in: "_s + dir.path() + u"\n"_s : QString())
          << "app: " << appPath << ", platform " << qEnvironmentVariable("QT_QPA_PLATFORM", u"offscreen"_s)
          << "\n";
    out().flush();

    bool failed = false;
    bool goalsMet = true;
    auto startup = [&](const QString& label, const QString& home) {
        QList<double> samples;
        runApp(appPath, home, {}, true); // warm the page cache
        for (int i = 0; i < runs; ++i) {
            const AppRun r = runApp(appPath, home, {}, true);
            if (!r.error.isEmpty()) {
                out() << "FAILED: " << r.error << "\n";
                failed = true;
                return;
            }
            samples << r.firstPaintMs;
        }
        const Stats s = Stats::of(samples);
        out() << "start to first window painted, " << label << ": n=" << runs << "  ms: " << s.summary(1)
              << "  (goal <= 300: " << (s.median <= 300 ? "met" : "NOT met") << ")\n";
        out() << "RESULT startup_" << (home == emptyHome ? "empty" : "profiles") << "_median_ms=" << s.median
              << "\n";
        goalsMet = goalsMet && s.median <= 300;
        out().flush();
    };
    startup(u"no profiles"_s, emptyHome);
    startup(u"%1 profiles"_s.arg(profileCount), fullHome);

    QList<double> rss;
    QList<double> peak;
    QList<double> loaded;
    for (int i = 0; i < std::max(1, runs / 3); ++i) {
        const AppRun r = runApp(appPath, fullHome, bundle, false);
        if (!r.error.isEmpty() || r.rssMb <= 0) {
            out() << "FAILED: " << (r.error.isEmpty() ? u"no memory figure"_s : r.error) << "\n";
            failed = true;
            break;
        }
        rss << r.rssMb;
        peak << r.peakMb;
        loaded << r.loadedMs;
    }
    if (!rss.isEmpty()) {
        const Stats r = Stats::of(rss);
        out() << profileCount << " profiles + " << certCount
              << "-certificate bundle open: resident MB: " << r.summary(1)
              << "; peak (VmHWM) MB: " << Stats::of(peak).summary(1)
              << "; start to bundle loaded ms: " << Stats::of(loaded).summary(0)
              << "  (goal <= 100 MB: " << (r.median <= 100 ? "met" : "NOT met") << ")\n";
        out() << "RESULT resident_mb=" << r.median << "\n";
        goalsMet = goalsMet && r.median <= 100;
    }
    out() << "load average at end: " << MachineInfo::loadAverage() << "\n";
    if (failed)
        return 1;
    return parser.isSet(goalsOption) && !goalsMet ? 1 : 0;
}
