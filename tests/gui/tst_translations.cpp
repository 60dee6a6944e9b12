// GUI tests of ui/i18n: the embedded catalogues, choosing the language from the system locale,
// installing the application's and Qt's translations (a real widget then shows German), English
// plural forms, and the Language menu (saved choice, restart now or later).

#include "i18n/LanguageMenu.h"
#include "i18n/LanguageSettings.h"
#include "i18n/Translations.h"
#include "risk/RiskTable.h"
#include "risk/SslModeRiskModel.h"

#include <QAction>
#include <QGroupBox>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>

using namespace Qt::StringLiterals;
using vf::ui::LanguageMenu;
using vf::ui::LanguageSettings;
using vf::ui::Translations;

namespace {

// What the German catalogue says for a source text: read from the embedded .qm directly, so the
// test follows the translators' wording instead of repeating it.
QString germanCatalogue(const char* context, const char* source)
{
    QTranslator de;
    if (!de.load(u":/i18n/verifyfull_de.qm"_s))
        return {};
    return de.translate(context, source);
}

QAction* actionNamed(const QMenu& menu, const QString& name)
{
    for (QAction* a : menu.actions()) {
        if (a->objectName() == name)
            return a;
    }
    return nullptr;
}

} // namespace

class TestTranslations final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void availableLanguages();
    void matchLanguage_data();
    void matchLanguage();
    void installGerman();
    void installFrench();
    void unknownLanguageFollowsSystem();
    void englishPluralForms_data();
    void englishPluralForms();
    void settingsRoundTrip();
    void menuListsLanguages();
    void menuSavesChoiceAndOffersRestart();
    void menuRestartNow();
    void menuBackToLanguageInUse();

private:
    QTemporaryDir m_config;
};

void TestTranslations::initTestCase()
{
    QVERIFY(m_config.isValid());
    // The Language menu writes the default QSettings: keep it inside the test's directory.
    QCoreApplication::setOrganizationName(u"VerifyFullTest"_s);
    QCoreApplication::setApplicationName(u"tst_translations"_s);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_config.path());
}

void TestTranslations::cleanup()
{
    Translations::install(u"en"_s);
    Translations::cancelRestart();
    QSettings().clear();
}

void TestTranslations::availableLanguages()
{
    const QList<vf::ui::Language> languages = Translations::availableLanguages();
    QStringList codes;
    for (const vf::ui::Language& l : languages)
        codes << l.code;
    QCOMPARE(codes, (QStringList{u"en"_s, u"de"_s, u"fr"_s}));
    QCOMPARE(languages.at(0).nativeName, u"English"_s);
    QCOMPARE(languages.at(1).nativeName, u"Deutsch"_s);
    QCOMPARE(languages.at(2).nativeName, u"Français"_s);
    QCOMPARE(Translations::nativeName(u"xx"_s), u"xx"_s);
}

void TestTranslations::matchLanguage_data()
{
    QTest::addColumn<QStringList>("uiLanguages");
    QTest::addColumn<QString>("expected");
    QTest::addRow("German (Switzerland)") << QStringList{u"de-CH"_s, u"de"_s} << u"de"_s;
    QTest::addRow("region only in the list") << QStringList{u"fr-CA"_s} << u"fr"_s;
    QTest::addRow("underscore form") << QStringList{u"de_AT"_s} << u"de"_s;
    QTest::addRow("first match wins") << QStringList{u"fr-FR"_s, u"de-DE"_s} << u"fr"_s;
    QTest::addRow("English before German") << QStringList{u"en-GB"_s, u"de"_s} << u"en"_s;
    QTest::addRow("no catalogue, then German") << QStringList{u"es-ES"_s, u"de"_s} << u"de"_s;
    QTest::addRow("no catalogue at all") << QStringList{u"es-ES"_s, u"it"_s} << u"en"_s;
    QTest::addRow("C locale") << QStringList{u"C"_s} << u"en"_s;
    QTest::addRow("empty") << QStringList{} << u"en"_s;
}

void TestTranslations::matchLanguage()
{
    QFETCH(QStringList, uiLanguages);
    QFETCH(QString, expected);
    QCOMPARE(Translations::matchLanguage(uiLanguages, {u"en"_s, u"de"_s, u"fr"_s}), expected);
}

