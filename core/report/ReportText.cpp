#include "ReportText.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace vf::report {

namespace {

QString msText(qint64 ns)
{
    return QString::number(double(ns) / 1e6, 'f', 3) + u" ms"_s;
}

QString dateText(const QDateTime& t)
{
    return t.toUTC().toString(u"yyyy-MM-dd HH:mm:ss 'UTC'"_s);
}

QString sanText(const pki::SubjectAltName& s)
{
    switch (s.type) {
    case pki::SubjectAltName::Type::Dns:
        return u"DNS:"_s + s.value;
    case pki::SubjectAltName::Type::IpAddress:
        return u"IP:"_s + s.value;
    case pki::SubjectAltName::Type::Email:
        return u"email:"_s + s.value;
    case pki::SubjectAltName::Type::Uri:
        return u"URI:"_s + s.value;
    case pki::SubjectAltName::Type::Other:
        return s.value;
    }
    return s.value;
}

// The headline of a libpq message that may hold several messages and continuation lines: the last
// line that is not an indented continuation or a hint.
QString lastMessageLine(const QString& message)
{
    const QStringList lines = message.split(u'\n');
    for (auto it = lines.crbegin(); it != lines.crend(); ++it) {
        if (!it->isEmpty() && !it->startsWith(u'\t') && !it->startsWith(u' ') &&
            !it->startsWith(u"Either provide") && !it->startsWith(u"This may indicate"))
            return *it;
    }
    return lines.isEmpty() ? QString() : lines.first();
}

const pki::ChainEntry* entryFor(const pki::ChainVerification* v, const pki::Certificate& cert)
{
    if (!v)
        return nullptr;
    for (const pki::ChainEntry& e : v->chain) {
        if (e.certificate == cert)
            return &e;
    }
    return nullptr;
}

} // namespace

QString ReportText::certificate(const pki::Certificate& c, const QString& indent, bool details)
{
    if (!details)
        return {};
    QString out;
    auto line = [&](const QString& label, const QString& value) {
        out += indent + label.leftJustified(9) + u' ' + value + u'\n';
    };
    line(tr("subject"), c.subjectDn());
    line(tr("issuer"), c.issuerDn());
    const qint64 days = QDateTime::currentDateTimeUtc().secsTo(c.notAfter()) / 86400;
    line(tr("valid"), tr("%1 to %2 (%3)")
                          .arg(dateText(c.notBefore()), dateText(c.notAfter()),
                               days >= 0 ? tr("%n day(s) left", nullptr, int(days))
                                         : tr("expired %n day(s) ago", nullptr, int(-days))));
    QStringList names;
    for (const pki::SubjectAltName& s : c.subjectAltNames())
        names << sanText(s);
    if (!names.isEmpty())
        line(tr("names"), names.join(u", "_s));
    QString key = c.publicKeyType();
    if (c.publicKeyBits() > 0)
        key += u' ' + QString::number(c.publicKeyBits()) + tr(" bits");
    if (!c.publicKeyCurve().isEmpty())
        key += u" (" + c.publicKeyCurve() + u')';
    line(tr("key"), key + u", " + c.signatureAlgorithm() + (c.isCa() ? tr(", CA") : QString()));
    line(tr("serial"), c.serialNumberHex());
    line(tr("SHA-256"), pki::Certificate::formatFingerprint(c.sha256Fingerprint()));
    return out;
}

QString ReportText::findings(const QList<Finding>& findings, Finding::Severity minimum)
{
    QString out;
    for (const Finding& f : findings) {
        if (int(f.severity) > int(minimum))
            continue;
        QString tag;
        switch (f.severity) {
        case Finding::Severity::Error:
            tag = tr("ERROR");
            break;
        case Finding::Severity::Warning:
            tag = tr("WARNING");
            break;
        case Finding::Severity::Info:
            tag = tr("NOTE");
            break;
        }
        out += u"  "_s + tag + u": "_s + f.summary + u'\n';
        if (!f.libpqMessage.isEmpty()) {
            const QStringList lines = f.libpqMessage.split(u'\n');
            out += u"    "_s + tr("libpq: %1").arg(lines.first()) + u'\n';
            for (qsizetype i = 1; i < lines.size(); ++i)
                out += u"           "_s + lines.at(i).trimmed() + u'\n';
        }
        if (!f.explanation.isEmpty())
            out += u"    "_s + f.explanation + u'\n';
        for (const QString& fix : f.fixes)
            out += u"    "_s + tr("Fix: %1").arg(fix) + u'\n';
        for (const QString& e : f.evidence) {
            if (!e.isEmpty())
                out += u"    "_s + tr("Seen: %1").arg(e) + u'\n';
        }
    }
    return out;
}

