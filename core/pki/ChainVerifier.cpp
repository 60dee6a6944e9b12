#include "ChainVerifier.h"

#include "CertificateOpenSsl.h"
#include "common/OpenSslError.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>

#include <openssl/err.h>
#include <openssl/x509_vfy.h>

#include <algorithm>
#include <ctime>
#include <sys/stat.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace vf::pki {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::pki::ChainVerifier)
};

Q_LOGGING_CATEGORY(lcChain, "vf.pki.chain")

constexpr int kDefaultExpiryWarningDays = 30;

enum class RootSource
{
    None,
    File,
    System,
};

// libpq's SSLerrmessage(ERR_get_error()): the earliest queued error, system errors as strerror() text.
QString libpqReason()
{
    const unsigned long code = ERR_peek_error();
    if (code != 0 && ERR_SYSTEM_ERROR(code))
        return qt_error_string(ERR_GET_REASON(code));
    return ossl::firstReason();
}

QString verifyErrorString(int code)
{
    return QString::fromUtf8(X509_verify_cert_error_string(long(code)));
}

// The problems the continuing callback saw.
struct Collected
{
    std::vector<VerifyProblem> problems;
};

// Records every failure and lets OpenSSL continue, so that every problem of every certificate is seen.
// Only used for the report; the verdict comes from the run with libpq's pass-through behaviour.
int collectingCallback(int ok, X509_STORE_CTX* ctx)
{
    if (!ok) {
        if (auto* collected = static_cast<Collected*>(X509_STORE_CTX_get_app_data(ctx))) {
            const int code = X509_STORE_CTX_get_error(ctx);
            collected->problems.push_back(
                VerifyProblem{code, verifyErrorString(code), X509_STORE_CTX_get_error_depth(ctx)});
        }
    }
    return 1;
}

ChainStatuses statusOf(int code)
{
    switch (code) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return ChainStatus::Expired;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return ChainStatus::NotYetValid;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return ChainStatus::IssuerNotFound;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return ChainStatus::UntrustedRoot;
    case X509_V_ERR_CERT_REVOKED:
        return ChainStatus::Revoked;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
    case X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER:
    case X509_V_ERR_CRL_HAS_EXPIRED:
    case X509_V_ERR_CRL_NOT_YET_VALID:
    case X509_V_ERR_CRL_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE:
    case X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD:
    case X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD:
    case X509_V_ERR_KEYUSAGE_NO_CRL_SIGN:
    case X509_V_ERR_DIFFERENT_CRL_SCOPE:
    case X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION:
        return ChainStatus::CrlProblem;
    case X509_V_ERR_INVALID_PURPOSE:
        return ChainStatus::UnsuitablePurpose;
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_INVALID_NON_CA:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
    case X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE:
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return ChainStatus::UnsuitableKeyUsage;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
    case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
    case X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY:
        return ChainStatus::BadSignature;
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_CA_MD_TOO_WEAK:
        return ChainStatus::WeakKey;
    default:
        return ChainStatus::OtherProblem;
    }
}

QString codeSlug(int code)
{
    switch (code) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        return u"issuer-not-found"_s;
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        return u"issuer-not-found-locally"_s;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        return u"self-signed-leaf"_s;
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        return u"untrusted-root"_s;
    case X509_V_ERR_CERT_HAS_EXPIRED:
        return u"expired"_s;
    case X509_V_ERR_CERT_NOT_YET_VALID:
        return u"not-yet-valid"_s;
    case X509_V_ERR_CERT_REVOKED:
        return u"revoked"_s;
    case X509_V_ERR_UNABLE_TO_GET_CRL:
        return u"crl-missing"_s;
    case X509_V_ERR_INVALID_PURPOSE:
        return u"invalid-purpose"_s;
    case X509_V_ERR_INVALID_CA:
        return u"invalid-ca"_s;
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
        return u"no-certsign"_s;
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return u"path-length"_s;
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        return u"bad-signature"_s;
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_CA_MD_TOO_WEAK:
        return u"too-weak"_s;
    default:
        return statusOf(code).testFlag(ChainStatus::CrlProblem) ? u"crl-problem"_s : u"verify-failed"_s;
    }
}

