#include "Diagnosis.h"

#include "pki/HostNameMatcher.h"
#include "pki/KeyPermissions.h"
#include "pki/PkiLoader.h"
#include "settings/PgPass.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QRegularExpression>

#include <openssl/x509_vfy.h>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace vf::report {

// Everything the diagnosis says, in one place for the translators' context.
class Builder final
{
    Q_DECLARE_TR_FUNCTIONS(vf::report::Diagnosis)

public:
    using AttemptReport = session::AttemptReport;
    using ConnectionReport = session::ConnectionReport;
    using Severity = Finding::Severity;
    using Verdict = Diagnosis::Verdict;

    // "a", "a and b", "a, b and c".
    static QString joinNames(QStringList names)
    {
        names.removeDuplicates();
        if (names.isEmpty())
            return {};
        if (names.size() == 1)
            return names.first();
        const QString last = names.takeLast();
        return tr("%1 and %2").arg(names.join(u", "_s), last);
    }

    static QString capitalized(const QString& s) { return s.isEmpty() ? s : s.at(0).toUpper() + s.mid(1); }

    static QString quoted(const QString& s) { return u"\""_s + s + u"\""_s; }

    // The first "…"-quoted part of a libpq message (the file or host it names).
    static QString firstQuoted(const QString& message)
    {
        const qsizetype start = message.indexOf(u'"');
        if (start < 0)
            return {};
        const qsizetype end = message.indexOf(u'"', start + 1);
        return end < 0 ? QString() : message.mid(start + 1, end - start - 1);
    }

    // The CN of an RFC 2253 distinguished name, else the whole name.
    static QString commonNameOf(const QString& dn)
    {
        QString part;
        QStringList parts;
        for (qsizetype i = 0; i < dn.size(); ++i) {
            const QChar c = dn.at(i);
            if (c == u'\\' && i + 1 < dn.size()) {
                part += dn.at(i + 1);
                ++i;
            } else if (c == u',') {
                parts << part;
                part.clear();
            } else {
                part += c;
            }
        }
        parts << part;
        for (const QString& p : std::as_const(parts)) {
            if (p.startsWith(u"CN="_s))
                return p.mid(3);
        }
        return dn;
    }

    static QString certName(const pki::Certificate& cert) { return quoted(cert.displayName()); }

    static QString dateText(const QDateTime& t) { return t.toUTC().toString(u"yyyy-MM-dd HH:mm 'UTC'"_s); }

    static QString fingerprint(const pki::Certificate& cert)
    {
        return pki::Certificate::formatFingerprint(cert.sha256Fingerprint());
    }

    // Shell-quoted path for a command the person can paste.
    static QString shellQuoted(const QString& path)
    {
        static const QRegularExpression plain(u"^[A-Za-z0-9_./~+-]+$"_s);
        if (plain.match(path).hasMatch())
            return path;
        QString out = path;
        out.replace(u"'"_s, u"'\\''"_s);
        return u"'"_s + out + u"'"_s;
    }

    // The libpq messages a failed try or attempt accumulated, one per line group. libpq joins the
    // messages of the methods it tried; a message may span several lines (indented continuation lines,
    // or the root-certificate hint).
    static QString lastComponent(const QString& message, const QStringList& tries)
    {
        for (auto it = tries.crbegin(); it != tries.crend(); ++it) {
            if (!it->isEmpty() && message.endsWith(*it))
                return *it;
        }
        return message;
    }

    // When a failure has no code (an earlier try of the attempt only kept libpq's message), the code the
    // engine would have given it.
    static QString inferCode(const QString& m)
    {
        struct Rule
        {
            QStringView needle;
            QStringView code;
            bool prefix;
        };
        static const Rule rules[] = {
            {u"SSL error: certificate verify failed", u"tls.verify-failed", true},
            {u"server certificate for ", u"pki.hostname-mismatch", true},
            {u"could not get server's host name from server certificate", u"pki.hostname-mismatch", true},
            {u"host name must be specified", u"pki.hostname-missing-host", true},
            {u"server does not support SSL", u"negotiation.no-ssl", true},
            {u"server sent an error response during SSL exchange", u"negotiation.error-response", true},
            {u"received invalid response to SSL negotiation", u"negotiation.invalid-response", true},
            {u"received unencrypted data after SSL response", u"negotiation.unencrypted-data", true},
            {u"SSL SYSCALL error: EOF detected", u"tls.eof", true},
            {u"SSL error: ", u"tls.handshake", true},
            {u"root certificate file", u"tls.root-missing", true},
            {u"could not get home directory to locate root certificate file", u"tls.no-home", true},
            {u"could not read root certificate file", u"tls.root-unreadable", true},
            {u"could not load system root certificate paths", u"tls.system-roots", true},
            {u"could not open certificate file", u"tls.cert-open", true},
            {u"could not read certificate file", u"tls.cert-read", true},
            {u"certificate present, but not private key file", u"pki.key-missing", true},
            {u"could not stat private key file", u"pki.key-stat-failed", true},
            {u"has group or world access", u"pki.key-permissions", false},
            {u"is not a regular file", u"pki.key-not-regular", false},
            {u"certificate does not match private key file", u"tls.key-mismatch", true},
            {u"could not load private key file", u"tls.key-load", true},
            {u"channel binding", u"auth.channel-binding", false},
            {u"server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection",
             u"auth.plus-without-ssl", true},
            {u"authentication method requirement", u"auth.require-auth", true},
            {u"server did not request an SSL certificate", u"auth.cert-not-requested", true},
            {u"server accepted connection without a valid SSL certificate", u"auth.cert-not-sent", true},
            {u"fe_sendauth: no password supplied", u"auth.no-password", true},
            {u"timeout expired", u"session.timeout", true},
            {u"server closed the connection unexpectedly", u"server.closed", true},
            {u"could not translate host name", u"session.connect", true},
            {u"Connection refused", u"session.connect", true},
        };
        if (m.startsWith(u"FATAL:") || m.startsWith(u"ERROR:") || m.startsWith(u"PANIC:"))
            return u"server.error"_s;
        for (const Rule& r : rules) {
            if (r.prefix ? m.startsWith(r.needle) : m.contains(r.needle)) {
                if (r.code == u"tls.root-missing" && !m.contains(u"does not exist"))
                    continue;
                if (r.code == u"tls.key-load" && (m.contains(u"bad decrypt") || m.contains(u"bad password")))
                    return u"tls.key-passphrase"_s;
                return r.code.toString();
            }
        }
        return {};
    }

    struct Ctx
    {
        const ConnectionReport& report;
        const DiagnosisContext& context;
        Diagnosis& diagnosis;

        const settings::EffectiveSettings* settings() const { return context.settings; }

        // "sslrootcert=/etc/ca.pem (from PGSSLROOTCERT)"; secrets are never shown.
        QString setting(QStringView keyword) const
        {
            if (!settings())
                return {};
            const settings::EffectiveValue* v = settings()->find(keyword);
            if (!v || !v->value)
                return tr("%1 is not set").arg(keyword.toString());
            if (v->secret)
                return tr("%1 is set (%2)").arg(keyword.toString(), v->origin.detailedLabel());
            return u"%1=%2 (%3)"_s.arg(keyword.toString(), v->displayValue(), v->origin.detailedLabel());
        }

        // The file libpq uses for sslrootcert/sslcert/sslkey/sslcrl/passfile with its provenance.
        QString fileSetting(QStringView keyword) const
        {
            if (!settings())
                return {};
            const auto f = settings()->effectiveFile(keyword);
            if (!f || !f->value)
                return tr("%1: no file (no home directory)").arg(keyword.toString());
            if (f->origin.source == settings::ValueSource::DefaultFile)
                return tr("%1 is not set, so libpq uses its default file %2 (%3)")
                    .arg(keyword.toString(),
                         f->origin.displayPath.isEmpty() ? *f->value : f->origin.displayPath,
                         f->origin.fileExists ? tr("it exists") : tr("it does not exist"));
            return setting(keyword);
        }

        QString value(QStringView keyword, const QString& fallback = {}) const
        {
            return settings() ? settings()->valueOr(keyword, fallback) : fallback;
        }

        QString sslmode() const
        {
            if (context.options && !context.options->sslmode.isEmpty())
                return context.options->sslmode;
            for (const auto& kv : report.settings) {
                if (kv.first == u"sslmode")
                    return kv.second;
            }
            return value(u"sslmode", u"prefer"_s);
        }

        void add(Finding f) { diagnosis.findings << std::move(f); }
    };

    static Finding make(const char* code, Severity severity, const QString& libpqMessage,
                        const QString& summary, int attempt)
    {
        Finding f;
        f.code = QString::fromLatin1(code);
        f.severity = severity;
        f.libpqMessage = libpqMessage;
        f.summary = summary;
        f.attempt = attempt;
        return f;
    }

    static QString hostPort(const AttemptReport& a)
    {
        if (a.unixSocket)
            return a.hostaddr.isEmpty() ? a.host : a.hostaddr;
        QString host = a.host.isEmpty() ? a.hostaddr : a.host;
        if (!a.hostaddr.isEmpty() && a.hostaddr != host)
            host += u" ("_s + a.hostaddr + u")"_s;
        return tr("%1 port %2").arg(host).arg(a.port);
    }

    // ---------------------------------------------------------------------------------------------------
    // Chain findings

    static QString roleName(const pki::ChainEntry& e)
    {
        switch (e.role) {
        case pki::ChainRole::Leaf:
            return tr("the server certificate");
        case pki::ChainRole::Intermediate:
            return tr("the intermediate CA certificate");
        case pki::ChainRole::Root:
            return tr("the root CA certificate");
        case pki::ChainRole::NotInChain:
            return tr("an extra certificate");
        }
        return {};
    }

    static QString anchorsText(const pki::ChainVerification& v, const TrustSource& trust)
    {
        if (trust.kind == TrustSource::Kind::System)
            return tr("the system's trusted roots (%1 certificates)").arg(v.trustAnchors.size());
        QStringList names;
        for (const pki::Certificate& c : v.trustAnchors)
            names << quoted(c.displayName());
        if (names.isEmpty())
            return tr("no certificate");
        if (names.size() > 6) {
            const qsizetype more = names.size() - 5;
            names = names.mid(0, 5);
            names << tr("%n more", nullptr, int(more));
        }
        return joinNames(names);
    }

    static QStringList presentedEvidence(const QList<pki::Certificate>& presented)
    {
        QStringList out;
        QStringList items;
        for (qsizetype i = 0; i < presented.size(); ++i)
            items << tr("#%1 %2 issued by %3")
                         .arg(i)
                         .arg(certName(presented.at(i)), quoted(commonNameOf(presented.at(i).issuerDn())));
        out << tr("The server sent %n certificate(s): %1", nullptr, int(presented.size()))
                   .arg(items.join(u"; "_s));
        return out;
    }

    static QString statusReason(const pki::ChainEntry& e)
    {
        QStringList reasons;
        for (const pki::VerifyProblem& p : e.problems)
            reasons << p.reason;
        return reasons.join(u"; "_s);
    }

    // Anchors whose subject is `dn` (a renewed or re-keyed CA has the same name, another key).
    static QList<pki::Certificate> anchorsNamed(const pki::ChainVerification& v, const QString& dn)
    {
        QList<pki::Certificate> out;
        for (const pki::Certificate& c : v.trustAnchors) {
            if (c.subjectDn() == dn)
                out << c;
        }
        return out;
    }

