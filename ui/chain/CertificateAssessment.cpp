#include "CertificateAssessment.h"

#include <QColor>
#include <QLocale>
#include <QPalette>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

using Status = CertificateAssessment::Status;
using pki::ChainStatus;

QString dateText(const QDateTime& utc)
{
    return QLocale().toString(utc.toLocalTime().date(), QLocale::ShortFormat);
}

QString quotedName(const QString& dn)
{
    // The CN of an RFC 2253 name when there is one (what people call it), else the whole name.
    QStringList parts;
    QString part;
    for (qsizetype i = 0; i < dn.size(); ++i) {
        const QChar ch = dn.at(i);
        if (ch == u'\\' && i + 1 < dn.size()) {
            part += dn.at(++i);
        } else if (ch == u',') {
            parts << part;
            part.clear();
        } else {
            part += ch;
        }
    }
    parts << part;
    for (const QString& p : std::as_const(parts)) {
        if (p.startsWith(u"CN="_s) && p.size() > 3)
            return u"\u201C"_s + p.mid(3) + u"\u201D"_s;
    }
    return u"\u201C"_s + dn + u"\u201D"_s;
}

// Collects reasons with their status; the worst status wins, reasons are sorted worst first.
class Collector final
{
public:
    void add(Status status, const QString& label, const QString& reason)
    {
        m_items.push_back({status, label, reason});
    }
    bool isEmpty() const { return m_items.empty(); }
    CertificateAssessment result() const
    {
        CertificateAssessment out;
        std::vector<Item> items = m_items;
        std::stable_sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
            return static_cast<int>(a.status) > static_cast<int>(b.status);
        });
        if (!items.empty()) {
            out.status = items.front().status;
            out.label = items.front().label;
        }
        for (const Item& item : items) {
            if (!out.reasons.contains(item.reason))
                out.reasons << item.reason;
        }
        return out;
    }

private:
    struct Item
    {
        Status status;
        QString label;
        QString reason;
    };
    std::vector<Item> m_items;
};

void addTimeReasons(Collector& c, const pki::Certificate& cert, pki::ChainStatuses statuses,
                    qint64 untilExpiry, qint64 untilValid)
{
    if (statuses.testFlag(ChainStatus::Expired)) {
        c.add(
            Status::Expired,
            CertificateAssessment::tr("Expired %1").arg(CertificateAssessment::relativeDays(untilExpiry)),
            CertificateAssessment::tr("Expired on %1 (%2): renew it, or replace it with the new certificate "
                                      "of its issuer.")
                .arg(dateText(cert.notAfter()), CertificateAssessment::relativeDays(untilExpiry)));
    }
    if (statuses.testFlag(ChainStatus::NotYetValid)) {
        c.add(
            Status::NotYetValid, CertificateAssessment::tr("Not valid yet"),
            CertificateAssessment::tr("Not valid before %1 (%2): check the clock of this computer, or wait.")
                .arg(dateText(cert.notBefore()), CertificateAssessment::relativeDays(untilValid)));
    }
    if (statuses.testFlag(ChainStatus::ExpiringSoon) && !statuses.testFlag(ChainStatus::Expired)) {
        c.add(Status::Expiring,
              CertificateAssessment::tr("Expires %1").arg(CertificateAssessment::relativeDays(untilExpiry)),
              CertificateAssessment::tr("Expires on %1 (%2): plan its renewal now.")
                  .arg(dateText(cert.notAfter()), CertificateAssessment::relativeDays(untilExpiry)));
    }
}

QString problemReasons(const pki::ChainEntry& entry)
{
    QStringList out;
    for (const pki::VerifyProblem& p : entry.problems)
        out << p.reason;
    out.removeDuplicates();
    return out.join(u"; "_s);
}

} // namespace

