#include "ChainCheck.h"

#include "pki/PkiLoader.h"
#include "settings/ValueOrigin.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace vf::report {

QList<pki::Certificate> ChainCheckResult::presented() const
{
    QList<pki::Certificate> out;
    for (const LoadedCertificate& c : certificates)
        out << c.certificate;
    return out;
}

bool ChainCheckResult::failed() const
{
    return (verification && !verification->ok) || (hostName && !hostName->isMatched());
}

Result<ChainCheckResult> ChainCheck::run(const ChainCheckRequest& request)
{
    ChainCheckResult result;
    if (request.files.isEmpty())
        return makeError(u"report.no-files"_s, tr("no certificate file given"));
    QList<LoadedCertificate> loaded;
    for (const QString& file : request.files) {
        auto certs = pki::PkiLoader::loadCertificates(file);
        if (!certs)
            return std::unexpected(certs.error());
        if (certs->isEmpty())
            return makeError(u"pki.no-certificate"_s, tr("no certificate found in \"%1\"").arg(file));
        for (int i = 0; i < certs->size(); ++i)
            loaded << LoadedCertificate{certs->at(i), file, i};
    }

    // The leaf: the first certificate that issued none of the others.
    qsizetype leaf = 0;
    for (qsizetype i = 0; i < loaded.size(); ++i) {
        const pki::Certificate& c = loaded.at(i).certificate;
        bool issuedOther = false;
        for (qsizetype j = 0; j < loaded.size() && !issuedOther; ++j)
            issuedOther = j != i && loaded.at(j).certificate.issuerDn() == c.subjectDn() &&
                          !loaded.at(j).certificate.isSelfIssued();
        if (!issuedOther) {
            leaf = i;
            break;
        }
    }
    result.certificates << loaded.at(leaf);
    for (qsizetype i = 0; i < loaded.size(); ++i) {
        if (i != leaf)
            result.certificates << loaded.at(i);
    }

    pki::ChainVerifier verifier;
    if (request.verificationTime.isValid())
        verifier.setVerificationTime(request.verificationTime);
    if (request.systemRoots) {
        result.trust.kind = TrustSource::Kind::System;
        result.trust.path = u"system"_s;
        verifier.setSystemRoots(true);
    } else if (!request.rootFile.isEmpty()) {
        result.trust.kind = TrustSource::Kind::File;
        result.trust.path = request.rootFile;
        result.trust.displayPath = settings::displayPath(request.rootFile, request.homeDirectory);
        verifier.setRootFile(request.rootFile);
    } else if (!request.homeDirectory.isEmpty()) {
        const QString def = request.homeDirectory + u"/.postgresql/root.crt"_s;
        if (QFileInfo::exists(def)) {
            result.trust.kind = TrustSource::Kind::File;
            result.trust.path = def;
            result.trust.displayPath = settings::displayPath(def, request.homeDirectory);
            result.trust.origin =
                tr("no --root given: libpq's default root file %1").arg(result.trust.displayPath);
            verifier.setRootFile(def);
        }
    }
    if (result.trust.kind != TrustSource::Kind::System) {
        result.trust.crlFile = request.crlFile;
        result.trust.crlDirectory = request.crlDirectory;
        verifier.setCrlFile(request.crlFile);
        verifier.setCrlDirectory(request.crlDirectory);
    }

    const QList<pki::Certificate> presented = result.presented();
    if (result.trust.kind != TrustSource::Kind::None) {
        auto verification = verifier.verify(presented);
        if (!verification)
            return std::unexpected(verification.error());
        result.verification = std::move(*verification);
        result.findings << Diagnosis::chainFindings(*result.verification, presented, result.trust, {},
                                                    Finding::Severity::Error);
    }
    if (!request.host.isEmpty()) {
        result.hostName = pki::HostNameMatcher::match(presented.first(), request.host);
        if (!result.hostName->isMatched())
            result.findings << Diagnosis::hostNameFinding(*result.hostName, {}, Finding::Severity::Error);
    }

    const bool chainOk = result.verification && result.verification->ok;
    const bool hostOk = !result.hostName || result.hostName->isMatched();
    result.ok = chainOk && hostOk;
    if (!result.verification) {
        Finding f;
        f.code = u"chain-not-verified"_s;
        f.severity = Finding::Severity::Info;
        f.summary = tr("Not verified: no root certificates were given.");
        f.fixes << tr("Give the root certificate file with --root FILE, or --system for the system's trusted "
                      "roots.");
        result.findings.prepend(f);
        result.headline = hostOk
                              ? tr("Shown, not verified (no root certificates).")
                              : tr("Not verified, and the certificate does not name %1.").arg(request.host);
    } else if (result.ok) {
        result.headline =
            request.host.isEmpty()
                ? tr("Valid: the chain leads to a root in %1.").arg(result.trust.describe())
                : tr("Valid for %1: the chain leads to a root in %2 and the certificate names the "
                     "host.")
                      .arg(request.host, result.trust.describe());
    } else {
        const Finding* first = nullptr;
        for (const Finding& f : std::as_const(result.findings)) {
            if (f.severity == Finding::Severity::Error) {
                first = &f;
                break;
            }
        }
        result.headline = first ? tr("Invalid: %1").arg(first->summary) : tr("Invalid.");
    }
    std::stable_sort(result.findings.begin(), result.findings.end(),
                     [](const Finding& x, const Finding& y) { return int(x.severity) < int(y.severity); });
    return result;
}

} // namespace vf::report