QString nameOf(const ChainVerification& v, int depth)
{
    for (const ChainEntry& e : v.chain) {
        if (e.depth == depth)
            return u"\""_s + e.certificate.displayName() + u"\""_s;
    }
    //: Stands for a certificate whose name is unknown. It fills %1 of the chain explanations: at the start
    //: of a sentence ("%1 has expired."), after "of" ("The issuer of %1 …") and after "certificate"
    //: ("The server's certificate %1 is self-signed …"). Choose a form that fits all of them.
    return Tr::tr("the certificate");
}

// What a verification error means for a person, and what to change.
QString explain(const ChainVerification& v, const VerifyProblem& p)
{
    const QString who = nameOf(v, p.depth);
    switch (p.code) {
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr(
                   "The issuer of %1 is neither among the certificates the server sent nor in the trusted "
                   "root certificates. Either sslrootcert holds a different CA than the one that issued the "
                   "server's certificate, or the server does not send its intermediate certificate (add it "
                   "to the server's ssl_cert_file after the server certificate, or to your root file).")
            .arg(who);
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("The issuer of %1 was not found. libpq needs the self-signed root certificate in "
                      "sslrootcert: an intermediate CA alone is not accepted as a trust anchor.")
            .arg(who);
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("The server's certificate %1 is self-signed and is not among your trusted root "
                      "certificates. If you trust it, put it into the file sslrootcert names.")
            .arg(who);
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("The chain ends in the root certificate %1, which is not among your trusted root "
                      "certificates: sslrootcert holds a different CA.")
            .arg(who);
    case X509_V_ERR_CERT_HAS_EXPIRED:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("%1 has expired. It has to be renewed (or the computer's clock is wrong).").arg(who);
    case X509_V_ERR_CERT_NOT_YET_VALID:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("%1 is not valid yet. Check the computer's clock, or wait until it becomes valid.")
            .arg(who);
    case X509_V_ERR_CERT_REVOKED:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("%1 has been revoked by its CA (it is listed in the certificate revocation list).")
            .arg(who);
    case X509_V_ERR_UNABLE_TO_GET_CRL:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("CRL checking is on because sslcrl/sslcrldir loaded, and then OpenSSL needs a CRL from "
                      "the CA of every certificate in the chain; there is none for the issuer of %1. Add "
                      "that CA's CRL to the file or directory.")
            .arg(who);
    case X509_V_ERR_INVALID_PURPOSE:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("%1 may not be used for this purpose: its extended key usage (or Netscape "
                      "certificate type) does not allow it. A server certificate needs serverAuth, a client "
                      "certificate clientAuth.")
            .arg(who);
    case X509_V_ERR_INVALID_CA:
    case X509_V_ERR_KEYUSAGE_NO_CERTSIGN:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("%1 is used as a CA but is not allowed to sign certificates (basicConstraints CA:TRUE "
                      "and keyUsage keyCertSign are required).")
            .arg(who);
    case X509_V_ERR_PATH_LENGTH_EXCEEDED:
        return Tr::tr("The chain is longer than the path length constraint of a CA allows.");
    case X509_V_ERR_CERT_SIGNATURE_FAILURE:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("The signature of %1 does not verify with its issuer's key: the certificate was "
                      "altered or was not issued by that CA.")
            .arg(who);
    case X509_V_ERR_EE_KEY_TOO_SMALL:
    case X509_V_ERR_CA_KEY_TOO_SMALL:
    case X509_V_ERR_CA_MD_TOO_WEAK:
        //: %1 is the certificate's quoted name, or "the certificate" when it has none.
        return Tr::tr("%1 uses a key or signature algorithm too weak for OpenSSL's security level on this "
                      "system; it has to be reissued with a stronger key (RSA 2048 or more, SHA-256).")
            .arg(who);
    default:
        return u"%1: %2."_s.arg(who, p.reason);
    }
}

