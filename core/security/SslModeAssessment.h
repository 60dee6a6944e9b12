#pragma once

#include "common/Error.h"
#include "security/AssessmentInput.h"
#include "security/SslMode.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

#include <optional>

namespace vf::security {

// The risks an assessment answers for, in the order the UI lists them. The first two are the
// columns of libpq's table.
enum class Threat
{
    Eavesdropping,            // someone on the network reads the traffic
    ManInTheMiddle,           // someone poses as the server (and then reads or changes everything)
    Downgrade,                // someone makes the client connect without encryption
    OtherCertificateOfSameCa, // a server holding any certificate from the trusted CA passes
    RevokedCertificate,       // a revoked (stolen, withdrawn) server certificate is accepted
};

// "Eavesdropping", "Man-in-the-middle", … (translated).
QString threatLabel(Threat threat);

// A plain-language statement with a stable code (for tests, icons and help links).
struct Reason
{
    QString code; // e.g. "require-behaves-as-verify-ca"
    QString text; // translated, e.g. "require behaves as verify-ca here because a root file exists: …"
};

// How well the effective settings protect against one threat, and why.
struct ThreatVerdict
{
    Threat threat;
    Protection protection;
    Reason reason;
};

// A concrete change that moves the settings towards a working verify-full.
struct NextStep
{
    QString code;    // e.g. "sslmode-verify-full"
    QString text;    // translated instruction
    QString keyword; // the libpq keyword to change ("sslmode"), empty when none
    QString value;   // the value to set ("verify-full"); empty when the user has to choose it (a path)
    // Setting keyword=value now is enough: the files it relies on are already there (for example a
    // root certificate file exists, so sslmode=verify-full can be applied in one click).
    bool oneClick = false;
};

// What libpq will really do with the settings.
struct EffectiveMode
{
    SslMode sslmode = kDefaultSslMode; // the sslmode libpq applies (after its defaults)
    // The row of libpq's table that describes the result: require with a root file behaves as
    // verify-ca; a Unix-domain socket, or gssencmode=require, behaves as disable (TLS is never used).
    SslMode behavesAs = kDefaultSslMode;
    bool tlsPossible = false;       // TLS may be used at all
    bool plaintextPossible = false; // the connection may end up unencrypted
    bool plaintextFirst = false;    // allow: plaintext is tried before TLS
    bool verifiesChain = false;     // the server's certificate chain is checked (when TLS is used)
    bool usesSystemRoots = false;   // sslrootcert=system: the operating system's CAs are trusted
    bool checksHostName = false;    // verify-full: the certificate must name the host
    bool checksRevocation = false;  // a CRL is loaded, so revoked certificates are refused
    bool usesGssapi = false;        // gssencmode=require: GSSAPI encryption instead of TLS
};

// What the chosen sslmode really protects against, given the effective settings and the files on
// disk. Reproduces libpq's rules (PostgreSQL 18; see docs/SSLMODES.md and the spec):
// option validation in pqConnectOptions2(), encryption methods in init_allowed_encryption_methods()
// and select_next_encryption_method(), and trust anchors in initialize_SSL() (fe-secure-openssl.c).
class SslModeAssessment final
{
    Q_DECLARE_TR_FUNCTIONS(vf::security::SslModeAssessment)

public:
    static SslModeAssessment assess(const AssessmentInput& input);

    Severity severity() const { return m_severity; }
    // What libpq will do; empty when libpq rejects the options before choosing a mode (an invalid
    // value, or a weak sslmode with sslnegotiation=direct or sslrootcert=system).
    const std::optional<EffectiveMode>& effective() const { return m_effective; }
    // How the effective mode follows from the settings, in order.
    const QList<Reason>& reasons() const { return m_reasons; }
    // One verdict per threat that applies (always Eavesdropping and ManInTheMiddle first); empty when
    // the connection will fail, because then nothing is sent at all.
    const QList<ThreatVerdict>& threats() const { return m_threats; }
    std::optional<ThreatVerdict> verdict(Threat threat) const;
    QList<ThreatVerdict> protectedAgainst() const;    // protection Yes
    QList<ThreatVerdict> notProtectedAgainst() const; // protection No or Maybe
    // Why libpq will refuse to connect (libpq's message, our explanation); set iff severity is WillFail.
    const std::optional<Error>& failure() const { return m_failure; }
    // The changes that lead to a working verify-full, the most direct first; empty when the settings
    // already are verify-full and work.
    const QList<NextStep>& nextSteps() const { return m_nextSteps; }
    // Facts worth knowing that do not change the verdict (GSSAPI, CRLs, direct negotiation).
    const QList<Reason>& notes() const { return m_notes; }
    // One line for a status bar or the CLI, e.g. "require behaves as verify-ca: weak".
    QString summary() const;
    // The whole assessment as plain text, for the CLI and logs.
    QString toText() const;

private:
    SslModeAssessment() = default;
    class Builder;

    Severity m_severity = Severity::Unsafe;
    std::optional<EffectiveMode> m_effective;
    QList<Reason> m_reasons;
    QList<ThreatVerdict> m_threats;
    std::optional<Error> m_failure;
    QList<NextStep> m_nextSteps;
    QList<Reason> m_notes;
};

} // namespace vf::security
