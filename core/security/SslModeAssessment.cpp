#include "SslModeAssessment.h"

#include "security/SslModeTable.h"

using namespace Qt::StringLiterals;

namespace vf::security {

namespace {

// libpq's hint after a missing root file (initialize_SSL(), PostgreSQL 16+; 15 says "Either provide
// the file or change sslmode to disable server certificate verification.").
constexpr QStringView kRootFileHint = u"Either provide the file, use the system's trusted roots with "
                                      u"sslrootcert=system, or change sslmode to disable server certificate "
                                      u"verification.";

QString assignment(const QString& keyword, const QString& value)
{
    return keyword + u'=' + value;
}

} // namespace

QString threatLabel(Threat threat)
{
    switch (threat) {
    case Threat::Eavesdropping:
        return QCoreApplication::translate("vf::security::SslModeAssessment", "Eavesdropping");
    case Threat::ManInTheMiddle:
        return QCoreApplication::translate("vf::security::SslModeAssessment",
                                           "Man-in-the-middle (someone posing as the server)");
    case Threat::Downgrade:
        return QCoreApplication::translate("vf::security::SslModeAssessment",
                                           "Being pushed to an unencrypted connection");
    case Threat::OtherCertificateOfSameCa:
        return QCoreApplication::translate("vf::security::SslModeAssessment",
                                           "Another server with a certificate from the same CA");
    case Threat::RevokedCertificate:
        return QCoreApplication::translate("vf::security::SslModeAssessment", "A revoked server certificate");
    }
    return {};
}

// Builds an assessment step by step, in the order libpq decides: option validation
// (pqConnectOptions2), then the encryption methods per address, then the TLS context.
class SslModeAssessment::Builder final
{
    Q_DECLARE_TR_FUNCTIONS(vf::security::SslModeAssessment)

public:
    explicit Builder(const AssessmentInput& input)
        : m_in(input)
        , m_system(input.sslrootcert == u"system")
    {
        m_rootPath = !input.rootCertPath.isEmpty()  ? input.rootCertPath
                     : !input.sslrootcert.isEmpty() ? input.sslrootcert
                                                    : u"~/.postgresql/root.crt"_s;
        // Without sslrootcert and without a home directory libpq has no file to look at.
        const bool rootFileConsidered = !input.sslrootcert.isEmpty() || input.homeDirectoryKnown;
        m_haveRootFile = !m_system && rootFileConsidered && input.rootFileExists;
        m_rootBroken = m_haveRootFile && !input.rootFileError.isEmpty();
        m_rootUsable = m_system || (m_haveRootFile && !m_rootBroken);
    }

    SslModeAssessment build()
    {
        if (!resolveMode())
            return finish();
        if (!validateOptions())
            return finish();
        if (m_in.hostIsUnixSocket)
            unixSocket();
        else if (m_gss == u"require")
            gssRequired();
        else if (*m_mode == SslMode::Disable)
            disabled();
        else
            tls();
        return finish();
    }

private:
    void reason(const char* code, const QString& text)
    {
        m_a.m_reasons.append({QString::fromLatin1(code), text});
    }
    void note(const char* code, const QString& text)
    {
        m_a.m_notes.append({QString::fromLatin1(code), text});
    }
    void threat(Threat t, Protection p, const char* code, const QString& text)
    {
        m_a.m_threats.append({t, p, {QString::fromLatin1(code), text}});
    }
    void step(const char* code, const QString& text, const QString& keyword, const QString& value,
              bool oneClick)
    {
        for (const NextStep& s : std::as_const(m_a.m_nextSteps)) {
            if (s.code == QLatin1StringView(code))
                return;
        }
        m_a.m_nextSteps.append({QString::fromLatin1(code), text, keyword, value, oneClick});
    }
    void fail(const char* code, const QString& message, const QString& explanation)
    {
        if (m_a.m_failure)
            return; // libpq reports the first problem only
        m_a.m_failure = Error{QString::fromLatin1(code), message, explanation, {}};
        m_a.m_severity = Severity::WillFail;
    }

