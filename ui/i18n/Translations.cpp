#include "Translations.h"

#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QLoggingCategory>
#include <QPointer>
#include <QProcess>
#include <QTranslator>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

Q_LOGGING_CATEGORY(lcI18n, "vf.ui.i18n")

constexpr QStringView kResourceDir = u":/i18n";
constexpr QStringView kCatalogue = u"verifyfull_";

struct State
{
    QPointer<QTranslator> app;
    QPointer<QTranslator> qt;
    QString language;
    bool qtInstalled = false;
    bool restart = false;
};

State& state()
{
    static State s;
    return s;
}

void remove(QPointer<QTranslator>& translator)
{
    if (translator) {
        QCoreApplication::removeTranslator(translator);
        delete translator.data();
    }
    translator.clear();
}

QString normalized(QString name)
{
    return name.replace(u'-', u'_');
}

} // namespace

QList<Language> Translations::availableLanguages()
{
    QList<Language> out;
    const QStringList files =
        QDir(kResourceDir.toString()).entryList({kCatalogue + u"*.qm"_s}, QDir::Files, QDir::Name);
    bool haveSource = false;
    for (const QString& file : files) {
        const QString code = file.mid(kCatalogue.size()).chopped(3);
        haveSource = haveSource || code == kSourceLanguage;
        out << Language{code, nativeName(code)};
    }
    if (!haveSource)
        out << Language{QString(kSourceLanguage), nativeName(QString(kSourceLanguage))};
    std::sort(out.begin(), out.end(), [](const Language& a, const Language& b) {
        if ((a.code == kSourceLanguage) != (b.code == kSourceLanguage))
            return a.code == kSourceLanguage;
        return a.nativeName.localeAwareCompare(b.nativeName) < 0;
    });
    return out;
}

QString Translations::nativeName(const QString& code)
{
    // QLocale's native name of plain "en" is "American English".
    if (code == kSourceLanguage)
        return u"English"_s;
    const QLocale locale(code);
    if (locale.language() == QLocale::C)
        return code;
    QString name = locale.nativeLanguageName();
    if (name.isEmpty())
        return code;
    // "français" in a menu of languages reads "Français".
    name[0] = locale.toUpper(name.left(1)).at(0);
    return name;
}

QString Translations::matchLanguage(const QStringList& uiLanguages, const QStringList& codes)
{
    for (const QString& ui : uiLanguages) {
        const QString full = normalized(ui);
        if (codes.contains(full))
            return full;
        const QString language = full.section(u'_', 0, 0);
        if (codes.contains(language))
            return language;
    }
    return QString(kSourceLanguage);
}

QString Translations::systemLanguage()
{
    QStringList codes;
    for (const Language& l : availableLanguages())
        codes << l.code;
    return matchLanguage(QLocale::system().uiLanguages(), codes);
}

QString Translations::qtTranslationsPath()
{
    return QLibraryInfo::path(QLibraryInfo::TranslationsPath);
}

QString Translations::install(const QString& code)
{
    State& s = state();
    QString language = code;
    const QList<Language> languages = availableLanguages();
    const bool known = std::any_of(languages.cbegin(), languages.cend(),
                                   [&](const Language& l) { return l.code == language; });
    if (!known) {
        if (!language.isEmpty())
            qCInfo(lcI18n) << "no catalogue for language" << language << "- following the system locale";
        language = systemLanguage();
    }

    uninstall();
    QObject* owner = QCoreApplication::instance();

    auto* app = new QTranslator(owner);
    if (app->load(kCatalogue + language, kResourceDir.toString())) {
        QCoreApplication::installTranslator(app);
        s.app = app;
    } else {
        qCWarning(lcI18n) << "cannot load the catalogue for" << language;
        delete app;
    }

    // Qt's own strings (dialog buttons, context menus of text fields). qtbase_<lang>.qm comes with the
    // qt6-translations-l10n package; Qt 6.4 has none for French, which then stays English.
    auto* qt = new QTranslator(owner);
    if (qt->load(QLocale(language), u"qtbase"_s, u"_"_s, qtTranslationsPath())) {
        QCoreApplication::installTranslator(qt);
        s.qt = qt;
        s.qtInstalled = true;
    } else {
        qCInfo(lcI18n) << "no Qt catalogue for" << language << "in" << qtTranslationsPath();
        delete qt;
    }
    s.language = language;
    return language;
}

void Translations::uninstall()
{
    State& s = state();
    remove(s.app);
    remove(s.qt);
    s.qtInstalled = false;
    s.language.clear();
}

QString Translations::installedLanguage()
{
    return state().language;
}

bool Translations::qtTranslationsInstalled()
{
    return state().qtInstalled;
}

void Translations::requestRestart()
{
    state().restart = true;
}

bool Translations::restartRequested()
{
    return state().restart;
}

void Translations::cancelRestart()
{
    state().restart = false;
}

bool Translations::restartIfRequested()
{
    if (!std::exchange(state().restart, false))
        return false;
    const bool started = QProcess::startDetached(QCoreApplication::applicationFilePath(),
                                                 QCoreApplication::arguments().mid(1));
    if (!started)
        qCWarning(lcI18n) << "cannot start" << QCoreApplication::applicationFilePath() << "again";
    return started;
}

} // namespace vf::ui
