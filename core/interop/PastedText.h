#pragma once

#include "ImportedProfile.h"
#include "common/Error.h"

#include <QCoreApplication>
#include <QString>
#include <QStringView>

namespace vf::interop {

// A connection string someone pasted: a libpq keyword/value string or a postgresql:// URI, told apart
// the way libpq does (a URI starts with "postgresql://" or "postgres://") and parsed by
// settings::ConnInfo::parse(), so errors carry libpq's own message. White space around the text
// (a trailing newline from a terminal) is ignored.
class PastedText final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::PastedText)

public:
    enum class Kind
    {
        Empty,        // nothing but white space
        KeywordValue, // host=db port=5432 …
        Uri,          // postgresql://…
    };

    // Larger pastes are refused (interop.paste-too-large) before parsing.
    static constexpr qsizetype kMaxChars = 256 * 1024;

    PastedText() = delete;

    // Which form the text is in; cheap enough to call on every keystroke.
    static Kind detect(QStringView text);
    // "keyword/value string", "URI" (translated); empty for Empty.
    static QString kindName(Kind kind);

    // The settings, or libpq's error. Codes: interop.paste-empty, interop.paste-too-large, and
    // ConnInfo::parse()'s (settings.conninfo.*). For a JDBC URL, a psql command line or a URI with
    // the scheme in capitals the explanation says what to change.
    static Result<ImportedProfile> parse(QStringView text);
};

} // namespace vf::interop