std::time_t toTimeT(const QDateTime& t)
{
    return std::time_t(t.toSecsSinceEpoch());
}

qint64 secondsBetween(const ASN1_TIME* time, std::time_t reference)
{
    std::tm tm{};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        return 0;
    return qint64(timegm(&tm)) - qint64(reference);
}

ChainStatuses timeStatuses(X509* x, std::time_t at, qint64 warnSeconds, qint64* untilExpiry)
{
    ChainStatuses s;
    std::time_t t = at;
    if (X509_cmp_time(X509_get0_notBefore(x), &t) > 0)
        s |= ChainStatus::NotYetValid;
    const bool expired = X509_cmp_time(X509_get0_notAfter(x), &t) < 0;
    if (expired)
        s |= ChainStatus::Expired;
    *untilExpiry = secondsBetween(X509_get0_notAfter(x), at);
    if (!expired && *untilExpiry < warnSeconds)
        s |= ChainStatus::ExpiringSoon;
    if (X509_self_signed(x, 0) == 1)
        s |= ChainStatus::SelfSigned;
    return s;
}

QByteArray pathBytes(const QString& path)
{
    return QFile::encodeName(path);
}

bool pathExists(const QString& path)
{
    const QByteArray bytes = pathBytes(path);
    struct stat st = {};
    return !bytes.contains('\0') && ::stat(bytes.constData(), &st) == 0;
}

} // namespace

struct ChainVerifier::Config
{
    RootSource rootSource = RootSource::None;
    QString rootFile;
    QList<Certificate> extraAnchors;
    QString crlFile;
    QString crlDirectory;
    Purpose purpose = Purpose::SslServer;
    Clock clock;
    int warningDays = kDefaultExpiryWarningDays;
};

ChainVerifier::ChainVerifier()
    : d(std::make_unique<Config>())
{}

ChainVerifier::~ChainVerifier() = default;

ChainVerifier::ChainVerifier(const ChainVerifier& other)
    : d(std::make_unique<Config>(*other.d))
{}

ChainVerifier& ChainVerifier::operator=(const ChainVerifier& other)
{
    if (this != &other)
        *d = *other.d;
    return *this;
}

void ChainVerifier::setRootFile(const QString& path)
{
    d->rootSource = RootSource::File;
    d->rootFile = path;
}

void ChainVerifier::setSystemRoots(bool system)
{
    d->rootSource = system ? RootSource::System : RootSource::None;
    d->rootFile.clear();
}

void ChainVerifier::addTrustedCertificate(const Certificate& certificate)
{
    d->extraAnchors << certificate;
}

void ChainVerifier::setCrlFile(const QString& path)
{
    d->crlFile = path;
}

void ChainVerifier::setCrlDirectory(const QString& path)
{
    d->crlDirectory = path;
}

void ChainVerifier::setPurpose(Purpose purpose)
{
    d->purpose = purpose;
}

void ChainVerifier::setClock(Clock clock)
{
    d->clock = std::move(clock);
}

void ChainVerifier::setVerificationTime(const QDateTime& time)
{
    d->clock = [time] { return time; };
}

void ChainVerifier::setExpiryWarningDays(int days)
{
    d->warningDays = days;
}

QString ChainVerifier::rootFileMissingMessage(const QString& path)
{
    return u"root certificate file \"%1\" does not exist\nEither provide the file, use the system's trusted "
           u"roots with sslrootcert=system, or change sslmode to disable server certificate verification."_s
               .arg(path);
}

