#include "main/MainWindow.h"

#include "common/Version.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
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
    window.show();
    return QApplication::exec();
}
