#pragma once

#include "common/Error.h"

#include <QList>
#include <QString>
#include <QStringView>

#include <optional>

namespace vf::settings {

// Which of libpq's two connection-string forms a text is written in.
enum class ConnInfoSyntax
{
    KeywordValue, // host=db port=5432 sslmode='verify-full'
    Uri,          // postgresql://user@db:5432/app?sslmode=verify-full
};

struct ConnParam
{
    QString keyword;
    QString value;

    friend bool operator==(const ConnParam&, const ConnParam&) = default;
};

// A parsed libpq connection string: what was written, before the service file, the environment and
// the defaults are applied (that is SettingsResolver's job). Parsing follows conninfo_parse() and
// conninfo_uri_parse() of fe-connect.c, with libpq's error messages.
class ConnInfo final
{
public:
    ConnInfo() = default;

    // Parses either form; a text starting with "postgresql://" or "postgres://" is a URI, as in libpq.
    // Unknown keywords and malformed input fail with libpq's message, e.g.
    // `invalid connection option "x"`, `missing "=" after "x" in connection info string`,
    // `invalid URI query parameter: "x"`.
    static Result<ConnInfo> parse(QStringView text);

    ConnInfoSyntax syntax() const { return m_syntax; }

    // The keywords that were given a value (the last occurrence wins), in libpq's option-table order.
    QList<ConnParam> params() const;
    std::optional<QString> value(QStringView keyword) const;
    bool contains(QStringView keyword) const { return value(keyword).has_value(); }

    // Sets or replaces a value; returns false (and changes nothing) for a keyword libpq does not know.
    bool setValue(const QString& keyword, const QString& value);
    void remove(QStringView keyword);
    bool isEmpty() const { return m_params.isEmpty(); }

    // Writes a keyword/value string that libpq parses back to the same values (quotes and escapes
    // only where needed). Secrets (password, sslpassword…) are written only when includeSecrets is true.
    QString toKeywordValue(bool includeSecrets = false) const;
    // Writes a postgresql:// URI that libpq parses back to the same values.
    QString toUri(bool includeSecrets = false) const;

    friend bool operator==(const ConnInfo& a, const ConnInfo& b) { return a.params() == b.params(); }

private:
    ConnInfoSyntax m_syntax = ConnInfoSyntax::KeywordValue;
    QList<ConnParam> m_params; // kept in option-table order, one entry per keyword
};

} // namespace vf::settings
