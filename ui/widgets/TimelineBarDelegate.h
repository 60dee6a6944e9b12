#pragma once

#include <QStyledItemDelegate>

namespace vf::ui {

// Paints a timeline phase as a bar on a shared time axis (start and duration relative to the whole
// test), coloured by state; running bars are striped. Used by TimelineView for its bar column.
class TimelineBarDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimelineBarDelegate)

public:
    explicit TimelineBarDelegate(QObject* parent = nullptr);
    ~TimelineBarDelegate() override;

    void setSpan(qint64 ns) { m_spanNs = ns; }
    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;

    // The colour of a state (TimelineView::State as int) on this palette.
    static QColor stateColor(int state, const QPalette& palette);

private:
    qint64 m_spanNs = 1;
};

} // namespace vf::ui
