#include "common/Version.h"
#include "main/MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
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

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "PostgreSQL TLS connection tester"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QApplication::translate("main", "Certificate file to open."),
                                 QStringLiteral("[file]"));
    parser.process(app);

    vf::ui::MainWindow window;
    {
        const QSettings settings;
        window.restoreLayout(settings);
    }
    if (const QStringList files = parser.positionalArguments(); !files.isEmpty())
        window.openFile(files.first());
    window.show();
    const int rc = QApplication::exec();
    QSettings settings;
    window.saveLayout(settings);
    return rc;
}
