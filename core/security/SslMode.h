#pragma once

#include <QString>
#include <QStringView>

#include <optional>

namespace vf::security {

// libpq's six sslmode values, weakest first: the order is meaningful, `mode < SslMode::Require`
// means "may end without encryption".
enum class SslMode
{
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
};

// libpq's default when no sslmode is set anywhere (PQconninfoOptions[] in fe-connect.c).
inline constexpr SslMode kDefaultSslMode = SslMode::Prefer;

// An answer in one column of libpq's "SSL Mode Descriptions" table: does a mode protect against a
// risk? `Maybe` covers both libpq's "Maybe" and verify-ca's "Depends on CA policy".
enum class Protection
{
    No,
    Maybe,
    Yes,
};

// How much the effective settings protect the connection, worst last.
enum class Severity
{
    Safe,     // encrypted, and the server's identity is checked (verify-full)
    Weak,     // encrypted but the server's identity is not fully checked, or TLS is not used locally
    Unsafe,   // may end, or always ends, without encryption
    WillFail, // libpq will refuse to connect with these settings
};

// The sslmode for a keyword, compared exactly (case-sensitive) as libpq's strcmp() does:
// "Require" or " require" are not sslmodes.
std::optional<SslMode> parseSslMode(QStringView keyword);

// The libpq keyword of a mode: "verify-full".
QString sslModeKeyword(SslMode mode);

// "Yes", "No", "Maybe" (translated).
QString protectionLabel(Protection protection);

// "safe", "weak", "unsafe", "will fail" (translated).
QString severityLabel(Severity severity);

} // namespace vf::security