QString ChainVerifier::noHomeDirectoryRootMessage()
{
    return u"could not get home directory to locate root certificate file\nEither provide the file, use the "
           u"system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate "
           u"verification."_s;
}

QString ChainVerifier::verifyFailedMessage()
{
    return u"SSL error: certificate verify failed"_s;
}

Result<ChainVerification> ChainVerifier::verify(const QList<Certificate>& presented) const
{
    if (presented.isEmpty())
        return makeError(u"pki.chain.no-certificate"_s, Tr::tr("no certificate to verify"),
                         Tr::tr("The peer presented no certificate."));
    for (const Certificate& cert : presented) {
        if (cert.isNull())
            return makeError(u"pki.chain.null-certificate"_s, Tr::tr("a presented certificate is empty"),
                             Tr::tr("One of the certificates to verify could not be read."));
    }

    ossl::clearErrors();
    ChainVerification result;
    result.verificationTime = d->clock ? d->clock() : QDateTime::currentDateTimeUtc();
    if (!result.verificationTime.isValid())
        result.verificationTime = QDateTime::currentDateTimeUtc();
    const std::time_t at = toTimeT(result.verificationTime);

    // The same objects libpq's initialize_SSL() sets up: a fresh context with its certificate store.
    const ossl::SslCtxPtr ctx(SSL_CTX_new(TLS_method()));
    if (!ctx) {
        const QString reason = libpqReason();
        return std::unexpected(
            ossl::makeError(u"pki.ssl-context"_s, u"could not create SSL context: "_s + reason));
    }
    X509_STORE* store = SSL_CTX_get_cert_store(ctx.get());

    if (d->rootSource == RootSource::System) {
        // §4 step 8, sslrootcert=system: SSL_CTX_set_default_verify_paths(); no CRL in this branch.
        if (SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
            const QString reason = libpqReason();
            return std::unexpected(ossl::makeError(
                u"pki.system-roots"_s, u"could not load system root certificate paths: "_s + reason,
                Tr::tr("OpenSSL could not use the system's trusted roots.")));
        }
        ossl::clearErrors();
    } else if (d->rootSource == RootSource::File) {
        if (d->rootFile.isEmpty() || !pathExists(d->rootFile))
            return makeError(u"pki.root-file-missing"_s, rootFileMissingMessage(d->rootFile),
                             Tr::tr("sslrootcert names a file that does not exist (or cannot be reached)."));
        if (SSL_CTX_load_verify_locations(ctx.get(), pathBytes(d->rootFile).constData(), nullptr) != 1) {
            const QString reason = libpqReason();
            return std::unexpected(
                ossl::makeError(u"pki.root-file-unreadable"_s,
                                u"could not read root certificate file \"%1\": %2"_s.arg(d->rootFile, reason),
                                Tr::tr("The root certificate file must be a readable PEM file with one or "
                                       "more CA certificates.")));
        }
    }
    for (const Certificate& anchor : d->extraAnchors) {
        if (X509* x = CertificatePrivateAccess::x509(anchor))
            X509_STORE_add_cert(store, x);
    }
    ossl::clearErrors();

    // §4 step 9: the CRL quirks come from X509_STORE_load_locations() failing as a whole.
    if (d->rootSource != RootSource::System && (!d->crlFile.isEmpty() || !d->crlDirectory.isEmpty())) {
        const QByteArray file = pathBytes(d->crlFile);
        const QByteArray dir = pathBytes(d->crlDirectory);
        if (X509_STORE_load_locations(store, d->crlFile.isEmpty() ? nullptr : file.constData(),
                                      d->crlDirectory.isEmpty() ? nullptr : dir.constData()) == 1) {
            X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
            result.crlCheck = true;
        } else {
            const QString reason = libpqReason();
            result.crlNote = d->crlDirectory.isEmpty()
                                 ? Tr::tr("The CRL file \"%1\" could not be loaded (%2); libpq then checks "
                                          "no revocation at all.")
                                       .arg(d->crlFile, reason)
                                 : Tr::tr("The CRL file \"%1\" could not be loaded (%2); libpq then checks "
                                          "no revocation at all, and ignores the CRL directory \"%3\" too.")
                                       .arg(d->crlFile, reason, d->crlDirectory);
            qCDebug(lcChain) << "CRL locations not loaded:" << reason;
            ossl::clearErrors();
        }
    } else if (d->rootSource == RootSource::System && (!d->crlFile.isEmpty() || !d->crlDirectory.isEmpty())) {
        result.crlNote = Tr::tr("With sslrootcert=system libpq loads no CRL.");
    }

    if (STACK_OF(X509)* all = X509_STORE_get1_all_certs(store)) {
        for (int i = 0; i < sk_X509_num(all); ++i)
            result.trustAnchors << CertificatePrivateAccess::fromX509(sk_X509_value(all, i));
        sk_X509_pop_free(all, X509_free);
    }

    // The verification ssl_verify_cert_chain() runs in the handshake, with the peer's list as the
    // untrusted certificates.
    const ossl::SslPtr ssl(SSL_new(ctx.get()));
    if (!ssl) {
        const QString reason = libpqReason();
        return std::unexpected(
            ossl::makeError(u"pki.ssl-context"_s, u"could not establish SSL connection: "_s + reason));
    }
    ossl::X509StackPtr untrusted(sk_X509_new_null());
    std::vector<X509*> presentedX509;
    for (const Certificate& cert : presented) {
        X509* x = CertificatePrivateAccess::x509(cert);
        presentedX509.push_back(x);
        if (X509_up_ref(x) == 1 && sk_X509_push(untrusted.get(), x) <= 0)
            X509_free(x);
    }
    const char* paramName = d->purpose == Purpose::SslServer ? "ssl_server" : "ssl_client";
    auto run = [&](Collected* collected) -> ossl::X509StoreCtxPtr {
        ossl::X509StoreCtxPtr sctx(X509_STORE_CTX_new());
        if (!sctx || X509_STORE_CTX_init(sctx.get(), store, presentedX509.front(), untrusted.get()) != 1)
            return nullptr;
        X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(sctx.get());
        X509_VERIFY_PARAM_set_auth_level(param, SSL_get_security_level(ssl.get()));
        X509_STORE_CTX_set_default(sctx.get(), paramName);
        X509_VERIFY_PARAM_set1(param, SSL_get0_param(ssl.get()));
        X509_VERIFY_PARAM_set_time(param, at);
        if (collected) {
            X509_STORE_CTX_set_app_data(sctx.get(), collected);
            X509_STORE_CTX_set_verify_cb(sctx.get(), collectingCallback);
        }
        X509_verify_cert(sctx.get());
        return sctx;
    };

    // 1. The verdict, as libpq gets it (verify_cb returns ok unchanged, i.e. stops at the first error).
    const ossl::X509StoreCtxPtr verdict = run(nullptr);
    if (!verdict) {
        const QString reason = libpqReason();
        return std::unexpected(ossl::makeError(u"pki.chain.internal"_s,
                                               u"could not set up certificate verification: "_s + reason));
    }
    result.errorCode = X509_STORE_CTX_get_error(verdict.get());
    result.ok = result.errorCode == X509_V_OK;
    result.errorString = verifyErrorString(result.errorCode);
    result.errorDepth = result.ok ? -1 : X509_STORE_CTX_get_error_depth(verdict.get());
    if (!result.ok)
        result.libpqMessage = verifyFailedMessage();

    // 2. Every problem, with a callback that continues. When the verdict is a success there was no
    // problem to collect: its chain is the one a second run would build, so reuse it (half the cost of a
    // check's report).
    Collected collected;
    const ossl::X509StoreCtxPtr report = result.ok ? nullptr : run(&collected);
    X509_STORE_CTX* const chainSource = result.ok ? verdict.get() : report.get();
    const qint64 warnSeconds = qint64(d->warningDays) * 86400;
    STACK_OF(X509)* built = chainSource ? X509_STORE_CTX_get0_chain(chainSource) : nullptr;
    const int builtCount = built ? sk_X509_num(built) : 0;
    const int numUntrusted = chainSource ? X509_STORE_CTX_get_num_untrusted(chainSource) : 0;
    auto isPresented = [&](X509* x) {
        for (X509* p : presentedX509) {
            if (X509_cmp(x, p) == 0)
                return true;
        }
        return false;
    };
    for (int i = 0; i < builtCount; ++i) {
        X509* x = sk_X509_value(built, i);
        ChainEntry entry;
        entry.certificate = CertificatePrivateAccess::fromX509(x);
        entry.depth = i;
        entry.presented = isPresented(x);
        entry.statuses = timeStatuses(x, at, warnSeconds, &entry.secondsUntilExpiry);
        if (i >= numUntrusted)
            entry.statuses |= ChainStatus::Trusted;
        if (i == 0)
            entry.role = ChainRole::Leaf;
        else if (i == builtCount - 1 && entry.statuses.testFlag(ChainStatus::SelfSigned))
            entry.role = ChainRole::Root;
        else
            entry.role = ChainRole::Intermediate;
        result.chain << entry;
    }
    for (const VerifyProblem& problem : collected.problems) {
        if (problem.depth >= 0 && problem.depth < result.chain.size()) {
            ChainEntry& entry = result.chain[problem.depth];
            if (!entry.problems.contains(problem))
                entry.problems << problem;
            entry.statuses |= statusOf(problem.code);
        }
    }
    // The verdict's error belongs to its certificate even if the continuing run saw it differently.
    if (!result.ok && result.errorDepth >= 0 && result.errorDepth < result.chain.size()) {
        ChainEntry& entry = result.chain[result.errorDepth];
        const VerifyProblem problem{result.errorCode, result.errorString, result.errorDepth};
        if (!entry.problems.contains(problem))
            entry.problems.prepend(problem);
        entry.statuses |= statusOf(result.errorCode);
    }
    for (X509* x : presentedX509) {
        bool inChain = false;
        for (int i = 0; i < builtCount && !inChain; ++i)
            inChain = X509_cmp(sk_X509_value(built, i), x) == 0;
        if (inChain)
            continue;
        ChainEntry entry;
        entry.certificate = CertificatePrivateAccess::fromX509(x);
        entry.role = ChainRole::NotInChain;
        entry.presented = true;
        entry.statuses = timeStatuses(x, at, warnSeconds, &entry.secondsUntilExpiry);
        result.chain << entry;
    }
    ossl::clearErrors();
    qCDebug(lcChain) << "verified chain of" << presented.size() << "certificates:" << result.errorString;
    return result;
}

