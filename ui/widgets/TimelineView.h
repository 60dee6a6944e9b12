#pragma once

#include "session/AttemptReport.h"

#include <QElapsedTimer>
#include <QTimer>
#include <QTreeWidget>

namespace vf::session {
struct ConnectionReport;
}

namespace vf::ui {

class TimelineBarDelegate;

// The live timeline of a connection test: one group per attempt (host/address), one row per phase
// as it happens (DNS, TCP, SSL negotiation, TLS handshake, startup, authentication, query), its
// duration ticking while it runs, and a bar on a shared time axis. A tree widget, so it is keyboard
// navigable and readable by screen readers; the bars are painted by TimelineBarDelegate.
class TimelineView final : public QTreeWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineView)

public:
    enum class State
    {
        Running,
        Ok,
        Failed,
        Canceled,
    };
    enum Column
    {
        PhaseColumn,
        DurationColumn,
        BarColumn,
    };
    // Item data of a phase row (column PhaseColumn).
    enum Role
    {
        StartRole = Qt::UserRole + 1, // qint64 ns since the test started
        DurationRole,                 // qint64 ns; while running: so far
        StateRole,                    // int (State)
        PhaseRole,                    // int (session::Phase)
    };

    explicit TimelineView(QWidget* parent = nullptr);
    ~TimelineView() override;

    // Starts a new, empty timeline (the clock starts now).
    void start();
    void phaseStarted(int attempt, vf::session::Phase phase, const QString& host);
    void phaseFinished(int attempt, vf::session::Phase phase, qint64 durationNs, bool ok);
    // The test ended: a phase still running is marked canceled (or failed), the clock stops, and the
    // exact timings of the report replace the ones measured here.
    void finish(const vf::session::ConnectionReport& report);
    void clearTimeline();

    bool isLive() const { return m_tick.isActive(); }
    qint64 spanNs() const { return m_spanNs; }
    // For tests and accessibility: the phases shown for an attempt, in order, and their states.
    QList<vf::session::Phase> phases(int attempt) const;
    State phaseState(int attempt, vf::session::Phase phase) const;
    int attemptCount() const { return topLevelItemCount(); }

    static QString formatDuration(qint64 ns);
    static QString phaseTitle(vf::session::Phase phase); // "DNS lookup", "TLS handshake"… (translated)
    static QString stateName(State state);

private:
    QTreeWidgetItem* attemptItem(int attempt, const QString& host);
    QTreeWidgetItem* phaseItem(int attempt, vf::session::Phase phase) const;
    void setState(QTreeWidgetItem* item, State state);
    void setDuration(QTreeWidgetItem* item, qint64 ns);
    void onTick();
    void updateSpan(qint64 endNs);

    QElapsedTimer m_clock;
    QTimer m_tick;
    qint64 m_spanNs = 0;
    TimelineBarDelegate* m_bars = nullptr;
};

} // namespace vf::ui