    QString modeName() const { return sslModeKeyword(*m_mode); }
    // Where the trusted CAs come from, for sentences like "a CA in %1".
    QString trustSource() const { return m_system ? tr("the operating system's trust store") : m_rootPath; }

    // --- sslmode and its defaults (conninfo_add_defaults) --------------------------------------
    bool resolveMode()
    {
        if (!m_in.sslmodeExplicit && m_system) {
            m_mode = SslMode::VerifyFull;
            reason("system-defaults-verify-full",
                   tr("No sslmode was set, and sslrootcert=system makes libpq default to verify-full."));
            return true;
        }
        if (!m_in.sslmodeExplicit && m_in.sslmode.isEmpty()) {
            m_mode = kDefaultSslMode;
            reason("default-prefer", tr("No sslmode was set, so libpq uses its default, prefer."));
            return true;
        }
        m_mode = parseSslMode(m_in.sslmode);
        if (m_mode)
            return true;
        fail("security.invalid-sslmode", u"invalid sslmode value: \"%1\""_s.arg(m_in.sslmode),
             tr("sslmode must be one of disable, allow, prefer, require, verify-ca or verify-full, written "
                "exactly so (lower case, no spaces). libpq refuses to connect otherwise."));
        stepsTowardVerifyFull();
        return false;
    }

    // --- pqConnectOptions2(), in libpq's order ---------------------------------------------------
    bool validateOptions()
    {
        const QString& negotiation = m_in.sslnegotiation;
        if (!negotiation.isEmpty() && negotiation != u"postgres" && negotiation != u"direct") {
            fail("security.invalid-sslnegotiation",
                 u"invalid sslnegotiation value: \"%1\""_s.arg(negotiation),
                 tr("sslnegotiation must be postgres (the default) or direct."));
            step("sslnegotiation-postgres", tr("Set sslnegotiation=postgres (the default)."),
                 u"sslnegotiation"_s, u"postgres"_s, true);
            return false;
        }
        m_direct = negotiation == u"direct";
        if (m_direct && *m_mode < SslMode::Require) {
            fail("security.weak-sslmode-direct",
                 u"weak sslmode \"%1\" may not be used with sslnegotiation=direct (use \"require\", "
                 u"\"verify-ca\", or \"verify-full\")"_s.arg(modeName()),
                 tr("Direct TLS negotiation cannot fall back to an unencrypted connection, so libpq only "
                    "accepts it with an sslmode that requires encryption."));
            stepsTowardVerifyFull();
            step("sslnegotiation-postgres",
                 tr("Or set sslnegotiation=postgres to keep sslmode=%1.").arg(modeName()),
                 u"sslnegotiation"_s, u"postgres"_s, true);
            return false;
        }
        if (m_system && *m_mode != SslMode::VerifyFull) {
            fail("security.weak-sslmode-system",
                 u"weak sslmode \"%1\" may not be used with sslrootcert=system (use \"verify-full\")"_s.arg(
                     modeName()),
                 tr("The system's trusted CAs sign certificates for anyone on the internet, so a check "
                    "without the host name would accept any of them. libpq only allows sslrootcert=system "
                    "with verify-full."));
            stepsTowardVerifyFull();
            return false;
        }
        m_gss = m_in.gssencmode.isEmpty() ? u"prefer"_s : m_in.gssencmode;
        if (m_gss != u"disable" && m_gss != u"prefer" && m_gss != u"require") {
            fail("security.invalid-gssencmode", u"invalid gssencmode value: \"%1\""_s.arg(m_in.gssencmode),
                 tr("gssencmode must be disable, prefer or require."));
            step("gssencmode-prefer", tr("Set gssencmode=prefer (libpq's default)."), u"gssencmode"_s,
                 u"prefer"_s, true);
            return false;
        }
        return true;
    }

