#include "ChainCardDelegate.h"

#include "CertificateAssessment.h"
#include "CertificateListModel.h"

#include <QApplication>
#include <QDateTime>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

constexpr int kMargin = 6;   // around the card
constexpr int kPadding = 8;  // inside the card
constexpr int kStripe = 6;   // status stripe on the left
constexpr int kLineGap = 2;  // between text lines
constexpr qreal kRadius = 6; // card corners

QColor blend(const QColor& a, const QColor& b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

int connectorHeight(const QFontMetrics& fm)
{
    return fm.height() + 2;
}

} // namespace

ChainCardDelegate::ChainCardDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{}

ChainCardDelegate::~ChainCardDelegate() = default;

bool ChainCardDelegate::drawsConnector(const QModelIndex& index)
{
    if (!index.data(CertificateListModel::LinksToNextRole).toBool())
        return false;
    const QModelIndex next = index.siblingAtRow(index.row() + 1);
    return next.isValid() && next.data(CertificateListModel::SourceRowRole).toInt() ==
                                 index.data(CertificateListModel::SourceRowRole).toInt() + 1;
}

QSize ChainCardDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const
{
    const QFontMetrics& fm = option.fontMetrics;
    const int height = kMargin + 2 * kPadding + 3 * fm.height() + 2 * kLineGap + connectorHeight(fm);
    return {std::max(option.rect.width(), 24 * fm.averageCharWidth()), height};
}

void ChainCardDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option,
                              const QModelIndex& index) const
{
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = option.palette;
    const QFontMetrics& fm = option.fontMetrics;
    const auto status =
        static_cast<CertificateAssessment::Status>(index.data(CertificateListModel::StatusRole).toInt());
    const QColor accent = CertificateAssessment::accentColor(status, pal);
    const bool selected = option.state.testFlag(QStyle::State_Selected);
    const bool focused = option.state.testFlag(QStyle::State_HasFocus);

    const QRect row = option.rect;
    const QRect card = row.adjusted(kMargin, kMargin, -kMargin, -connectorHeight(fm));
    QPainterPath shape;
    shape.addRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), kRadius, kRadius);
    const QColor base = pal.color(QPalette::Base);
    painter->fillPath(shape, selected ? blend(base, pal.color(QPalette::Highlight), 0.22)
                                      : blend(base, accent, 0.09));
    painter->save();
    painter->setClipPath(shape);
    painter->fillRect(QRect(card.left(), card.top(), kStripe, card.height()), accent);
    painter->restore();
    QPen border(selected ? pal.color(QPalette::Highlight) : blend(base, accent, 0.45), selected ? 2 : 1);
    painter->setPen(border);
    painter->drawPath(shape);
    if (focused && !selected) {
        painter->setPen(QPen(pal.color(QPalette::Highlight), 1, Qt::DashLine));
        painter->drawRoundedRect(QRectF(card).adjusted(3, 3, -3, -3), kRadius - 2, kRadius - 2);
    }

    const QColor text = pal.color(QPalette::Text);
    const QColor dim = blend(base, text, 0.68);
    const int x = card.left() + kStripe + kPadding;
    const int right = card.right() - kPadding;
    int y = card.top() + kPadding;

    // Line 1: name (bold) and role (right).
    QFont bold = option.font;
    bold.setBold(true);
    const QString role = index.data(CertificateListModel::RoleTextRole).toString();
    const int roleWidth = fm.horizontalAdvance(role);
    painter->setPen(dim);
    painter->setFont(option.font);
    painter->drawText(QRect(right - roleWidth, y, roleWidth, fm.height()), Qt::AlignRight | Qt::AlignVCenter,
                      role);
    painter->setFont(bold);
    painter->setPen(text);
    const QFontMetrics boldFm(bold);
    const QString title = boldFm.elidedText(index.data(Qt::DisplayRole).toString(), Qt::ElideRight,
                                            std::max(0, right - x - roleWidth - kPadding));
    painter->drawText(QRect(x, y, right - x, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, title);
    y += fm.height() + kLineGap;

    // Line 2: a dot and the status in words, in the status colour.
    const int dot = fm.height() / 2;
    painter->setPen(Qt::NoPen);
    painter->setBrush(accent);
    painter->drawEllipse(QRect(x, y + (fm.height() - dot) / 2, dot, dot));
    painter->setPen(accent);
    painter->setFont(bold);
    const QString label = boldFm.elidedText(index.data(CertificateListModel::LabelRole).toString(),
                                            Qt::ElideRight, std::max(0, right - x - dot - 6));
    painter->drawText(QRect(x + dot + 6, y, right - x - dot - 6, fm.height()),
                      Qt::AlignLeft | Qt::AlignVCenter, label);
    y += fm.height() + kLineGap;

    // Line 3: issuer and expiry.
    painter->setFont(option.font);
    painter->setPen(dim);
    const QDateTime notAfter = index.data(CertificateListModel::NotAfterRole).toDateTime();
    const QString details = tr("Issued by %1 \u00B7 until %2")
                                .arg(index.data(CertificateListModel::IssuerRole).toString(),
                                     QLocale().toString(notAfter.toLocalTime().date(), QLocale::ShortFormat));
    painter->drawText(QRect(x, y, right - x, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(details, Qt::ElideMiddle, right - x));

    // Connector to the issuer below.
    if (drawsConnector(index)) {
        const int cx = card.left() + kStripe + kPadding + dot / 2;
        const int top = card.bottom() + 1;
        const int bottom = row.bottom();
        painter->setPen(QPen(dim, 1.5));
        painter->drawLine(cx, top, cx, bottom - 1);
        QPainterPath arrow;
        arrow.moveTo(cx - 4, bottom - 5);
        arrow.lineTo(cx, bottom);
        arrow.lineTo(cx + 4, bottom - 5);
        painter->setBrush(Qt::NoBrush);
        painter->drawPath(arrow);
        QFont small = option.font;
        if (small.pointSizeF() > 0)
            small.setPointSizeF(small.pointSizeF() * 0.9);
        painter->setFont(small);
        painter->drawText(QRect(cx + 10, top, right - cx - 10, bottom - top),
                          Qt::AlignLeft | Qt::AlignVCenter, tr("issued by"));
    }
    painter->restore();
}

} // namespace vf::ui