    static QStringList crlEvidence(const TrustSource& trust)
    {
        QStringList out;
        auto describe = [](const QList<pki::Crl>& crls) {
            QStringList issuers;
            for (const pki::Crl& crl : crls)
                issuers << quoted(commonNameOf(crl.issuerDn()));
            return issuers.isEmpty() ? tr("no CRL") : tr("CRLs from %1").arg(joinNames(issuers));
        };
        if (!trust.crlFile.isEmpty()) {
            const auto crls = pki::PkiLoader::loadCrls(trust.crlFile);
            out << tr("CRL file %1 holds %2")
                       .arg(trust.crlFile,
                            crls ? describe(*crls) : tr("nothing readable (%1)").arg(crls.error().message));
        }
        if (!trust.crlDirectory.isEmpty()) {
            const auto dir = pki::PkiLoader::loadCrlDirectory(trust.crlDirectory);
            out << tr("CRL directory %1 holds %2")
                       .arg(trust.crlDirectory, dir ? describe(dir->usableCrls())
                                                    : tr("nothing readable (%1)").arg(dir.error().message));
        }
        return out;
    }

    static QString severityNameImpl(Severity severity)
    {
        switch (severity) {
        case Severity::Error:
            return u"error"_s;
        case Severity::Warning:
            return u"warning"_s;
        case Severity::Info:
            return u"info"_s;
        }
        return {};
    }

    static QString describeImpl(const TrustSource& t)
    {
        switch (t.kind) {
        case TrustSource::Kind::None:
            return tr("no root certificates");
        case TrustSource::Kind::File:
            return tr("your root file %1").arg(t.displayPath.isEmpty() ? t.path : t.displayPath);
        case TrustSource::Kind::System:
            return tr("the system's trusted roots");
        }
        return {};
    }

    static QString verdictNameImpl(Verdict verdict)
    {
        switch (verdict) {
        case Verdict::Connected:
            return u"connected"_s;
        case Verdict::ConnectedWithWarnings:
            return u"connected-with-warnings"_s;
        case Verdict::Failed:
            return u"failed"_s;
        case Verdict::Canceled:
            return u"canceled"_s;
        }
        return {};
    }

    static bool hasErrorsImpl(const Diagnosis& d)
    {
        return std::any_of(d.findings.cbegin(), d.findings.cend(),
                           [](const Finding& f) { return f.severity == Severity::Error; });
    }

    static const AttemptChain* chainForImpl(const Diagnosis& d, int attempt)
    {
        for (const AttemptChain& c : d.chains) {
            if (c.attempt == attempt)
                return &c;
        }
        return nullptr;
    }

    static QList<Finding> chainFindingsImpl(const pki::ChainVerification& v,
                                            const QList<pki::Certificate>& presented,
                                            const TrustSource& trust, const QString& libpqMessage,
                                            Finding::Severity severity)
    {
        QList<Finding> out;
        const QString where = trust.describe();
        // The same at the start of a sentence.
        const QString whereStart = capitalized(where);
        const QString holds = anchorsText(v, trust);

        auto evidence = [&](Finding& f) {
            f.evidence << presentedEvidence(presented);
            if (trust.kind == TrustSource::Kind::File)
                f.evidence << tr("%1 holds %2").arg(whereStart, holds);
            else if (trust.kind == TrustSource::Kind::System)
                f.evidence << tr("Trusted: %1").arg(holds);
            if (!trust.origin.isEmpty())
                f.evidence << trust.origin;
            for (const pki::ChainEntry& e : v.chain) {
                if (!e.problems.isEmpty())
                    f.evidence << tr("Certificate #%1 %2 (%3): %4")
                                      .arg(e.depth)
                                      .arg(certName(e.certificate), roleName(e), statusReason(e));
            }
            if (v.crlCheck)
                f.evidence << crlEvidence(trust);
        };

        if (!v.ok) {
            const int depth = v.errorDepth;
            const pki::ChainEntry* entry =
                depth >= 0 && depth < v.chain.size() ? &v.chain.at(depth) : nullptr;
            const pki::Certificate cert =
                entry ? entry->certificate : (presented.isEmpty() ? pki::Certificate() : presented.first());
            const QString name = certName(cert);
            const QString issuer = quoted(commonNameOf(cert.issuerDn()));
            const QString message = libpqMessage.isEmpty() ? v.libpqMessage : libpqMessage;
            Finding f;
            f.severity = severity;
            f.libpqMessage = message;
            f.certificateDepth = depth;
            switch (v.errorCode) {
            case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
            case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: {
                const QList<pki::Certificate> sameName = anchorsNamed(v, cert.issuerDn());
                bool issuerPresented = false;
                for (const pki::Certificate& p : presented)
                    issuerPresented = issuerPresented || p.subjectDn() == cert.issuerDn();
                if (!sameName.isEmpty()) {
                    f.code = u"chain-root-replaced"_s;
                    f.summary =
                        tr("%1 holds a certificate named %2, but not the one that issued %3: the CA was "
                           "probably renewed with a new key.")
                            .arg(whereStart, issuer, name);
                    f.explanation =
                        tr("Certificates are matched by key, not by name. The %1 in %2 has SHA-256 "
                           "fingerprint %3; the CA that signed %4 uses another key.")
                            .arg(issuer, where, fingerprint(sameName.first()), name);
                    f.fixes << tr("Replace %1 in %2 with the CA's current certificate (ask the server's "
                                  "administrator or the CA for it), or keep both during the changeover.")
                                   .arg(issuer, where);
                } else if (trust.kind == TrustSource::Kind::System) {
                    f.code = u"chain-not-publicly-trusted"_s;
                    f.summary =
                        tr("The server's chain leads to %1, which is not among the system's trusted roots.")
                            .arg(issuer);
                    f.explanation = tr("sslrootcert=system trusts the public certificate authorities of this "
                                       "computer. A server with a certificate from a private CA (or one that "
                                       "does not send its intermediate) cannot be verified that way.");
                    f.fixes
                        << tr("For a private CA: set sslrootcert to a file with that CA's root certificate.")
                        << tr("If %1 is an intermediate, the server has to send it: put the full chain into "
                              "its ssl_cert_file.")
                               .arg(issuer);
                } else if (depth == 0 && !issuerPresented) {
                    f.code = u"chain-missing-intermediate"_s;
                    f.summary =
                        tr("The server did not send the intermediate %1 that issued its certificate, and "
                           "%2 does not hold it.")
                            .arg(issuer, where);
                    f.explanation =
                        tr("libpq builds the chain from the certificates the server sends plus your "
                           "root certificates. The server sent only its own certificate %1, issued "
                           "by %2; %3 holds %4, so the link between them is missing.")
                            .arg(name, issuer, where, holds);
                    f.fixes << tr("On the server: configure ssl_cert_file with the full chain (the server "
                                  "certificate followed by the intermediate %1) and reload.")
                                   .arg(issuer)
                            << tr("Or add the intermediate %1 to %2.").arg(issuer, where)
                            << tr("If %1 is itself a root CA, add it to %2.").arg(issuer, where);
                } else {
                    f.code = u"chain-unknown-root"_s;
                    f.summary =
                        tr("%1 holds %2, but the server's chain ends at %3, which was issued by %4: add "
                           "that root.")
                            .arg(whereStart, holds, name, issuer);
                    f.explanation = tr("The top certificate the server sent, %1, was issued by %2, and no "
                                       "certificate of that name is among your trusted roots.")
                                        .arg(name, issuer);
                    f.fixes << tr("Add the root certificate %1 to %2 (get it from the CA or the server's "
                                  "administrator, and compare its fingerprint).")
                                   .arg(issuer, where);
                }
                break;
            }
            case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: {
                const QList<pki::Certificate> sameName = anchorsNamed(v, cert.subjectDn());
                if (!sameName.isEmpty()) {
                    f.code = u"chain-root-replaced"_s;
                    f.summary =
                        tr("%1 holds a certificate named %2, but the server's chain ends at a different "
                           "%2 (another key): the CA was probably re-created.")
                            .arg(whereStart, name);
                    f.explanation = tr("Yours has SHA-256 fingerprint %1, the server's root %2.")
                                        .arg(fingerprint(sameName.first()), fingerprint(cert));
                    f.fixes
                        << tr("Replace %1 in %2 with the root the server uses (SHA-256 %3), after checking "
                              "that fingerprint with the server's administrator.")
                               .arg(name, where, fingerprint(cert));
                } else {
                    f.code = u"chain-unknown-root"_s;
                    f.summary = tr("%1 holds %2, but the server's chain ends at %3: add that root.")
                                    .arg(whereStart, holds, name);
                    f.explanation =
                        tr("The server sent its whole chain up to the self-signed root %1. libpq "
                           "accepts it only if that root is among your trusted root certificates, "
                           "and it is not.")
                            .arg(name);
                    f.fixes << tr("Add the root certificate %1 (SHA-256 %2) to %3, after checking that "
                                  "fingerprint with the server's administrator.")
                                   .arg(name, fingerprint(cert), where);
                }
                break;
            }
            case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
                f.code = u"chain-self-signed-server"_s;
                f.summary = tr("The server uses a self-signed certificate %1 that %2 does not hold.")
                                .arg(name, where);
                f.explanation =
                    tr("A self-signed server certificate is its own root: it can only be trusted by "
                       "putting exactly that certificate into your root file.");
                f.fixes
                    << tr("If you trust it, add it to %1 after checking its SHA-256 fingerprint %2 with the "
                          "server's administrator.")
                           .arg(where, fingerprint(cert))
                    << tr("Better: have the server use a certificate issued by a CA you trust.");
                break;
            case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
                f.code = u"chain-intermediate-as-root"_s;
                f.summary = tr("%1 holds the intermediate %2 but not the root %3 that issued it.")
                                .arg(whereStart, name, issuer);
                f.explanation =
                    tr("libpq does not accept an intermediate CA as a trust anchor: the chain must end "
                       "at a self-signed root certificate in your root file.");
                f.fixes << tr("Add the root certificate %1 to %2.").arg(issuer, where);
                break;
            case X509_V_ERR_CERT_HAS_EXPIRED:
            case X509_V_ERR_CERT_NOT_YET_VALID: {
                const bool expired = v.errorCode == X509_V_ERR_CERT_HAS_EXPIRED;
                const qint64 days = entry ? qAbs(entry->secondsUntilExpiry) / 86400 : 0;
                f.code = expired ? u"certificate-expired"_s : u"certificate-not-yet-valid"_s;
                const QString role = entry ? roleName(*entry) : tr("a certificate");
                f.summary = capitalized(
                    expired
                        ? tr("%1 %2 expired on %3 (%n day(s) ago).", nullptr, int(days))
                              .arg(role, name, dateText(cert.notAfter()))
                        : tr("%1 %2 is not valid before %3.").arg(role, name, dateText(cert.notBefore())));
                f.explanation =
                    tr("Certificates are only accepted within their validity period (checked against "
                       "this computer's clock: %1).")
                        .arg(dateText(v.verificationTime.isValid() ? v.verificationTime
                                                                   : QDateTime::currentDateTimeUtc()));
                if (entry && entry->role == pki::ChainRole::Leaf)
                    f.fixes << tr(
                        "The server's administrator has to renew the server certificate (ssl_cert_file) "
                        "and reload the server.");
                else if (entry && entry->statuses.testFlag(pki::ChainStatus::Trusted) && !entry->presented)
                    f.fixes << tr("Replace %1 in %2 with the CA's current certificate.").arg(name, where);
                else
                    f.fixes
                        << tr("The server has to send the current %1: update its ssl_cert_file.").arg(name);
                f.fixes << tr("Check this computer's date and time.");
                break;
            }
            case X509_V_ERR_CERT_REVOKED:
                f.code = u"certificate-revoked"_s;
                f.summary = capitalized(tr("%1 %2 (serial %3) has been revoked: the CRL of %4 lists it.")
                                            .arg(entry ? roleName(*entry) : tr("the certificate"), name,
                                                 cert.serialNumberHex(), issuer));
                f.explanation =
                    tr("A revoked certificate must not be trusted any more (its key may have been "
                       "stolen or it was replaced).");
                f.fixes << tr("The server needs a new certificate; ask its administrator.")
                        << tr("If the CRL is wrong or outdated, update it (sslcrl / sslcrldir).");
                break;
            case X509_V_ERR_UNABLE_TO_GET_CRL:
                f.code = u"crl-missing"_s;
                f.summary =
                    tr("CRL checking is on, and there is no CRL from %1, the issuer of %2 (unable to get "
                       "certificate CRL).")
                        .arg(issuer, name);
                f.explanation =
                    tr("Because the CRL file or directory (sslcrl, sslcrldir) loaded, libpq lets OpenSSL "
                       "check every "
                       "certificate of the chain, intermediates included, and it needs a current CRL "
                       "from each CA.");
                f.fixes << tr("Add the CRL issued by %1 to the CRL file (several PEM CRLs can be "
                              "concatenated) or "
                              "to the CRL directory (named by `openssl rehash`).")
                               .arg(issuer);
                break;
            case X509_V_ERR_CRL_HAS_EXPIRED:
            case X509_V_ERR_CRL_NOT_YET_VALID:
                f.code = u"crl-expired"_s;
                f.summary = tr("The CRL from %1 is out of date (%2).").arg(issuer, v.errorString);
                f.explanation =
                    tr("OpenSSL refuses a CRL outside its thisUpdate/nextUpdate window, and with it "
                       "the whole chain.");
                f.fixes << tr("Download a current CRL from %1 and replace the old one.").arg(issuer);
                break;
            case X509_V_ERR_INVALID_PURPOSE:
                f.code = u"certificate-wrong-purpose"_s;
                f.summary = tr("%1 is not allowed to be used as a TLS server certificate.").arg(name);
                f.explanation =
                    tr("Its extended key usage is %1; a server certificate needs TLS Web Server "
                       "Authentication (serverAuth).")
                        .arg(cert.extendedKeyUsage().isEmpty() ? tr("(none)")
                                                               : cert.extendedKeyUsage().join(u", "_s));
                f.fixes << tr("Have the certificate reissued with extendedKeyUsage=serverAuth.");
                break;
            case X509_V_ERR_INVALID_CA:
            case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
            case X509_V_ERR_PATH_LENGTH_EXCEEDED:
                f.code = u"certificate-not-a-ca"_s;
                f.summary =
                    tr("%1 is used as a CA but may not sign certificates (%2).").arg(name, v.errorString);
                f.explanation =
                    tr("A CA certificate needs basicConstraints CA:TRUE, keyUsage keyCertSign and a "
                       "path length that allows the chain below it.");
                f.fixes << tr("Reissue %1 as a proper CA certificate, or issue the server certificate from a "
                              "real CA.")
                               .arg(name);
                break;
            case X509_V_ERR_CERT_SIGNATURE_FAILURE:
                f.code = u"certificate-bad-signature"_s;
                f.summary = tr("The signature of %1 does not verify with the key of %2.").arg(name, issuer);
                f.explanation = tr("The certificate was changed or was not issued by the CA of that name.");
                f.fixes << tr("Get the genuine certificates from the CA; check that nothing in between "
                              "replaces the server's certificate.");
                break;
            case X509_V_ERR_EE_KEY_TOO_SMALL:
            case X509_V_ERR_CA_KEY_TOO_SMALL:
            case X509_V_ERR_CA_MD_TOO_WEAK:
                f.code = u"certificate-weak"_s;
                f.summary = tr("%1 uses a key or signature too weak for OpenSSL's security level (%2).")
                                .arg(name, v.errorString);
                f.explanation = tr("OpenSSL on this computer refuses RSA keys under 2048 bits and SHA-1/MD5 "
                                   "signatures.");
                f.fixes
                    << tr("Reissue %1 with a stronger key (RSA 2048+ or EC P-256) and SHA-256.").arg(name);
                break;
            default:
                f.code = u"chain-invalid"_s;
                f.summary = tr("The certificate chain does not verify: %1 at %2.").arg(v.errorString, name);
                f.explanation = v.explanation();
                break;
            }
            evidence(f);
            out << f;
        }

        for (const pki::ChainEntry& e : v.chain) {
            if (!e.statuses.testFlag(pki::ChainStatus::ExpiringSoon))
                continue;
            Finding w;
            w.code = u"certificate-expiring"_s;
            w.severity = Severity::Warning;
            w.certificateDepth = e.depth;
            const int days = int(e.secondsUntilExpiry / 86400);
            w.summary = capitalized(
                tr("%1 %2 expires on %3 (in %n day(s)).", nullptr, days)
                    .arg(roleName(e), certName(e.certificate), dateText(e.certificate.notAfter())));
            w.explanation = tr("After that date libpq refuses the chain.");
            w.fixes << (e.role == pki::ChainRole::Leaf
                            ? tr("Renew the server certificate in time.")
                            : tr("Make sure the renewed %1 is deployed before then.")
                                  .arg(certName(e.certificate)));
            out << w;
        }
        if (!v.crlNote.isEmpty()) {
            Finding n;
            n.code = u"crl-not-loaded"_s;
            n.severity = Severity::Warning;
            n.summary = tr("Revocation is not checked: the CRL locations could not be loaded.");
            n.explanation = v.crlNote;
            n.fixes << tr("Check sslcrl / sslcrldir: the file must be a readable PEM CRL.");
            out << n;
        }
        return out;
    }

