#pragma once

#include "pki/Certificate.h"
#include "pki/ChainVerifier.h"
#include "security/SslModeAssessment.h"
#include "session/ConnectionReport.h"
#include "settings/EffectiveSettings.h"
#include "settings/ValidatedOptions.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vf::report {

// One thing the diagnosis has to say: a failure (why the check failed), a warning about a success
// (plaintext fallback, an unchecked server identity), or a notable fact.
struct Finding
{
    enum class Severity
    {
        Error,   // the check failed because of this
        Warning, // it worked, but something is weaker or worse than it looks
        Info,    // worth knowing
    };

    QString code; // stable identifier, e.g. "hostname-mismatch", "chain-missing-intermediate"
    Severity severity = Severity::Error;
    // libpq's own words for this failure (people search for them), untranslated and without the
    // "connection to server at …" prefix; empty when libpq says nothing (warnings, notes).
    QString libpqMessage;
    QString summary;           // one sentence in plain language: what happened (translated)
    QString explanation;       // what it means (translated)
    QStringList fixes;         // concrete changes, the most direct first (translated)
    QStringList evidence;      // the facts this is based on: names, files and where settings came from
    int attempt = -1;          // index into ConnectionReport::attempts, -1: not tied to one attempt
    int certificateDepth = -1; // the certificate concerned (0 = the server's own), -1: none

    static QString severityName(Severity severity); // "error", "warning", "info" (stable)
};

// Where the trust anchors of a chain verification came from, for the messages.
struct TrustSource
{
    enum class Kind
    {
        None,   // no root certificates: the chain is not verified
        File,   // sslrootcert=<file> (or the ~/.postgresql/root.crt default)
        System, // sslrootcert=system
    };
    Kind kind = Kind::None;
    QString path;        // Kind::File: the file
    QString displayPath; // the path with the home directory as "~"
    QString origin;      // where the setting came from: "default file ~/.postgresql/root.crt (exists)"
    QString crlFile;     // the CRL file handed to the verifier, if any
    QString crlDirectory;

    QString describe() const; // "your root file ~/.postgresql/root.crt", "the system's trusted roots"
};

// The re-verification of the chain one attempt's server presented.
struct AttemptChain
{
    int attempt = -1;
    TrustSource trust;
    // libpq verified the chain during the handshake (a root file or the system store was loaded).
    bool verifiedByLibpq = false;
    pki::ChainVerification verification;
};

struct DiagnosisContext
{
    // The settings the check ran with: they give the provenance (which file, which variable) the
    // findings quote, and the CRL locations for the re-verification. Optional.
    const settings::EffectiveSettings* settings = nullptr;
    const settings::ValidatedOptions* options = nullptr;
    // The check only negotiated TLS (verifyfull-cli inspect): no authentication happened.
    bool inspectOnly = false;
    // The time certificates are checked against; invalid: now.
    QDateTime verificationTime;
};

// The verdict of a connection check in plain language: for every failure libpq's wording first,
// then what it means and the concrete fix, with the evidence; for a success what is weaker than it
// looks (plaintext fallback, a server identity that was not checked, certificates about to expire).
// The chain the server presented is verified again with pki::ChainVerifier against the same root
// file, system store and CRLs, to say which certificate failed and why.
struct Diagnosis
{
    Q_DECLARE_TR_FUNCTIONS(vf::report::Diagnosis)

public:
    enum class Verdict
    {
        Connected,             // connected (and authenticated, unless inspect) with nothing to warn about
        ConnectedWithWarnings, // connected, with at least one warning
        Failed,
        Canceled,
    };

    Verdict verdict = Verdict::Failed;
    QString headline;        // one line: "Connected to db.example.com:5432 with TLSv1.3 (verify-full)."
    QList<Finding> findings; // errors first, then warnings, then notes
    QList<AttemptChain> chains;
    std::optional<security::SslModeAssessment> assessment; // when the settings are known

    static QString verdictName(Verdict verdict); // "connected", "connected-with-warnings", … (stable)

    bool hasErrors() const;
    const AttemptChain* chainFor(int attempt) const;

    // Diagnoses a finished check.
    static Diagnosis diagnose(const session::ConnectionReport& report, const DiagnosisContext& context = {});

    // What a chain verification says, for the chain command and the check's verify failures.
    // `libpqVerified`: libpq itself ran this verification (its failure is the check's failure).
    static QList<Finding> chainFindings(const pki::ChainVerification& verification,
                                        const QList<pki::Certificate>& presented, const TrustSource& trust,
                                        const QString& libpqMessage, Finding::Severity severity);
    // What the host-name check says (verify-full), for the chain command and the check.
    static Finding hostNameFinding(const pki::HostNameMatch& match, const QString& libpqMessage,
                                   Finding::Severity severity);

    // The security assessment input libpq's effective settings give (files looked at on disk).
    static security::AssessmentInput assessmentInput(const settings::EffectiveSettings& settings,
                                                     const settings::ValidatedOptions* options);
};

} // namespace vf::report
