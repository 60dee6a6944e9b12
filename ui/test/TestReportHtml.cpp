#include "TestReportHtml.h"

#include "chain/CertificateRowBuilder.h"
#include "widgets/TimelineView.h"

#include <QLocale>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

using Verdict = report::Diagnosis::Verdict;
using Severity = report::Finding::Severity;

QString esc(const QString& s)
{
    return s.toHtmlEscaped();
}

QColor blend(const QColor& a, const QColor& b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QColor severityColor(Severity s, const QPalette& pal)
{
    switch (s) {
    case Severity::Error:
        return TestReportHtml::verdictColor(Verdict::Failed, pal);
    case Severity::Warning:
        return TestReportHtml::verdictColor(Verdict::ConnectedWithWarnings, pal);
    case Severity::Info:
        break;
    }
    return pal.color(QPalette::Highlight);
}

QString severityTitle(Severity s)
{
    switch (s) {
    case Severity::Error:
        return TestReportHtml::tr("Error");
    case Severity::Warning:
        return TestReportHtml::tr("Warning");
    case Severity::Info:
        break;
    }
    return TestReportHtml::tr("Note");
}

QString yesNo(bool b)
{
    return b ? TestReportHtml::tr("yes") : TestReportHtml::tr("no");
}

class Table final
{
public:
    void row(const QString& label, const QString& valueHtml)
    {
        if (valueHtml.isEmpty())
            return;
        m_rows += u"<tr><td style=\"padding-right:16px\"><b>%1</b></td><td>%2</td></tr>"_s.arg(esc(label),
                                                                                               valueHtml);
    }
    void text(const QString& label, const QString& value)
    {
        if (!value.isEmpty())
            row(label, esc(value));
    }
    QString html() const
    {
        return m_rows.isEmpty() ? QString()
                                : u"<table cellspacing=\"0\" cellpadding=\"2\">"_s + m_rows + u"</table>"_s;
    }

private:
    QString m_rows;
};

QString heading(const QString& title)
{
    return u"<h3 style=\"margin-top:14px; margin-bottom:4px\">%1</h3>"_s.arg(esc(title));
}

QString findingHtml(const report::Finding& f, const QPalette& pal)
{
    const QColor color = severityColor(f.severity, pal);
    const QColor dim = blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.65);
    QString out =
        u"<p style=\"margin-top:10px; margin-bottom:2px\"><span style=\"color:%1\"><b>%2:</b></span> "
        "<b>%3</b></p>"_s.arg(color.name(), esc(severityTitle(f.severity)), esc(f.summary));
    if (!f.libpqMessage.isEmpty()) {
        out += u"<p style=\"margin:2px 0 2px 0\">%1</p><pre style=\"margin:0 0 4px 12px\">%2</pre>"_s.arg(
            esc(TestReportHtml::tr("libpq says:")), esc(f.libpqMessage));
    }
    if (!f.explanation.isEmpty())
        out += u"<p style=\"margin:2px 0\">%1</p>"_s.arg(esc(f.explanation));
    if (!f.fixes.isEmpty()) {
        out += u"<p style=\"margin:4px 0 0 0\"><b>%1</b></p><ul style=\"margin-top:0\">"_s.arg(
            esc(f.fixes.size() == 1 ? TestReportHtml::tr("The fix:")
                                    : TestReportHtml::tr("Fixes, most direct first:")));
        for (const QString& fix : f.fixes)
            out += u"<li>%1</li>"_s.arg(esc(fix));
        out += u"</ul>"_s;
    }
    if (!f.evidence.isEmpty()) {
        out += u"<p style=\"margin:2px 0 0 0; color:%1\">%2</p><ul style=\"margin-top:0; color:%1\">"_s.arg(
            dim.name(), esc(TestReportHtml::tr("Based on:")));
        for (const QString& e : f.evidence)
            out += u"<li>%1</li>"_s.arg(esc(e));
        out += u"</ul>"_s;
    }
    return out;
}

QString attemptWhere(const session::AttemptReport& a)
{
    if (a.unixSocket)
        return TestReportHtml::tr("socket %1").arg(a.host);
    if (a.hostaddr.isEmpty() || a.hostaddr == a.host)
        return u"%1:%2"_s.arg(a.host).arg(a.port);
    return u"%1 (%2), port %3"_s.arg(a.host, a.hostaddr).arg(a.port);
}

