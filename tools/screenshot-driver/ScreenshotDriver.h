#pragma once

#include "PgServer.h"
#include "TestPki.h"

#include <QDir>
#include <QList>
#include <QObject>
#include <QSize>
#include <QTemporaryDir>

#include <functional>
#include <memory>

namespace vf::ui {
class MainWindow;
}

namespace vf::tools {

// Drives the real main window through its screens and saves each as a PNG: the profile editor tabs,
// the sslmode table, a successful and a failed test with its diagnosis and the trust offer, the
// server's chain, a chain with an expired intermediate, and a bundle of roots. Every step waits for
// the widgets' own signals (no sleeps beyond letting a frame paint), and nothing blocks the event loop.
class ScreenshotDriver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ScreenshotDriver)

public:
    ScreenshotDriver(QString outDir, QSize size, QStringList only, QString suffix = {});
    ~ScreenshotDriver() override;

    // Prepares the fixtures and the window; false when that fails (the reason is printed).
    bool setUp();
    // Runs every step, then quits the application with 0 (or 1 if a screen could not be saved).
    void run();

private:
    using Done = std::function<void()>;
    struct Step
    {
        QString name;
        std::function<void(Done)> prepare;
        bool needsServer = false;
    };

    void next();
    void save(const QString& name);
    void runTestOf(const QString& profileName, Done done);
    QString writeFixture(const QString& name, const QByteArray& data);

    QString m_outDir;
    QSize m_size;
    QStringList m_only;
    QString m_suffix; // added to every file name ("-dark")
    QTemporaryDir m_tmp;
    std::unique_ptr<test::PgServer> m_pg;
    std::unique_ptr<ui::MainWindow> m_window;
    QList<Step> m_steps;
    int m_index = -1;
    int m_failures = 0;
    test::TestCert m_root, m_inter, m_leaf, m_otherRoot, m_acmeRoot, m_acmeExpired, m_acmeLeaf;
};

} // namespace vf::tools