void TestTranslations::installGerman()
{
    const QString english = u"This profile"_s;
    const QString german = germanCatalogue("RiskTable", "This profile");
    QVERIFY2(!german.isEmpty(), "the German catalogue has no translation of \"This profile\" (RiskTable)");
    QVERIFY(german != english);
    const QString header = germanCatalogue("vf::security::SslModeTable", "Eavesdropping protection");
    QVERIFY2(!header.isEmpty(), "the German catalogue has no translation of \"Eavesdropping protection\"");

    QCOMPARE(Translations::install(u"de"_s), u"de"_s);
    QCOMPARE(Translations::installedLanguage(), u"de"_s);

    // A widget made now speaks German: a .ui string and a core string (the table's column header).
    vf::ui::RiskTable table;
    auto* box = table.findChild<QGroupBox*>(u"profileBox"_s);
    QVERIFY(box);
    QCOMPARE(box->title(), german);
    // (The model breaks long headers over two lines.)
    QCOMPARE(table.model()
                 ->headerData(vf::ui::SslModeRiskModel::EavesdroppingColumn, Qt::Horizontal, Qt::DisplayRole)
                 .toString()
                 .replace(u'\n', u' '),
             header);

    // Qt's own catalogue (qt6-translations-l10n) is installed too: standard buttons read German.
    QVERIFY2(Translations::qtTranslationsInstalled(),
             qPrintable(u"no qtbase_de.qm in "_s + Translations::qtTranslationsPath()));
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Abbrechen"_s);
    QMessageBox question(QMessageBox::Question, u"t"_s, u"t"_s, QMessageBox::Cancel);
    QCOMPARE(question.button(QMessageBox::Cancel)->text().remove(u'&'), u"Abbrechen"_s);

    // Back to English: both catalogues are removed again.
    QCOMPARE(Translations::install(u"en"_s), u"en"_s);
    QCOMPARE(QCoreApplication::translate("RiskTable", "This profile"), english);
    QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Cancel"_s);
}

void TestTranslations::installFrench()
{
    QCOMPARE(Translations::install(u"fr"_s), u"fr"_s);
    QCOMPARE(Translations::installedLanguage(), u"fr"_s);
    const QString french = QCoreApplication::translate("RiskTable", "This profile");
    QTranslator fr;
    QVERIFY(fr.load(u":/i18n/verifyfull_fr.qm"_s));
    const QString expected = fr.translate("RiskTable", "This profile");
    QCOMPARE(french, expected.isEmpty() ? u"This profile"_s : expected);
    // Qt 6.4 ships no qtbase_fr.qm: Qt's own strings then stay English, without an error.
    if (!Translations::qtTranslationsInstalled())
        QCOMPARE(QCoreApplication::translate("QPlatformTheme", "Cancel"), u"Cancel"_s);
}

void TestTranslations::unknownLanguageFollowsSystem()
{
    // The test runs in the C locale (or whatever the machine has): an unknown saved code, like ""
    // itself, resolves to the system's language.
    const QString system = Translations::systemLanguage();
    QVERIFY(!system.isEmpty());
    QCOMPARE(Translations::install(u"xx"_s), system);
    QCOMPARE(Translations::install(QString()), system);
}

void TestTranslations::englishPluralForms_data()
{
    QTest::addColumn<int>("n");
    QTest::addColumn<QString>("expected");
    QTest::addRow("one") << 1 << u"1 day left"_s;
    QTest::addRow("two") << 2 << u"2 days left"_s;
    QTest::addRow("zero") << 0 << u"0 days left"_s;
}

void TestTranslations::englishPluralForms()
{
    QFETCH(int, n);
    QFETCH(QString, expected);
    // Without the English catalogue the source text shows: "1 day(s) left".
    Translations::uninstall();
    QCOMPARE(Translations::installedLanguage(), QString());
    QCOMPARE(QCoreApplication::translate("vf::report::ReportText", "%n day(s) left", nullptr, n),
             u"%1 day(s) left"_s.arg(n));
    QCOMPARE(Translations::install(u"en"_s), u"en"_s);
    QCOMPARE(QCoreApplication::translate("vf::report::ReportText", "%n day(s) left", nullptr, n), expected);
}

void TestTranslations::settingsRoundTrip()
{
    QSettings settings;
    QCOMPARE(LanguageSettings::choice(settings), QString());
    LanguageSettings::setChoice(settings, u"fr"_s);
    QCOMPARE(LanguageSettings::choice(settings), u"fr"_s);
    QCOMPARE(settings.value(LanguageSettings::kKey).toString(), u"fr"_s);
    LanguageSettings::setChoice(settings, QString());
    QCOMPARE(LanguageSettings::choice(settings), QString());
    QVERIFY(!settings.contains(LanguageSettings::kKey));
}