CertificateAssessment CertificateAssessment::forChainEntry(const pki::ChainEntry& entry,
                                                           const pki::ChainVerification& verification,
                                                           const pki::HostNameMatch* hostName,
                                                           bool anchorsFromFile)
{
    Collector c;
    const pki::Certificate& cert = entry.certificate;
    const pki::ChainStatuses s = entry.statuses;
    const QDateTime at = verification.verificationTime.isValid() ? verification.verificationTime
                                                                 : QDateTime::currentDateTimeUtc();

    if (s.testFlag(ChainStatus::Revoked)) {
        c.add(Status::Revoked, tr("Revoked"),
              tr("Revoked: the CRL of its issuer lists serial %1. Its owner must get a new certificate.")
                  .arg(cert.serialNumberHex()));
    }
    addTimeReasons(c, cert, s, entry.secondsUntilExpiry, at.secsTo(cert.notBefore()));

    if (entry.role == pki::ChainRole::Leaf && hostName && !hostName->isMatched()) {
        QStringList names;
        for (const pki::CertificateName& n : hostName->names) {
            if (n.source != pki::CertificateName::Source::CommonName || !hostName->commonNameIgnored)
                names << n.value;
        }
        names.removeDuplicates();
        c.add(Status::NameMismatch, tr("Name mismatch: %1").arg(hostName->host),
              names.isEmpty()
                  ? tr("Does not name the host %1: it holds no host name at all.").arg(hostName->host)
                  : tr("Does not name the host %1 (it names %2): connect with one of its names, or have "
                       "the server's certificate reissued with this one.")
                        .arg(hostName->host, names.join(u", "_s)));
    }
    if (s.testFlag(ChainStatus::IssuerNotFound)) {
        c.add(Status::IssuerUnknown, tr("Issuer unknown"),
              anchorsFromFile
                  ? tr("Issuer unknown: %1 is not included here.").arg(quotedName(cert.issuerDn()))
                  : tr("Issuer unknown: %1 is neither sent by the server nor among your trusted "
                       "roots. Add it (or its root) to the root certificate file.")
                        .arg(quotedName(cert.issuerDn())));
    }
    if (s.testFlag(ChainStatus::UntrustedRoot)) {
        c.add(Status::IssuerUnknown, tr("Self-signed, not trusted"),
              tr("Self-signed and not among your trusted roots: if you trust it, add it to the root "
                 "certificate file after comparing its SHA-256 fingerprint."));
    }
    constexpr pki::ChainStatuses problems = pki::ChainStatuses(ChainStatus::CrlProblem) |
                                            ChainStatus::UnsuitablePurpose | ChainStatus::UnsuitableKeyUsage |
                                            ChainStatus::BadSignature | ChainStatus::WeakKey |
                                            ChainStatus::OtherProblem;
    if (s & problems) {
        QString label = tr("Problem");
        QString what;
        if (s.testFlag(ChainStatus::BadSignature)) {
            label = tr("Bad signature");
            what = tr("Its signature does not verify with its issuer's key.");
        } else if (s.testFlag(ChainStatus::CrlProblem)) {
            label = tr("CRL problem");
            what = tr("Revocation could not be checked: the CRL of its issuer is missing, expired or badly "
                      "signed.");
        } else if (s.testFlag(ChainStatus::UnsuitableKeyUsage)) {
            label = tr("Not allowed to sign");
            what = tr("It may not be used in this position (not a CA, key usage, or path length).");
        } else if (s.testFlag(ChainStatus::UnsuitablePurpose)) {
            label = tr("Wrong purpose");
            what = tr("Its extended key usage does not allow this use.");
        } else if (s.testFlag(ChainStatus::WeakKey)) {
            label = tr("Too weak");
            what = tr("Its key or signature digest is too weak for OpenSSL's security level.");
        }
        const QString openssl = problemReasons(entry);
        c.add(Status::Problem, label, openssl.isEmpty() ? what : tr("%1 (OpenSSL: %2)").arg(what, openssl));
    }

    if (s.testFlag(ChainStatus::Trusted)) {
        if (anchorsFromFile) {
            c.add(Status::SelfSigned, tr("Included root"),
                  tr("The self-signed root included here; it was not checked against your trusted roots."));
        } else {
            c.add(Status::Trusted, entry.role == pki::ChainRole::Root ? tr("Trusted root") : tr("Trusted"),
                  verification.trustAnchors.isEmpty() ? tr("Trusted: one of the trust anchors.")
                                                      : tr("Trusted: found among your trusted roots."));
        }
    } else if (entry.role == pki::ChainRole::NotInChain) {
        c.add(Status::Valid, tr("Not in the chain"),
              tr("Sent along, but not part of the chain that was built: it is not needed."));
    } else if (verification.ok) {
        c.add(anchorsFromFile ? Status::Valid : Status::Trusted,
              anchorsFromFile ? tr("Chains to the included root") : tr("Chains to a trusted root"),
              anchorsFromFile ? tr("Its chain verifies up to the root included here.")
                              : tr("Its chain verifies up to one of your trusted roots."));
    } else if (c.isEmpty()) {
        QString where;
        for (const pki::ChainEntry& other : verification.chain) {
            if (other.depth == verification.errorDepth && other.depth >= 0)
                where = quotedName(other.certificate.subjectDn());
        }
        if (where.isEmpty()) {
            c.add(Status::Valid, tr("Chain does not verify"),
                  tr("Valid itself, but its chain does not verify: %1.").arg(verification.errorString));
        } else {
            c.add(Status::Valid, tr("Chain fails at %1").arg(where),
                  tr("Valid itself, but its chain does not verify: %1 at %2 (depth %3).")
                      .arg(verification.errorString, where)
                      .arg(verification.errorDepth));
        }
    }
    if (s.testFlag(ChainStatus::SelfSigned) && !s.testFlag(ChainStatus::Trusted) &&
        !s.testFlag(ChainStatus::UntrustedRoot))
        c.add(Status::SelfSigned, tr("Self-signed"), tr("Self-signed: it is its own issuer."));
    return c.result();
}

