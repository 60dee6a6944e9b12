#pragma once

#include "common/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

// Internal to vf_core (used by ConnInfo): libpq's connection-string parsers, on raw bytes.
namespace vf::settings::conninfo {

// One slot per connOptions() entry, in the same order; std::nullopt = not given.
using OptionValues = QList<std::optional<QByteArray>>;

// True when libpq would parse the text as a URI (uri_prefix_length() != 0 in fe-connect.c).
bool isUri(QByteArrayView text);

// conninfo_parse() / conninfo_uri_parse_options() of fe-connect.c (PostgreSQL 18): the values
// PQconninfoParse() returns, or the first error with libpq's message (without its trailing newline).
Result<OptionValues> parse(QByteArrayView text);

// The index of a keyword in connOptions() (exact, case-sensitive byte comparison), or -1.
qsizetype optionIndex(QByteArrayView keyword);

// The C-locale isspace() libpq uses between keyword/value pairs.
constexpr bool isSpace(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

} // namespace vf::settings::conninfo
