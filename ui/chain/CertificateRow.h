#pragma once

#include "CertificateAssessment.h"
#include "pki/Certificate.h"
#include "pki/ChainVerifier.h"

#include <QList>
#include <QString>

namespace vf::ui {

// One certificate as the chain browser lists it: the certificate, what its card says, and the text
// the search field matches. Built off the GUI thread for big bundles.
struct CertificateRow
{
    pki::Certificate certificate;
    QString title;      // the CN, else the subject
    QString issuerName; // the issuer's CN, else its DN
    QString roleText;   // "Leaf", "Intermediate", "Root", "Root CA", "Not in chain"…
    CertificateAssessment assessment;
    QList<pki::VerifyProblem> problems; // OpenSSL's errors for it, when it was verified
    bool inVerifiedChain = false;       // comes from a chain verification
    bool fromTrustStore = false;        // not presented: a trust anchor from the root file / system
    bool linksToNext = false;           // the next row is its issuer (drawn as a connector)
    QString searchText;                 // lower-case: names, DNs, serial, SANs, fingerprint

    // The search text of a certificate (also used by the tests).
    static QString searchTextFor(const pki::Certificate& certificate, const QString& extra = {});
};

} // namespace vf::ui