ChainVerification ChainVerifier::fromVerifiedChain(const QList<Certificate>& verifiedChain,
                                                   const QList<Certificate>& presented,
                                                   const QList<Certificate>& trustAnchors, bool crlCheck,
                                                   const QDateTime& at, int warningDays)
{
    ChainVerification result;
    result.ok = !verifiedChain.isEmpty();
    result.errorCode = result.ok ? X509_V_OK : X509_V_ERR_UNSPECIFIED;
    result.errorString = verifyErrorString(result.errorCode);
    result.libpqMessage = result.ok ? QString() : verifyFailedMessage();
    result.verificationTime = at.isValid() ? at : QDateTime::currentDateTimeUtc();
    result.crlCheck = crlCheck;
    result.trustAnchors = trustAnchors;
    const std::time_t when = toTimeT(result.verificationTime);
    const qint64 warnSeconds = qint64(warningDays) * 86400;
    auto same = [](const Certificate& a, const Certificate& b) {
        X509* x = CertificatePrivateAccess::x509(a);
        X509* y = CertificatePrivateAccess::x509(b);
        return x && y && X509_cmp(x, y) == 0;
    };
    auto isPresented = [&](const Certificate& c) {
        return std::any_of(presented.cbegin(), presented.cend(),
                           [&](const Certificate& p) { return same(p, c); });
    };
    const qsizetype count = verifiedChain.size();
    for (qsizetype i = 0; i < count; ++i) {
        const Certificate& c = verifiedChain.at(i);
        X509* x = CertificatePrivateAccess::x509(c);
        if (!x)
            continue;
        ChainEntry entry;
        entry.certificate = c;
        entry.depth = int(i);
        entry.presented = isPresented(c);
        entry.statuses = timeStatuses(x, when, warnSeconds, &entry.secondsUntilExpiry);
        // Without X509_V_FLAG_PARTIAL_CHAIN the anchor is the top of the chain, from the store.
        if (i == count - 1)
            entry.statuses |= ChainStatus::Trusted;
        if (i == 0)
            entry.role = ChainRole::Leaf;
        else if (i == count - 1 && entry.statuses.testFlag(ChainStatus::SelfSigned))
            entry.role = ChainRole::Root;
        else
            entry.role = ChainRole::Intermediate;
        result.chain << entry;
    }
    for (const Certificate& p : presented) {
        if (std::any_of(verifiedChain.cbegin(), verifiedChain.cend(),
                        [&](const Certificate& c) { return same(p, c); }))
            continue;
        X509* x = CertificatePrivateAccess::x509(p);
        if (!x)
            continue;
        ChainEntry entry;
        entry.certificate = p;
        entry.role = ChainRole::NotInChain;
        entry.presented = true;
        entry.statuses = timeStatuses(x, when, warnSeconds, &entry.secondsUntilExpiry);
        result.chain << entry;
    }
    return result;
}

