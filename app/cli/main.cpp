#include "common/Version.h"

#include <QCoreApplication>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("verifyfull-cli"));
    QCoreApplication::setApplicationVersion(QString::fromLatin1(vf::kVersion));
    const QStringList args = QCoreApplication::arguments();
    QTextStream out(stdout);
    if (args.size() >= 2 && (args.at(1) == u"--version" || args.at(1) == u"-v")) {
        out << "verifyfull-cli " << vf::kVersion << Qt::endl;
        return 0;
    }
    out << "usage: verifyfull-cli --version" << Qt::endl;
    return 2;
}