QString tlsHtml(const session::AttemptReport& a)
{
    Table t;
    if (!a.tls) {
        t.text(TestReportHtml::tr("Encryption"), a.success
                                                     ? TestReportHtml::tr("none: the connection is plaintext")
                                                     : TestReportHtml::tr("no TLS session was started"));
        return t.html();
    }
    const tls::TlsFacts& f = *a.tls;
    t.text(TestReportHtml::tr("Protocol"), f.protocol);
    if (!f.cipher.isEmpty())
        t.text(TestReportHtml::tr("Cipher"),
               f.cipherBits > 0 ? TestReportHtml::tr("%1 (%2 bits)").arg(f.cipher).arg(f.cipherBits)
                                : f.cipher);
    t.text(TestReportHtml::tr("ALPN"), f.alpn.isEmpty() ? TestReportHtml::tr("none") : f.alpn);
    t.text(TestReportHtml::tr("SNI sent"), f.sniSent.isEmpty() ? TestReportHtml::tr("none") : f.sniSent);
    t.text(TestReportHtml::tr("Client certificate"),
           TestReportHtml::tr("requested: %1, sent: %2")
               .arg(yesNo(f.clientCertificateRequested), yesNo(f.clientCertificateSent)));
    QString verified;
    if (!f.verificationEnabled)
        verified = TestReportHtml::tr("not verified (no root certificates were loaded)");
    else if (f.verifyError == 0)
        verified = TestReportHtml::tr("verified against %1").arg(f.rootCertPath);
    else
        verified = TestReportHtml::tr("verification failed at depth %1: %2 (root certificates: %3)")
                       .arg(f.verifyErrorDepth)
                       .arg(f.verifyErrorString, f.rootCertPath);
    t.text(TestReportHtml::tr("Server certificate"), verified);
    t.text(TestReportHtml::tr("CRL checking"), yesNo(f.crlChecking));
    if (a.hostName) {
        const pki::HostNameMatch& m = *a.hostName;
        const pki::CertificateName* matched = m.matchedName();
        t.text(TestReportHtml::tr("Host name"),
               m.isMatched() && matched
                   ? TestReportHtml::tr("%1 matches the certificate's name %2").arg(m.host, matched->value)
                   : TestReportHtml::tr("%1 is not named by the certificate").arg(m.host));
    }
    return t.html();
}

QString chainHtml(const session::ConnectionReport& report, const report::Diagnosis& diagnosis,
                  int attemptIndex, const QPalette& pal)
{
    if (attemptIndex < 0)
        return {};
    const session::AttemptReport& a = report.attempts.at(attemptIndex);
    if (!a.tls || a.tls->presentedChain.isEmpty())
        return {};
    QList<CertificateRow> rows;
    if (const report::AttemptChain* chain = diagnosis.chainFor(attemptIndex))
        rows = CertificateRowBuilder::fromVerification(chain->verification,
                                                       a.hostName ? &*a.hostName : nullptr, false);
    else
        rows =
            CertificateRowBuilder::fromCertificates(a.tls->presentedChain, QDateTime::currentDateTimeUtc());
    QString out = u"<table cellspacing=\"0\" cellpadding=\"3\">"_s;
    out += u"<tr><th align=\"left\">%1</th><th align=\"left\">%2</th><th align=\"left\">%3</th>"
           "<th align=\"left\">%4</th></tr>"_s.arg(
               esc(TestReportHtml::tr("Certificate")), esc(TestReportHtml::tr("Role")),
               esc(TestReportHtml::tr("Valid until")), esc(TestReportHtml::tr("Status")));
    for (const CertificateRow& r : rows) {
        const QColor color = CertificateAssessment::accentColor(r.assessment.status, pal);
        out +=
            u"<tr><td style=\"padding-right:12px\">%1<br/><span style=\"color:%5\">%6</span></td>"
            "<td style=\"padding-right:12px\">%2</td><td style=\"padding-right:12px\">%3</td>"
            "<td><span style=\"color:%4\"><b>%7</b></span></td></tr>"_s.arg(
                esc(r.title), esc(r.roleText),
                esc(QLocale().toString(r.certificate.notAfter().toLocalTime().date(), QLocale::ShortFormat)),
                color.name(), blend(pal.color(QPalette::Base), pal.color(QPalette::Text), 0.65).name(),
                esc(TestReportHtml::tr("issued by %1").arg(r.issuerName)), esc(r.assessment.label));
    }
    out += u"</table>"_s;
    return out;
}

} // namespace