    static Finding hostNameFindingImpl(const pki::HostNameMatch& match, const QString& libpqMessage,
                                       Finding::Severity severity)
    {
        Finding f;
        f.severity = severity;
        f.libpqMessage = libpqMessage.isEmpty() ? match.message : libpqMessage;
        f.certificateDepth = 0;
        QStringList names;
        for (const pki::CertificateName& n : match.names) {
            names << n.value;
            QString source;
            switch (n.source) {
            case pki::CertificateName::Source::DnsSan:
                source = tr("DNS name");
                break;
            case pki::CertificateName::Source::IpSan:
                source = tr("IP address");
                break;
            case pki::CertificateName::Source::CommonName:
                source = tr("common name");
                break;
            }
            f.evidence << tr("Certificate %1 %2: %3")
                              .arg(source, quoted(n.value),
                                   !n.examined ? tr("not compared (libpq ignores the common name when "
                                                    "subjectAltName entries exist)")
                                   : n.matched ? tr("matches")
                                               : tr("does not match"));
        }
        if (match.outcome == pki::HostNameMatch::Outcome::Error &&
            match.message == pki::HostNameMatcher::missingHostMessage()) {
            f.code = u"hostname-missing"_s;
            f.summary =
                tr("sslmode=verify-full needs a host name to compare with the certificate, and only an "
                   "address (hostaddr) was given.");
            f.explanation = match.explanation();
            f.fixes << tr("Set host to the name in the certificate (%1) and keep hostaddr for the address.")
                           .arg(joinNames(names));
            return f;
        }
        if (match.outcome == pki::HostNameMatch::Outcome::Error) {
            f.code = u"hostname-invalid-certificate"_s;
            f.summary = tr("libpq refuses the server certificate's names: %1").arg(match.message);
            f.explanation = match.explanation();
            f.fixes << tr("The server certificate has to be reissued.");
            return f;
        }
        f.code = u"hostname-mismatch"_s;
        if (names.isEmpty())
            f.summary =
                tr("The server certificate holds no name at all (no subjectAltName, no common name); you "
                   "connected to %1.")
                    .arg(match.host);
        else
            f.summary =
                tr("The server certificate names %1; you connected to %2.").arg(joinNames(names), match.host);
        f.explanation = match.explanation();
        if (!names.isEmpty()) {
            QString example = names.first();
            for (const pki::CertificateName& n : match.names) {
                if (n.examined && !n.value.startsWith(u"*.")) {
                    example = n.value;
                    break;
                }
            }
            f.fixes
                << tr("Connect with one of those names (for example host=%1; add hostaddr=<address> if that "
                      "name does not resolve from here).")
                       .arg(example);
        }
        f.fixes << tr("Or have the certificate reissued with this name (subjectAltName %1:%2).")
                       .arg(match.hostIsIpAddress ? u"IP"_s : u"DNS"_s, match.host);
        return f;
    }

    // loadedRootFile: a root file the TLS layer already loaded as libpq does during this check; it is
    // then known to be readable and is not parsed again.
    static security::AssessmentInput assessmentInputImpl(const settings::EffectiveSettings& s,
                                                         const settings::ValidatedOptions* options,
                                                         const QString& loadedRootFile = {})
    {
        security::AssessmentInput in;
        const settings::EffectiveValue* mode = s.find(u"sslmode");
        in.sslmode = mode && mode->value ? *mode->value : QString();
        const settings::ValueSource src = mode ? mode->origin.source : settings::ValueSource::Unset;
        in.sslmodeExplicit = src != settings::ValueSource::Unset &&
                             src != settings::ValueSource::CompiledDefault &&
                             src != settings::ValueSource::SystemRoots;
        if (!in.sslmodeExplicit && src != settings::ValueSource::SystemRoots)
            in.sslmode.clear();
        in.sslrootcert = s.valueOr(u"sslrootcert");
        in.homeDirectoryKnown = s.homeDirectory().has_value();
        if (in.sslrootcert != u"system") {
            if (const auto root = s.effectiveFile(u"sslrootcert"); root && root->value) {
                in.rootCertPath = *root->value;
                const QFileInfo info(in.rootCertPath);
                in.rootFileExists = info.exists();
                if (in.rootFileExists && info.isFile() && in.rootCertPath == loadedRootFile) {
                    // OpenSSL loaded it in the handshake: libpq can read it.
                } else if (in.rootFileExists && info.isFile()) {
                    const auto inspected =
                        pki::PkiLoader::inspectFile(in.rootCertPath, pki::FileRole::RootCertificates);
                    if (!inspected) {
                        in.rootFileError = inspected.error().message;
                    } else if (!inspected->libpqCanRead && inspected->libpqProblem) {
                        const QString m = inspected->libpqProblem->message;
                        const qsizetype colon = m.lastIndexOf(u"\": "_s);
                        in.rootFileError = colon >= 0 ? m.mid(colon + 3) : m;
                    }
                } else if (in.rootFileExists) {
                    in.rootFileError = u"not a file"_s;
                }
            }
        }
        in.sslnegotiation = s.valueOr(u"sslnegotiation");
        in.gssencmode = s.valueOr(u"gssencmode");
        if (options && !options->hosts.isEmpty()) {
            const settings::HostEntry& h = options->hosts.first();
            in.hostIsUnixSocket = h.type == settings::HostEntry::Type::UnixSocket;
            in.hostIsIpOnly = h.host.isEmpty() && !h.hostaddr.isEmpty();
        }
        in.sslcrl = s.valueOr(u"sslcrl");
        in.sslcrldir = s.valueOr(u"sslcrldir");
        const auto crl = s.effectiveFile(u"sslcrl");
        const QString crlFile = crl && crl->value ? *crl->value : QString();
        if (!crlFile.isEmpty())
            in.crlLoads = bool(pki::PkiLoader::loadCrls(crlFile));
        else if (!in.sslcrldir.isEmpty())
            in.crlLoads = QFileInfo(in.sslcrldir).isDir();
        return in;
    }

    // ---------------------------------------------------------------------------------------------------
    // Failures

