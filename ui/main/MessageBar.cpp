#include "MessageBar.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace vf::ui {

MessageBar::MessageBar(QWidget* parent)
    : QFrame(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 4);
    m_layout->setSpacing(4);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum); // never more than its rows need
    hide();
}

MessageBar::~MessageBar() = default;

void MessageBar::showMessage(const QString& id, StatusLevel level, const QString& text,
                             const QString& actionText, std::function<void()> action)
{
    hideMessage(id);
    Row row;
    row.level = level;
    row.frame = new QFrame(this);
    row.frame->setObjectName(id);
    row.frame->setFrameShape(QFrame::StyledPanel);
    row.frame->setAutoFillBackground(true);
    row.frame->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    auto* layout = new QHBoxLayout(row.frame);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->setSpacing(8);
    row.symbol = new QLabel(statusSymbol(level), row.frame);
    layout->addWidget(row.symbol);
    row.text = new QLabel(text, row.frame);
    row.text->setObjectName(id + u"Text"_s);
    row.text->setTextFormat(Qt::PlainText);
    row.text->setWordWrap(true);
    row.text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row.text->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Minimum);
    row.text->installEventFilter(this); // its height follows its width (see eventFilter())
    layout->addWidget(row.text, 1);
    if (!actionText.isEmpty() && action) {
        auto* button = new QPushButton(actionText, row.frame);
        button->setObjectName(id + u"Action"_s);
        connect(button, &QPushButton::clicked, this, [this, id, action = std::move(action)] {
            action();
            hideMessage(id);
        });
        layout->addWidget(button);
    }
    auto* dismiss = new QToolButton(row.frame);
    dismiss->setObjectName(id + u"Dismiss"_s);
    dismiss->setText(u"\u00D7"_s);
    dismiss->setAutoRaise(true);
    dismiss->setAccessibleName(tr("Dismiss"));
    dismiss->setToolTip(tr("Hide this message"));
    connect(dismiss, &QToolButton::clicked, this, [this, id] { hideMessage(id); });
    layout->addWidget(dismiss);
    row.frame->setAccessibleName(text);
    m_layout->addWidget(row.frame);
    m_rows.insert(id, row);
    style(row);
    show();
}

void MessageBar::hideMessage(const QString& id)
{
    const auto it = m_rows.find(id);
    if (it == m_rows.end())
        return;
    QFrame* frame = it->frame;
    m_rows.erase(it);
    frame->hide();
    frame->deleteLater();
    if (m_rows.isEmpty())
        hide();
    Q_EMIT messageHidden(id);
}

QString MessageBar::messageText(const QString& id) const
{
    const auto it = m_rows.constFind(id);
    return it == m_rows.cend() ? QString() : it->text->text();
}

void MessageBar::style(const Row& row)
{
    const QColor accent = statusColor(row.level, palette());
    QColor background = palette().color(QPalette::Window);
    const qreal mix = 0.14;
    background = QColor::fromRgbF(float(background.redF() * (1 - mix) + accent.redF() * mix),
                                  float(background.greenF() * (1 - mix) + accent.greenF() * mix),
                                  float(background.blueF() * (1 - mix) + accent.blueF() * mix));
    QPalette pal = row.frame->palette();
    pal.setColor(QPalette::Window, background);
    row.frame->setPalette(pal);
    QPalette symbolPalette = row.symbol->palette();
    symbolPalette.setColor(QPalette::WindowText, accent);
    row.symbol->setPalette(symbolPalette);
}

bool MessageBar::eventFilter(QObject* watched, QEvent* event)
{
    // A wrapped label asks for the height of its text at some guessed width, and the main window's
    // layout does not ask again for the real one: give it the height its width needs, no more.
    if (event->type() == QEvent::Resize) {
        if (auto* label = qobject_cast<QLabel*>(watched)) {
            const int height = label->heightForWidth(label->width());
            if (height > 0 && (label->minimumHeight() != height || label->maximumHeight() != height))
                label->setFixedHeight(height);
        }
    }
    return QFrame::eventFilter(watched, event);
}

void MessageBar::changeEvent(QEvent* event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        for (const Row& row : std::as_const(m_rows))
            style(row);
    }
}

} // namespace vf::ui
