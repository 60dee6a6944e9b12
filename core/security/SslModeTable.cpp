#include "SslModeTable.h"

#include <QCoreApplication>

#include <array>

namespace vf::security {

namespace {

// libpq-ssl.html, "Protection Provided in Different Modes" (doc/src/sgml/libpq.sgml,
// id libpq-ssl-sslmode-statements). The statements are libpq's own words and stay so: people know
// them from the documentation.
constexpr std::array<SslModeDescription, 6> kTable{{
    {SslMode::Disable, Protection::No, Protection::No, QT_TRANSLATE_NOOP("vf::security::SslModeTable", "No"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "No"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable",
                       "I don't care about security, and I don't want to pay the overhead of encryption."),
     nullptr},
    {SslMode::Allow, Protection::Maybe, Protection::No,
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "Maybe"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "No"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable",
                       "I don't care about security, but I will pay the overhead of "
                       "encryption if the server insists on it."),
     QT_TRANSLATE_NOOP(
         "vf::security::SslModeTable",
         "libpq first connects without encryption and uses TLS only if the server refuses that.")},
    {SslMode::Prefer, Protection::Maybe, Protection::No,
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "Maybe"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "No"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable",
                       "I don't care about encryption, but I wish to pay the overhead "
                       "of encryption if the server supports it."),
     QT_TRANSLATE_NOOP(
         "vf::security::SslModeTable",
         "libpq's default. It silently connects without encryption when TLS is not available or "
         "fails, so an attacker on the network can simply switch encryption off.")},
    {SslMode::Require, Protection::Yes, Protection::No,
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "Yes"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "No"),
     QT_TRANSLATE_NOOP(
         "vf::security::SslModeTable",
         "I want my data to be encrypted, and I accept the overhead. I trust that the network will "
         "make sure I always connect to the server I want."),
     QT_TRANSLATE_NOOP(
         "vf::security::SslModeTable",
         "Any server certificate is accepted, unless a root certificate file exists: then require "
         "checks the certificate chain like verify-ca.")},
    {SslMode::VerifyCa, Protection::Yes, Protection::Maybe,
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "Yes"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "Depends on CA policy"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable",
                       "I want my data encrypted, and I accept the overhead. I want to "
                       "be sure that I connect to a server that I trust."),
     QT_TRANSLATE_NOOP(
         "vf::security::SslModeTable",
         "The certificate must come from a CA you trust, but it may have been issued for another "
         "server. Enough only if your own CA issues certificates to nobody else.")},
    {SslMode::VerifyFull, Protection::Yes, Protection::Yes,
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "Yes"),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable", "Yes"),
     QT_TRANSLATE_NOOP(
         "vf::security::SslModeTable",
         "I want my data encrypted, and I accept the overhead. I want to be sure that I connect to a "
         "server I trust, and that it's the one I specify."),
     QT_TRANSLATE_NOOP("vf::security::SslModeTable",
                       "The certificate must come from a CA you trust and name the host you connect to.")},
}};

QString translated(const char* text)
{
    return QCoreApplication::translate("vf::security::SslModeTable", text);
}

} // namespace

QString SslModeDescription::eavesdroppingLabel() const
{
    return translated(eavesdroppingText);
}

QString SslModeDescription::mitmLabel() const
{
    return translated(mitmText);
}

QString SslModeDescription::statementText() const
{
    return translated(statement);
}

QString SslModeDescription::noteText() const
{
    return note ? translated(note) : QString();
}

std::span<const SslModeDescription> sslModeTable()
{
    return kTable;
}

const SslModeDescription& describeSslMode(SslMode mode)
{
    for (const SslModeDescription& row : kTable) {
        if (row.mode == mode)
            return row;
    }
    return kTable.back(); // unreachable: every enumerator has a row (checked by the tests)
}

QString sslModeTableHeading(int column)
{
    switch (column) {
    case 0:
        return QStringLiteral("sslmode"); // a keyword, never translated
    case 1:
        return QCoreApplication::translate("vf::security::SslModeTable", "Eavesdropping protection");
    case 2:
        return QCoreApplication::translate("vf::security::SslModeTable", "MITM protection");
    case 3:
        return QCoreApplication::translate("vf::security::SslModeTable", "Statement");
    default:
        return {};
    }
}

} // namespace vf::security
