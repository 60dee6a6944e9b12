// The GUI speed goals of the desktop-app issue, measured on real widgets (offscreen platform unless
// QT_QPA_PLATFORM says otherwise):
//  - opening a 5,000-certificate bundle in the chain browser: time to the first cards painted, total
//    time, and the longest GUI-thread stall meanwhile (goal: opens within a second, stall <= 50 ms);
//  - one search keystroke over those 5,000 rows;
//  - a connection test in the test panel (verify-full + SCRAM against a local PostgreSQL 15, the
//    server's chain shown in the chain browser afterwards): the longest GUI-thread stall from Test to
//    the result shown (goal <= 50 ms).
// A stall is the longest gap between two ticks of a 5 ms precise timer on the GUI thread.
// Exit 77 when no PostgreSQL server is installed and --bundle-only is not given.

#include "BenchFixture.h"
#include "MachineInfo.h"
#include "Stats.h"
#include "TestPki.h"
#include "chain/CertificateListModel.h"
#include "chain/CertificateRowBuilder.h"
#include "chain/ChainBrowser.h"
#include "pki/PkiLoader.h"
#include "test/TestPanel.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <malloc.h>

using namespace Qt::StringLiterals;
using namespace vf::bench;

namespace {

constexpr int kSkipped = 77;

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

// The longest gap between ticks of a 5 ms timer on the GUI thread, since start().
class Heartbeat final : public QObject
{
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_maxGapNs = std::max(m_maxGapNs, now - m_last);
            m_last = now;
        });
    }
    void start()
    {
        m_clock.start();
        m_last = 0;
        m_maxGapNs = 0;
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    double maxGapMs() const { return double(m_maxGapNs) / 1e6; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGapNs = 0;
};

// Notes the first paint of a widget after arm().
class PaintWatch final : public QObject
{
public:
    explicit PaintWatch(QWidget* widget)
        : m_widget(widget)
    {
        widget->installEventFilter(this);
    }
    void arm(const QElapsedTimer* clock, std::function<bool()> ready)
    {
        m_clock = clock;
        m_ready = std::move(ready);
        m_atNs = -1;
    }
    qint64 atNs() const { return m_atNs; }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (watched == m_widget && event->type() == QEvent::Paint && m_atNs < 0 && m_clock && m_ready &&
            m_ready())
            m_atNs = m_clock->nsecsElapsed();
        return false;
    }

private:
    QWidget* m_widget;
    const QElapsedTimer* m_clock = nullptr;
    std::function<bool()> m_ready;
    qint64 m_atNs = -1;
};

// Runs the event loop until `done` is true or the timeout passes; false on timeout.
bool runUntil(const std::function<bool()>& done, int timeoutMs)
{
    // The only event loop running (main() is not inside another one), so not a nested loop.
    QElapsedTimer clock;
    clock.start();
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done() || clock.elapsed() > timeoutMs)
            loop.quit();
    });
    poll.start();
    if (!done())
        loop.exec();
    return done();
}

// VmRSS of this process in MB (includes the bundle generator's leftovers and the test fixtures).
QString residentMb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return u"?"_s;
    for (const QByteArray& line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return QString::number(line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0, 'f', 1);
    }
    return u"?"_s;
}

