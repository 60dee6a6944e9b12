#pragma once

#include "common/Error.h"

#include <QByteArray>
#include <QByteArrayView>
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
// conninfo_uri_parse() of fe-connect.c (PostgreSQL 18), with libpq's error messages.
//
// Values are bytes, as in libpq. A URI can percent-encode any byte (%E9 is a Latin-1 "é"), so a value
// need not be UTF-8. ConnInfo keeps such bytes exactly: valueBytes(), toKeywordValueBytes() and toUri()
// are lossless; value(), params() and toKeywordValue() decode the bytes as UTF-8 and show invalid
// sequences as U+FFFD, so use the byte accessors when a value may not be UTF-8 (hasNonUtf8Value()).
// A NUL byte cannot be part of a libpq string: parse() rejects it ("settings.conninfo.nul-byte") and
// setValue() refuses it.
//
// Keywords are those of libpq 18 (ConnOptions.h). The deprecated keyword "requiressl" is accepted by
// parse() and stored as sslmode ("require" if its value starts with '1', else "prefer"), as libpq does.
class ConnInfo final
{
public:
    ConnInfo() = default;

    // Parses either form; a text starting with "postgresql://" or "postgres://" is a URI, as in libpq.
    // Unknown keywords and malformed input fail with libpq's message (Error::message), e.g.
    // `invalid connection option "x"`, `missing "=" after "x" in connection info string`,
    // `invalid URI query parameter: "x"`. Like libpq's, the message may quote part of the input, a
    // password included: show it to the person who typed it, but never log it.
    static Result<ConnInfo> parse(QStringView text);
    // The same, on the raw bytes libpq would see (the text need not be UTF-8).
    static Result<ConnInfo> parseBytes(QByteArrayView text);

    ConnInfoSyntax syntax() const { return m_syntax; }

    // The keywords that were given a value (the last occurrence wins), in libpq's option-table order.
    // A value can be empty (host='' is a value; libpq keeps it).
    QList<ConnParam> params() const;
    std::optional<QString> value(QStringView keyword) const;
    std::optional<QByteArray> valueBytes(QStringView keyword) const;
    bool contains(QStringView keyword) const { return valueBytes(keyword).has_value(); }
    // True when some value is not valid UTF-8 (value()/params()/toKeywordValue() are then lossy).
    bool hasNonUtf8Value() const;

    // Sets or replaces a value; returns false (and changes nothing) for a keyword libpq does not know
    // (as PQconnectdbParams(), "requiressl" is not translated here) or a value containing a NUL.
    bool setValue(const QString& keyword, const QString& value);
    bool setValueBytes(const QString& keyword, const QByteArray& value);
    void remove(QStringView keyword);
    bool isEmpty() const { return m_entries.isEmpty(); }

    // Writes a keyword/value string that libpq parses back to the same values (quotes and escapes
    // only where needed). Secrets (options with dispchar "*": password, sslpassword,
    // oauth_client_secret) are written only when includeSecrets is true.
    QString toKeywordValue(bool includeSecrets = false) const;
    QByteArray toKeywordValueBytes(bool includeSecrets = false) const;
    // Writes a postgresql:// URI that libpq parses back to the same values: user, password, hosts,
    // ports ([IPv6] in brackets, several host:port pairs) and dbname in their URI parts when libpq
    // would read them back unchanged, everything else as query parameters; every byte outside
    // RFC 3986's unreserved set is percent-encoded, so the result is ASCII.
    QString toUri(bool includeSecrets = false) const;

    friend bool operator==(const ConnInfo& a, const ConnInfo& b) { return a.m_entries == b.m_entries; }

private:
    struct Entry
    {
        qsizetype option; // index into connOptions()
        QByteArray value;

        friend bool operator==(const Entry&, const Entry&) = default;
    };

    const QByteArray* find(QStringView keyword) const;
    void store(qsizetype option, QByteArray value);

    ConnInfoSyntax m_syntax = ConnInfoSyntax::KeywordValue;
    QList<Entry> m_entries; // sorted by option (libpq's table order), one entry per keyword
};

} // namespace vf::settings