    // --- the effective behaviour ---------------------------------------------------------------
    void unixSocket()
    {
        EffectiveMode e;
        e.sslmode = *m_mode;
        e.behavesAs = SslMode::Disable;
        e.plaintextPossible = true;
        m_a.m_effective = e;

        if (m_gss == u"require") {
            fail("security.gss-local-socket",
                 u"GSSAPI encryption required but it is not supported over a local socket"_s,
                 tr("gssencmode=require cannot work over a Unix-domain socket."));
            step("gssencmode-prefer",
                 tr("Set gssencmode=prefer, or connect over TCP with the server's host name."),
                 u"gssencmode"_s, u"prefer"_s, true);
            return;
        }
        reason("unix-socket-no-tls",
               tr("This is a Unix-domain socket connection: libpq never uses TLS over a local socket, even "
                  "with sslmode=%1, and connects without encryption.")
                   .arg(modeName()));
        threat(
            Threat::Eavesdropping, Protection::No, "unix-socket-unencrypted",
            tr("The traffic is not encrypted, but it does not leave this machine: only someone with access "
               "to this machine could read it."));
        threat(
            Threat::ManInTheMiddle, Protection::No, "unix-socket-no-certificate",
            tr("No certificate is checked over a local socket: any process that can create the socket file "
               "could pose as the server. requirepeer makes libpq check the operating-system user running "
               "the server."));
        m_a.m_severity = Severity::Weak;
        step("use-tcp-host",
             tr("To use TLS, connect over TCP: set host to the server's name instead of a socket directory."),
             u"host"_s, {}, false);
        step("requirepeer",
             tr("Or set requirepeer to the operating-system user that runs the server (usually postgres)."),
             u"requirepeer"_s, u"postgres"_s, false);
    }

    void gssRequired()
    {
        EffectiveMode e;
        e.sslmode = *m_mode;
        e.behavesAs = SslMode::Disable;
        e.usesGssapi = true;
        m_a.m_effective = e;
        reason(
            "gss-required-no-tls",
            tr("gssencmode=require: libpq encrypts with GSSAPI (Kerberos) and never tries TLS, so sslmode=%1 "
               "and the certificate settings are not used.")
                .arg(modeName()));
        threat(Threat::Eavesdropping, Protection::Yes, "gss-encrypted",
               tr("libpq connects only if the server encrypts the connection with GSSAPI."));
        threat(Threat::ManInTheMiddle, Protection::Yes, "gss-mutual-authentication",
               tr("Kerberos authenticates the server (mutual authentication); no certificate is involved."));
        threat(Threat::Downgrade, Protection::Yes, "gss-no-fallback",
               tr("Without GSSAPI encryption libpq refuses to connect."));
        note("gss-needs-ticket", tr("This needs a Kerberos ticket; without one libpq fails with \"GSSAPI "
                                    "encryption required but no credential cache\"."));
        m_a.m_severity = Severity::Safe;
    }

    void disabled()
    {
        EffectiveMode e;
        e.sslmode = SslMode::Disable;
        e.behavesAs = SslMode::Disable;
        e.plaintextPossible = true;
        m_a.m_effective = e;
        reason("disable-never-tls",
               tr("sslmode=disable never uses TLS: everything, passwords included, crosses "
                  "the network unencrypted."));
        threat(Threat::Eavesdropping, Protection::No, "plaintext",
               tr("Nothing is encrypted: anyone on the network path can read the traffic."));
        threat(Threat::ManInTheMiddle, Protection::No, "no-server-check",
               tr("The server is not checked at all: anyone who can intercept the connection can pose as "
                  "the server."));
        m_a.m_severity = Severity::Unsafe;
        gssNote();
        stepsTowardVerifyFull();
    }

