#pragma once

#include <QStyledItemDelegate>

namespace vf::ui {

// Paints a certificate of CertificateListModel as a card: a stripe and tint in its status colour,
// its name and role, its status in words, its issuer and expiry, and an "issued by" connector down
// to the next card when that card is its issuer. All rows have the same height (uniform item sizes
// keep a 5,000-row list fast).
class ChainCardDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChainCardDelegate)

public:
    explicit ChainCardDelegate(QObject* parent = nullptr);
    ~ChainCardDelegate() override;

    void paint(QPainter* painter, const QStyleOptionViewItem& option,
               const QModelIndex& index) const override;
    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override;

    // Whether a connector is drawn below this card (its issuer is the next visible row).
    static bool drawsConnector(const QModelIndex& index);
};

} // namespace vf::ui
