#include "ReportJson.h"

#include "common/Version.h"
#include "security/SslMode.h"
#include "settings/ValueOrigin.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace vf::report {

namespace {

QJsonValue stringOrNull(const QString& s)
{
    return s.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonArray strings(const QStringList& list)
{
    QJsonArray out;
    for (const QString& s : list)
        out.append(s);
    return out;
}

QString isoUtc(const QDateTime& t)
{
    return t.isValid() ? t.toUTC().toString(Qt::ISODate) : QString();
}

double ms(qint64 ns)
{
    return double(qRound64(double(ns) / 1000.0)) / 1000.0; // microsecond precision
}

QString sanType(pki::SubjectAltName::Type type)
{
    switch (type) {
    case pki::SubjectAltName::Type::Dns:
        return u"dns"_s;
    case pki::SubjectAltName::Type::IpAddress:
        return u"ip"_s;
    case pki::SubjectAltName::Type::Email:
        return u"email"_s;
    case pki::SubjectAltName::Type::Uri:
        return u"uri"_s;
    case pki::SubjectAltName::Type::Other:
        return u"other"_s;
    }
    return {};
}

QString roleName(pki::ChainRole role)
{
    switch (role) {
    case pki::ChainRole::Leaf:
        return u"leaf"_s;
    case pki::ChainRole::Intermediate:
        return u"intermediate"_s;
    case pki::ChainRole::Root:
        return u"root"_s;
    case pki::ChainRole::NotInChain:
        return u"not-in-chain"_s;
    }
    return {};
}

QJsonArray statusNames(pki::ChainStatuses statuses)
{
    static const QList<QPair<pki::ChainStatus, QString>> names = {
        {pki::ChainStatus::Trusted, u"trusted"_s},
        {pki::ChainStatus::Expired, u"expired"_s},
        {pki::ChainStatus::NotYetValid, u"not-yet-valid"_s},
        {pki::ChainStatus::ExpiringSoon, u"expiring-soon"_s},
        {pki::ChainStatus::SelfSigned, u"self-signed"_s},
        {pki::ChainStatus::IssuerNotFound, u"issuer-not-found"_s},
        {pki::ChainStatus::Revoked, u"revoked"_s},
        {pki::ChainStatus::CrlProblem, u"crl-problem"_s},
        {pki::ChainStatus::UnsuitablePurpose, u"unsuitable-purpose"_s},
        {pki::ChainStatus::UnsuitableKeyUsage, u"unsuitable-key-usage"_s},
        {pki::ChainStatus::BadSignature, u"bad-signature"_s},
        {pki::ChainStatus::WeakKey, u"weak-key"_s},
        {pki::ChainStatus::UntrustedRoot, u"untrusted-root"_s},
        {pki::ChainStatus::OtherProblem, u"other-problem"_s},
    };
    QJsonArray out;
    for (const auto& [flag, name] : names) {
        if (statuses.testFlag(flag))
            out.append(name);
    }
    return out;
}

QJsonObject entryStatus(const pki::ChainEntry& e)
{
    QJsonArray problems;
    for (const pki::VerifyProblem& p : e.problems)
        problems.append(QJsonObject{{u"code"_s, p.code}, {u"reason"_s, p.reason}, {u"depth"_s, p.depth}});
    bool valid = !e.statuses.testAnyFlags(pki::ChainStatus::Expired | pki::ChainStatus::NotYetValid) &&
                 e.problems.isEmpty();
    return QJsonObject{
        {u"role"_s, roleName(e.role)},
        {u"depth"_s, e.depth},
        {u"presented"_s, e.presented},
        {u"ok"_s, valid},
        {u"statuses"_s, statusNames(e.statuses)},
        {u"problems"_s, problems},
        {u"secondsUntilExpiry"_s, double(e.secondsUntilExpiry)},
    };
}

QString sourceName(settings::ValueSource source)
{
    switch (source) {
    case settings::ValueSource::Unset:
        return u"unset"_s;
    case settings::ValueSource::Typed:
        return u"typed"_s;
    case settings::ValueSource::Uri:
        return u"uri"_s;
    case settings::ValueSource::ServiceFile:
        return u"service-file"_s;
    case settings::ValueSource::Environment:
        return u"environment"_s;
    case settings::ValueSource::RequireSslEnv:
        return u"requiressl-environment"_s;
    case settings::ValueSource::CompiledDefault:
        return u"default"_s;
    case settings::ValueSource::OsUser:
        return u"os-user"_s;
    case settings::ValueSource::SameAsUser:
        return u"same-as-user"_s;
    case settings::ValueSource::SystemRoots:
        return u"system-roots"_s;
    case settings::ValueSource::DefaultFile:
        return u"default-file"_s;
    }
    return {};
}

QJsonObject origin(const settings::ValueOrigin& o)
{
    QJsonObject out{{u"source"_s, sourceName(o.source)}, {u"label"_s, o.detailedLabel()}};
    if (!o.path.isEmpty())
        out.insert(u"path"_s, o.path);
    if (!o.service.isEmpty())
        out.insert(u"service"_s, o.service);
    if (o.line > 0)
        out.insert(u"line"_s, o.line);
    if (!o.variable.isEmpty())
        out.insert(u"variable"_s, o.variable);
    if (o.source == settings::ValueSource::DefaultFile)
        out.insert(u"fileExists"_s, o.fileExists);
    return out;
}

QJsonObject settingsJson(const settings::EffectiveSettings& s)
{
    QJsonArray values;
    for (const settings::EffectiveValue& v : s.values()) {
        if (!v.value)
            continue;
        values.append(QJsonObject{{u"keyword"_s, v.keyword},
                                  {u"value"_s, v.displayValue()},
                                  {u"secret"_s, v.secret},
                                  {u"origin"_s, origin(v.origin)}});
    }
    QJsonArray files;
    for (const char* kw : {"sslrootcert", "sslcrl", "sslcert", "sslkey", "passfile"}) {
        const QString keyword = QString::fromLatin1(kw);
        const auto f = s.effectiveFile(keyword);
        if (!f || !f->value)
            continue;
        files.append(
            QJsonObject{{u"keyword"_s, keyword}, {u"path"_s, *f->value}, {u"origin"_s, origin(f->origin)}});
    }
    QJsonObject out{{u"values"_s, values},
                    {u"files"_s, files},
                    {u"homeDirectory"_s, s.homeDirectory() ? QJsonValue(*s.homeDirectory()) : QJsonValue()},
                    {u"notes"_s, strings(s.notes())}};
    if (!s.serviceName().isEmpty())
        out.insert(u"service"_s, QJsonObject{{u"name"_s, s.serviceName()},
                                             {u"origin"_s, origin(s.serviceNameOrigin())},
                                             {u"file"_s, s.serviceFile()}});
    return out;
}

QString threatName(security::Threat t)
{
    switch (t) {
    case security::Threat::Eavesdropping:
        return u"eavesdropping"_s;
    case security::Threat::ManInTheMiddle:
        return u"man-in-the-middle"_s;
    case security::Threat::Downgrade:
        return u"downgrade"_s;
    case security::Threat::OtherCertificateOfSameCa:
        return u"other-certificate-of-same-ca"_s;
    case security::Threat::RevokedCertificate:
        return u"revoked-certificate"_s;
    }
    return {};
}

QString protectionName(security::Protection p)
{
    switch (p) {
    case security::Protection::No:
        return u"no"_s;
    case security::Protection::Maybe:
        return u"maybe"_s;
    case security::Protection::Yes:
        return u"yes"_s;
    }
    return {};
}

QString severityName(security::Severity s)
{
    switch (s) {
    case security::Severity::Safe:
        return u"safe"_s;
    case security::Severity::Weak:
        return u"weak"_s;
    case security::Severity::Unsafe:
        return u"unsafe"_s;
    case security::Severity::WillFail:
        return u"will-fail"_s;
    }
    return {};
}

QJsonObject assessmentJson(const security::SslModeAssessment& a)
{
    QJsonArray reasons;
    for (const security::Reason& r : a.reasons())
        reasons.append(QJsonObject{{u"code"_s, r.code}, {u"text"_s, r.text}});
    QJsonArray notes;
    for (const security::Reason& r : a.notes())
        notes.append(QJsonObject{{u"code"_s, r.code}, {u"text"_s, r.text}});
    QJsonArray threats;
    for (const security::ThreatVerdict& t : a.threats())
        threats.append(QJsonObject{{u"threat"_s, threatName(t.threat)},
                                   {u"protection"_s, protectionName(t.protection)},
                                   {u"code"_s, t.reason.code},
                                   {u"text"_s, t.reason.text}});
    QJsonArray steps;
    for (const security::NextStep& s : a.nextSteps())
        steps.append(QJsonObject{{u"code"_s, s.code},
                                 {u"text"_s, s.text},
                                 {u"keyword"_s, s.keyword},
                                 {u"value"_s, s.value},
                                 {u"oneClick"_s, s.oneClick}});
    QJsonObject out{{u"severity"_s, severityName(a.severity())},
                    {u"summary"_s, a.summary()},
                    {u"reasons"_s, reasons},
                    {u"threats"_s, threats},
                    {u"nextSteps"_s, steps},
                    {u"notes"_s, notes}};
    if (const auto& e = a.effective()) {
        out.insert(u"sslmode"_s, security::sslModeKeyword(e->sslmode));
        out.insert(u"behavesAs"_s, security::sslModeKeyword(e->behavesAs));
    } else {
        out.insert(u"sslmode"_s, QJsonValue());
        out.insert(u"behavesAs"_s, QJsonValue());
    }
    return out;
}

QString phaseKey(session::Phase p)
{
    switch (p) {
    case session::Phase::Dns:
        return u"dns"_s;
    case session::Phase::TcpConnect:
        return u"tcp-connect"_s;
    case session::Phase::SslNegotiation:
        return u"ssl-negotiation"_s;
    case session::Phase::TlsHandshake:
        return u"tls-handshake"_s;
    case session::Phase::Startup:
        return u"startup"_s;
    case session::Phase::Authentication:
        return u"authentication"_s;
    case session::Phase::Query:
        return u"query"_s;
    case session::Phase::Terminate:
        return u"terminate"_s;
    }
    return {};
}

QString methodKey(session::EncryptionMethod m)
{
    return m == session::EncryptionMethod::Ssl ? u"ssl"_s : u"plaintext"_s;
}

QJsonObject hostNameJson(const pki::HostNameMatch& m, bool enforced)
{
    QString outcome;
    switch (m.outcome) {
    case pki::HostNameMatch::Outcome::Matched:
        outcome = u"matched"_s;
        break;
    case pki::HostNameMatch::Outcome::Mismatch:
        outcome = u"mismatch"_s;
        break;
    case pki::HostNameMatch::Outcome::Error:
        outcome = u"error"_s;
        break;
    }
    QJsonArray names;
    for (const pki::CertificateName& n : m.names) {
        QString source;
        switch (n.source) {
        case pki::CertificateName::Source::DnsSan:
            source = u"dns"_s;
            break;
        case pki::CertificateName::Source::IpSan:
            source = u"ip"_s;
            break;
        case pki::CertificateName::Source::CommonName:
            source = u"common-name"_s;
            break;
        }
        names.append(QJsonObject{{u"source"_s, source},
                                 {u"value"_s, n.value},
                                 {u"examined"_s, n.examined},
                                 {u"matched"_s, n.matched}});
    }
    return QJsonObject{{u"host"_s, m.host},
                       {u"enforced"_s, enforced},
                       {u"outcome"_s, outcome},
                       {u"hostIsIpAddress"_s, m.hostIsIpAddress},
                       {u"message"_s, m.message},
                       {u"names"_s, names},
                       {u"matchedIndex"_s, m.matchedIndex},
                       {u"commonNameIgnored"_s, m.commonNameIgnored},
                       {u"explanation"_s, m.explanation()}};
}

const pki::ChainEntry* entryFor(const AttemptChain* chain, const pki::Certificate& cert)
{
    if (!chain)
        return nullptr;
    for (const pki::ChainEntry& e : chain->verification.chain) {
        if (e.certificate == cert)
            return &e;
    }
    return nullptr;
}

QJsonObject tlsJson(const tls::TlsFacts& t, const AttemptChain* chain)
{
    QJsonArray presented;
    for (qsizetype i = 0; i < t.presentedChain.size(); ++i) {
        QJsonObject cert = ReportJson::certificate(t.presentedChain.at(i));
        cert.insert(u"position"_s, int(i));
        const pki::ChainEntry* e = entryFor(chain, t.presentedChain.at(i));
        cert.insert(u"status"_s, e ? QJsonValue(entryStatus(*e)) : QJsonValue());
        presented.append(cert);
    }
    QJsonValue verifyError;
    if (t.verifyError != 0)
        verifyError = QJsonObject{
            {u"code"_s, t.verifyError}, {u"depth"_s, t.verifyErrorDepth}, {u"reason"_s, t.verifyErrorString}};
    return QJsonObject{
        {u"protocol"_s, t.protocol},
        {u"cipher"_s, t.cipher},
        {u"cipherBits"_s, t.cipherBits},
        {u"alpn"_s, t.alpn},
        {u"sni"_s, t.sniSent},
        {u"clientCertificateRequested"_s, t.clientCertificateRequested},
        {u"clientCertificateSent"_s, t.clientCertificateSent},
        {u"verificationEnabled"_s, t.verificationEnabled},
        {u"crlChecking"_s, t.crlChecking},
        {u"rootCertPath"_s, t.rootCertPath},
        {u"verifyError"_s, verifyError},
        {u"presentedChain"_s, presented},
    };
}

QJsonObject serverJson(const session::ServerFacts& s)
{
    QJsonObject params;
    for (auto it = s.parameters.cbegin(); it != s.parameters.cend(); ++it)
        params.insert(it.key(), it.value());
    return QJsonObject{
        {u"version"_s, s.version},         {u"serverVersion"_s, s.serverVersion},
        {u"currentUser"_s, s.currentUser}, {u"database"_s, s.database},
        {u"sslInUse"_s, s.sslInUse},       {u"sslVersion"_s, s.sslVersion},
        {u"sslCipher"_s, s.sslCipher},     {u"sslBits"_s, s.sslBits},
        {u"clientDn"_s, s.clientDn},       {u"backendPid"_s, s.backendPid},
        {u"parameters"_s, params},
    };
}

QJsonObject attemptJson(const session::AttemptReport& a, int index, const Diagnosis& d,
                        const QString& sslmode)
{
    QJsonArray tries;
    for (const session::MethodTry& t : a.tries)
        tries.append(QJsonObject{{u"method"_s, methodKey(t.method)},
                                 {u"newConnection"_s, t.newConnection},
                                 {u"succeeded"_s, t.succeeded},
                                 {u"failure"_s, t.failure}});
    QJsonArray phases;
    for (const session::PhaseTiming& p : a.phases)
        phases.append(QJsonObject{{u"phase"_s, phaseKey(p.phase)},
                                  {u"label"_s, session::phaseName(p.phase)},
                                  {u"startMs"_s, ms(p.startedNs)},
                                  {u"durationMs"_s, ms(p.durationNs)},
                                  {u"ok"_s, p.ok}});
    const AttemptChain* chain = d.chainFor(index);
    return QJsonObject{
        {u"index"_s, index},
        {u"host"_s, a.host},
        {u"hostaddr"_s, a.hostaddr},
        {u"port"_s, a.port},
        {u"unixSocket"_s, a.unixSocket},
        {u"success"_s, a.success},
        {u"error"_s, a.error && !a.success ? QJsonValue(ReportJson::error(*a.error)) : QJsonValue()},
        {u"tries"_s, tries},
        {u"phases"_s, phases},
        {u"finalMethod"_s, a.success ? QJsonValue(methodKey(a.finalMethod)) : QJsonValue()},
        {u"tls"_s, a.tls ? QJsonValue(tlsJson(*a.tls, chain)) : QJsonValue()},
        {u"chainVerification"_s,
         chain ? QJsonValue(ReportJson::chainVerification(chain->verification, chain->trust)) : QJsonValue()},
        {u"chainVerifiedByLibpq"_s, chain ? chain->verifiedByLibpq : false},
        {u"hostName"_s,
         a.hostName ? QJsonValue(hostNameJson(*a.hostName, sslmode == u"verify-full")) : QJsonValue()},
        {u"authMethod"_s, stringOrNull(a.authMethod.isEmpty() ? QString() : a.authMethod)},
        {u"channelBinding"_s, a.channelBound},
        {u"server"_s,
         a.success && !a.server.version.isEmpty() ? QJsonValue(serverJson(a.server)) : QJsonValue()},
        {u"notices"_s, strings(a.notices)},
    };
}

QJsonObject diagnosisJson(const Diagnosis& d)
{
    QJsonArray findings;
    for (const Finding& f : d.findings)
        findings.append(ReportJson::finding(f));
    return QJsonObject{{u"verdict"_s, Diagnosis::verdictName(d.verdict)},
                       {u"headline"_s, d.headline},
                       {u"findings"_s, findings}};
}

QJsonObject header(const QString& command)
{
    return QJsonObject{
        {u"schemaVersion"_s, ReportJson::kSchemaVersion},
        {u"tool"_s,
         QJsonObject{{u"name"_s, u"verifyfull-cli"_s}, {u"version"_s, QString::fromLatin1(vf::kVersion)}}},
        {u"command"_s, command},
        {u"generatedAt"_s, isoUtc(QDateTime::currentDateTimeUtc())},
    };
}

} // namespace

QJsonObject ReportJson::error(const Error& e)
{
    return QJsonObject{{u"code"_s, e.code},
                       {u"message"_s, e.message},
                       {u"explanation"_s, e.explanation},
                       {u"detail"_s, strings(e.detail)}};
}

QJsonObject ReportJson::finding(const Finding& f)
{
    return QJsonObject{
        {u"code"_s, f.code},
        {u"severity"_s, Finding::severityName(f.severity)},
        {u"libpqMessage"_s, stringOrNull(f.libpqMessage.isEmpty() ? QString() : f.libpqMessage)},
        {u"summary"_s, f.summary},
        {u"explanation"_s, f.explanation},
        {u"fixes"_s, strings(f.fixes)},
        {u"evidence"_s, strings(f.evidence)},
        {u"attempt"_s, f.attempt >= 0 ? QJsonValue(f.attempt) : QJsonValue()},
        {u"certificateDepth"_s, f.certificateDepth >= 0 ? QJsonValue(f.certificateDepth) : QJsonValue()},
    };
}

QJsonObject ReportJson::certificate(const pki::Certificate& c)
{
    QJsonArray sans;
    for (const pki::SubjectAltName& s : c.subjectAltNames())
        sans.append(QJsonObject{{u"type"_s, sanType(s.type)}, {u"value"_s, s.value}});
    return QJsonObject{
        {u"subject"_s, c.subjectDn()},
        {u"issuer"_s, c.issuerDn()},
        {u"commonName"_s, c.commonName()},
        {u"displayName"_s, c.displayName()},
        {u"serialNumber"_s, c.serialNumberHex()},
        {u"notBefore"_s, isoUtc(c.notBefore())},
        {u"notAfter"_s, isoUtc(c.notAfter())},
        {u"subjectAltNames"_s, sans},
        {u"publicKey"_s,
         QJsonObject{
             {u"type"_s, c.publicKeyType()},
             {u"bits"_s, c.publicKeyBits()},
             {u"curve"_s, stringOrNull(c.publicKeyCurve().isEmpty() ? QString() : c.publicKeyCurve())}}},
        {u"signatureAlgorithm"_s, c.signatureAlgorithm()},
        {u"version"_s, c.version()},
        {u"isCa"_s, c.isCa()},
        {u"pathLength"_s,
         c.pathLengthConstraint() >= 0 ? QJsonValue(c.pathLengthConstraint()) : QJsonValue()},
        {u"keyUsage"_s, strings(c.keyUsage())},
        {u"extendedKeyUsage"_s, strings(c.extendedKeyUsage())},
        {u"selfSigned"_s, c.isSelfSigned()},
        {u"fingerprints"_s,
         QJsonObject{{u"sha256"_s, pki::Certificate::formatFingerprint(c.sha256Fingerprint())},
                     {u"sha1"_s, pki::Certificate::formatFingerprint(c.sha1Fingerprint())}}},
        {u"pem"_s, QString::fromLatin1(c.toPem())},
    };
}

QJsonObject ReportJson::chainVerification(const pki::ChainVerification& v, const TrustSource& trust)
{
    QString kind;
    switch (trust.kind) {
    case TrustSource::Kind::None:
        kind = u"none"_s;
        break;
    case TrustSource::Kind::File:
        kind = u"file"_s;
        break;
    case TrustSource::Kind::System:
        kind = u"system"_s;
        break;
    }
    QJsonArray chain;
    for (const pki::ChainEntry& e : v.chain) {
        QJsonObject o = entryStatus(e);
        o.insert(u"subject"_s, e.certificate.subjectDn());
        o.insert(u"displayName"_s, e.certificate.displayName());
        o.insert(u"sha256"_s, pki::Certificate::formatFingerprint(e.certificate.sha256Fingerprint()));
        chain.append(o);
    }
    QJsonArray anchors;
    if (trust.kind == TrustSource::Kind::File) {
        for (const pki::Certificate& c : v.trustAnchors)
            anchors.append(
                QJsonObject{{u"subject"_s, c.subjectDn()},
                            {u"displayName"_s, c.displayName()},
                            {u"sha256"_s, pki::Certificate::formatFingerprint(c.sha256Fingerprint())}});
    }
    return QJsonObject{
        {u"trust"_s, QJsonObject{{u"kind"_s, kind},
                                 {u"path"_s, trust.path},
                                 {u"origin"_s, trust.origin},
                                 {u"crlFile"_s, trust.crlFile},
                                 {u"crlDirectory"_s, trust.crlDirectory}}},
        {u"ok"_s, v.ok},
        {u"errorCode"_s, v.errorCode},
        {u"errorString"_s, v.errorString},
        {u"errorDepth"_s, v.errorDepth},
        {u"libpqMessage"_s, stringOrNull(v.libpqMessage.isEmpty() ? QString() : v.libpqMessage)},
        {u"verificationTime"_s, isoUtc(v.verificationTime)},
        {u"crlCheck"_s, v.crlCheck},
        {u"crlNote"_s, v.crlNote},
        {u"trustAnchorCount"_s, int(v.trustAnchors.size())},
        {u"trustAnchors"_s, anchors},
        {u"chain"_s, chain},
    };
}

QJsonObject ReportJson::check(const CheckResult& r)
{
    QJsonObject out = header(CheckResult::kindName(r.kind));
    const session::ConnectionReport& report = r.report;
    QString sslmode;
    if (r.options)
        sslmode = r.options->sslmode;
    QJsonArray attempts;
    for (int i = 0; i < report.attempts.size(); ++i)
        attempts.append(attemptJson(report.attempts.at(i), i, r.diagnosis, sslmode));
    out.insert(u"conninfo"_s, r.conninfo);
    out.insert(u"startedAt"_s, isoUtc(r.startedAt));
    out.insert(u"success"_s, report.success);
    out.insert(u"canceled"_s, report.canceled);
    out.insert(u"totalMs"_s, ms(report.totalNs));
    out.insert(u"libpqMessage"_s,
               stringOrNull(report.libpqMessage.isEmpty() ? QString() : report.libpqMessage));
    out.insert(u"error"_s, report.error ? QJsonValue(error(*report.error)) : QJsonValue());
    out.insert(u"attempts"_s, attempts);
    out.insert(u"settings"_s, r.settings ? QJsonValue(settingsJson(*r.settings)) : QJsonValue());
    out.insert(u"security"_s,
               r.diagnosis.assessment ? QJsonValue(assessmentJson(*r.diagnosis.assessment)) : QJsonValue());
    out.insert(u"diagnosis"_s, diagnosisJson(r.diagnosis));
    return out;
}

QJsonObject ReportJson::chain(const ChainCheckResult& r)
{
    QJsonObject out = header(u"chain"_s);
    QJsonArray certs;
    for (qsizetype i = 0; i < r.certificates.size(); ++i) {
        const LoadedCertificate& c = r.certificates.at(i);
        QJsonObject o = certificate(c.certificate);
        o.insert(u"position"_s, int(i));
        o.insert(u"file"_s, c.file);
        o.insert(u"indexInFile"_s, c.index);
        const pki::ChainEntry* entry = nullptr;
        if (r.verification) {
            for (const pki::ChainEntry& e : r.verification->chain) {
                if (e.certificate == c.certificate) {
                    entry = &e;
                    break;
                }
            }
        }
        o.insert(u"status"_s, entry ? QJsonValue(entryStatus(*entry)) : QJsonValue());
        certs.append(o);
    }
    QJsonArray findings;
    for (const Finding& f : r.findings)
        findings.append(finding(f));
    out.insert(u"ok"_s, r.ok);
    out.insert(u"failed"_s, r.failed());
    out.insert(u"headline"_s, r.headline);
    out.insert(u"certificates"_s, certs);
    out.insert(u"chainVerification"_s,
               r.verification ? QJsonValue(chainVerification(*r.verification, r.trust)) : QJsonValue());
    out.insert(u"hostName"_s, r.hostName ? QJsonValue(hostNameJson(*r.hostName, true)) : QJsonValue());
    out.insert(u"findings"_s, findings);
    return out;
}

QJsonObject ReportJson::inputError(const QString& command, const Error& e)
{
    QJsonObject out = header(command);
    out.insert(u"success"_s, false);
    out.insert(u"inputError"_s, error(e));
    return out;
}

QByteArray ReportJson::toBytes(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

} // namespace vf::report