bool check(const QString& what, const Stats& s)
{
    if (!s.isValid()) {
        out() << "FAILED: no valid figures for " << what << Qt::endl;
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char* argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"*.debug=false"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption certificates(u"certificates"_s, u"Bundle size (default 5000)."_s, u"n"_s,
                                          u"5000"_s);
    const QCommandLineOption runs(u"runs"_s, u"Repetitions of each measurement (default 5)."_s, u"n"_s,
                                  u"5"_s);
    const QCommandLineOption tests(u"tests"_s, u"Connection tests to measure (default 10)."_s, u"n"_s,
                                   u"10"_s);
    const QCommandLineOption bundleOnly(u"bundle-only"_s, u"Skip the connection tests."_s);
    parser.addOptions({certificates, runs, tests, bundleOnly});
    parser.process(app);
    const int count = std::max(1, parser.value(certificates).toInt());
    const int repeat = std::max(1, parser.value(runs).toInt());
    const int testCount = std::max(1, parser.value(tests).toInt());

    out() << "machine: " << MachineInfo::describe()
          << "\nload average at start: " << MachineInfo::loadAverage()
          << "\nplatform: " << QApplication::platformName() << Qt::endl;
    bool ok = true;

    // 1. The bundle.
    const QString rssAtStart = residentMb();
    QTemporaryDir dir;
    const QString bundlePath = dir.filePath(u"bundle.pem"_s);
    {
        QFile f(bundlePath);
        if (!f.open(QIODevice::WriteOnly) || f.write(certificateBundle(count, 20)) < 0) {
            out() << "FAILED: cannot write the bundle" << Qt::endl;
            return 1;
        }
    }
    // Where the time goes, without any widget: parsing (PkiLoader) and building the rows.
    {
        QFile f(bundlePath);
        f.open(QIODevice::ReadOnly);
        const QByteArray bytes = f.readAll();
        QElapsedTimer t;
        t.start();
        const auto certs = vf::pki::PkiLoader::parseCertificates(bytes);
        const double parseMs = double(t.nsecsElapsed()) / 1e6;
        t.restart();
        const auto rows =
            certs ? vf::ui::CertificateRowBuilder::fromCertificates(*certs, QDateTime::currentDateTimeUtc())
                  : QList<vf::ui::CertificateRow>();
        const double rowsMs = double(t.nsecsElapsed()) / 1e6;
        out() << "without widgets: PkiLoader::parseCertificates " << QString::number(parseMs, 'f', 1)
              << " ms, rows " << QString::number(rowsMs, 'f', 1) << " ms for " << rows.size()
              << " certificates" << Qt::endl;
    }
    QList<double> firstPaint, total, stall, search;
    malloc_trim(0);
    const QString rssBefore = residentMb();
    vf::ui::ChainBrowser browser;
    browser.resize(1280, 800);
    browser.show();
    auto* list = browser.findChild<QAbstractItemView*>(u"certificateList"_s);
    PaintWatch watch(list->viewport());
    Heartbeat heartbeat;
    for (int r = 0; r < repeat; ++r) {
        bool finished = false;
        bool loadOk = false;
        const auto conn =
            QObject::connect(&browser, &vf::ui::ChainBrowser::loadFinished, &browser, [&](bool success, int) {
                finished = true;
                loadOk = success;
            });
        QElapsedTimer clock;
        heartbeat.start();
        clock.start();
        watch.arm(&clock, [&] { return browser.certificateCount() > 0; });
        browser.openFile(bundlePath);
        const bool done = runUntil([&] { return finished; }, 30000);
        const double totalMs = double(clock.nsecsElapsed()) / 1e6;
        runUntil([] { return false; }, 100); // the last rows painted, still under watch
        heartbeat.stop();
        QObject::disconnect(conn);
        if (!done || !loadOk || browser.certificateCount() != count) {
            out() << "FAILED: the bundle did not open (" << browser.certificateCount() << " rows)"
                  << Qt::endl;
            return 1;
        }
        firstPaint << double(watch.atNs()) / 1e6;
        total << totalMs;
        stall << heartbeat.maxGapMs();
        QElapsedTimer s;
        s.start();
        browser.setSearchText(u"cert 04242"_s);
        search << double(s.nsecsElapsed()) / 1e6;
        if (browser.visibleModel()->rowCount() != (count > 4242 ? 1 : 0)) {
            out() << "FAILED: search found " << browser.visibleModel()->rowCount() << " rows" << Qt::endl;
            ok = false;
        }
        browser.setSearchText({});
    }
    malloc_trim(0); // what the process really holds, not what glibc keeps cached
    out() << "resident memory: " << rssAtStart << " MB at start, " << rssBefore
          << " MB before the browser (bundle generated), " << residentMb() << " MB with the bundle open"
          << Qt::endl;
    const Stats first = Stats::of(firstPaint), all = Stats::of(total), gap = Stats::of(stall),
                key = Stats::of(search);
    ok = check(u"first cards"_s, first) && check(u"bundle total"_s, all) && check(u"stall"_s, gap) &&
         check(u"search"_s, key) && ok;
    out() << "bundle of " << count << " certificates, " << repeat << " runs (ms):"
          << "\n  first cards painted: " << first.summary(1) << "\n  all rows loaded:     " << all.summary(1)
          << "\n  longest GUI stall:   " << gap.summary(1) << "\n  search keystroke:    " << key.summary(1)
          << Qt::endl;

    if (parser.isSet(bundleOnly))
        return ok ? 0 : 1;
    // 2. Connection tests.
    QString error;
    if (!vf::test::PgServer::available()) {
        out() << "skipped: no PostgreSQL 15 server for the test-panel measurement" << Qt::endl;
        return ok ? kSkipped : 1;
    }
    const auto fixture = BenchFixture::create(50, &error);
    if (!fixture) {
        out() << "skipped: " << error << Qt::endl;
        return ok ? kSkipped : 1;
    }
    vf::ui::TestPanel panel;
    panel.setChainBrowser(&browser);
    panel.setEnvironment(fixture->settingsEnvironment());
    panel.setConnection(fixture->conninfo(Scenario::Scram, true));
    panel.resize(1280, 800);
    panel.show();
    QList<double> testStall, testTime;
    for (int i = 0; i < testCount; ++i) {
        bool finished = false;
        bool success = false;
        const auto conn = QObject::connect(&panel, &vf::ui::TestPanel::testFinished, &panel, [&](bool s) {
            finished = true;
            success = s;
        });
        QElapsedTimer clock;
        heartbeat.start();
        clock.start();
        panel.startTest();
        const bool done = runUntil([&] { return finished; }, 30000);
        const double ms = double(clock.nsecsElapsed()) / 1e6;
        runUntil([] { return false; }, 100); // the result and the chain painted
        heartbeat.stop();
        QObject::disconnect(conn);
        if (!done || !success) {
            out() << "FAILED: test " << i << " did not succeed: " << panel.verdictText() << Qt::endl;
            return 1;
        }
        testStall << heartbeat.maxGapMs();
        testTime << ms;
    }
    const Stats tgap = Stats::of(testStall), ttime = Stats::of(testTime);
    ok = check(u"test stall"_s, tgap) && check(u"test time"_s, ttime) && ok;
    out() << "connection test (verify-full + SCRAM, chain shown), " << testCount << " runs (ms):"
          << "\n  Test to result:      " << ttime.summary(1) << "\n  longest GUI stall:   " << tgap.summary(1)
          << Qt::endl;
    return ok ? 0 : 1;
}
