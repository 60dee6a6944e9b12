#include "SslMode.h"

#include <QCoreApplication>

#include <array>
#include <utility>

namespace vf::security {

namespace {

constexpr std::array<std::pair<SslMode, QStringView>, 6> kKeywords{{
    {SslMode::Disable, u"disable"},
    {SslMode::Allow, u"allow"},
    {SslMode::Prefer, u"prefer"},
    {SslMode::Require, u"require"},
    {SslMode::VerifyCa, u"verify-ca"},
    {SslMode::VerifyFull, u"verify-full"},
}};

} // namespace

std::optional<SslMode> parseSslMode(QStringView keyword)
{
    for (const auto& [mode, text] : kKeywords) {
        if (keyword.compare(text, Qt::CaseSensitive) == 0)
            return mode;
    }
    return std::nullopt;
}

QString sslModeKeyword(SslMode mode)
{
    for (const auto& [m, text] : kKeywords) {
        if (m == mode)
            return text.toString();
    }
    return {};
}

QString protectionLabel(Protection protection)
{
    switch (protection) {
    case Protection::No:
        return QCoreApplication::translate("vf::security::SslMode", "No");
    case Protection::Maybe:
        return QCoreApplication::translate("vf::security::SslMode", "Maybe");
    case Protection::Yes:
        return QCoreApplication::translate("vf::security::SslMode", "Yes");
    }
    return {};
}

QString severityLabel(Severity severity)
{
    switch (severity) {
    case Severity::Safe:
        return QCoreApplication::translate("vf::security::SslMode", "safe");
    case Severity::Weak:
        return QCoreApplication::translate("vf::security::SslMode", "weak");
    case Severity::Unsafe:
        return QCoreApplication::translate("vf::security::SslMode", "unsafe");
    case Severity::WillFail:
        return QCoreApplication::translate("vf::security::SslMode", "will fail");
    }
    return {};
}

} // namespace vf::security