    void tls()
    {
        const SslMode mode = *m_mode;
        const bool verifies = m_rootUsable;

        // initialize_SSL(): a verify mode needs trust anchors before the handshake starts.
        if (mode >= SslMode::VerifyCa && !m_system && !m_haveRootFile) {
            if (m_in.sslrootcert.isEmpty() && !m_in.homeDirectoryKnown) {
                fail(
                    "security.no-home-directory",
                    u"could not get home directory to locate root certificate file\n"_s + kRootFileHint,
                    tr("%1 needs the CA's root certificate, and without a home directory there is no default "
                       "root file. Set sslrootcert.")
                        .arg(modeName()));
            } else {
                fail("security.root-file-missing",
                     u"root certificate file \"%1\" does not exist\n"_s.arg(m_rootPath) + kRootFileHint,
                     tr("%1 checks the server's certificate against your CA's root certificate, and there is "
                        "none at %2. libpq stops before the TLS handshake.")
                         .arg(modeName(), m_rootPath));
            }
        } else if (mode >= SslMode::Require && m_rootBroken) {
            fail("security.root-file-unreadable",
                 u"could not read root certificate file \"%1\": %2"_s.arg(m_rootPath, m_in.rootFileError),
                 tr("The root certificate file exists but holds no certificate OpenSSL can read (it must be "
                    "PEM). Because it exists, libpq uses it even with sslmode=%1, and every TLS attempt "
                    "fails.")
                     .arg(modeName()));
        } else if (mode == SslMode::VerifyFull && m_in.hostIsIpOnly) {
            fail("security.host-name-required",
                 u"host name must be specified for a verified SSL connection"_s,
                 tr("verify-full compares the server's certificate with the host name, and only hostaddr is "
                    "set. Set host to the name in the certificate (hostaddr can stay)."));
        }

        EffectiveMode e;
        e.sslmode = mode;
        e.tlsPossible = !(mode <= SslMode::Prefer && m_rootBroken);
        e.plaintextPossible = mode <= SslMode::Prefer;
        e.plaintextFirst = mode == SslMode::Allow;
        e.verifiesChain = verifies;
        e.usesSystemRoots = m_system;
        e.checksHostName = mode == SslMode::VerifyFull;
        e.checksRevocation = verifies && !m_system && m_in.crlLoads;
        e.behavesAs = (mode == SslMode::Require && verifies) ? SslMode::VerifyCa
                      : !e.tlsPossible                       ? SslMode::Disable
                                                             : mode;
        m_a.m_effective = e;

        explainTls(e);
        if (!m_a.m_failure)
            judgeTls(e);
        notesForTls(e);
        stepsTowardVerifyFull();
        if (e.verifiesChain && !m_system && !m_in.crlLoads &&
            (!m_in.sslcrl.isEmpty() || !m_in.sslcrldir.isEmpty()) && !m_a.m_failure &&
            e.behavesAs >= SslMode::VerifyCa) {
            step("fix-crl",
                 tr("Check sslcrl/sslcrldir: the CRL could not be loaded, so revoked certificates are "
                    "accepted."),
                 m_in.sslcrl.isEmpty() ? u"sslcrldir"_s : u"sslcrl"_s, {}, false);
        }
    }

