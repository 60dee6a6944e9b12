#include "StartupProbe.h"
#include "common/Version.h"
#include "i18n/LanguageSettings.h"
#include "i18n/Translations.h"
#include "main/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLoggingCategory>
#include <QSettings>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    // Developer diagnostics stay quiet unless asked for (QT_LOGGING_RULES="vf.*.debug=true").
    QLoggingCategory::setFilterRules(QStringLiteral("vf.*.debug=false"));
    QApplication::setApplicationName(QStringLiteral("VerifyFull"));
    QApplication::setOrganizationName(QStringLiteral("VerifyFull"));
    QApplication::setApplicationVersion(QString::fromLatin1(vf::kVersion));
    QApplication::setDesktopFileName(QString::fromLatin1(vf::kAppId));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/io.github.verifyfull.VerifyFull.svg")));
    // The saved language, else the system locale's; before any translated text is made (the
    // command-line help below included).
    vf::ui::Translations::install(vf::ui::LanguageSettings::choice(QSettings()));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "PostgreSQL TLS connection tester"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QApplication::translate("main", "Certificate file to open."),
                                 QStringLiteral("[file]"));
    parser.process(app);

    int rc = 0;
    {
        vf::ui::MainWindow window;
        {
            const QSettings settings;
            window.restoreLayout(settings);
        }
        vf::app::StartupProbe::installIfRequested(window); // bench/bench_startup only
        if (const QStringList files = parser.positionalArguments(); !files.isEmpty())
            window.openFile(files.first());
        window.show();
        rc = QApplication::exec();
        QSettings settings;
        window.saveLayout(settings);
    }
    // "Restart now" in the Language menu: start again in the new language once the window has saved
    // its state and released the profile file.
    vf::ui::Translations::restartIfRequested();
    return rc;
}