bool ChainVerification::hasWarnings() const
{
    for (const ChainEntry& e : chain) {
        if (e.statuses.testFlag(ChainStatus::ExpiringSoon))
            return true;
    }
    return false;
}

QString ChainVerification::explanation() const
{
    QStringList parts;
    if (ok) {
        parts << Tr::tr("The certificate chain is valid and leads to a trusted root certificate.");
    } else {
        parts << explain(*this, VerifyProblem{errorCode, errorString, errorDepth});
        // Other problems the chain has as well, so that fixing the first does not just reveal the next.
        for (const ChainEntry& e : chain) {
            for (const VerifyProblem& p : e.problems) {
                if (p.code == errorCode && p.depth == errorDepth)
                    continue;
                const QString text = explain(*this, p);
                if (!parts.contains(text))
                    parts << Tr::tr("Also: %1").arg(text);
            }
        }
    }
    for (const ChainEntry& e : chain) {
        if (e.statuses.testFlag(ChainStatus::ExpiringSoon))
            parts << Tr::tr("Warning: \"%1\" expires in %n day(s) (%2).", nullptr,
                            int(e.secondsUntilExpiry / 86400))
                         .arg(e.certificate.displayName(), e.certificate.notAfter().toString(Qt::ISODate));
    }
    if (!crlNote.isEmpty())
        parts << crlNote;
    return parts.join(u' ');
}

Error ChainVerification::toError() const
{
    QStringList detail;
    if (!ok)
        detail << u"OpenSSL: %1 (error %2 at depth %3)"_s.arg(errorString).arg(errorCode).arg(errorDepth);
    for (const ChainEntry& e : chain) {
        for (const VerifyProblem& p : e.problems)
            detail << u"depth %1 \"%2\": %3"_s.arg(p.depth).arg(e.certificate.displayName(), p.reason);
    }
    return Error{ok ? u"pki.chain.ok"_s : u"pki.chain."_s + codeSlug(errorCode), libpqMessage, explanation(),
                 detail};
}

} // namespace vf::pki
