#pragma once

#include "widgets/StatusLevel.h"

#include <QFrame>
#include <QHash>
#include <QString>

#include <functional>

class QLabel;
class QVBoxLayout;

namespace vf::ui {

// Non-modal messages across the top of the window ("no keychain", "the profile file was set aside…"):
// one row per message, each with its level's symbol, the text (selectable, wrapped), an optional
// action button and a dismiss button. Rows are keyed by a stable id, which is also the row's
// objectName ("<id>", its text label "<id>Text", its buttons "<id>Action" and "<id>Dismiss").
class MessageBar final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBar)

public:
    explicit MessageBar(QWidget* parent = nullptr);
    ~MessageBar() override;

    // Shows (or replaces) the message `id`. An action adds a button that runs it and hides the row.
    void showMessage(const QString& id, StatusLevel level, const QString& text,
                     const QString& actionText = {}, std::function<void()> action = {});
    void hideMessage(const QString& id);
    bool hasMessage(const QString& id) const { return m_rows.contains(id); }
    QString messageText(const QString& id) const;
    QStringList messageIds() const { return m_rows.keys(); }

Q_SIGNALS:
    void messageHidden(const QString& id);

protected:
    void changeEvent(QEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Row
    {
        QFrame* frame = nullptr;
        QLabel* symbol = nullptr;
        QLabel* text = nullptr;
        StatusLevel level = StatusLevel::Info;
    };
    void style(const Row& row);

    QVBoxLayout* m_layout = nullptr;
    QHash<QString, Row> m_rows;
};

} // namespace vf::ui