    void explainTls(const EffectiveMode& e)
    {
        const SslMode mode = e.sslmode;
        if (m_system)
            reason("system-roots", tr("sslrootcert=system: libpq trusts the certificate authorities of the "
                                      "operating system (OpenSSL's default paths; SSL_CERT_FILE and "
                                      "SSL_CERT_DIR change them)."));
        switch (mode) {
        case SslMode::Allow:
            reason(
                "allow-plaintext-first",
                tr("allow first connects without encryption and tries TLS only if the server rejects the "
                   "unencrypted connection; most servers accept it, so the session is usually unencrypted."));
            break;
        case SslMode::Prefer:
            reason("prefer-may-fall-back",
                   tr("prefer tries TLS first, but silently connects without encryption when the server does "
                      "not offer TLS or the TLS attempt fails."));
            break;
        case SslMode::Require:
            if (m_rootBroken)
                break;
            if (e.verifiesChain)
                reason(
                    "require-behaves-as-verify-ca",
                    tr("require behaves as verify-ca here because a root file exists: %1").arg(m_rootPath));
            else
                reason(
                    "require-accepts-any-certificate",
                    tr("No root certificate file exists (%1), so require accepts any certificate the server "
                       "presents.")
                        .arg(m_rootPath));
            break;
        case SslMode::VerifyCa:
            reason(
                "verify-ca-checks-chain",
                tr("verify-ca checks that the server's certificate was issued by a CA in %1, but not which "
                   "host it was issued for.")
                    .arg(trustSource()));
            break;
        case SslMode::VerifyFull:
            reason(
                "verify-full-checks-chain-and-host",
                tr("verify-full checks that the server's certificate was issued by a CA in %1 and names the "
                   "host you connect to.")
                    .arg(trustSource()));
            break;
        case SslMode::Disable:
            break;
        }
        if (mode <= SslMode::Prefer) {
            if (m_rootBroken)
                reason("root-file-unreadable-plaintext",
                       tr("The root certificate file %1 cannot be loaded (%2), so every TLS attempt fails "
                          "and %3 "
                          "connects without encryption.")
                           .arg(m_rootPath, m_in.rootFileError, modeName()));
            else if (e.verifiesChain)
                reason("root-file-checks-chain",
                       tr("A root certificate file exists (%1), so %2 also checks the server's certificate "
                          "chain "
                          "when it uses TLS; if that check fails, it silently retries without encryption.")
                           .arg(m_rootPath, modeName()));
        }
    }

    void judgeTls(const EffectiveMode& e)
    {
        const SslMode mode = e.sslmode;
        if (!e.tlsPossible) {
            threat(Threat::Eavesdropping, Protection::No, "plaintext",
                   tr("Every TLS attempt fails, so the connection is unencrypted."));
            threat(Threat::ManInTheMiddle, Protection::No, "no-server-check",
                   tr("The server is not checked at all: anyone who can intercept the connection can pose as "
                      "the server."));
            m_a.m_severity = Severity::Unsafe;
            return;
        }
        if (mode <= SslMode::Prefer) {
            threat(
                Threat::Eavesdropping, Protection::Maybe,
                mode == SslMode::Allow ? "allow-usually-plaintext" : "prefer-may-be-plaintext",
                mode == SslMode::Allow
                    ? tr("The connection is encrypted only if the server insists on TLS.")
                    : tr("The connection is encrypted only if TLS works; otherwise libpq silently continues "
                         "without encryption."));
            threat(
                Threat::ManInTheMiddle, Protection::No,
                e.verifiesChain ? "fallback-defeats-verification" : "no-server-check",
                e.verifiesChain
                    ? tr("The certificate is checked when TLS is used, but an attacker can simply refuse TLS "
                         "and libpq connects to them without encryption.")
                    : tr("No certificate is checked, and an attacker can also refuse TLS: anyone who can "
                         "intercept the connection can pose as the server."));
            threat(Threat::Downgrade, Protection::No, "fallback-to-plaintext",
                   tr("%1 accepts an unencrypted connection, so an attacker can switch encryption off.")
                       .arg(modeName()));
            m_a.m_severity = Severity::Unsafe;
            return;
        }

        threat(Threat::Eavesdropping, Protection::Yes, "tls-required",
               tr("libpq refuses to connect without TLS, so the traffic is always encrypted."));
        if (e.behavesAs == SslMode::Require) {
            threat(
                Threat::ManInTheMiddle, Protection::No, "any-certificate",
                tr("Any certificate is accepted: someone who can intercept the connection can present their "
                   "own and read everything."));
        } else if (e.behavesAs == SslMode::VerifyCa) {
            threat(Threat::ManInTheMiddle, Protection::Maybe, "depends-on-ca-policy",
                   tr("Depends on CA policy: the certificate must be issued by a CA in %1, but for any host. "
                      "Safe only if that CA issues certificates to nobody but your servers.")
                       .arg(trustSource()));
        } else {
            threat(Threat::ManInTheMiddle, Protection::Yes, "chain-and-host-checked",
                   tr("The certificate must be issued by a CA in %1 and name the host you connect to.")
                       .arg(trustSource()));
        }
        threat(Threat::Downgrade, Protection::Yes, "no-fallback",
               tr("%1 never falls back to an unencrypted connection.").arg(modeName()));
        if (e.behavesAs == SslMode::Require) {
            threat(Threat::OtherCertificateOfSameCa, Protection::No, "any-certificate",
                   tr("No certificate is checked at all."));
        } else if (e.behavesAs == SslMode::VerifyCa) {
            threat(Threat::OtherCertificateOfSameCa, Protection::No, "host-not-checked",
                   tr("The host name is not checked: a certificate your CA issued for another server is "
                      "accepted."));
        } else {
            threat(Threat::OtherCertificateOfSameCa, Protection::Yes, "host-checked",
                   tr("The certificate must name the host you connect to."));
        }
        if (!e.verifiesChain) {
            threat(Threat::RevokedCertificate, Protection::No, "any-certificate",
                   tr("No certificate is checked at all."));
        } else if (m_system) {
            threat(Threat::RevokedCertificate, Protection::No, "no-crl-with-system",
                   tr("libpq loads no CRL with sslrootcert=system, so revocation is not checked."));
        } else if (e.checksRevocation) {
            threat(Threat::RevokedCertificate, Protection::Yes, "crl-checked",
                   tr("The certificates are checked against the loaded CRL."));
        } else {
            threat(Threat::RevokedCertificate, Protection::No, "no-crl",
                   tr("No CRL is loaded, so a revoked certificate is accepted."));
        }
        m_a.m_severity = e.behavesAs == SslMode::VerifyFull ? Severity::Safe : Severity::Weak;
    }

