#include "StatusLevel.h"

using namespace Qt::StringLiterals;

namespace vf::ui {

QColor statusColor(StatusLevel level, const QPalette& palette)
{
    const bool dark = palette.color(QPalette::Window).lightnessF() < 0.5;
    switch (level) {
    case StatusLevel::Ok:
        return dark ? QColor(0x81, 0xc7, 0x84) : QColor(0x1b, 0x6e, 0x20);
    case StatusLevel::Warning:
        return dark ? QColor(0xff, 0xcc, 0x66) : QColor(0x8a, 0x55, 0x00);
    case StatusLevel::Error:
        return dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xb0, 0x1c, 0x1c);
    case StatusLevel::Info:
        break;
    }
    return palette.color(QPalette::WindowText);
}

QColor secondaryTextColor(const QPalette& palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    const QColor window = palette.color(QPalette::Window);
    constexpr float kTextShare = 0.62f;
    return QColor::fromRgbF(text.redF() * kTextShare + window.redF() * (1 - kTextShare),
                            text.greenF() * kTextShare + window.greenF() * (1 - kTextShare),
                            text.blueF() * kTextShare + window.blueF() * (1 - kTextShare));
}

QString statusSymbol(StatusLevel level)
{
    switch (level) {
    case StatusLevel::Ok:
        return u"\u2713"_s;
    case StatusLevel::Warning:
        return u"\u26a0"_s;
    case StatusLevel::Error:
        return u"\u2717"_s;
    case StatusLevel::Info:
        break;
    }
    return u"\u2022"_s;
}

} // namespace vf::ui
