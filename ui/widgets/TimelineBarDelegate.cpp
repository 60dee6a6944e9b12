#include "TimelineBarDelegate.h"

#include "TimelineView.h"

#include <QPainter>

namespace vf::ui {

TimelineBarDelegate::TimelineBarDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{}

TimelineBarDelegate::~TimelineBarDelegate() = default;

QColor TimelineBarDelegate::stateColor(int state, const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    QColor c;
    switch (static_cast<TimelineView::State>(state)) {
    case TimelineView::State::Running:
        c = palette.color(QPalette::Highlight);
        break;
    case TimelineView::State::Ok:
        c = QColor(0x2e, 0x7d, 0x32);
        break;
    case TimelineView::State::Failed:
        c = QColor(0xc6, 0x28, 0x28);
        break;
    case TimelineView::State::Canceled:
        c = QColor(0x78, 0x78, 0x78);
        break;
    }
    return dark ? c.lighter(150) : c;
}

void TimelineBarDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const
{
    // Selection/background as usual, then the bar (group rows have none).
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    opt.text.clear();
    QStyledItemDelegate::paint(painter, opt, index);
    const QModelIndex phase = index.siblingAtColumn(TimelineView::PhaseColumn);
    const QVariant startValue = phase.data(TimelineView::StartRole);
    if (!startValue.isValid())
        return;
    const qint64 start = startValue.toLongLong();
    const qint64 duration = phase.data(TimelineView::DurationRole).toLongLong();
    const int state = phase.data(TimelineView::StateRole).toInt();
    const QRect area = option.rect.adjusted(4, 4, -6, -4);
    if (area.width() <= 2 || area.height() <= 2)
        return;
    const qreal span = qreal(std::max<qint64>(m_spanNs, 1));
    const qreal x0 = area.left() + area.width() * (qreal(start) / span);
    const qreal w = std::max<qreal>(2.0, area.width() * (qreal(duration) / span));
    const QRectF bar(std::min(x0, qreal(area.right()) - 2.0), area.top(), std::min(w, area.right() - x0 + 1),
                     area.height());
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QColor color = stateColor(state, option.palette);
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawRoundedRect(bar, 3, 3);
    if (state == static_cast<int>(TimelineView::State::Running)) {
        painter->setBrush(QBrush(color.lighter(140), Qt::BDiagPattern));
        painter->drawRoundedRect(bar, 3, 3);
    }
    painter->restore();
}

} // namespace vf::ui
