#include "LanguageMenu.h"

#include "LanguageSettings.h"
#include "Translations.h"

#include <QActionGroup>
#include <QApplication>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>

using namespace Qt::StringLiterals;

namespace vf::ui {

LanguageMenu::LanguageMenu(QWidget* parent)
    : QMenu(parent)
    , m_group(new QActionGroup(this))
{
    setObjectName(u"menuLanguage"_s);
    setTitle(tr("&Language"));
    m_group->setExclusive(true);

    const QString saved = LanguageSettings::choice(QSettings());
    const QList<Language> languages = Translations::availableLanguages();
    const bool savedKnown =
        std::any_of(languages.cbegin(), languages.cend(), [&](const Language& l) { return l.code == saved; });

    QAction* system =
        addAction(tr("System Language (%1)").arg(Translations::nativeName(Translations::systemLanguage())));
    system->setObjectName(u"actionLanguageSystem"_s);
    system->setData(QString());
    system->setCheckable(true);
    system->setChecked(!savedKnown);
    m_group->addAction(system);
    addSeparator();
    for (const Language& language : languages) {
        // Native names are not translated: people look for their own language's name.
        QAction* action = addAction(language.nativeName);
        action->setObjectName(u"actionLanguage_"_s + language.code);
        action->setData(language.code);
        action->setCheckable(true);
        action->setChecked(savedKnown && language.code == saved);
        m_group->addAction(action);
    }
    connect(m_group, &QActionGroup::triggered, this,
            [this](QAction* action) { choose(action->data().toString()); });
}

LanguageMenu::~LanguageMenu() = default;

QString LanguageMenu::choice() const
{
    const QAction* checked = m_group->checkedAction();
    return checked ? checked->data().toString() : QString();
}

QMessageBox* LanguageMenu::restartPrompt() const
{
    return m_prompt.data();
}

void LanguageMenu::choose(const QString& code)
{
    {
        QSettings settings;
        LanguageSettings::setChoice(settings, code);
    }
    Q_EMIT languageChosen(code);
    const QString language = code.isEmpty() ? Translations::systemLanguage() : code;
    if (language != Translations::installedLanguage())
        offerRestart(language);
    else if (m_prompt)
        m_prompt->reject(); // back to the language in use: nothing to restart for
}

void LanguageMenu::offerRestart(const QString& language)
{
    // A dialog belongs to the main window, not to the (closing) popup menus above this one.
    QWidget* owner = parentWidget();
    while (owner && (qobject_cast<QMenu*>(owner) || owner->windowType() == Qt::Popup))
        owner = owner->parentWidget();
    if (owner)
        owner = owner->window();

    if (!m_prompt) {
        m_prompt = new QMessageBox(owner);
        m_prompt->setObjectName(u"languageRestartPrompt"_s);
        m_prompt->setAttribute(Qt::WA_DeleteOnClose);
        m_prompt->setIcon(QMessageBox::Question);
        m_prompt->setWindowTitle(tr("Change Language"));
        QPushButton* now = m_prompt->addButton(tr("Restart &Now"), QMessageBox::AcceptRole);
        now->setObjectName(u"restartNowButton"_s);
        QPushButton* later = m_prompt->addButton(tr("&Later"), QMessageBox::RejectRole);
        later->setObjectName(u"restartLaterButton"_s);
        m_prompt->setDefaultButton(now);
        // Custom buttons do not map to accepted()/rejected(): compare the clicked button.
        connect(m_prompt, &QMessageBox::buttonClicked, this, [now](QAbstractButton* clicked) {
            if (clicked != now)
                return;
            Translations::requestRestart();
            QCoreApplication::quit();
        });
    }
    m_prompt->setText(
        tr("VerifyFull will appear in %1 after a restart.").arg(Translations::nativeName(language)));
    m_prompt->setInformativeText(tr("Restart now? Your profiles are saved first."));
    m_prompt->open();
}

} // namespace vf::ui
