#include "AdvancedValueDelegate.h"

#include "AdvancedOptionsModel.h"

#include <QLineEdit>

namespace vf::ui {

AdvancedValueDelegate::AdvancedValueDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{}

QWidget* AdvancedValueDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem& option,
                                             const QModelIndex& index) const
{
    QWidget* editor = QStyledItemDelegate::createEditor(parent, option, index);
    auto* line = qobject_cast<QLineEdit*>(editor);
    if (line) {
        const QString keyword = index.data(AdvancedOptionsModel::KeywordRole).toString();
        line->setAccessibleName(keyword);
        if (index.data(AdvancedOptionsModel::SecretRole).toBool())
            line->setEchoMode(QLineEdit::Password);
    }
    return editor;
}

} // namespace vf::ui
