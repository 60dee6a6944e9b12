#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace vf::ui {

// A language the application ships a catalogue for.
struct Language
{
    QString code;       // QLocale name of the catalogue: "de", "fr", "en"
    QString nativeName; // in the language itself: "Deutsch", "Français", "English"

    friend bool operator==(const Language&, const Language&) = default;
};

// The application's translations: the catalogues embedded as :/i18n/verifyfull_<code>.qm and Qt's own
// qtbase_<code>.qm (standard dialog buttons, shortcuts, file dialogs) from Qt's translations directory.
// English is the source language; its catalogue only holds the plural forms ("1 day", "2 days") and
// is used for every language without a catalogue of its own.
class Translations final
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::Translations)

public:
    Translations() = delete;

    static constexpr QLatin1StringView kSourceLanguage{"en"};

    // Every language with a catalogue, English first, the others by native name.
    static QList<Language> availableLanguages();
    // "Deutsch" for "de"; the code itself when Qt knows no such language.
    static QString nativeName(const QString& code);
    // The first of uiLanguages (QLocale::uiLanguages() order: "de-CH", "de", "en-US") that one of
    // `codes` serves, matching the full name first and then the language alone; English when none does.
    static QString matchLanguage(const QStringList& uiLanguages, const QStringList& codes);
    // The language the system locale asks for, among the available ones.
    static QString systemLanguage();

    // Installs the catalogues of `code` ("" follows the system locale; an unknown code falls back to
    // it too) on the application, replacing those a previous call installed. Needs a
    // QCoreApplication; call it before creating windows. Returns the language now in use.
    static QString install(const QString& code);
    // Removes what install() put in place: the source texts show again.
    static void uninstall();
    // The language install() put in place ("" before the first call and after uninstall()).
    static QString installedLanguage();
    // Whether Qt's own catalogue for that language was found and installed.
    static bool qtTranslationsInstalled();
    // Where Qt's catalogues are looked up (QLibraryInfo::TranslationsPath).
    static QString qtTranslationsPath();

    // A restart asked for from the Language menu: the application quits, and main() starts it again
    // once the window has saved its state.
    static void requestRestart();
    static bool restartRequested();
    static void cancelRestart();
    // Starts the application again with its arguments when a restart was requested; returns whether
    // a new process was started.
    static bool restartIfRequested();
};

} // namespace vf::ui