void TestTranslations::menuListsLanguages()
{
    {
        QSettings settings;
        LanguageSettings::setChoice(settings, u"de"_s);
    }
    LanguageMenu menu;
    QCOMPARE(menu.objectName(), u"menuLanguage"_s);
    QAction* system = actionNamed(menu, u"actionLanguageSystem"_s);
    QVERIFY(system);
    QVERIFY(system->text().contains(Translations::nativeName(Translations::systemLanguage())));
    QStringList names;
    for (const QString& code : {u"en"_s, u"de"_s, u"fr"_s}) {
        QAction* a = actionNamed(menu, u"actionLanguage_"_s + code);
        QVERIFY2(a, qPrintable(code));
        QVERIFY(a->isCheckable());
        names << a->text();
    }
    QCOMPARE(names, (QStringList{u"English"_s, u"Deutsch"_s, u"Français"_s}));
    // The saved choice is checked, and only it.
    QCOMPARE(menu.choice(), u"de"_s);
    QVERIFY(actionNamed(menu, u"actionLanguage_de"_s)->isChecked());
    QVERIFY(!system->isChecked());

    // A saved code without a catalogue shows as "System Language".
    {
        QSettings settings;
        LanguageSettings::setChoice(settings, u"xx"_s);
    }
    LanguageMenu other;
    QCOMPARE(other.choice(), QString());
    QVERIFY(actionNamed(other, u"actionLanguageSystem"_s)->isChecked());
}

void TestTranslations::menuSavesChoiceAndOffersRestart()
{
    QCOMPARE(Translations::install(u"en"_s), u"en"_s);
    QWidget window;
    auto* menu = new LanguageMenu(&window);
    QSignalSpy chosen(menu, &LanguageMenu::languageChosen);

    actionNamed(*menu, u"actionLanguage_de"_s)->trigger();
    QCOMPARE(chosen.count(), 1);
    QCOMPARE(chosen.at(0).at(0).toString(), u"de"_s);
    QCOMPARE(LanguageSettings::choice(QSettings()), u"de"_s);
    QCOMPARE(menu->choice(), u"de"_s);

    // English is in use: the menu asks whether to restart now, as a window-modal question of the
    // window (not of the menu), without a nested event loop.
    QMessageBox* prompt = menu->restartPrompt();
    QVERIFY(prompt);
    QTRY_VERIFY(prompt->isVisible());
    QCOMPARE(prompt->parentWidget(), &window);
    QVERIFY(prompt->text().contains(u"Deutsch"_s));
    auto* later = prompt->findChild<QPushButton*>(u"restartLaterButton"_s);
    QVERIFY(later);
    QTest::mouseClick(later, Qt::LeftButton);
    QTRY_VERIFY(!menu->restartPrompt());
    QVERIFY(!Translations::restartRequested());
    // "Later" keeps the choice for the next start.
    QCOMPARE(LanguageSettings::choice(QSettings()), u"de"_s);
}

void TestTranslations::menuRestartNow()
{
    QCOMPARE(Translations::install(u"en"_s), u"en"_s);
    QWidget window;
    auto* menu = new LanguageMenu(&window);
    actionNamed(*menu, u"actionLanguage_fr"_s)->trigger();
    QMessageBox* prompt = menu->restartPrompt();
    QVERIFY(prompt);
    auto* now = prompt->findChild<QPushButton*>(u"restartNowButton"_s);
    QVERIFY(now);
    QVERIFY(!Translations::restartRequested());
    QTest::mouseClick(now, Qt::LeftButton);
    // main() starts the application again after the event loop ends (restartIfRequested()).
    QVERIFY(Translations::restartRequested());
    QCOMPARE(LanguageSettings::choice(QSettings()), u"fr"_s);
    Translations::cancelRestart();
    QVERIFY(!Translations::restartIfRequested()); // nothing pending: no process started
}

void TestTranslations::menuBackToLanguageInUse()
{
    QCOMPARE(Translations::install(u"en"_s), u"en"_s);
    QWidget window;
    auto* menu = new LanguageMenu(&window);
    actionNamed(*menu, u"actionLanguage_de"_s)->trigger();
    QVERIFY(menu->restartPrompt());
    // Choosing English again (the language in use) closes the question: there is nothing to restart.
    actionNamed(*menu, u"actionLanguage_en"_s)->trigger();
    QTRY_VERIFY(!menu->restartPrompt());
    QCOMPARE(LanguageSettings::choice(QSettings()), u"en"_s);
    // "System Language" removes the saved choice.
    actionNamed(*menu, u"actionLanguageSystem"_s)->trigger();
    QCOMPARE(LanguageSettings::choice(QSettings()), QString());
    QVERIFY(!QSettings().contains(LanguageSettings::kKey));
    QVERIFY(!Translations::restartRequested());
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
