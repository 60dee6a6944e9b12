// verifyfull-screenshots --out DIR [--size 1280x800] [--only name,name]
#include "ScreenshotDriver.h"
#include "i18n/Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLoggingCategory>
#include <QPalette>
#include <QStyleFactory>
#include <QTimer>

using namespace Qt::StringLiterals;

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QLoggingCategory::setFilterRules(u"vf.*.debug=false"_s);
    QApplication::setApplicationName(u"VerifyFull"_s);
    // As the app does; the screenshots are in English (plural forms come from the English catalogue).
    vf::ui::Translations::install(qEnvironmentVariable("VF_SCREENSHOT_LANGUAGE", u"en"_s));
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Saves every main screen of VerifyFull as PNG (run under Xvfb)."_s);
    parser.addHelpOption();
    const QCommandLineOption out(u"out"_s, u"Directory for the PNG files."_s, u"dir"_s);
    const QCommandLineOption size(u"size"_s, u"Window size, WIDTHxHEIGHT."_s, u"size"_s, u"1280x800"_s);
    const QCommandLineOption only(u"only"_s, u"Only these screens (comma separated)."_s, u"names"_s);
    const QCommandLineOption dark(u"dark"_s,
                                  u"A dark palette (Fusion), to check the dark theme; adds -dark."_s);
    const QCommandLineOption suffix(
        u"suffix"_s, u"Appended to every file name (e.g. -hidpi when run with QT_SCALE_FACTOR=2)."_s,
        u"text"_s);
    parser.addOptions({out, size, only, dark, suffix});
    parser.process(app);
    if (!parser.isSet(out)) {
        qCritical("--out is required");
        return 2;
    }
    const QStringList wh = parser.value(size).split(u'x');
    const QSize windowSize(wh.value(0).toInt(), wh.value(1).toInt());
    if (windowSize.width() < 320 || windowSize.height() < 240) {
        qCritical("bad --size");
        return 2;
    }
    if (parser.isSet(dark)) {
        QApplication::setStyle(QStyleFactory::create(u"Fusion"_s));
        QPalette p;
        p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        p.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
        p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
        p.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
        p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
        p.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
        p.setColor(QPalette::Highlight, QColor(0x3d, 0x7a, 0xd6));
        p.setColor(QPalette::HighlightedText, Qt::white);
        p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x35, 0x35));
        p.setColor(QPalette::ToolTipText, QColor(0xe8, 0xe8, 0xe8));
        p.setColor(QPalette::PlaceholderText, QColor(0x90, 0x90, 0x90));
        p.setColor(QPalette::Link, QColor(0x6c, 0xa8, 0xff));
        for (const auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
            p.setColor(QPalette::Disabled, role, QColor(0x7a, 0x7a, 0x7a));
        QApplication::setPalette(p);
    }
    vf::tools::ScreenshotDriver driver(parser.value(out), windowSize,
                                       parser.value(only).split(u',', Qt::SkipEmptyParts),
                                       (parser.isSet(dark) ? u"-dark"_s : QString()) + parser.value(suffix));
    if (!driver.setUp())
        return 1;
    QTimer::singleShot(0, &driver, &vf::tools::ScreenshotDriver::run);
    return QApplication::exec();
}
