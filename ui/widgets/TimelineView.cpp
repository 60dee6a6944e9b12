#include "TimelineView.h"

#include "TimelineBarDelegate.h"
#include "session/ConnectionReport.h"

#include <QHeaderView>
#include <QLocale>
#include <QPainter>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

constexpr int kTickMs = 100;

QIcon stateIcon(TimelineView::State state, const QPalette& palette, qreal dpr, int size)
{
    QPixmap pixmap(QSize(size, size) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor color = TimelineBarDelegate::stateColor(static_cast<int>(state), palette);
    const QRectF r(1.5, 1.5, size - 3, size - 3);
    if (state == TimelineView::State::Running) {
        p.setPen(QPen(color, 2));
        p.setBrush(Qt::NoBrush);
        p.drawEllipse(r);
        p.setBrush(color);
        p.drawPie(r, 90 * 16, -180 * 16);
    } else {
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawEllipse(r);
        p.setPen(QPen(Qt::white, 1.6, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
        const qreal s = size;
        if (state == TimelineView::State::Ok) {
            p.drawPolyline(QList<QPointF>{{s * 0.28, s * 0.52}, {s * 0.44, s * 0.68}, {s * 0.72, s * 0.34}});
        } else if (state == TimelineView::State::Failed) {
            p.drawLine(QPointF(s * 0.32, s * 0.32), QPointF(s * 0.68, s * 0.68));
            p.drawLine(QPointF(s * 0.68, s * 0.32), QPointF(s * 0.32, s * 0.68));
        } else {
            p.drawLine(QPointF(s * 0.3, s * 0.5), QPointF(s * 0.7, s * 0.5));
        }
    }
    return QIcon(pixmap);
}

} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QTreeWidget(parent)
    , m_bars(new TimelineBarDelegate(this))
{
    setColumnCount(3);
    setHeaderLabels({tr("Phase"), tr("Duration"), tr("Timeline")});
    setRootIsDecorated(false);
    setItemsExpandable(false);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setItemDelegateForColumn(BarColumn, m_bars);
    header()->setStretchLastSection(true);
    header()->setSectionResizeMode(PhaseColumn, QHeaderView::Interactive);
    header()->setSectionResizeMode(DurationColumn, QHeaderView::Interactive);
    const QFontMetrics fm(font());
    // Room for the longest texts the columns show, in the language in use.
    header()->resizeSection(
        PhaseColumn,
        fm.horizontalAdvance(tr("%1 (canceled)").arg(phaseTitle(session::Phase::SslNegotiation))) + 40);
    header()->resizeSection(DurationColumn,
                            fm.horizontalAdvance(tr("running\u2026 %1").arg(formatDuration(12'340'000'000))) +
                                16);
    setAccessibleName(tr("Connection timeline"));
    m_tick.setInterval(kTickMs);
    connect(&m_tick, &QTimer::timeout, this, &TimelineView::onTick);
}

TimelineView::~TimelineView() = default;

QString TimelineView::formatDuration(qint64 ns)
{
    const double ms = double(ns) / 1e6;
    if (ms < 1.0)
        return tr("%1 ms").arg(QLocale().toString(ms, 'f', 2));
    if (ms < 100.0)
        return tr("%1 ms").arg(QLocale().toString(ms, 'f', 1));
    if (ms < 1000.0)
        return tr("%1 ms").arg(QLocale().toString(ms, 'f', 0));
    return tr("%1 s").arg(QLocale().toString(ms / 1000.0, 'f', 2));
}

QString TimelineView::phaseTitle(session::Phase phase)
{
    switch (phase) {
    case session::Phase::Dns:
        return tr("DNS lookup");
    case session::Phase::TcpConnect:
        return tr("TCP connect");
    case session::Phase::SslNegotiation:
        return tr("SSL negotiation");
    case session::Phase::TlsHandshake:
        return tr("TLS handshake");
    case session::Phase::Startup:
        return tr("Startup");
    case session::Phase::Authentication:
        return tr("Authentication");
    case session::Phase::Query:
        return tr("Query");
    case session::Phase::Terminate:
        return tr("Terminate");
    }
    return {};
}

QString TimelineView::stateName(State state)
{
    switch (state) {
    case State::Running:
        return tr("running");
    case State::Ok:
        return tr("ok");
    case State::Failed:
        return tr("failed");
    case State::Canceled:
        return tr("canceled");
    }
    return {};
}

void TimelineView::clearTimeline()
{
    m_tick.stop();
    clear();
    m_spanNs = 0;
    m_bars->setSpan(1);
}

void TimelineView::start()
{
    clearTimeline();
    m_clock.start();
    m_tick.start();
}

QTreeWidgetItem* TimelineView::attemptItem(int attempt, const QString& host)
{
    while (topLevelItemCount() <= attempt) {
        auto* item = new QTreeWidgetItem(this);
        item->setFirstColumnSpanned(true);
        QFont bold = font();
        bold.setBold(true);
        item->setFont(PhaseColumn, bold);
        item->setFlags(Qt::ItemIsEnabled);
        item->setText(PhaseColumn, tr("Attempt %1").arg(topLevelItemCount()));
        item->setExpanded(true);
    }
    QTreeWidgetItem* item = topLevelItem(attempt);
    if (!host.isEmpty())
        item->setText(PhaseColumn, tr("Attempt %1: %2").arg(attempt + 1).arg(host));
    item->setExpanded(true);
    return item;
}

QTreeWidgetItem* TimelineView::phaseItem(int attempt, session::Phase phase) const
{
    if (attempt < 0 || attempt >= topLevelItemCount())
        return nullptr;
    const QTreeWidgetItem* group = topLevelItem(attempt);
    for (int i = group->childCount() - 1; i >= 0; --i) {
        QTreeWidgetItem* child = group->child(i);
        if (child->data(PhaseColumn, PhaseRole).toInt() == static_cast<int>(phase))
            return child;
    }
    return nullptr;
}

void TimelineView::setState(QTreeWidgetItem* item, State state)
{
    item->setData(PhaseColumn, StateRole, static_cast<int>(state));
    const int size = fontMetrics().height() - 2;
    item->setIcon(PhaseColumn, stateIcon(state, palette(), devicePixelRatioF(), std::max(size, 10)));
    const QString phase = item->data(PhaseColumn, Qt::UserRole).toString();
    switch (state) {
    case State::Running:
        item->setText(PhaseColumn, phase);
        break;
    case State::Ok:
        item->setText(PhaseColumn, phase);
        break;
    case State::Failed:
        item->setText(PhaseColumn, tr("%1 (failed)").arg(phase));
        break;
    case State::Canceled:
        item->setText(PhaseColumn, tr("%1 (canceled)").arg(phase));
        break;
    }
    item->setData(PhaseColumn, Qt::AccessibleTextRole, tr("%1: %2").arg(phase, stateName(state)));
}

void TimelineView::setDuration(QTreeWidgetItem* item, qint64 ns)
{
    item->setData(PhaseColumn, DurationRole, ns);
    const bool running = item->data(PhaseColumn, StateRole).toInt() == static_cast<int>(State::Running);
    item->setText(DurationColumn,
                  running ? tr("running\u2026 %1").arg(formatDuration(ns)) : formatDuration(ns));
    item->setTextAlignment(DurationColumn, Qt::AlignRight | Qt::AlignVCenter);
    item->setData(BarColumn, Qt::AccessibleTextRole, formatDuration(ns));
}

void TimelineView::updateSpan(qint64 endNs)
{
    if (endNs > m_spanNs) {
        m_spanNs = endNs;
        m_bars->setSpan(m_spanNs);
    }
}

void TimelineView::phaseStarted(int attempt, session::Phase phase, const QString& host)
{
    if (!m_clock.isValid())
        m_clock.start();
    QTreeWidgetItem* group = attemptItem(attempt, host);
    auto* item = new QTreeWidgetItem(group);
    const QString name = phaseTitle(phase);
    item->setData(PhaseColumn, Qt::UserRole, name);
    item->setData(PhaseColumn, PhaseRole, static_cast<int>(phase));
    item->setData(PhaseColumn, StartRole, m_clock.nsecsElapsed());
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    setState(item, State::Running);
    setDuration(item, 0);
    updateSpan(m_clock.nsecsElapsed());
    scrollToItem(item);
    if (!m_tick.isActive())
        m_tick.start();
}

void TimelineView::phaseFinished(int attempt, session::Phase phase, qint64 durationNs, bool ok)
{
    QTreeWidgetItem* item = phaseItem(attempt, phase);
    if (!item)
        return;
    setState(item, ok ? State::Ok : State::Failed);
    setDuration(item, durationNs);
    updateSpan(item->data(PhaseColumn, StartRole).toLongLong() + durationNs);
    viewport()->update();
}

void TimelineView::onTick()
{
    const qint64 now = m_clock.isValid() ? m_clock.nsecsElapsed() : 0;
    for (int a = 0; a < topLevelItemCount(); ++a) {
        QTreeWidgetItem* group = topLevelItem(a);
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            if (item->data(PhaseColumn, StateRole).toInt() == static_cast<int>(State::Running))
                setDuration(item, now - item->data(PhaseColumn, StartRole).toLongLong());
        }
    }
    updateSpan(now);
    viewport()->update();
}

void TimelineView::finish(const session::ConnectionReport& report)
{
    m_tick.stop();
    // Still running: the test was canceled (or ended) in this phase.
    for (int a = 0; a < topLevelItemCount(); ++a) {
        QTreeWidgetItem* group = topLevelItem(a);
        for (int i = 0; i < group->childCount(); ++i) {
            QTreeWidgetItem* item = group->child(i);
            if (item->data(PhaseColumn, StateRole).toInt() == static_cast<int>(State::Running)) {
                setState(item, report.canceled ? State::Canceled : State::Failed);
                setDuration(item, m_clock.nsecsElapsed() - item->data(PhaseColumn, StartRole).toLongLong());
            }
        }
    }
    // A canceled test ended the phase it was in with a failure: say "canceled" instead.
    if (report.canceled && topLevelItemCount() > 0) {
        QTreeWidgetItem* group = topLevelItem(topLevelItemCount() - 1);
        if (group->childCount() > 0) {
            QTreeWidgetItem* last = group->child(group->childCount() - 1);
            if (last->data(PhaseColumn, StateRole).toInt() == static_cast<int>(State::Failed))
                setState(last, State::Canceled);
        }
    }
    // The report's own clock is exact; use it where the rows match its phases one to one.
    m_spanNs = 0;
    for (int a = 0; a < report.attempts.size(); ++a) {
        const session::AttemptReport& attempt = report.attempts.at(a);
        QString host = attempt.host;
        if (!attempt.unixSocket && attempt.port > 0)
            host = attempt.hostaddr.isEmpty() || attempt.hostaddr == attempt.host
                       ? u"%1:%2"_s.arg(attempt.host).arg(attempt.port)
                       : u"%1 (%2:%3)"_s.arg(attempt.host, attempt.hostaddr).arg(attempt.port);
        QTreeWidgetItem* group = attemptItem(a, host);
        if (group->childCount() != attempt.phases.size())
            continue;
        for (int i = 0; i < attempt.phases.size(); ++i) {
            const session::PhaseTiming& t = attempt.phases.at(i);
            QTreeWidgetItem* item = group->child(i);
            if (item->data(PhaseColumn, PhaseRole).toInt() != static_cast<int>(t.phase))
                break;
            item->setData(PhaseColumn, StartRole, t.startedNs);
            setDuration(item, t.durationNs);
        }
    }
    for (int a = 0; a < topLevelItemCount(); ++a) {
        const QTreeWidgetItem* group = topLevelItem(a);
        for (int i = 0; i < group->childCount(); ++i) {
            const QTreeWidgetItem* item = group->child(i);
            updateSpan(item->data(PhaseColumn, StartRole).toLongLong() +
                       item->data(PhaseColumn, DurationRole).toLongLong());
        }
    }
    viewport()->update();
}

QList<session::Phase> TimelineView::phases(int attempt) const
{
    QList<session::Phase> out;
    if (attempt < 0 || attempt >= topLevelItemCount())
        return out;
    const QTreeWidgetItem* group = topLevelItem(attempt);
    for (int i = 0; i < group->childCount(); ++i)
        out << static_cast<session::Phase>(group->child(i)->data(PhaseColumn, PhaseRole).toInt());
    return out;
}

TimelineView::State TimelineView::phaseState(int attempt, session::Phase phase) const
{
    const QTreeWidgetItem* item = phaseItem(attempt, phase);
    return item ? static_cast<State>(item->data(PhaseColumn, StateRole).toInt()) : State::Canceled;
}

} // namespace vf::ui