    struct FailureInput
    {
        Error error; // message: this failure only (one try)
        int attempt = -1;
        Severity severity = Severity::Error;
    };

    static void inspectFileEvidence(Finding& f, const QString& path, pki::FileRole role)
    {
        if (path.isEmpty())
            return;
        const auto inspected = pki::PkiLoader::inspectFile(path, role);
        if (!inspected) {
            f.evidence << tr("%1: %2").arg(path, inspected.error().message);
            return;
        }
        QString encoding = inspected->encoding == pki::Encoding::Der   ? u"DER"_s
                           : inspected->encoding == pki::Encoding::Pem ? u"PEM"_s
                                                                       : tr("unknown encoding");
        if (inspected->kind == pki::FileKind::PrivateKey && inspected->privateKeyEncrypted)
            encoding = tr("%1, encrypted").arg(encoding);
        f.evidence
            //: %1 a file path, %2 what it holds ("a certificate", "a private key"…), %3 its encoding (PEM,
            //: DER)
            << tr("%1 holds %2 (%3)").arg(path, pki::PkiLoader::kindDescription(inspected->kind), encoding);
        const QString p = shellQuoted(path);
        switch (inspected->kind) {
        case pki::FileKind::Certificate:
            if (inspected->encoding == pki::Encoding::Der)
                f.fixes
                    << tr("libpq reads certificates as PEM only; convert it: openssl x509 -inform DER -in %1 "
                          "-out %2")
                           .arg(p, shellQuoted(path + u".pem"_s));
            break;
        case pki::FileKind::Pkcs7:
            //: %1 is a shell command (openssl …), shown as is
            f.fixes << tr("It is a PKCS#7 bundle, which libpq cannot read; convert it: %1")
                           .arg(u"openssl pkcs7 -print_certs %1-in %2 -out %3"_s.arg(
                               inspected->encoding == pki::Encoding::Der ? u"-inform DER "_s : QString(), p,
                               shellQuoted(path + u".pem"_s)));
            break;
        case pki::FileKind::Pkcs12:
            f.fixes << (role == pki::FileRole::ClientKey
                            ? tr("It is a PKCS#12 bundle, which libpq cannot read; extract the key: openssl "
                                 "pkcs12 "
                                 "-in %1 -nocerts -nodes -out client.key (then chmod 0600 client.key)")
                                  .arg(p)
                            : tr("It is a PKCS#12 bundle, which libpq cannot read; extract the certificates: "
                                 "openssl "
                                 "pkcs12 -in %1 -nokeys -out %2")
                                  .arg(p, shellQuoted(path + u".pem"_s)));
            break;
        case pki::FileKind::SshKey:
            f.fixes << tr(
                "An OpenSSH key cannot be used for TLS; use the private key that belongs to the client "
                "certificate.");
            break;
        default:
            break;
        }
        if (inspected->problem && !inspected->fitsRole)
            f.evidence << inspected->problem->message;
    }

    static QString serverText(const QString& message)
    {
        const qsizetype sep = message.indexOf(u":  "_s);
        return sep >= 0 ? message.mid(sep + 3) : message;
    }

    static void serverError(Ctx& c, const FailureInput& in, const AttemptReport& a)
    {
        const QString text = serverText(in.error.message);
        QString sqlState = in.error.explanation;
        static const QRegularExpression stateRx(u"^[0-9A-Z]{5}$"_s);
        if (!stateRx.match(sqlState).hasMatch())
            sqlState.clear();
        const QString user = c.value(u"user");
        const QString db = c.value(u"dbname");
        Finding f = make("server-error", in.severity, in.error.message, {}, in.attempt);
        f.evidence << in.error.detail;
        if (!sqlState.isEmpty())
            f.evidence << tr("SQLSTATE %1").arg(sqlState);
        // The server's message names the connection type it judged ("SSL encryption", "no encryption";
        // before PostgreSQL 14 "SSL on" / "SSL off").
        const bool encrypted =
            text.contains(u"SSL encryption") || text.endsWith(u"SSL on") || text.contains(u"GSS encryption");
        if (text.startsWith(u"no pg_hba.conf entry")) {
            const bool noEncryption = text.contains(u"no encryption") || text.endsWith(u"SSL off");
            f.code = noEncryption ? u"no-hba-entry-without-encryption"_s : u"no-hba-entry"_s;
            const QString addr = firstQuoted(text);
            if (noEncryption) {
                f.summary =
                    tr("The server's pg_hba.conf has no line that accepts an unencrypted connection from "
                       "%1 for user %2 to database %3.")
                        .arg(addr, quoted(user), quoted(db));
                f.explanation = tr("This connection attempt was not encrypted. Servers commonly allow remote "
                                   "logins only over TLS (hostssl lines), so an unencrypted attempt finds no "
                                   "matching line.");
                f.fixes
                    << tr("Use TLS: sslmode=verify-full (or at least require), and fix the TLS failure if "
                          "there is one above.")
                    << tr("Or ask the server's administrator to add a pg_hba.conf line for this user, "
                          "database "
                          "and address, and reload.");
                f.evidence << c.setting(u"sslmode");
            } else {
                f.summary =
                    tr("The server's pg_hba.conf has no line that accepts a TLS connection from %1 for user "
                       "%2 to database %3.")
                        .arg(addr, quoted(user), quoted(db));
                f.explanation =
                    tr("pg_hba.conf is checked top to bottom for a line matching the connection type "
                       "(hostssl for TLS), database, user and client address; none matched.");
                f.fixes << tr("Ask the server's administrator to add a line such as \"hostssl %1 %2 %3/32 "
                              "scram-sha-256\" to pg_hba.conf and reload the server.")
                               .arg(db.isEmpty() ? u"all"_s : db, user.isEmpty() ? u"all"_s : user,
                                    addr.isEmpty() ? u"<address>"_s : addr)
                        << tr("Check the user and database names you connect with.");
                f.evidence << c.setting(u"user") << c.setting(u"dbname");
            }
        } else if (text.contains(u"pg_hba.conf rejects connection")) {
            f.code = u"hba-reject"_s;
            f.summary = encrypted
                            ? tr("A \"reject\" line in the server's pg_hba.conf refuses this TLS connection.")
                            : tr("A \"reject\" line in the server's pg_hba.conf refuses this unencrypted "
                                 "connection.");
            f.explanation =
                tr("The first pg_hba.conf line that matches this connection type, user, database and "
                   "address says reject.");
            f.fixes << (encrypted
                            ? tr("The server may only accept unencrypted connections for this user "
                                 "(hostnossl); ask its administrator to allow TLS.")
                            : tr("Connect with TLS (sslmode=require or stronger): the server may accept "
                                 "this user only over TLS."));
        } else if (sqlState == u"28P01" || text.startsWith(u"password authentication failed")) {
            f.code = u"password-failed"_s;
            f.summary = tr("The server refused the password for user %1.").arg(quoted(user));
            f.explanation =
                tr("The password is wrong, the role has no password (or a stale MD5 one after "
                   "switching to SCRAM), or it expired (VALID UNTIL). The server does not say which; "
                   "its log does.");
            f.fixes << tr("Check the password and where it comes from (see below).")
                    << tr("An administrator can set it again: ALTER ROLE %1 PASSWORD '…';").arg(user);
            if (c.settings()) {
                const settings::EffectiveValue* pw = c.settings()->find(u"password");
                if (pw && pw->value && !pw->value->isEmpty()) {
                    f.evidence << c.setting(u"password");
                } else if (const auto pf = c.settings()->effectiveFile(u"passfile"); pf && pf->value) {
                    settings::PgPassQuery q;
                    q.host = a.host.isEmpty() ? a.hostaddr : a.host;
                    q.port = QString::number(a.port);
                    q.dbname = db;
                    q.user = user;
                    const settings::PgPassResult r = settings::PgPass(*pf->value).lookup(q);
                    if (r.status == settings::PgPassStatus::Matched)
                        f.evidence << tr("The password came from line %1 of the password file %2.")
                                          .arg(r.line)
                                          .arg(r.path);
                }
            }
        } else if (sqlState == u"3D000" ||
                   (text.startsWith(u"database \"") && text.endsWith(u"does not exist"))) {
            f.code = u"database-missing"_s;
            f.summary = tr("The database %1 does not exist on this server.").arg(quoted(db));
            f.explanation =
                tr("libpq connects to one database; when dbname is not set it uses the user name.");
            f.fixes << tr("Set dbname to an existing database (for example dbname=postgres), or create it.");
            f.evidence << c.setting(u"dbname");
        } else if (text.startsWith(u"role \"") && text.endsWith(u"does not exist")) {
            f.code = u"role-missing"_s;
            f.summary = tr("The user (role) %1 does not exist on this server.").arg(quoted(user));
            f.explanation = tr("When user is not set, libpq uses your operating-system user name.");
            f.fixes << tr("Set user to an existing role, or have it created (CREATE ROLE … LOGIN).");
            f.evidence << c.setting(u"user");
        } else if (sqlState == u"53300" || text.contains(u"too many clients") ||
                   text.contains(u"remaining connection slots")) {
            f.code = u"too-many-connections"_s;
            f.summary = tr("The server has no free connection slot.");
            f.explanation = tr("max_connections is reached (some slots may be reserved for superusers or "
                               "replication).");
            f.fixes << tr(
                "Try again later, close idle sessions, use a connection pooler, or raise max_connections "
                "on the server.");
        } else if (sqlState == u"57P03" || text.contains(u"the database system is")) {
            f.code = u"server-not-ready"_s;
            f.summary = tr("The server cannot accept connections right now: %1").arg(text);
            f.explanation =
                tr("It is starting up, shutting down, or a standby in recovery that does not accept "
                   "connections (hot_standby = off). libpq tries the next host, if any.");
            f.fixes << tr("Wait and try again, or connect to another server of the cluster.");
        } else if (sqlState == u"42501" || text.startsWith(u"permission denied for database")) {
            f.code = u"no-connect-privilege"_s;
            f.summary = tr("User %1 may not connect to database %2.").arg(quoted(user), quoted(db));
            f.explanation = tr("The role lacks the CONNECT privilege on this database.");
            f.fixes << tr("An administrator can grant it: GRANT CONNECT ON DATABASE %1 TO %2;").arg(db, user);
        } else if (text.startsWith(u"certificate authentication failed") ||
                   text.contains(u"requires a valid client certificate") ||
                   text.startsWith(u"certificate validation") || text.contains(u"client certificate")) {
            f.code = u"client-certificate-refused"_s;
            f.summary = tr("The server refused the client certificate for user %1.").arg(quoted(user));
            f.explanation =
                tr("With the cert method (or clientcert=verify-full) the certificate's common name must "
                   "equal the user name (or map to it in pg_ident.conf), and it must be issued by a CA in "
                   "the server's ssl_ca_file.");
            f.fixes << tr("Connect as the user the certificate names, or use a certificate whose CN is %1.")
                           .arg(user)
                    << tr("Check sslcert and sslkey (see below).");
            f.evidence << c.fileSetting(u"sslcert");
            if (a.tls)
                f.evidence << (a.tls->clientCertificateSent ? tr("A client certificate was sent.")
                                                            : tr("No client certificate was sent."));
        } else {
            f.code = u"server-error"_s;
            f.summary = tr("The server refused the connection: %1").arg(text);
            f.explanation = tr("The server's own message says why; its log may have more detail.");
            if (sqlState.startsWith(u"28"))
                f.fixes << tr(
                    "Check the user, the authentication method in pg_hba.conf and the credentials.");
        }
        c.add(f);
    }

