#include "CertificateRowBuilder.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

struct Text
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::CertificateRowBuilder)
};

QString nameOfDn(const QString& dn)
{
    // The first CN= part when it is unescaped and simple; else the DN (enough for a card's subtitle).
    for (const QString& part : dn.split(u',')) {
        if (part.startsWith(u"CN="_s) && part.size() > 3)
            return part.mid(3);
    }
    return dn;
}

QString chainRoleText(const pki::ChainEntry& e)
{
    switch (e.role) {
    case pki::ChainRole::Leaf:
        return Text::tr("Leaf");
    case pki::ChainRole::Intermediate:
        return e.presented ? Text::tr("Intermediate") : Text::tr("Intermediate (trust store)");
    case pki::ChainRole::Root:
        return e.presented ? Text::tr("Root") : Text::tr("Root (trust store)");
    case pki::ChainRole::NotInChain:
        return Text::tr("Not in chain");
    }
    return {};
}

QString kindText(const pki::Certificate& c)
{
    if (c.isCa())
        return c.isSelfIssued() ? Text::tr("Root CA") : Text::tr("CA");
    return Text::tr("End entity");
}

} // namespace

QList<CertificateRow> CertificateRowBuilder::fromVerification(const pki::ChainVerification& verification,
                                                              const pki::HostNameMatch* hostName,
                                                              bool anchorsFromFile)
{
    QList<CertificateRow> rows;
    rows.reserve(verification.chain.size());
    for (const pki::ChainEntry& e : verification.chain) {
        CertificateRow r;
        r.certificate = e.certificate;
        r.title = e.certificate.displayName();
        r.issuerName = nameOfDn(e.certificate.issuerDn());
        r.roleText = chainRoleText(e);
        r.assessment = CertificateAssessment::forChainEntry(e, verification, hostName, anchorsFromFile);
        r.problems = e.problems;
        r.inVerifiedChain = true;
        r.fromTrustStore = !e.presented;
        r.searchText = CertificateRow::searchTextFor(e.certificate, r.assessment.label);
        rows << r;
    }
    for (qsizetype i = 0; i + 1 < rows.size(); ++i) {
        const pki::ChainEntry& e = verification.chain.at(i);
        const pki::ChainEntry& next = verification.chain.at(i + 1);
        rows[i].linksToNext = e.role != pki::ChainRole::NotInChain &&
                              next.role != pki::ChainRole::NotInChain && next.depth == e.depth + 1;
    }
    return rows;
}

QSet<QString> CertificateRowBuilder::subjectsOf(const QList<pki::Certificate>& certificates)
{
    QSet<QString> subjects;
    subjects.reserve(certificates.size());
    for (const pki::Certificate& c : certificates)
        subjects.insert(c.subjectDn());
    return subjects;
}

QList<CertificateRow> CertificateRowBuilder::fromCertificates(const QList<pki::Certificate>& certificates,
                                                              const QDateTime& now)
{
    return fromCertificates(certificates, 0, certificates.size(), subjectsOf(certificates), now);
}

QList<CertificateRow> CertificateRowBuilder::fromCertificates(const QList<pki::Certificate>& certificates,
                                                              qsizetype first, qsizetype count,
                                                              const QSet<QString>& subjects,
                                                              const QDateTime& now)
{
    QList<CertificateRow> rows;
    const qsizetype end = std::min(certificates.size(), first + count);
    rows.reserve(std::max<qsizetype>(0, end - first));
    for (qsizetype i = first; i < end; ++i) {
        const pki::Certificate& c = certificates.at(i);
        CertificateRow r;
        r.certificate = c;
        r.title = c.displayName();
        r.issuerName = nameOfDn(c.issuerDn());
        r.roleText = kindText(c);
        r.assessment = CertificateAssessment::forCertificate(c, subjects.contains(c.issuerDn()), now);
        r.searchText = CertificateRow::searchTextFor(c, r.assessment.label);
        r.linksToNext = i + 1 < certificates.size() && !c.isSelfIssued() &&
                        c.issuerDn() == certificates.at(i + 1).subjectDn();
        rows << r;
    }
    return rows;
}

bool CertificateRowBuilder::looksLikeChain(const QList<pki::Certificate>& certificates)
{
    if (certificates.isEmpty() || certificates.size() > kMaxChainLength)
        return false;
    const pki::Certificate& first = certificates.first();
    if (first.isSelfIssued())
        return certificates.size() == 1 && !first.isCa(); // a self-signed server certificate
    if (!first.isCa())
        return true;
    return certificates.size() >= 2 && first.issuerDn() == certificates.at(1).subjectDn();
}

std::optional<pki::ChainVerification>
CertificateRowBuilder::verifyAsFileChain(const QList<pki::Certificate>& certificates)
{
    if (certificates.isEmpty())
        return std::nullopt;
    pki::ChainVerifier verifier;
    for (const pki::Certificate& c : certificates) {
        if (c.isSelfSigned())
            verifier.addTrustedCertificate(c);
    }
    // A client certificate (clientAuth only) is checked for that purpose, everything else as a server.
    const QStringList eku = certificates.first().extendedKeyUsage();
    const bool clientOnly = !eku.isEmpty() && eku.contains(u"TLS Web Client Authentication"_s) &&
                            !eku.contains(u"TLS Web Server Authentication"_s);
    verifier.setPurpose(clientOnly ? pki::ChainVerifier::Purpose::SslClient
                                   : pki::ChainVerifier::Purpose::SslServer);
    verifier.setExpiryWarningDays(CertificateAssessment::kExpiryWarningDays);
    auto result = verifier.verify(certificates);
    if (!result)
        return std::nullopt;
    return *result;
}

QList<CertificateRow> CertificateRowBuilder::forFile(const QList<pki::Certificate>& certificates,
                                                     const QDateTime& now)
{
    if (looksLikeChain(certificates)) {
        if (const auto verification = verifyAsFileChain(certificates))
            return fromVerification(*verification, nullptr, true);
    }
    return fromCertificates(certificates, now);
}

} // namespace vf::ui
