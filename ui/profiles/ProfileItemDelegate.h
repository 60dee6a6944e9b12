#pragma once

#include <QStyledItemDelegate>

namespace vf::ui {

// Draws a profile in the list: its name, "user@host:port/db" under it, and a badge with the last
// test result ("passed", "failed", "not tested") on the right.
class ProfileItemDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileItemDelegate)

public:
    explicit ProfileItemDelegate(QObject* parent = nullptr);

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace vf::ui