QString ReportText::check(const CheckResult& r, const Options& options)
{
    QString out;
    const session::ConnectionReport& report = r.report;
    out += tr("verifyfull-cli %1: %2")
               .arg(CheckResult::kindName(r.kind),
                    r.conninfo.isEmpty() ? tr("(settings from the environment)") : r.conninfo) +
           u'\n';
    for (int i = 0; i < report.attempts.size(); ++i) {
        const session::AttemptReport& a = report.attempts.at(i);
        const AttemptChain* chain = r.diagnosis.chainFor(i);
        QString where;
        if (a.unixSocket)
            where = tr("socket %1").arg(a.hostaddr);
        else if (!a.hostaddr.isEmpty() && a.hostaddr != a.host)
            where = tr("%1 (%2) port %3").arg(a.host.isEmpty() ? a.hostaddr : a.host, a.hostaddr).arg(a.port);
        else
            where = tr("%1 port %2").arg(a.host).arg(a.port);
        out += u'\n' + tr("Attempt %1: %2").arg(i + 1).arg(where) + u'\n';
        for (const session::PhaseTiming& p : a.phases)
            out += u"  "_s + session::phaseName(p.phase).leftJustified(16) +
                   msText(p.durationNs).rightJustified(12) + u"  "_s + (p.ok ? tr("ok") : tr("FAILED")) +
                   u'\n';
        for (const session::MethodTry& t : a.tries) {
            out += u"  "_s +
                   (t.newConnection ? tr("%1 try: %2") : tr("%1 try (same connection): %2"))
                       .arg(session::methodName(t.method), t.succeeded ? tr("succeeded")
                                                           : t.failure.isEmpty()
                                                               ? tr("not finished")
                                                               : t.failure.section(u'\n', 0, 0)) +
                   u'\n';
        }
        if (a.tls) {
            const tls::TlsFacts& t = *a.tls;
            if (!t.protocol.isEmpty())
                out += u"  "_s +
                       tr("TLS: %1, %2 (%3 bits), ALPN %4, SNI %5")
                           .arg(t.protocol, t.cipher)
                           .arg(t.cipherBits)
                           .arg(t.alpn.isEmpty() ? tr("none") : t.alpn,
                                t.sniSent.isEmpty() ? tr("not sent") : t.sniSent) +
                       u'\n';
            else
                out += u"  "_s + tr("TLS: handshake not completed") + u'\n';
            out +=
                u"  "_s +
                tr("Root certificates: %1; CRL checking %2; client certificate %3")
                    .arg(t.rootCertPath.isEmpty() ? tr("none (the chain is not verified)") : t.rootCertPath,
                         t.crlChecking ? tr("on") : tr("off"),
                         t.clientCertificateRequested ? (t.clientCertificateSent ? tr("requested and sent")
                                                                                 : tr("requested, none sent"))
                                                      : tr("not requested")) +
                u'\n';
            if (!t.presentedChain.isEmpty()) {
                QString against;
                if (chain && chain->verifiedByLibpq)
                    against = tr("verified against %1").arg(chain->trust.describe());
                else if (chain)
                    against =
                        tr("not verified by libpq; checked against the system's trusted roots: %1")
                            .arg(chain->verification.ok ? tr("valid") : chain->verification.errorString);
                out += u"  "_s + tr("Server certificate chain (%1):").arg(against) + u'\n';
                const pki::ChainVerification* v = chain ? &chain->verification : nullptr;
                for (qsizetype n = 0; n < t.presentedChain.size(); ++n) {
                    const pki::Certificate& c = t.presentedChain.at(n);
                    const pki::ChainEntry* e = entryFor(v, c);
                    QString status;
                    if (e && chain->verifiedByLibpq)
                        status = e->problems.isEmpty() ? tr("ok") : e->problems.first().reason;
                    else if (c.notAfter() < QDateTime::currentDateTimeUtc())
                        status = tr("expired");
                    out += u"    #"_s + QString::number(n) + u' ' + c.displayName() +
                           (status.isEmpty() ? QString() : u"  ["_s + status + u']') + u'\n';
                    out += certificate(c, u"       "_s, options.certificateDetails);
                }
                if (v && chain->verifiedByLibpq) {
                    for (const pki::ChainEntry& e : v->chain) {
                        if (e.presented)
                            continue;
                        out += u"    "_s +
                               tr("(from %1) %2").arg(chain->trust.describe(), e.certificate.displayName()) +
                               u"  ["_s + (e.problems.isEmpty() ? tr("trusted") : e.problems.first().reason) +
                               u"]\n"_s;
                    }
                }
            }
        }
        if (a.hostName) {
            const pki::HostNameMatch& h = *a.hostName;
            const pki::CertificateName* m = h.matchedName();
            out +=
                u"  "_s +
                (h.isMatched() ? tr("Host name: \"%1\" matches \"%2\"").arg(h.host, m ? m->value : QString())
                               : tr("Host name: \"%1\" does not match (%2)").arg(h.host, h.message)) +
                u'\n';
        }
        if (!a.authMethod.isEmpty())
            out += u"  "_s +
                   tr("Authentication: %1%2")
                       .arg(a.authMethod, a.channelBound ? tr(" (channel binding)") : QString()) +
                   u'\n';
        if (a.success && !a.server.version.isEmpty())
            out += u"  "_s +
                   tr("Server: %1; user %2, database %3, backend pid %4")
                       .arg(a.server.version, a.server.currentUser, a.server.database)
                       .arg(a.server.backendPid) +
                   u'\n';
        if (a.error && !a.success)
            out += u"  "_s + tr("Error: %1").arg(lastMessageLine(a.error->message)) + u'\n';
    }
    out += u'\n' + tr("Total: %1").arg(msText(report.totalNs)) + u'\n';
    out += tr("Result: %1").arg(r.diagnosis.headline) + u'\n';
    if (r.diagnosis.assessment)
        out += tr("Security: %1").arg(r.diagnosis.assessment->summary()) + u'\n';
    if (options.diagnosis && !r.diagnosis.findings.isEmpty())
        out += u'\n' + tr("Diagnosis:") + u'\n' + findings(r.diagnosis.findings);
    return out;
}