    static void handshakeError(Ctx& c, const FailureInput& in, const AttemptReport& a)
    {
        const QString m = in.error.message;
        const QString reason = m.startsWith(u"SSL error: ") ? m.mid(11).section(u'\n', 0, 0) : m;
        Finding f = make("tls-handshake-failed", in.severity, m, {}, in.attempt);
        f.evidence << in.error.detail;
        const bool sent = a.tls && a.tls->clientCertificateSent;
        const bool notTls = reason == u"wrong version number" || reason == u"packet length too long" ||
                            reason == u"record layer failure";
        if (!notTls && (m.contains(u"does not support any SSL protocol version") ||
                        reason.contains(u"protocol version") || reason == u"unsupported protocol" ||
                        reason == u"no protocols available" || reason.startsWith(u"version too"))) {
            f.code = u"protocol-version-mismatch"_s;
            f.summary = tr("Client and server have no TLS protocol version in common.");
            f.explanation =
                tr("libpq allows TLS versions from ssl_min_protocol_version (default TLSv1.2) to "
                   "ssl_max_protocol_version; the server allows its own range (ssl_min_protocol_version "
                   "and ssl_max_protocol_version in postgresql.conf). The two ranges do not overlap.");
            f.fixes << tr("Check ssl_min_protocol_version / ssl_max_protocol_version on both sides.")
                    << tr("An old server that only speaks TLSv1.0/1.1 should be upgraded; lowering "
                          "ssl_min_protocol_version is a stopgap that weakens the connection.");
            f.evidence << c.setting(u"ssl_min_protocol_version") << c.setting(u"ssl_max_protocol_version");
        } else if (notTls) {
            f.code = u"not-tls"_s;
            f.summary = tr("What answered after the SSL request does not speak TLS.");
            f.explanation =
                tr("The bytes that came back are not a TLS handshake: a proxy or another service is "
                   "listening on that port.");
            f.fixes << tr("Check host and port; make sure nothing in between terminates or rewrites the "
                          "connection.");
        } else if (reason.contains(u"certificate required")) {
            f.code = u"client-certificate-required"_s;
            f.summary = tr("The server requires a client certificate, and none was sent.");
            f.explanation =
                tr("The server asks for a certificate (ssl_ca_file set and clientcert or the cert "
                   "method in pg_hba.conf) and refuses the handshake without one.");
            f.fixes << tr("Set sslcert and sslkey to your client certificate and key (or put them at "
                          "~/.postgresql/postgresql.crt and postgresql.key).");
            f.evidence << c.fileSetting(u"sslcert") << c.fileSetting(u"sslkey");
        } else if (reason.contains(u"unknown ca")) {
            f.code = u"client-certificate-unknown-ca"_s;
            f.summary = tr("The server does not trust the CA that issued your client certificate.");
            f.explanation = tr("The server checks client certificates against its ssl_ca_file; the issuer of "
                               "yours is not there.");
            f.fixes << tr(
                "Use a client certificate issued by the CA in the server's ssl_ca_file, or have that CA "
                "added there.");
            f.evidence << c.fileSetting(u"sslcert");
        } else if (reason.contains(u"certificate expired")) {
            f.code = u"client-certificate-expired"_s;
            f.summary = tr("The server refused your client certificate because it has expired.");
            f.fixes << tr("Renew the client certificate.");
            f.evidence << c.fileSetting(u"sslcert");
        } else if (reason.contains(u"certificate revoked")) {
            f.code = u"client-certificate-revoked"_s;
            f.summary =
                tr("The server refused your client certificate because it is revoked (ssl_crl_file).");
            f.fixes << tr("Get a new client certificate.");
        } else if (reason.contains(u"bad certificate") || reason.contains(u"certificate unknown") ||
                   reason.contains(u"unsupported certificate") || reason.contains(u"decrypt error")) {
            f.code = u"client-certificate-rejected"_s;
            f.summary = sent ? tr("The server rejected the client certificate you sent.")
                             : tr("The server rejected the handshake because of a certificate problem.");
            f.explanation =
                tr("Possible reasons: it was not issued by a CA in the server's ssl_ca_file, it is "
                   "not valid for client authentication (extendedKeyUsage clientAuth), or the chain "
                   "to the server's CA is incomplete. The server log names the reason.");
            f.fixes << tr("Check the client certificate against the server's ssl_ca_file.");
            f.evidence << c.fileSetting(u"sslcert");
        } else if (reason == u"no application protocol") {
            f.code = u"alpn-rejected"_s;
            f.summary = tr("The server refused the ALPN protocol \"postgresql\".");
            f.explanation = tr("A TLS endpoint that expects another protocol (for example HTTP) answered.");
            f.fixes << tr("Check host and port, and sslnegotiation.");
        } else if (reason.contains(u"handshake failure")) {
            f.code = u"tls-handshake-failure"_s;
            f.summary =
                tr("The server aborted the TLS handshake (no common cipher, curve or signature algorithm, "
                   "or its own configuration problem).");
            f.fixes << tr(
                "Look at the server's log for the reason; check ssl_ciphers and ssl_ecdh_curve there.");
        } else {
            f.summary = tr("The TLS handshake failed: %1").arg(reason);
            f.explanation = in.error.explanation;
        }
        c.add(f);
    }

    static void keyFileFinding(Ctx& c, const FailureInput& in, const QString& code)
    {
        const QString m = in.error.message;
        const QString path = firstQuoted(m);
        Finding f = make("client-key", in.severity, m, {}, in.attempt);
        f.explanation = in.error.explanation;
        if (code == u"pki.key-permissions") {
            f.code = u"key-permissions"_s;
            const auto st = pki::KeyPermissions::statFile(path);
            const QString mode = st ? u"0%1"_s.arg(st->mode, 3, 8, QLatin1Char('0')) : tr("unknown");
            f.summary = tr("The private key file %1 can be read by other users (mode %2), so libpq refuses "
                           "to use it.")
                            .arg(quoted(path), mode);
            f.explanation =
                tr("libpq requires u=rw (0600) or less for a key owned by you, or u=rw,g=r (0640) or "
                   "less for a key owned by root.");
            f.fixes << tr("Restrict it: chmod 0600 %1").arg(shellQuoted(path));
            if (st)
                f.evidence << tr("%1: mode %2, owner uid %3").arg(path, mode).arg(st->ownerUid);
        } else if (code == u"pki.key-missing") {
            f.code = u"client-key-missing"_s;
            f.summary = tr("A client certificate was found, but not its private key %1.").arg(quoted(path));
            f.explanation = tr("libpq uses the client certificate whenever the file exists (also its default "
                               "~/.postgresql/postgresql.crt), and then needs the key.");
            f.fixes
                << tr("Set sslkey to the key file of the certificate.")
                << tr("If you did not mean to send a client certificate, remove or rename the certificate "
                      "file, or set sslcertmode=disable.");
            f.evidence << c.fileSetting(u"sslcert") << c.fileSetting(u"sslkey");
        } else if (code == u"tls.key-passphrase") {
            f.code = u"key-passphrase"_s;
            const bool given = c.settings() && !c.value(u"sslpassword").isEmpty();
            f.summary = given ? tr("The passphrase in sslpassword does not open the encrypted key %1.")
                                    .arg(quoted(path))
                              : tr("The key %1 is encrypted, and no passphrase (or a wrong one) was given.")
                                    .arg(quoted(path));
            f.explanation =
                tr("An encrypted private key can only be used with its passphrase (OpenSSL reports "
                   "\"bad decrypt\").");
            f.fixes << (given
                            ? tr("Correct sslpassword.")
                            : tr("Set sslpassword (in a service file or the connection string), or type the "
                                 "passphrase when asked (verifyfull-cli asks on a terminal)."))
                    << tr("Or store the key unencrypted, readable only by you: openssl pkey -in %1 -out "
                          "client.key && chmod 0600 client.key")
                           .arg(shellQuoted(path));
            if (given)
                f.evidence << c.setting(u"sslpassword");
            inspectFileEvidence(f, path, pki::FileRole::ClientKey);
        } else if (code == u"tls.key-mismatch") {
            f.code = u"key-mismatch"_s;
            f.summary = tr("The private key %1 does not belong to the client certificate.").arg(quoted(path));
            f.explanation = tr("A certificate and its key are a pair; libpq checks that they match.");
            f.fixes << tr("Set sslkey to the key the certificate was issued for (or sslcert to the matching "
                          "certificate).");
            f.evidence << c.fileSetting(u"sslcert") << c.fileSetting(u"sslkey");
        } else {
            f.code = u"client-key-unreadable"_s;
            f.summary = tr("libpq cannot use the private key file %1.").arg(quoted(path));
            if (f.explanation.isEmpty())
                f.explanation = tr("libpq reads the key as PEM, or else DER (PKCS#1, SEC1 or PKCS#8).");
            inspectFileEvidence(f, path, pki::FileRole::ClientKey);
            f.evidence << c.fileSetting(u"sslkey");
        }
        c.add(f);
    }

    static void rootFileFinding(Ctx& c, const FailureInput& in, const QString& code)
    {
        const QString m = in.error.message;
        Finding f = make("root-file", in.severity, m, {}, in.attempt);
        const QString mode = c.sslmode();
        if (code == u"tls.root-missing" || code == u"tls.no-home") {
            const QString path = firstQuoted(m);
            f.code = code == u"tls.no-home" ? u"no-home-directory"_s : u"root-file-missing"_s;
            f.summary =
                code == u"tls.no-home"
                    ? tr("sslmode=%1 needs root certificates, and without a home directory there is no "
                         "default root file.")
                          .arg(mode)
                    : tr("sslmode=%1 checks the server against root certificates, and the root file %2 does "
                         "not exist.")
                          .arg(mode, quoted(path));
            f.explanation = tr("libpq stops before the TLS handshake: without trusted roots nothing can be "
                               "verified.");
            f.fixes
                << tr("Get the root certificate of the CA that issued the server's certificate (from the "
                      "server's administrator or your cloud provider) and set sslrootcert to it, or save it "
                      "as ~/.postgresql/root.crt.")
                << tr("For a server whose certificate comes from a public CA, use sslrootcert=system.")
                << tr("verifyfull-cli inspect shows the chain the server presents.");
            if (path.startsWith(u"~/"))
                f.fixes.prepend(tr("libpq does not expand \"~\": write the full path (for example %1).")
                                    .arg(QDir::homePath() + path.mid(1)));
            else if (QFileInfo(path).isRelative())
                f.fixes.prepend(
                    tr("A relative path is looked up from the current directory: use an absolute path."));
            f.evidence << c.fileSetting(u"sslrootcert") << c.setting(u"sslmode");
        } else if (code == u"tls.root-unreadable") {
            const QString path = firstQuoted(m);
            f.code = u"root-file-unreadable"_s;
            f.summary = tr("The root file %1 exists, but OpenSSL cannot read certificates from it.")
                            .arg(quoted(path));
            f.explanation =
                tr("libpq reads sslrootcert as PEM (one or more \"BEGIN CERTIFICATE\" blocks). Because "
                   "the file exists, libpq uses it with every sslmode, so every TLS attempt fails.");
            inspectFileEvidence(f, path, pki::FileRole::RootCertificates);
            f.fixes << tr("Replace it with the CA's root certificate in PEM form.");
            f.evidence << c.fileSetting(u"sslrootcert");
        } else {
            f.code = u"system-roots-unavailable"_s;
            f.summary = tr("OpenSSL could not load the system's trusted roots.");
            f.explanation = in.error.explanation;
            f.fixes << tr("Install the ca-certificates package, or check SSL_CERT_FILE / SSL_CERT_DIR.");
        }
        c.add(f);
    }