    void notesForTls(const EffectiveMode& e)
    {
        if (m_direct)
            note("direct-negotiation",
                 tr("sslnegotiation=direct starts the TLS handshake at once, without asking "
                    "the server first; the server must be PostgreSQL 17 or later."));
        if (m_system && (!m_in.sslcrl.isEmpty() || !m_in.sslcrldir.isEmpty()))
            note("crl-ignored-with-system",
                 tr("libpq does not load CRLs with sslrootcert=system: sslcrl and sslcrldir are ignored."));
        if (e.verifiesChain && !m_system) {
            const QString crl = !m_in.sslcrl.isEmpty() && !m_in.sslcrldir.isEmpty()
                                    ? m_in.sslcrl + u", " + m_in.sslcrldir
                                : !m_in.sslcrl.isEmpty()    ? m_in.sslcrl
                                : !m_in.sslcrldir.isEmpty() ? m_in.sslcrldir
                                                            : u"~/.postgresql/root.crl"_s;
            if (m_in.crlLoads) {
                note("crl-checked",
                     tr("Revocation is checked with %1. libpq then needs a CRL for every CA in the chain; a "
                        "missing one fails verification (\"unable to get certificate CRL\").")
                         .arg(crl));
            } else if (!m_in.sslcrl.isEmpty() && !m_in.sslcrldir.isEmpty()) {
                note("crl-not-loaded", tr("The CRL file %1 could not be loaded: libpq then silently skips "
                                          "revocation checks, and "
                                          "ignores sslcrldir too.")
                                           .arg(m_in.sslcrl));
            } else if (!m_in.sslcrl.isEmpty() || !m_in.sslcrldir.isEmpty()) {
                note("crl-not-loaded",
                     tr("The CRL %1 could not be loaded: libpq then silently skips revocation checks.")
                         .arg(crl));
            }
        }
        gssNote();
    }

    void gssNote()
    {
        if (m_gss == u"prefer")
            note("gss-may-be-used", tr("gssencmode=prefer: if you have a Kerberos ticket and the server "
                                       "accepts GSSAPI encryption, "
                                       "libpq uses that instead of TLS, and these TLS settings are not used. "
                                       "Set gssencmode=disable "
                                       "to make sure TLS is used."));
    }