QString ReportText::chain(const ChainCheckResult& r, const Options& options)
{
    QString out;
    const pki::ChainVerification* v = r.verification ? &*r.verification : nullptr;
    out += tr("Certificates (%n, leaf first):", nullptr, int(r.certificates.size())) + u'\n';
    for (qsizetype n = 0; n < r.certificates.size(); ++n) {
        const LoadedCertificate& c = r.certificates.at(n);
        const pki::ChainEntry* e = entryFor(v, c.certificate);
        QString status;
        if (e)
            status = e->problems.isEmpty() ? tr("ok") : e->problems.first().reason;
        else if (v)
            status = tr("not part of the chain");
        out += u"  #"_s + QString::number(n) + u' ' + c.certificate.displayName() +
               (status.isEmpty() ? QString() : u"  ["_s + status + u']') + u"  "_s +
               tr("(%1, #%2)").arg(c.file).arg(c.index) + u'\n';
        out += certificate(c.certificate, u"     "_s, options.certificateDetails);
    }
    if (v) {
        for (const pki::ChainEntry& e : v->chain) {
            if (e.presented)
                continue;
            out += u"  "_s + tr("(from %1) %2").arg(r.trust.describe(), e.certificate.displayName()) +
                   u"  ["_s + (e.problems.isEmpty() ? tr("trusted") : e.problems.first().reason) + u"]\n"_s;
        }
        out += tr("Verified against: %1").arg(r.trust.describe()) + u'\n';
        if (v->crlCheck)
            out += tr("CRL checking: on") + u'\n';
    }
    if (r.hostName) {
        const pki::CertificateName* m = r.hostName->matchedName();
        out +=
            (r.hostName->isMatched()
                 ? tr("Host name: \"%1\" matches \"%2\"").arg(r.hostName->host, m ? m->value : QString())
                 : tr("Host name: \"%1\" does not match (%2)").arg(r.hostName->host, r.hostName->message)) +
            u'\n';
    }
    out += tr("Result: %1").arg(r.headline) + u'\n';
    if (options.diagnosis && !r.findings.isEmpty())
        out += u'\n' + tr("Diagnosis:") + u'\n' + findings(r.findings);
    return out;
}

} // namespace vf::report
