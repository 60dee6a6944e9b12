#pragma once

#include <QMenu>
#include <QPointer>

class QActionGroup;
class QMessageBox;

namespace vf::ui {

// The "Language" menu: "System Language (…)" and every shipped language by its native name, the
// saved choice checked. Choosing one saves it (LanguageSettings in the default QSettings) and, when
// that changes the language in use, offers to restart now or later: the catalogues are installed at
// start-up only.
class LanguageMenu final : public QMenu
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LanguageMenu)

public:
    explicit LanguageMenu(QWidget* parent = nullptr);
    ~LanguageMenu() override;

    // The checked entry: a language code, or "" for the system language.
    QString choice() const;
    // The open "restart now?" question, if any (for tests).
    QMessageBox* restartPrompt() const;

Q_SIGNALS:
    // A language was chosen and saved ("" = follow the system).
    void languageChosen(const QString& code);

private:
    void choose(const QString& code);
    void offerRestart(const QString& language);

    QActionGroup* m_group = nullptr;
    QPointer<QMessageBox> m_prompt;
};

} // namespace vf::ui