    // --- next steps ----------------------------------------------------------------------------
    void stepsTowardVerifyFull()
    {
        if (m_mode != SslMode::VerifyFull) {
            step("sslmode-verify-full", tr("Set %1.").arg(assignment(u"sslmode"_s, u"verify-full"_s)),
                 u"sslmode"_s, u"verify-full"_s, m_rootUsable && !m_in.hostIsIpOnly);
        }
        if (!m_rootUsable) {
            step("sslrootcert",
                 m_rootBroken
                     ? tr("Replace %1 with a PEM file holding your CA's root certificate, or use "
                          "sslrootcert=system for a public CA.")
                           .arg(m_rootPath)
                     : tr("Point sslrootcert at your CA's root certificate, or use sslrootcert=system for "
                          "a public CA."),
                 u"sslrootcert"_s, {}, false);
        }
        if (m_in.hostIsIpOnly) {
            step(
                "set-host",
                tr("Set host to the server's name as written in its certificate (hostaddr can stay, it saves "
                   "the DNS lookup)."),
                u"host"_s, {}, false);
        }
    }

    SslModeAssessment finish() { return std::move(m_a); }

    const AssessmentInput& m_in;
    const bool m_system;
    QString m_rootPath;
    bool m_haveRootFile = false;
    bool m_rootBroken = false;
    bool m_rootUsable = false;
    bool m_direct = false;
    QString m_gss;
    std::optional<SslMode> m_mode;
    SslModeAssessment m_a;
};

SslModeAssessment SslModeAssessment::assess(const AssessmentInput& input)
{
    return Builder(input).build();
}

std::optional<ThreatVerdict> SslModeAssessment::verdict(Threat threat) const
{
    for (const ThreatVerdict& v : m_threats) {
        if (v.threat == threat)
            return v;
    }
    return std::nullopt;
}

QList<ThreatVerdict> SslModeAssessment::protectedAgainst() const
{
    QList<ThreatVerdict> out;
    for (const ThreatVerdict& v : m_threats) {
        if (v.protection == Protection::Yes)
            out.append(v);
    }
    return out;
}

QList<ThreatVerdict> SslModeAssessment::notProtectedAgainst() const
{
    QList<ThreatVerdict> out;
    for (const ThreatVerdict& v : m_threats) {
        if (v.protection != Protection::Yes)
            out.append(v);
    }
    return out;
}

QString SslModeAssessment::summary() const
{
    if (!m_effective)
        return tr("invalid sslmode: %1").arg(severityLabel(m_severity));
    const EffectiveMode& e = *m_effective;
    QString mode = sslModeKeyword(e.sslmode);
    if (e.usesGssapi)
        mode = tr("%1 (GSSAPI encryption instead of TLS)").arg(mode);
    else if (e.behavesAs != e.sslmode)
        mode = tr("%1 behaves as %2").arg(mode, sslModeKeyword(e.behavesAs));
    return tr("%1: %2").arg(mode, severityLabel(m_severity));
}

QString SslModeAssessment::toText() const
{
    QString out = summary() + u'\n';
    for (const Reason& r : m_reasons)
        out += u"  - " + r.text + u'\n';
    if (m_failure)
        out += tr("Fails: %1").arg(m_failure->message) + u'\n' + u"  " + m_failure->explanation + u'\n';
    for (const ThreatVerdict& v : m_threats) {
        out += tr("%1: %2 (%3)").arg(threatLabel(v.threat), protectionLabel(v.protection), v.reason.text) +
               u'\n';
    }
    for (const NextStep& s : m_nextSteps) {
        out += u"  > " + s.text;
        if (s.oneClick)
            out += u' ' + tr("[can be applied now: %1=%2]").arg(s.keyword, s.value);
        out += u'\n';
    }
    for (const Reason& n : m_notes)
        out += u"  * " + n.text + u'\n';
    return out;
}

} // namespace vf::security