CertificateAssessment CertificateAssessment::forCertificate(const pki::Certificate& cert, bool issuerKnown,
                                                            const QDateTime& now)
{
    Collector c;
    pki::ChainStatuses s;
    const qint64 untilExpiry = now.secsTo(cert.notAfter());
    if (cert.notAfter() < now)
        s |= ChainStatus::Expired;
    else if (untilExpiry < qint64(kExpiryWarningDays) * 86400)
        s |= ChainStatus::ExpiringSoon;
    if (cert.notBefore() > now)
        s |= ChainStatus::NotYetValid;
    addTimeReasons(c, cert, s, untilExpiry, now.secsTo(cert.notBefore()));
    if (cert.isSelfSigned()) {
        c.add(Status::SelfSigned, cert.isCa() ? tr("Self-signed root") : tr("Self-signed"),
              cert.isCa() ? tr("A self-signed root certificate: trusted only where a trust store holds it.")
                          : tr("Self-signed and not a CA: it can be trusted only as itself."));
    } else if (!issuerKnown) {
        c.add(Status::IssuerUnknown, tr("Issuer not included"),
              tr("Its issuer %1 is not among these certificates.").arg(quotedName(cert.issuerDn())));
    }
    if (c.isEmpty()) {
        c.add(Status::Valid, tr("Valid until %1").arg(dateText(cert.notAfter())),
              tr("Valid until %1; not checked against trusted roots.").arg(dateText(cert.notAfter())));
    }
    return c.result();
}

QString CertificateAssessment::statusName(Status status)
{
    switch (status) {
    case Status::Trusted:
        return u"trusted"_s;
    case Status::Valid:
        return u"valid"_s;
    case Status::SelfSigned:
        return u"self-signed"_s;
    case Status::Expiring:
        return u"expiring"_s;
    case Status::IssuerUnknown:
        return u"issuer-unknown"_s;
    case Status::NameMismatch:
        return u"name-mismatch"_s;
    case Status::NotYetValid:
        return u"not-yet-valid"_s;
    case Status::Expired:
        return u"expired"_s;
    case Status::Revoked:
        return u"revoked"_s;
    case Status::Problem:
        return u"problem"_s;
    }
    return {};
}

QString CertificateAssessment::statusTitle(Status status)
{
    switch (status) {
    case Status::Trusted:
        return tr("Trusted");
    case Status::Valid:
        return tr("Valid");
    case Status::SelfSigned:
        return tr("Self-signed");
    case Status::Expiring:
        return tr("Expiring");
    case Status::IssuerUnknown:
        return tr("Issuer unknown");
    case Status::NameMismatch:
        return tr("Name mismatch");
    case Status::NotYetValid:
        return tr("Not yet valid");
    case Status::Expired:
        return tr("Expired");
    case Status::Revoked:
        return tr("Revoked");
    case Status::Problem:
        return tr("Problem");
    }
    return {};
}

QColor CertificateAssessment::accentColor(Status status, const QPalette& palette)
{
    QColor c;
    switch (status) {
    case Status::Trusted:
        c = QColor(0x2e, 0x7d, 0x32); // green
        break;
    case Status::Valid:
        c = QColor(0x45, 0x5a, 0x64); // blue grey
        break;
    case Status::SelfSigned:
        c = QColor(0x15, 0x65, 0xc0); // blue
        break;
    case Status::Expiring:
        c = QColor(0xe6, 0x51, 0x00); // orange
        break;
    case Status::IssuerUnknown:
        c = QColor(0xa1, 0x6b, 0x00); // amber
        break;
    case Status::NameMismatch:
        c = QColor(0x8e, 0x24, 0xaa); // purple
        break;
    case Status::NotYetValid:
    case Status::Expired:
    case Status::Problem:
        c = QColor(0xc6, 0x28, 0x28); // red
        break;
    case Status::Revoked:
        c = QColor(0xad, 0x14, 0x57); // crimson
        break;
    }
    // On a dark base the same hues, lighter, so that text in the accent colour stays readable.
    if (palette.color(QPalette::Base).lightness() < 128)
        c = c.lighter(status == Status::Valid ? 190 : 160);
    return c;
}

QString CertificateAssessment::relativeDays(qint64 seconds)
{
    const qint64 days = seconds / 86400;
    //: Completes "Expired %1", "Expires %1" and "Expired on <date> (%2)".
    if (days == 0)
        return tr("today");
    if (days > 0)
        return days == 1 ? tr("tomorrow") : tr("in %Ln day(s)", nullptr, int(days));
    return days == -1 ? tr("yesterday") : tr("%Ln day(s) ago", nullptr, int(-days));
}

} // namespace vf::ui