    static void verifyFailed(Ctx& c, const FailureInput& in, const AttemptReport& a)
    {
        const AttemptChain* chain = c.diagnosis.chainFor(in.attempt);
        if (chain && chain->verifiedByLibpq && a.tls) {
            pki::ChainVerification v = chain->verification;
            // libpq's own verdict from the handshake wins if the second run saw the chain differently.
            if (a.tls->verifyError != 0 && a.tls->verifyError != v.errorCode) {
                v.ok = false;
                v.errorCode = a.tls->verifyError;
                v.errorDepth = a.tls->verifyErrorDepth;
                v.errorString = a.tls->verifyErrorString;
            }
            if (!v.ok) {
                for (Finding f : Diagnosis::chainFindings(v, a.tls->presentedChain, chain->trust,
                                                          in.error.message, in.severity)) {
                    f.attempt = in.attempt;
                    if (f.severity == Severity::Error || in.severity == Severity::Error)
                        c.add(f);
                }
                return;
            }
        }
        Finding f = make("chain-invalid", in.severity, in.error.message, {}, in.attempt);
        const QString reason = a.tls ? a.tls->verifyErrorString : QString();
        f.summary = reason.isEmpty()
                        ? tr("The server's certificate chain did not verify.")
                        : tr("The server's certificate chain did not verify: %1 (certificate #%2).")
                              .arg(reason)
                              .arg(a.tls->verifyErrorDepth);
        f.explanation = tr("libpq checks the chain against the trusted roots (sslrootcert).");
        f.fixes << tr("Run verifyfull-cli inspect to see the chain the server presents.");
        f.evidence << c.fileSetting(u"sslrootcert");
        c.add(f);
    }

    static void authFinding(Ctx& c, const FailureInput& in, const AttemptReport& a, const QString& code)
    {
        const QString m = in.error.message;
        Finding f = make("auth", in.severity, m, {}, in.attempt);
        f.explanation = in.error.explanation;
        if (code == u"auth.channel-binding" || code == u"auth.plus-without-ssl") {
            if (m.contains(u"SSL not in use")) {
                f.code = u"channel-binding-without-tls"_s;
                f.summary = tr("channel_binding=require needs TLS, and this connection is not encrypted.");
                f.fixes << tr("Use sslmode=verify-full (or require) together with channel_binding=require.");
                f.evidence << c.setting(u"sslmode");
            } else if (code == u"auth.plus-without-ssl") {
                f.code = u"scram-plus-over-plaintext"_s;
                f.summary =
                    tr("The server offered channel binding over an unencrypted connection, which a genuine "
                       "server never does.");
                f.explanation = tr("Someone in between may have stripped TLS from the connection.");
                f.fixes << tr("Use sslmode=verify-full and find out what is between you and the server.");
            } else {
                f.code = u"channel-binding-unavailable"_s;
                f.summary = a.authMethod.isEmpty()
                                ? tr("channel_binding=require, but the server asked for an authentication "
                                     "method without channel binding.")
                                : tr("channel_binding=require, but the server authenticated with %1, without "
                                     "channel binding.")
                                      .arg(a.authMethod);
                f.explanation =
                    tr("Channel binding needs SCRAM-SHA-256 over TLS (SCRAM-SHA-256-PLUS). The server "
                       "uses another method for this user (md5, password, trust, cert), the role's "
                       "password is stored as MD5, or a connection pooler in between cannot bind.");
                f.fixes << tr("On the server: use scram-sha-256 in pg_hba.conf, set password_encryption = "
                              "scram-sha-256 and set the password again.")
                        << tr("Or set channel_binding=prefer (then it is used whenever possible).");
            }
            f.evidence << c.setting(u"channel_binding");
        } else if (code == u"auth.require-auth") {
            f.code = u"require-auth-failed"_s;
            f.summary = tr("The server's authentication method is not one require_auth allows.");
            f.fixes << tr("Change require_auth, or the method in the server's pg_hba.conf.");
            f.evidence << c.setting(u"require_auth");
        } else if (code == u"auth.cert-not-requested") {
            f.code = u"sslcertmode-not-requested"_s;
            f.summary = tr("sslcertmode=require, but the server never asked for a client certificate.");
            f.explanation = tr("The server only asks when ssl_ca_file is set.");
            f.fixes << tr("Configure ssl_ca_file on the server, or set sslcertmode=allow.");
            f.evidence << c.setting(u"sslcertmode");
        } else if (code == u"auth.cert-not-sent") {
            f.code = u"sslcertmode-not-sent"_s;
            f.summary = tr("sslcertmode=require, but no client certificate was sent.");
            f.fixes << tr("Set sslcert and sslkey (or use ~/.postgresql/postgresql.crt and postgresql.key).");
            f.evidence << c.setting(u"sslcertmode") << c.fileSetting(u"sslcert");
        } else if (code == u"auth.no-password") {
            f.code = u"no-password"_s;
            f.summary = tr("The server asks for a password, and none was given.");
            f.explanation =
                tr("libpq takes the password from the password setting, PGPASSWORD, or a matching line "
                   "of the password file (~/.pgpass, format host:port:database:user:password, mode "
                   "0600).");
            f.fixes << tr("Provide the password (password=…, PGPASSWORD, or a ~/.pgpass line).");
            if (c.settings()) {
                f.evidence << c.fileSetting(u"passfile");
                if (const auto pf = c.settings()->effectiveFile(u"passfile"); pf && pf->value) {
                    settings::PgPassQuery q;
                    q.host = a.host.isEmpty() ? a.hostaddr : a.host;
                    q.port = QString::number(a.port);
                    q.dbname = c.value(u"dbname");
                    q.user = c.value(u"user");
                    const settings::PgPassResult r = settings::PgPass(*pf->value).lookup(q);
                    if (r.warning)
                        f.evidence << r.warning->message;
                    else if (r.status == settings::PgPassStatus::NoMatch)
                        f.evidence << tr("No line of %1 matches %2:%3:%4:%5.")
                                          .arg(r.path, q.host, q.port, q.dbname, q.user);
                }
            }
        } else {
            f.code = u"auth-unsupported"_s;
            f.summary =
                tr("The server asks for an authentication method this client cannot perform: %1").arg(m);
            f.fixes << tr("Use another method in pg_hba.conf for this user (scram-sha-256, cert).");
        }
        c.add(f);
    }

    static void connectFinding(Ctx& c, const FailureInput& in, const AttemptReport& a)
    {
        const QString m = in.error.message;
        Finding f = make("connect-failed", in.severity, m, {}, in.attempt);
        f.explanation = in.error.explanation;
        if (m.startsWith(u"could not translate host name")) {
            f.code = u"dns-failure"_s;
            f.summary = tr("The host name %1 does not resolve to an address.").arg(quoted(a.host));
            f.fixes << tr("Check the spelling of host and your DNS (or /etc/hosts).")
                    << tr("Or keep host for the certificate check and add hostaddr=<IP address>.");
            f.evidence << c.setting(u"host");
        } else if (m.startsWith(u"Connection refused")) {
            f.code = u"connection-refused"_s;
            f.summary = tr("Nothing accepted the connection at %1.").arg(hostPort(a));
            f.explanation =
                tr("No server listens there: PostgreSQL is not running, listens on another port or "
                   "address (listen_addresses defaults to localhost only), or a firewall rejects the "
                   "connection.");
            f.fixes << tr("Check that the server is running and listens on port %1 (SHOW port; SHOW "
                          "listen_addresses;).")
                           .arg(a.port)
                    << tr("Check host and port, and any firewall in between.");
            f.evidence << c.setting(u"host") << c.setting(u"port");
        } else if (m.startsWith(u"timeout expired")) {
            f.code = u"connect-timeout"_s;
            f.summary = tr("The server at %1 did not accept the connection in time.").arg(hostPort(a));
            f.fixes << tr("Check that the address is right and that no firewall silently drops the packets.");
            f.evidence << c.setting(u"connect_timeout");
        } else if (m.startsWith(u"No such file or directory")) {
            f.code = u"socket-missing"_s;
            f.summary = tr("There is no server socket at %1.").arg(a.hostaddr);
            f.explanation = tr("The local server is not running, or it puts its socket in another directory "
                               "(unix_socket_directories).");
            f.fixes << tr(
                "Start the server, or set host to the socket directory it uses, or connect over TCP "
                "(host=localhost).");
        } else {
            f.code = u"connect-failed"_s;
            f.summary = tr("The connection to %1 failed: %2").arg(hostPort(a), m.section(u'\n', 0, 0));
            f.fixes << tr("Check host, port and the network path to the server.");
        }
        c.add(f);
    }

