#include "ProfileItemDelegate.h"

#include "Profile.h"
#include "ProfileListModel.h"
#include "widgets/StatusLevel.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace vf::ui {

namespace {

constexpr int kPadding = 6;

StatusLevel levelOf(Profile::TestResult r)
{
    switch (r) {
    case Profile::TestResult::Passed:
        return StatusLevel::Ok;
    case Profile::TestResult::Failed:
        return StatusLevel::Error;
    case Profile::TestResult::Untested:
        break;
    }
    return StatusLevel::Info;
}

} // namespace

ProfileItemDelegate::ProfileItemDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{}

void ProfileItemDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                                const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    const QString name = opt.text;
    opt.text.clear();
    opt.icon = {};
    const QWidget* widget = opt.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const auto result = Profile::TestResult(index.data(ProfileListModel::ResultRole).toInt());
    const QString badge = Profile::resultLabel(result);
    const bool selected = opt.state & QStyle::State_Selected;
    const QPalette::ColorGroup group =
        opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text = opt.palette.color(group, selected ? QPalette::HighlightedText : QPalette::Text);

    painter->save();
    const QRect r = opt.rect.adjusted(kPadding, kPadding / 2, -kPadding, -kPadding / 2);

    // The badge: a rounded pill in the result's colour.
    QFont badgeFont = opt.font;
    badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.85);
    const QFontMetrics bfm(badgeFont);
    const int badgeWidth = bfm.horizontalAdvance(badge) + 2 * kPadding;
    const int badgeHeight = bfm.height() + 2;
    const QRect badgeRect(r.right() - badgeWidth + 1, r.top() + (r.height() - badgeHeight) / 2, badgeWidth,
                          badgeHeight);
    const QColor badgeColor = statusColor(levelOf(result), opt.palette);
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(result == Profile::TestResult::Untested ? text : badgeColor, 1));
    QColor fill = badgeColor;
    fill.setAlphaF(result == Profile::TestResult::Untested ? 0.0f : 0.18f);
    painter->setBrush(fill);
    painter->drawRoundedRect(QRectF(badgeRect).adjusted(0.5, 0.5, -0.5, -0.5), badgeHeight / 2.0,
                             badgeHeight / 2.0);
    painter->setFont(badgeFont);
    painter->setPen(selected || result == Profile::TestResult::Untested ? text : badgeColor);
    painter->drawText(badgeRect, Qt::AlignCenter, badge);

    // Name and summary.
    const QRect textRect = r.adjusted(0, 0, -badgeWidth - kPadding, 0);
    QFont nameFont = opt.font;
    nameFont.setBold(true);
    const QFontMetrics nfm(nameFont);
    const QFontMetrics fm(opt.font);
    painter->setFont(nameFont);
    painter->setPen(text);
    painter->drawText(QRect(textRect.left(), textRect.top(), textRect.width(), nfm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      nfm.elidedText(name, Qt::ElideRight, textRect.width()));
    QColor dim = text;
    if (!selected)
        dim = secondaryTextColor(opt.palette);
    painter->setFont(opt.font);
    painter->setPen(dim);
    const QString summary = index.data(ProfileListModel::SummaryRole).toString();
    painter->drawText(QRect(textRect.left(), textRect.top() + nfm.height(), textRect.width(), fm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(summary, Qt::ElideMiddle, textRect.width()));
    painter->restore();
}

QSize ProfileItemDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QFont bold = option.font;
    bold.setBold(true);
    const int height = QFontMetrics(bold).height() + QFontMetrics(option.font).height() + 2 * kPadding;
    QSize base = QStyledItemDelegate::sizeHint(option, index);
    return {base.width(), std::max(base.height(), height)};
}

} // namespace vf::ui