QString TestReportHtml::verdictTitle(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Connected:
        return tr("Connected");
    case Verdict::ConnectedWithWarnings:
        return tr("Connected, with warnings");
    case Verdict::Failed:
        return tr("Failed");
    case Verdict::Canceled:
        return tr("Canceled");
    }
    return {};
}

QColor TestReportHtml::verdictColor(Verdict verdict, const QPalette& palette)
{
    QColor c;
    switch (verdict) {
    case Verdict::Connected:
        c = QColor(0x2e, 0x7d, 0x32);
        break;
    case Verdict::ConnectedWithWarnings:
        c = QColor(0xe6, 0x51, 0x00);
        break;
    case Verdict::Failed:
        c = QColor(0xc6, 0x28, 0x28);
        break;
    case Verdict::Canceled:
        c = QColor(0x70, 0x70, 0x70);
        break;
    }
    return palette.color(QPalette::Base).lightness() < 128 ? c.lighter(160) : c;
}

int TestReportHtml::chainAttempt(const session::ConnectionReport& report)
{
    for (qsizetype i = report.attempts.size() - 1; i >= 0; --i) {
        const session::AttemptReport& a = report.attempts.at(i);
        if (a.tls && !a.tls->presentedChain.isEmpty())
            return int(i);
    }
    return int(report.attempts.size()) - 1;
}

QString TestReportHtml::html(const session::ConnectionReport& report, const report::Diagnosis& diagnosis,
                             const QPalette& pal)
{
    QString out;
    if (!diagnosis.findings.isEmpty()) {
        for (const report::Finding& f : diagnosis.findings)
            out += findingHtml(f, pal);
    } else if (!report.success && !report.canceled) {
        report::Finding f;
        f.summary = report.error ? report.error->message : tr("The connection failed.");
        f.libpqMessage = report.libpqMessage;
        f.explanation = report.error ? report.error->explanation : QString();
        out += findingHtml(f, pal);
    }

    const int index = chainAttempt(report);
    if (index >= 0) {
        const session::AttemptReport& a = report.attempts.at(index);
        const QString tls = tlsHtml(a);
        if (!tls.isEmpty())
            out += heading(tr("TLS")) + tls;
        const QString chain = chainHtml(report, diagnosis, index, pal);
        if (!chain.isEmpty())
            out += heading(tr("Server certificate chain")) + chain;

        Table server;
        server.text(tr("Server"), attemptWhere(a));
        server.text(tr("Authentication"), a.authMethod);
        if (a.success)
            server.text(tr("Channel binding"), yesNo(a.channelBound));
        server.text(tr("Version"), a.server.version.isEmpty() ? a.server.serverVersion : a.server.version);
        server.text(tr("User"), a.server.currentUser);
        server.text(tr("Database"), a.server.database);
        if (a.server.sslInUse)
            server.text(
                tr("pg_stat_ssl"),
                tr("%1, %2 (%3 bits)").arg(a.server.sslVersion, a.server.sslCipher).arg(a.server.sslBits));
        if (!a.server.clientDn.isEmpty())
            server.text(tr("Client certificate DN"), a.server.clientDn);
        if (a.server.backendPid > 0)
            server.text(tr("Backend PID"), QString::number(a.server.backendPid));
        server.text(tr("Total time"), TimelineView::formatDuration(report.totalNs));
        out += heading(tr("Server")) + server.html();
    }

    if (report.attempts.size() > 1) {
        QString list = u"<ol style=\"margin-top:0\">"_s;
        for (const session::AttemptReport& a : report.attempts) {
            list += u"<li>%1: %2</li>"_s.arg(
                esc(attemptWhere(a)),
                esc(a.success ? tr("connected") : (a.error ? a.error->message : tr("failed"))));
        }
        out += heading(tr("Attempts")) + list + u"</ol>"_s;
    }

    if (!report.settings.isEmpty()) {
        Table settings;
        for (const auto& [key, value] : report.settings)
            settings.text(key, value);
        out += heading(tr("Settings used")) + settings.html();
    }
    return out;
}

QString TestReportHtml::settingsErrorHtml(const Error& error, const QPalette& pal)
{
    report::Finding f;
    f.summary = tr("The connection settings are not valid; nothing was sent to the server.");
    f.libpqMessage = error.message;
    f.explanation = error.explanation;
    return findingHtml(f, pal);
}

} // namespace vf::ui