    static void failure(Ctx& c, const FailureInput& in, const AttemptReport& a)
    {
        QString code = in.error.code;
        if (code.isEmpty())
            code = inferCode(in.error.message);
        const QString m = in.error.message;
        if (code == u"session.connect") {
            connectFinding(c, in, a);
        } else if (code == u"session.timeout") {
            Finding f = make("timeout", in.severity, m,
                             a.phases.isEmpty() ? tr("The server did not answer in time.")
                                                : tr("The server did not answer in time during %1.")
                                                      .arg(session::phaseDisplayName(a.phases.last().phase)),
                             in.attempt);
            f.fixes << tr(
                "Check the server's load and the network; raise --timeout or connect_timeout if it is just "
                "slow.");
            if (a.phases.size() > 0 && a.phases.last().phase == session::Phase::TlsHandshake)
                f.fixes << tr(
                    "A server that never answers the TLS handshake may not be PostgreSQL, or expects "
                    "sslnegotiation=direct.");
            c.add(f);
        } else if (code == u"session.canceled") {
            c.add(make("canceled", Severity::Info, {}, tr("The check was canceled."), in.attempt));
        } else if (code == u"settings.gssencmode") {
            Finding f = make("gssencmode-required", in.severity, m,
                             tr("gssencmode=require cannot work here."), in.attempt);
            f.explanation = in.error.explanation;
            f.fixes << tr("Use gssencmode=prefer or disable.");
            c.add(f);
        } else if (code == u"session.no-tls") {
            Finding f = make("no-tls", in.severity, m, tr("The server did not agree to TLS."), in.attempt);
            f.explanation = tr("Nothing could be inspected: the connection would not be encrypted.");
            f.fixes << tr("Enable ssl on the server, or check sslmode (disable never uses TLS).");
            f.evidence << c.setting(u"sslmode");
            c.add(f);
        } else if (code == u"negotiation.no-ssl") {
            Finding f = make("server-no-ssl", in.severity, m,
                             tr("The server does not offer TLS at all: it answered 'N' to the SSL request."),
                             in.attempt);
            f.explanation =
                tr("ssl is off in the server's postgresql.conf, or a connection pooler or proxy in "
                   "between does not do TLS.");
            f.fixes << tr("On the server: set ssl = on with ssl_cert_file and ssl_key_file, then reload.")
                    << tr("With a pooler (for example PgBouncer), enable TLS for clients there.");
            f.evidence << c.setting(u"sslmode");
            c.add(f);
        } else if (code == u"negotiation.error-response") {
            Finding f =
                make("ssl-error-response", in.severity, m,
                     tr("The server answered the SSL request with an error instead of TLS."), in.attempt);
            f.explanation = in.error.explanation;
            f.fixes << tr("Try again later and look at the server's log.");
            c.add(f);
        } else if (code == u"negotiation.invalid-response" || code.startsWith(u"wire.")) {
            Finding f = make("not-postgresql", in.severity, m,
                             tr("What answered does not speak the PostgreSQL protocol."), in.attempt);
            f.explanation = in.error.explanation;
            f.fixes << tr("Check host and port: another service (or a TLS-only proxy) listens there.");
            f.evidence << c.setting(u"port");
            c.add(f);
        } else if (code == u"negotiation.unencrypted-data") {
            Finding f =
                make("unencrypted-data-after-ssl", in.severity, m,
                     tr("Data arrived outside TLS right after the server agreed to TLS."), in.attempt);
            f.explanation = in.error.explanation;
            f.fixes << tr(
                "Treat this as an attack (CVE-2021-23222) or a broken proxy: find out what is between you "
                "and the server.");
            c.add(f);
        } else if (code == u"tls.root-missing" || code == u"tls.no-home" || code == u"tls.root-unreadable" ||
                   code == u"tls.system-roots" || code == u"pki.root-file-missing") {
            rootFileFinding(c, in, code);
        } else if (code == u"tls.cert-open" || code == u"tls.cert-read") {
            Finding f = make("client-certificate-unreadable", in.severity, m,
                             tr("libpq cannot read the client certificate %1.").arg(quoted(firstQuoted(m))),
                             in.attempt);
            f.explanation = in.error.explanation;
            inspectFileEvidence(f, firstQuoted(m), pki::FileRole::ClientCertificate);
            f.evidence << c.fileSetting(u"sslcert");
            c.add(f);
        } else if (code.startsWith(u"pki.key-") || code == u"tls.key-passphrase" || code == u"tls.key-load" ||
                   code == u"tls.key-mismatch") {
            keyFileFinding(c, in, code);
        } else if (code == u"tls.verify-failed") {
            verifyFailed(c, in, a);
        } else if (code.startsWith(u"pki.hostname")) {
            if (a.hostName) {
                Finding f = Diagnosis::hostNameFinding(*a.hostName, m, in.severity);
                f.attempt = in.attempt;
                f.evidence << c.setting(u"host") << c.setting(u"hostaddr");
                c.add(f);
            } else {
                Finding f =
                    make("hostname-mismatch", in.severity, m,
                         tr("The server certificate does not name the host you connected to."), in.attempt);
                f.explanation = in.error.explanation;
                c.add(f);
            }
        } else if (code == u"tls.handshake" || code == u"tls.read" || code == u"tls.write") {
            handshakeError(c, in, a);
        } else if (code == u"tls.eof" || code == u"tls.closed" || code == u"server.closed") {
            Finding f = make("connection-closed", in.severity, m, {}, in.attempt);
            const bool duringHandshake =
                !a.phases.isEmpty() && a.phases.last().phase == session::Phase::TlsHandshake;
            f.summary = duringHandshake ? tr("The server closed the connection during the TLS handshake.")
                                        : tr("The server closed the connection unexpectedly.");
            f.explanation =
                tr("Common causes: the server rejected the client certificate (some servers just "
                   "close), it crashed or was restarted, it hit a limit, or a proxy or firewall cut the "
                   "connection. The server's log says which.");
            if (a.tls)
                f.evidence
                    << (a.tls->clientCertificateRequested
                            ? (a.tls->clientCertificateSent
                                   ? tr("The server asked for a client certificate, and one was sent.")
                                   : tr("The server asked for a client certificate, and none was sent."))
                            : tr("The server did not ask for a client certificate."));
            f.fixes << tr("Look at the server's log at the time of this attempt.");
            c.add(f);
        } else if (code == u"tls.alpn-missing" || code == u"tls.alpn-unexpected") {
            Finding f =
                make("direct-ssl-alpn", in.severity, m,
                     tr("With sslnegotiation=direct the server has to agree on ALPN \"postgresql\", and it "
                        "did not."),
                     in.attempt);
            f.explanation = in.error.explanation;
            f.fixes << tr(
                "Use sslnegotiation=postgres, or connect to a PostgreSQL 17+ server (or a proxy that "
                "supports direct TLS).");
            c.add(f);
        } else if (code == u"tls.no-peer-certificate") {
            Finding f = make("no-server-certificate", in.severity, m,
                             tr("The server completed the TLS handshake without presenting a certificate."),
                             in.attempt);
            f.explanation =
                tr("libpq needs the server's certificate (anonymous cipher suites are not accepted).");
            f.fixes << tr(
                "Configure ssl_cert_file and ssl_key_file on the server (or the proxy in between).");
            c.add(f);
        } else if (code == u"tls.cbind") {
            Finding f =
                make("channel-binding-hash", in.severity, m,
                     tr("Channel binding cannot be computed for the server's certificate."), in.attempt);
            f.explanation =
                in.error.explanation.isEmpty()
                    ? tr("SCRAM channel binding hashes the server certificate with its signature's "
                         "hash algorithm; this certificate's algorithm has none.")
                    : in.error.explanation;
            f.fixes << tr("Use a server certificate signed with RSA or ECDSA and SHA-256, or set "
                          "channel_binding=disable for this server.");
            c.add(f);
        } else if (code == u"server.error") {
            serverError(c, in, a);
        } else if (code.startsWith(u"auth.")) {
            authFinding(c, in, a, code);
        } else {
            Finding f = make("failure", in.severity, m, {}, in.attempt);
            f.summary = in.error.explanation.isEmpty()
                            ? tr("The connection failed: %1").arg(m.section(u'\n', 0, 0))
                            : in.error.explanation;
            if (code.startsWith(u"tls.min-protocol") || code.startsWith(u"tls.max-protocol")) {
                f.code = u"protocol-setting"_s;
                f.fixes << tr("Use TLSv1, TLSv1.1, TLSv1.2 or TLSv1.3.");
                f.evidence << c.setting(u"ssl_min_protocol_version")
                           << c.setting(u"ssl_max_protocol_version");
            }
            c.add(f);
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Re-verification of the presented chains

    static std::optional<AttemptChain> reverify(const AttemptReport& a, int index,
                                                const DiagnosisContext& context)
    {
        if (!a.tls || a.tls->presentedChain.isEmpty())
            return std::nullopt;
        AttemptChain out;
        out.attempt = index;
        const tls::TlsFacts& facts = *a.tls;
        pki::ChainVerifier verifier;
        if (context.verificationTime.isValid())
            verifier.setVerificationTime(context.verificationTime);
        const QString home = context.settings && context.settings->homeDirectory()
                                 ? *context.settings->homeDirectory()
                                 : QString();
        if (facts.verificationEnabled && facts.rootCertPath != u"system" && !facts.rootCertPath.isEmpty()) {
            out.verifiedByLibpq = true;
            out.trust.kind = TrustSource::Kind::File;
            out.trust.path = facts.rootCertPath;
            out.trust.displayPath = settings::displayPath(facts.rootCertPath, home);
            verifier.setRootFile(facts.rootCertPath);
            if (context.settings) {
                if (const auto root = context.settings->effectiveFile(u"sslrootcert"); root)
                    out.trust.origin =
                        root->origin.source == settings::ValueSource::DefaultFile
                            ? QCoreApplication::translate(
                                  "vf::report::Diagnosis",
                                  "sslrootcert is not set, so libpq uses its default file %1")
                                  .arg(out.trust.displayPath)
                            : u"sslrootcert=%1 (%2)"_s.arg(*root->value, root->origin.detailedLabel());
                if (facts.crlChecking) {
                    const auto crl = context.settings->effectiveFile(u"sslcrl");
                    out.trust.crlFile = crl && crl->value ? *crl->value : QString();
                    out.trust.crlDirectory = context.settings->valueOr(u"sslcrldir");
                    verifier.setCrlFile(out.trust.crlFile);
                    verifier.setCrlDirectory(out.trust.crlDirectory);
                }
            }
        } else if (facts.verificationEnabled) {
            out.verifiedByLibpq = true;
            out.trust.kind = TrustSource::Kind::System;
            out.trust.path = u"system"_s;
            verifier.setSystemRoots(true);
        } else {
            // libpq did not verify; the system store tells whether sslrootcert=system would do.
            out.trust.kind = TrustSource::Kind::System;
            out.trust.path = u"system"_s;
            verifier.setSystemRoots(true);
        }
        // The handshake already verified this chain against this root file: take its chain instead of
        // building and checking it again (that doubled the report's cost). Not when a CRL path was
        // given but did not load (the note on why comes from the verifier), nor with a fixed clock.
        bool crlPathsGiven = false;
        if (context.settings) {
            const auto crl = context.settings->effectiveFile(u"sslcrl");
            const bool crlFileUsed =
                crl && crl->value && !crl->value->isEmpty() &&
                (crl->origin.source != settings::ValueSource::DefaultFile || crl->origin.fileExists);
            crlPathsGiven = crlFileUsed || !context.settings->valueOr(u"sslcrldir").isEmpty();
        }
        if (!facts.verifiedChain.isEmpty() && out.trust.kind == TrustSource::Kind::File &&
            !context.verificationTime.isValid() && (facts.crlChecking || !crlPathsGiven)) {
            out.verification = pki::ChainVerifier::fromVerifiedChain(
                facts.verifiedChain, facts.presentedChain, facts.trustAnchors, facts.crlChecking,
                QDateTime::currentDateTimeUtc());
            return out;
        }
        auto result = verifier.verify(facts.presentedChain);
        if (!result)
            return std::nullopt;
        out.verification = std::move(*result);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------
    // Successes

    static void successNotes(Ctx& c, const AttemptReport& a, int index)
    {
        const QString mode = c.sslmode();
        const AttemptChain* chain = c.diagnosis.chainFor(index);
        if (c.context.inspectOnly)
            c.add(make("inspect-only", Severity::Info, {},
                       tr("Only the TLS handshake was performed; authentication was not attempted."), index));
        if (a.unixSocket) {
            Finding f = make("unix-socket", Severity::Info, {},
                             tr("Connected over a Unix-domain socket: libpq never uses TLS there."), index);
            f.explanation =
                tr("The traffic stays inside this computer; the sslmode and certificate settings do not "
                   "apply to it.");
            c.add(f);
            return;
        }
        if (a.finalMethod == session::EncryptionMethod::Plaintext && !c.context.inspectOnly) {
            Finding f;
            f.attempt = index;
            f.severity = Severity::Warning;
            QString sslFailure;
            for (const session::MethodTry& t : a.tries) {
                if (t.method == session::EncryptionMethod::Ssl && !t.failure.isEmpty())
                    sslFailure = t.failure;
            }
            if (mode == u"disable") {
                f.code = u"plaintext-disable"_s;
                f.summary = tr("Connected WITHOUT encryption: sslmode=disable never uses TLS.");
            } else if (mode == u"allow" && sslFailure.isEmpty()) {
                f.code = u"plaintext-allow"_s;
                f.summary =
                    tr("Connected WITHOUT encryption: sslmode=allow tries TLS only when the server refuses "
                       "an unencrypted connection.");
            } else {
                f.code = u"plaintext-fallback"_s;
                f.libpqMessage = sslFailure;
                f.summary =
                    tr("Connected WITHOUT encryption: the TLS attempt failed and sslmode=%1 silently fell "
                       "back to plaintext.")
                        .arg(mode);
                f.explanation =
                    tr("Everything, passwords included, crossed the network unencrypted, and nobody "
                       "checked who answered.");
            }
            f.fixes << tr(
                "Set sslmode=verify-full (or at least require): libpq then refuses to continue without "
                "TLS.");
            if (sslFailure.startsWith(u"server does not support SSL"))
                f.fixes << tr("The server does not offer TLS: set ssl = on in its postgresql.conf.");
            f.evidence << c.setting(u"sslmode");
            c.add(f);
            if (!sslFailure.isEmpty() && !sslFailure.startsWith(u"server does not support SSL"))
                failure(c, FailureInput{Error{{}, sslFailure, {}, {}}, index, Severity::Warning}, a);
            if (a.authMethod == u"password" || a.authMethod == u"md5") {
                Finding p =
                    make("password-over-plaintext", Severity::Warning, {},
                         tr("The password (%1) was sent over the unencrypted connection.").arg(a.authMethod),
                         index);
                p.fixes << tr("Use TLS, and scram-sha-256 on the server.");
                c.add(p);
            }
            return;
        }
        if (!a.tls)
            return;

        // A successful TLS connection with a root file or the system store loaded: libpq verified the chain.
        const bool verified = a.tls->verificationEnabled;
        const QString home =
            c.settings() && c.settings()->homeDirectory() ? *c.settings()->homeDirectory() : QString();
        const QString trustText =
            chain && chain->verifiedByLibpq
                ? chain->trust.describe()
                : (a.tls->rootCertPath == u"system"
                       ? tr("the system's trusted roots")
                       : tr("your root file %1").arg(settings::displayPath(a.tls->rootCertPath, home)));
        if (verified && mode == u"verify-full") {
            const bool haveChain = chain && chain->verifiedByLibpq && !chain->verification.chain.isEmpty();
            const QString root =
                haveChain ? certName(chain->verification.chain.last().certificate) : tr("a root");
            const pki::CertificateName* n = a.hostName ? a.hostName->matchedName() : nullptr;
            Finding f =
                make("identity-verified", Severity::Info, {},
                     tr("The server proved its identity: its chain leads to %1 in %2, and its certificate "
                        "names %3.")
                         .arg(root, trustText, quoted(n ? n->value : a.host)),
                     index);
            c.add(f);
        } else if (verified) {
            Finding f = make("host-not-checked", Severity::Warning, {}, {}, index);
            if (mode == u"require" && a.tls->rootCertPath != u"system") {
                f.code = u"require-behaves-as-verify-ca"_s;
                f.summary =
                    tr("Your sslmode=require behaves as verify-ca because %1 exists: the chain was checked, "
                       "the host name was not.")
                        .arg(settings::displayPath(a.tls->rootCertPath, home));
            } else {
                f.summary =
                    tr("The certificate chain was verified, but sslmode=%1 does not check the host name.")
                        .arg(mode);
            }
            f.explanation = tr("Any server holding a certificate from the same CA would have been accepted.");
            if (a.hostName && a.hostName->isMatched())
                f.fixes << tr("The certificate names %1: set sslmode=verify-full.").arg(quoted(a.host));
            else if (a.hostName)
                f.fixes << tr("verify-full would fail here: %1").arg(a.hostName->message);
            if (chain && !chain->trust.origin.isEmpty())
                f.evidence << chain->trust.origin;
            else
                f.evidence << c.fileSetting(u"sslrootcert");
            f.evidence << c.setting(u"sslmode");
            c.add(f);
        } else {
            Finding f = make("identity-not-checked", Severity::Warning, {},
                             tr("The connection is encrypted, but the server's identity was not checked: "
                                "sslmode=%1 without root certificates accepts any certificate.")
                                 .arg(mode),
                             index);
            f.explanation = tr("A man-in-the-middle presenting its own certificate would not be noticed.");
            if (chain && chain->verification.ok) {
                f.fixes << tr("The server's chain verifies against the system's trusted roots: use "
                              "sslrootcert=system (which implies sslmode=verify-full).");
            } else if (a.tls && !a.tls->presentedChain.isEmpty()) {
                const pki::Certificate top = a.tls->presentedChain.last();
                if (top.isSelfSigned())
                    f.fixes << tr("Get the root certificate %1 (SHA-256 %2) from the server's administrator, "
                                  "check "
                                  "that fingerprint, save it as ~/.postgresql/root.crt and set "
                                  "sslmode=verify-full.")
                                   .arg(certName(top), fingerprint(top));
                else
                    f.fixes << tr("Get the root certificate of %1 (which issued %2), save it as "
                                  "~/.postgresql/root.crt and set sslmode=verify-full.")
                                   .arg(quoted(commonNameOf(top.issuerDn())), certName(top));
            }
            f.evidence << c.fileSetting(u"sslrootcert");
            c.add(f);
            if (a.hostName && !a.hostName->isMatched())
                c.add(Diagnosis::hostNameFinding(*a.hostName, {}, Severity::Warning));
        }
        if (chain && chain->verifiedByLibpq) {
            for (Finding f : Diagnosis::chainFindings(chain->verification, a.tls->presentedChain,
                                                      chain->trust, {}, Severity::Warning)) {
                if (f.severity != Severity::Error) {
                    f.attempt = index;
                    c.add(f);
                }
            }
        }
        if (!c.context.inspectOnly) {
            if (a.authMethod == u"SCRAM-SHA-256" && c.value(u"channel_binding") != u"disable")
                c.add(make("no-channel-binding", Severity::Info, {},
                           tr("SCRAM authentication without channel binding: the server did not offer "
                              "SCRAM-SHA-256-PLUS (a pooler in between, or the server's TLS library)."),
                           index));
            else if (a.authMethod == u"password")
                c.add(make(
                    "cleartext-password-over-tls", Severity::Info, {},
                    tr("The server asked for the password in clear text (method \"password\"); TLS protected "
                       "it on the way, but the server sees it. scram-sha-256 is better."),
                    index));
        }
    }

    static Diagnosis diagnoseImpl(const ConnectionReport& report, const DiagnosisContext& context)
    {
        Diagnosis d;
        Ctx c{report, context, d};
        if (context.settings) {
            QString loadedRootFile;
            for (const AttemptReport& a : report.attempts) {
                if (a.tls && a.tls->verificationEnabled && a.tls->rootCertPath != u"system")
                    loadedRootFile = a.tls->rootCertPath;
            }
            security::AssessmentInput in =
                assessmentInputImpl(*context.settings, context.options, loadedRootFile);
            for (const AttemptReport& a : report.attempts) {
                if (a.tls && a.tls->verificationEnabled && a.tls->rootCertPath != u"system")
                    in.crlLoads = a.tls->crlChecking;
            }
            d.assessment = security::SslModeAssessment::assess(in);
        }
        for (int i = 0; i < report.attempts.size(); ++i) {
            if (auto chain = reverify(report.attempts.at(i), i, context))
                d.chains << *chain;
        }

        if (report.canceled) {
            d.verdict = Verdict::Canceled;
            d.headline = tr("The check was canceled.");
            return d;
        }

        const int successIndex = report.success ? int(report.attempts.size()) - 1 : -1;
        for (int i = 0; i < report.attempts.size(); ++i) {
            const AttemptReport& a = report.attempts.at(i);
            if (i == successIndex)
                continue;
            const Severity severity = report.success ? Severity::Warning : Severity::Error;
            if (!a.error)
                continue;
            QStringList failures;
            for (const session::MethodTry& t : a.tries) {
                if (!t.failure.isEmpty())
                    failures << t.failure;
            }
            if (failures.isEmpty()) {
                failure(c, FailureInput{*a.error, i, severity}, a);
                continue;
            }
            // One finding per failed try; the last one carries the engine's Error.
            const QString last = lastComponent(a.error->message, failures);
            for (qsizetype t = 0; t < failures.size(); ++t) {
                const bool isLast = t == failures.size() - 1;
                if (isLast && failures.at(t) == last) {
                    Error e = *a.error;
                    e.message = last;
                    failure(c, FailureInput{e, i, severity}, a);
                } else if (!(t + 1 < failures.size() && failures.at(t) == failures.at(t + 1))) {
                    // An 'N' answer with a method left is not a failure of its own in libpq's message.
                    if (failures.at(t).startsWith(u"server does not support SSL") && !isLast)
                        continue;
                    failure(c, FailureInput{Error{{}, failures.at(t), {}, {}}, i, severity}, a);
                }
            }
            if (!a.error->message.isEmpty() && !failures.contains(last))
                failure(c, FailureInput{*a.error, i, severity}, a);
        }
        if (report.success)
            successNotes(c, report.attempts.at(successIndex), successIndex);
        else if (report.attempts.isEmpty() && report.error)
            failure(c, FailureInput{*report.error, -1, Severity::Error}, AttemptReport());

        std::stable_sort(d.findings.begin(), d.findings.end(), [](const Finding& x, const Finding& y) {
            return int(x.severity) < int(y.severity);
        });
        // The same fact can come from two tries of one attempt (e.g. the same chain problem twice).
        QList<Finding> unique;
        for (const Finding& f : std::as_const(d.findings)) {
            const bool dup = std::any_of(unique.cbegin(), unique.cend(), [&](const Finding& u) {
                return u.code == f.code && u.summary == f.summary && u.attempt == f.attempt;
            });
            if (!dup)
                unique << f;
        }
        d.findings = unique;

        if (report.success) {
            const AttemptReport& a = report.attempts.at(successIndex);
            const bool warnings = std::any_of(d.findings.cbegin(), d.findings.cend(), [](const Finding& f) {
                return f.severity == Severity::Warning;
            });
            d.verdict = warnings ? Verdict::ConnectedWithWarnings : Verdict::Connected;
            const QString where = hostPort(a);
            if (context.inspectOnly)
                d.headline =
                    tr("TLS handshake with %1 succeeded: %2, %3.").arg(where, a.tls->protocol, a.tls->cipher);
            else if (a.finalMethod == session::EncryptionMethod::Ssl && a.tls)
                d.headline = tr("Connected to %1 with %2 (%3) as %4, sslmode=%5.")
                                 .arg(where, a.tls->protocol, a.tls->cipher, quoted(a.server.currentUser),
                                      c.sslmode());
            else if (a.unixSocket)
                d.headline = tr("Connected to the socket %1 as %2.").arg(where, quoted(a.server.currentUser));
            else
                d.headline = tr("Connected to %1 WITHOUT encryption as %2, sslmode=%3.")
                                 .arg(where, quoted(a.server.currentUser), c.sslmode());
        } else {
            d.verdict = Verdict::Failed;
            const Finding* first = nullptr;
            for (const Finding& f : std::as_const(d.findings)) {
                if (f.severity == Severity::Error) {
                    first = &f;
                    break;
                }
            }
            d.headline = first ? tr("Failed: %1").arg(first->summary)
                               : tr("Failed: %1").arg(report.libpqMessage.section(u'\n', 0, 0));
        }
        return d;
    }
};

QString Finding::severityName(Severity severity)
{
    return Builder::severityNameImpl(severity);
}

QString TrustSource::describe() const
{
    return Builder::describeImpl(*this);
}

QString Diagnosis::verdictName(Verdict verdict)
{
    return Builder::verdictNameImpl(verdict);
}

bool Diagnosis::hasErrors() const
{
    return Builder::hasErrorsImpl(*this);
}

const AttemptChain* Diagnosis::chainFor(int attempt) const
{
    return Builder::chainForImpl(*this, attempt);
}

QList<Finding> Diagnosis::chainFindings(const pki::ChainVerification& verification,
                                        const QList<pki::Certificate>& presented, const TrustSource& trust,
                                        const QString& libpqMessage, Finding::Severity severity)
{
    return Builder::chainFindingsImpl(verification, presented, trust, libpqMessage, severity);
}

Finding Diagnosis::hostNameFinding(const pki::HostNameMatch& match, const QString& libpqMessage,
                                   Finding::Severity severity)
{
    return Builder::hostNameFindingImpl(match, libpqMessage, severity);
}

security::AssessmentInput Diagnosis::assessmentInput(const settings::EffectiveSettings& settings,
                                                     const settings::ValidatedOptions* options)
{
    return Builder::assessmentInputImpl(settings, options);
}

Diagnosis Diagnosis::diagnose(const session::ConnectionReport& report, const DiagnosisContext& context)
{
    return Builder::diagnoseImpl(report, context);
}

} // namespace vf::report
