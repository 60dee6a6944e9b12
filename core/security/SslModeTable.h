#pragma once

#include "security/SslMode.h"

#include <QString>

#include <span>

namespace vf::security {

// One row of libpq's table "SSL Mode Descriptions" (libpq-ssl.html, section "Protection Provided in
// Different Modes", table 34.1 in the PostgreSQL 18 documentation): what an sslmode protects
// against as the user chose it, before the files on disk change its behaviour (SslModeAssessment
// says what really applies).
//
// The texts are libpq's English wording, marked with QT_TRANSLATE_NOOP in the context
// "vf::security::SslModeTable"; the *Label()/*Text() accessors return them translated.
struct SslModeDescription
{
    SslMode mode;
    Protection eavesdropping;      // column "Eavesdropping protection"
    Protection mitm;               // column "MITM protection"
    const char* eavesdroppingText; // libpq's cell text: "No", "Maybe", "Yes"
    const char* mitmText;          // libpq's cell text, e.g. "Depends on CA policy"
    const char* statement;         // libpq's "Statement" column, verbatim
    const char* note;              // our plain-language remark for the UI, or nullptr

    QString keyword() const { return sslModeKeyword(mode); }
    QString eavesdroppingLabel() const;
    QString mitmLabel() const;
    QString statementText() const;
    QString noteText() const; // empty when there is no note
};

// The six rows in libpq's order (disable … verify-full).
std::span<const SslModeDescription> sslModeTable();

// The row of a mode.
const SslModeDescription& describeSslMode(SslMode mode);

// The column headings, translated: "sslmode", "Eavesdropping protection", "MITM protection",
// "Statement".
QString sslModeTableHeading(int column);
inline constexpr int kSslModeTableColumns = 4;

} // namespace vf::security
