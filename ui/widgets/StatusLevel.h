#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

namespace vf::ui {

// How a line of a validation area reads: a fact, good news, something to look at, or a problem.
enum class StatusLevel
{
    Info,
    Ok,
    Warning,
    Error,
};

// A colour for the level that stays readable on the palette's window colour (light or dark theme).
QColor statusColor(StatusLevel level, const QPalette& palette);

// Secondary text (where a value comes from, hints): between the text and the window colour, so it
// stays readable in light and dark themes.
QColor secondaryTextColor(const QPalette& palette);

// The symbol in front of a line: "✓", "⚠", "✗" or "•". Never the only carrier of meaning: the text
// says it too.
QString statusSymbol(StatusLevel level);

} // namespace vf::ui
