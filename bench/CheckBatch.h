#pragma once

#include "session/AttemptReport.h"
#include "settings/Environment.h"

#include <QElapsedTimer>
#include <QList>
#include <QMap>
#include <QObject>
#include <QString>

namespace vf::session {
class ConnectionTester;
struct ConnectionReport;
} // namespace vf::session

namespace vf::bench {

struct CheckBatchResult
{
    qint64 totalNs = 0;    // first start to last finish
    QList<double> checkMs; // each check's ConnectionReport::totalNs
    int failures = 0;
    QString firstFailure;                        // libpq's message of the first failed check
    QMap<session::Phase, QList<double>> phaseMs; // per phase, over all successful checks
};

// Runs `total` checks of one connection string through the core API (ConnInfo → SettingsResolver →
// OptionValidator → ConnectionTester), at most `inFlight` at a time, all on the calling thread's event
// loop; each check's parsing and resolving is part of its cost. Emits finished() once all are done.
class CheckBatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CheckBatch)

public:
    CheckBatch(QString conninfo, settings::Environment environment, int total, int inFlight,
               QObject* parent = nullptr);

    void start();
    const CheckBatchResult& result() const { return m_result; }

Q_SIGNALS:
    void finished();

private:
    void fill();
    void launchOne();
    void checkDone(session::ConnectionTester* tester, const session::ConnectionReport& report);
    void fail(const QString& message);

    QString m_conninfo;
    settings::Environment m_environment;
    int m_total;
    int m_inFlight;
    int m_started = 0;
    int m_running = 0;
    int m_done = 0;
    QElapsedTimer m_clock;
    CheckBatchResult m_result;
};

} // namespace vf::bench
