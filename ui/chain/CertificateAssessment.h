#pragma once

#include "pki/Certificate.h"
#include "pki/ChainVerifier.h"
#include "pki/HostNameMatcher.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <QStringList>

class QColor;
class QPalette;

namespace vf::ui {

// What the chain browser says about one certificate: the one status its card is coloured by (the
// worst thing that is true of it) and every reason in words, most serious first.
struct CertificateAssessment
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::CertificateAssessment)

public:
    // Ordered from good to bad: the card shows the worst.
    enum class Status
    {
        Trusted,       // a trust anchor, or a certificate that chains to one
        Valid,         // in its validity period; not checked against trusted roots
        SelfSigned,    // a self-signed certificate, not checked against trusted roots
        Expiring,      // expires within 30 days
        IssuerUnknown, // its issuer is neither presented nor trusted (or: not among the certificates)
        NameMismatch,  // the server certificate does not name the host connected to
        NotYetValid,
        Expired,
        Revoked,
        Problem, // bad signature, not a CA, wrong purpose, weak key, CRL problem…
    };

    Status status = Status::Valid;
    QString label;       // short words for the card: "Expired 12 days ago", "Trusted root"
    QStringList reasons; // every reason in full sentences, most serious first

    // How far a certificate's expiry is from now counts as "expiring".
    static constexpr int kExpiryWarningDays = 30;

    // A certificate of a verified chain (server chain, or a file checked as a chain). `anchorsFromFile`:
    // the trust anchors were the self-signed certificates included with the chain, not the person's
    // trust store, so "trusted" is not said. `hostName`: the verify-full check of the leaf.
    static CertificateAssessment forChainEntry(const pki::ChainEntry& entry,
                                               const pki::ChainVerification& verification,
                                               const pki::HostNameMatch* hostName, bool anchorsFromFile);
    // A certificate seen on its own (a bundle of roots, a file that is not a chain): dates and
    // self-signature only. `issuerKnown`: its issuer is another certificate of the same set.
    static CertificateAssessment forCertificate(const pki::Certificate& certificate, bool issuerKnown,
                                                const QDateTime& now);

    static QString statusName(Status status);  // "trusted", "expired"… (stable, for tests and a11y)
    static QString statusTitle(Status status); // "Trusted", "Expired"… (translated)
    // The accent colour of a status, readable on the palette's base colour (light or dark).
    static QColor accentColor(Status status, const QPalette& palette);
    // "in 12 days", "3 days ago", "today"
    static QString relativeDays(qint64 seconds);
};

} // namespace vf::ui
