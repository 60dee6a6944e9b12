#pragma once

#include <QStyledItemDelegate>

namespace vf::ui {

// Edits the value column of the advanced options: secrets are typed masked.
class AdvancedValueDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AdvancedValueDelegate)

public:
    explicit AdvancedValueDelegate(QObject* parent = nullptr);

    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                          const QModelIndex& index) const override;
};

} // namespace vf::ui
