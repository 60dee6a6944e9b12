#pragma once

#include "chain/ChainBrowser.h"
#include "main/MainWindow.h"

#include <QCoreApplication>
#include <QEvent>
#include <QObject>
#include <QTimer>

#include <cstdio>

namespace vf::app {

// Milestones for bench/bench_startup (docs/PERFORMANCE.md), only when the environment variable
// VF_STARTUP_PROBE is set: one line on standard output when the main window is first painted
// ("vf-probe first-window-painted") and when the file given on the command line has been loaded
// ("vf-probe file-loaded <certificates>"). With VF_STARTUP_PROBE=quit-after-paint the app then quits.
// The benchmark takes the time stamps on its side, from the moment it spawned the process.
class StartupProbe final : public QObject
{
public:
    static void installIfRequested(ui::MainWindow& window)
    {
        if (!qEnvironmentVariableIsSet("VF_STARTUP_PROBE"))
            return;
        auto* probe = new StartupProbe(&window);
        window.installEventFilter(probe);
        QObject::connect(window.chainBrowser(), &ui::ChainBrowser::loadFinished, probe,
                         [](bool ok, int count) {
                             std::printf("vf-probe file-loaded %d %s\n", count, ok ? "ok" : "failed");
                             std::fflush(stdout);
                         });
    }

protected:
    bool eventFilter(QObject* watched, QEvent* event) override
    {
        if (!m_painted && event->type() == QEvent::Paint) {
            m_painted = true;
            // After this paint has reached the window (the next event-loop pass).
            QTimer::singleShot(0, this, [] {
                std::printf("vf-probe first-window-painted\n");
                std::fflush(stdout);
                if (qgetenv("VF_STARTUP_PROBE") == "quit-after-paint")
                    QCoreApplication::quit();
            });
        }
        return QObject::eventFilter(watched, event);
    }

private:
    explicit StartupProbe(QObject* parent)
        : QObject(parent)
    {}

    bool m_painted = false;
};

} // namespace vf::app
