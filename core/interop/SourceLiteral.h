#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringView>

namespace vf::interop {

// Literals that a shell or an interpreter reads back as exactly the given text, whatever it holds
// (quotes, backslashes, "$", backticks, newlines, control characters, any Unicode).
class SourceLiteral final
{
public:
    SourceLiteral() = delete;

    // POSIX sh: one single-quoted word ('it'\''s'); nothing is expanded inside single quotes, and a
    // newline stays a newline. The empty string is ''. Bytes pass through unchanged.
    static QByteArray shell(QByteArrayView value);

    // A Python 3 str literal in double quotes ("\\", "\"", "\n", "\x01", "\u2028" escaped).
    static QString python(QStringView value);

    // A JavaScript string literal in double quotes (also valid JSON): control characters, U+2028 and
    // U+2029 escaped, so the literal is one line.
    static QString javaScript(QStringView value);
};

} // namespace vf::interop
