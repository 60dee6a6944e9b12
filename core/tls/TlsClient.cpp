#include "TlsClient.h"

#include "common/BioByteArray.h"
#include "common/OpenSsl.h"
#include "common/OpenSslError.h"
#include "pki/CertificateOpenSsl.h"
#include "pki/KeyPermissions.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <sys/stat.h>

Q_LOGGING_CATEGORY(lcTls, "vf.tls")

namespace vf::tls {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::tls::TlsClient)
};

constexpr char kAlpn[] = "\x0apostgresql";
const QString kRootHint = QStringLiteral(
    "Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to "
    "disable server certificate verification.");

int protocolVersion(const QString& name)
{
    if (name.compare(u"TLSv1", Qt::CaseInsensitive) == 0)
        return TLS1_VERSION;
    if (name.compare(u"TLSv1.1", Qt::CaseInsensitive) == 0)
        return TLS1_1_VERSION;
    if (name.compare(u"TLSv1.2", Qt::CaseInsensitive) == 0)
        return TLS1_2_VERSION;
    if (name.compare(u"TLSv1.3", Qt::CaseInsensitive) == 0)
        return TLS1_3_VERSION;
    return -1;
}

std::unexpected<Error> tlsError(const char* code, const QString& message, const QString& explanation = {})
{
    return std::unexpected<Error>(ossl::makeError(QString::fromLatin1(code), message, explanation));
}

QString fileError(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

bool isVersionReason(int reason)
{
    switch (reason) {
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_BAD_PROTOCOL_VERSION_NUMBER:
    case SSL_R_UNKNOWN_PROTOCOL:
    case SSL_R_UNKNOWN_SSL_VERSION:
    case SSL_R_UNSUPPORTED_SSL_VERSION:
    case SSL_R_WRONG_SSL_VERSION:
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
    case SSL_R_VERSION_TOO_HIGH:
    case SSL_R_VERSION_TOO_LOW:
        return true;
    default:
        return false;
    }
}

} // namespace

struct TlsClient::Private
{
    ossl::SslCtxPtr ctx;
    ossl::SslPtr ssl;
    BIO* networkIn = nullptr;  // owned by ssl: bytes from the server
    BIO* networkOut = nullptr; // owned by ssl: bytes for the server
    TlsConfig config;
    PassphraseProvider* passphrases = nullptr;
    std::optional<QByteArray> askedPassphrase;
    TlsFacts* facts = nullptr;
    bool peerClosed = false;
    bool handshakeDone = false;
    bool failed = false;

    static int s_exIndex;
};

int TlsClient::Private::s_exIndex = -1;

namespace {

TlsClient::Private* privateOf(SSL* ssl)
{
    return static_cast<TlsClient::Private*>(SSL_get_ex_data(ssl, TlsClient::Private::s_exIndex));
}

int passwordCallback(char* buf, int size, int /*rwflag*/, void* userdata)
{
    auto* d = static_cast<TlsClient::Private*>(userdata);
    if (!d || size <= 0)
        return 0;
    QByteArray pass;
    if (!d->config.sslpassword.isEmpty()) {
        pass = d->config.sslpassword;
    } else if (d->passphrases) {
        if (!d->askedPassphrase)
            d->askedPassphrase = d->passphrases->passphraseFor(d->config.sslkey).value_or(QByteArray());
        pass = *d->askedPassphrase;
    }
    if (pass.size() >= size) {
        qCWarning(lcTls, "sslpassword truncated");
        pass.truncate(size - 1);
    }
    std::memcpy(buf, pass.constData(), size_t(pass.size()));
    buf[pass.size()] = '\0';
    const int len = int(pass.size());
    pass.fill('\0');
    return len;
}

int certCallback(SSL* ssl, void* /*arg*/)
{
    if (TlsClient::Private* d = privateOf(ssl)) {
        d->facts->clientCertificateRequested = true;
        d->facts->clientCertificateSent = SSL_get_certificate(ssl) != nullptr;
    }
    return 1;
}

// Whether a key file is a PEM key encrypted with a passphrase (PKCS#8 "ENCRYPTED PRIVATE KEY", or a
// traditional key with "Proc-Type: 4,ENCRYPTED"). Reads at most the first 64 KiB.
bool encryptedPemKey(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = f.read(64 * 1024);
    return head.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || head.contains("Proc-Type: 4,ENCRYPTED");
}

// libpq's verify_cb returns ok unchanged; we also keep the presented chain and the first error.
int verifyCallback(int ok, X509_STORE_CTX* storeCtx)
{
    auto* ssl = static_cast<SSL*>(X509_STORE_CTX_get_ex_data(storeCtx, SSL_get_ex_data_X509_STORE_CTX_idx()));
    TlsClient::Private* d = ssl ? privateOf(ssl) : nullptr;
    if (d) {
        if (d->facts->presentedChain.isEmpty()) {
            if (STACK_OF(X509)* untrusted = X509_STORE_CTX_get0_untrusted(storeCtx)) {
                for (int i = 0; i < sk_X509_num(untrusted); ++i)
                    d->facts->presentedChain
                        << pki::CertificatePrivateAccess::fromX509(sk_X509_value(untrusted, i));
            } else if (X509* leaf = X509_STORE_CTX_get0_cert(storeCtx)) {
                d->facts->presentedChain << pki::CertificatePrivateAccess::fromX509(leaf);
            }
        }
        if (!ok && d->facts->verifyError == X509_V_OK) {
            d->facts->verifyError = X509_STORE_CTX_get_error(storeCtx);
            d->facts->verifyErrorDepth = X509_STORE_CTX_get_error_depth(storeCtx);
            d->facts->verifyErrorString =
                QString::fromUtf8(X509_verify_cert_error_string(X509_STORE_CTX_get_error(storeCtx)));
        }
    }
    return ok;
}

} // namespace

TlsClient::TlsClient()
    : d(std::make_unique<Private>())
{}

TlsClient::~TlsClient()
{
    if (d && !d->config.sslpassword.isEmpty())
        d->config.sslpassword.fill('\0');
    if (d && d->askedPassphrase)
        d->askedPassphrase->fill('\0');
}

bool TlsClient::sniAllowedFor(const QString& host)
{
    if (host.isEmpty())
        return false;
    const QByteArray h = host.toUtf8();
    const size_t digits = std::strspn(h.constData(), "0123456789.");
    return digits != size_t(h.size()) && !h.contains(':');
}

Result<std::unique_ptr<TlsClient>> TlsClient::create(const TlsConfig& config, PassphraseProvider* passphrases)
{
    ossl::clearErrors();
    if (Private::s_exIndex < 0)
        Private::s_exIndex = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);

    std::unique_ptr<TlsClient> client(new TlsClient);
    Private& p = *client->d;
    p.config = config;
    p.passphrases = passphrases;
    p.facts = &client->m_facts;
    const QString home = config.homeDirectory;

    p.ctx.reset(SSL_CTX_new(TLS_method()));
    if (!p.ctx)
        return tlsError("tls.context",
                        QStringLiteral("could not create SSL context: %1").arg(ossl::firstReason()));
    SSL_CTX* ctx = p.ctx.get();

    // Key passphrase: sslpassword, else the person (libpq would prompt on the terminal).
    SSL_CTX_set_default_passwd_cb(ctx, passwordCallback);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, &p);
    SSL_CTX_set_cert_cb(ctx, certCallback, nullptr);
    SSL_CTX_set_options(ctx, SSL_OP_NO_SSLv2 | SSL_OP_NO_SSLv3);

    if (!config.minProtocol.isEmpty()) {
        const int v = protocolVersion(config.minProtocol);
        if (v == -1)
            return tlsError("tls.min-protocol",
                            QStringLiteral("invalid value \"%1\" for minimum SSL protocol version")
                                .arg(config.minProtocol));
        if (!SSL_CTX_set_min_proto_version(ctx, v))
            return tlsError(
                "tls.min-protocol",
                QStringLiteral("could not set minimum SSL protocol version: %1").arg(ossl::firstReason()));
    }
    if (!config.maxProtocol.isEmpty()) {
        const int v = protocolVersion(config.maxProtocol);
        if (v == -1)
            return tlsError("tls.max-protocol",
                            QStringLiteral("invalid value \"%1\" for maximum SSL protocol version")
                                .arg(config.maxProtocol));
        if (!SSL_CTX_set_max_proto_version(ctx, v))
            return tlsError(
                "tls.max-protocol",
                QStringLiteral("could not set maximum SSL protocol version: %1").arg(ossl::firstReason()));
    }
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);

    // Trust anchors.
    QString rootFile = config.sslrootcert;
    if (rootFile.isEmpty() && !home.isEmpty())
        rootFile = home + u"/.postgresql/root.crt";
    bool haveRootCert = false;
    struct stat st
    {
    };
    if (rootFile == u"system") {
        if (SSL_CTX_set_default_verify_paths(ctx) != 1)
            return tlsError(
                "tls.system-roots",
                QStringLiteral("could not load system root certificate paths: %1").arg(ossl::firstReason()));
        haveRootCert = true;
    } else if (!rootFile.isEmpty() && ::stat(QFile::encodeName(rootFile).constData(), &st) == 0) {
        if (SSL_CTX_load_verify_locations(ctx, QFile::encodeName(rootFile).constData(), nullptr) != 1)
            return tlsError("tls.root-unreadable",
                            QStringLiteral("could not read root certificate file \"%1\": %2")
                                .arg(rootFile, ossl::firstReason()),
                            Tr::tr("The root certificate file exists but OpenSSL cannot read certificates "
                                   "from it: libpq needs PEM certificates in this file."));
        // CRLs: a failure of the whole load (e.g. a missing file) silently disables CRL checking.
        QString crlFile = config.sslcrl;
        const QString crlDir = config.sslcrldir;
        if (crlFile.isEmpty() && crlDir.isEmpty() && !home.isEmpty())
            crlFile = home + u"/.postgresql/root.crl";
        if (!crlFile.isEmpty() || !crlDir.isEmpty()) {
            X509_STORE* store = SSL_CTX_get_cert_store(ctx);
            const QByteArray f = QFile::encodeName(crlFile);
            const QByteArray dir = QFile::encodeName(crlDir);
            if (X509_STORE_load_locations(store, crlFile.isEmpty() ? nullptr : f.constData(),
                                          crlDir.isEmpty() ? nullptr : dir.constData()) == 1) {
                X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
                client->m_facts.crlChecking = true;
            }
            ossl::clearErrors();
        }
        haveRootCert = true;
    } else if (config.sslmode.startsWith(u'v')) {
        if (rootFile.isEmpty())
            return makeError(
                QStringLiteral("tls.no-home"),
                QStringLiteral("could not get home directory to locate root certificate file\n") + kRootHint,
                Tr::tr("sslmode=%1 needs trusted root certificates, and there is no home directory to find "
                       "~/.postgresql/root.crt in.")
                    .arg(config.sslmode));
        return makeError(QStringLiteral("tls.root-missing"),
                         QStringLiteral("root certificate file \"%1\" does not exist\n").arg(rootFile) +
                             kRootHint,
                         Tr::tr("sslmode=%1 verifies the server against trusted root certificates, and the "
                                "file that should hold them is not there. Point sslrootcert at your CA's "
                                "root certificate, or use sslrootcert=system for a public CA.")
                             .arg(config.sslmode));
    }
    client->m_facts.verificationEnabled = haveRootCert;
    client->m_facts.rootCertPath = haveRootCert ? rootFile : QString();

    // Client certificate.
    QString certFile = config.sslcert;
    if (certFile.isEmpty() && !home.isEmpty())
        certFile = home + u"/.postgresql/postgresql.crt";
    bool haveCert = false;
    if (config.sslcertmode != u"disable" && !certFile.isEmpty()) {
        if (::stat(QFile::encodeName(certFile).constData(), &st) != 0) {
            const int err = errno;
            if (err != ENOENT && err != ENOTDIR)
                return makeError(QStringLiteral("tls.cert-open"),
                                 QStringLiteral("could not open certificate file \"%1\": %2")
                                     .arg(certFile, fileError(err)));
        } else {
            if (SSL_CTX_use_certificate_chain_file(ctx, QFile::encodeName(certFile).constData()) != 1)
                return tlsError("tls.cert-read",
                                QStringLiteral("could not read certificate file \"%1\": %2")
                                    .arg(certFile, ossl::firstReason()),
                                Tr::tr("libpq reads the client certificate as PEM: convert a DER or PKCS#12 "
                                       "file to PEM first."));
            haveCert = true;
        }
    }

    p.ssl.reset(SSL_new(ctx));
    if (!p.ssl)
        return tlsError("tls.session",
                        QStringLiteral("could not establish SSL connection: %1").arg(ossl::firstReason()));
    SSL* ssl = p.ssl.get();
    SSL_set_ex_data(ssl, Private::s_exIndex, &p);
    p.networkIn = BIO_new(BIO_s_mem());
    p.networkOut = BIO_new(BIO_s_mem());
    BIO_set_mem_eof_return(p.networkIn, -1); // empty means "wait", not EOF
    SSL_set_bio(ssl, p.networkIn, p.networkOut);
    SSL_set_connect_state(ssl);

    if (config.sslsni.startsWith(u'1') && sniAllowedFor(config.host)) {
        QByteArray sni = config.host.toUtf8();
        if (SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name, sni.data()) != 1)
            return tlsError("tls.sni", QStringLiteral("could not set SSL Server Name Indication (SNI): %1")
                                           .arg(ossl::firstReason()));
        client->m_facts.sniSent = config.host;
    }
    if (SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(kAlpn), sizeof kAlpn - 1) != 0)
        return tlsError("tls.alpn",
                        QStringLiteral("could not set SSL ALPN extension: %1").arg(ossl::firstReason()));

    // Private key.
    if (haveCert) {
        QString keyFile = config.sslkey;
        if (keyFile.isEmpty() && !home.isEmpty())
            keyFile = home + u"/.postgresql/postgresql.key";
        p.config.sslkey = keyFile;
        if (auto perm = pki::KeyPermissions().checkClientKeyFile(keyFile); !perm)
            return std::unexpected(perm.error());
        const QByteArray k = QFile::encodeName(keyFile);
        if (SSL_use_PrivateKey_file(ssl, k.constData(), SSL_FILETYPE_PEM) != 1) {
            const QString pemReason = ossl::firstReason();
            const QStringList pemQueue = ossl::drainErrors();
            if (SSL_use_PrivateKey_file(ssl, k.constData(), SSL_FILETYPE_ASN1) != 1) {
                ossl::clearErrors();
                // A wrong passphrase usually ends in "bad decrypt"; about 1 time in 256 the garbage it
                // decrypts to has valid padding and OpenSSL reports an ASN.1 error instead. An encrypted
                // PEM key that does not load with a passphrase given is a wrong passphrase either way.
                const bool badPass = pemReason == u"bad decrypt" || pemReason.contains(u"bad password") ||
                                     ((!p.config.sslpassword.isEmpty() ||
                                       (p.askedPassphrase && !p.askedPassphrase->isEmpty())) &&
                                      encryptedPemKey(keyFile));
                return makeError(
                    badPass ? QStringLiteral("tls.key-passphrase") : QStringLiteral("tls.key-load"),
                    QStringLiteral("could not load private key file \"%1\": %2").arg(keyFile, pemReason),
                    badPass ? Tr::tr("The key is encrypted and the passphrase given (sslpassword, or the one "
                                     "typed) does not open it.")
                            : Tr::tr("OpenSSL cannot read a private key from this file, or the key does not "
                                     "belong to the client certificate."),
                    pemQueue);
            }
        }
        if (SSL_check_private_key(ssl) != 1)
            return tlsError("tls.key-mismatch",
                            QStringLiteral("certificate does not match private key file \"%1\": %2")
                                .arg(keyFile, ossl::firstReason()));
    }

    if (haveRootCert)
        SSL_set_verify(ssl, SSL_VERIFY_PEER, verifyCallback);
    else
        SSL_set_verify(ssl, SSL_VERIFY_NONE, verifyCallback);

    if (config.sslcompression.startsWith(u'0'))
        SSL_set_options(ssl, SSL_OP_NO_COMPRESSION);
    else
        SSL_clear_options(ssl, SSL_OP_NO_COMPRESSION);
    return client;
}

void TlsClient::feedFromNetwork(QByteArrayView bytes)
{
    if (!bytes.isEmpty())
        BIO_write(d->networkIn, bytes.data(), int(bytes.size()));
}

void TlsClient::networkClosed()
{
    d->peerClosed = true;
    BIO_set_mem_eof_return(d->networkIn, 0);
}

QByteArray TlsClient::takeToNetwork()
{
    QByteArray out = ossl::bytesOf(d->networkOut);
    (void)BIO_reset(d->networkOut);
    return out;
}

TlsClient::Step TlsClient::handshake()
{
    if (d->handshakeDone)
        return Step::Done;
    if (d->failed)
        return Step::Failed;
    const Step step = doHandshake();
    d->failed = step == Step::Failed;
    return step;
}

// The chain the handshake verified, so the report need not build and verify it again. The presented
// certificates are reused; only the anchor is new. The system store (~150 roots) is left to the report.
void TlsClient::captureVerifiedChain()
{
    SSL* ssl = d->ssl.get();
    if (!m_facts.verificationEnabled || m_facts.rootCertPath == u"system" ||
        SSL_get_verify_result(ssl) != X509_V_OK)
        return;
    STACK_OF(X509)* chain = SSL_get0_verified_chain(ssl);
    if (!chain || sk_X509_num(chain) == 0)
        return;
    auto known = [this](X509* x) -> std::optional<pki::Certificate> {
        for (const QList<pki::Certificate>* list : {&m_facts.presentedChain, &m_facts.verifiedChain}) {
            for (const pki::Certificate& c : *list) {
                X509* y = pki::CertificatePrivateAccess::x509(c);
                if (y && X509_cmp(x, y) == 0)
                    return c;
            }
        }
        return std::nullopt;
    };
    for (int i = 0; i < sk_X509_num(chain); ++i) {
        X509* x = sk_X509_value(chain, i);
        const auto existing = known(x);
        m_facts.verifiedChain << (existing ? *existing : pki::CertificatePrivateAccess::fromX509(x));
    }
    if (STACK_OF(X509)* all = X509_STORE_get1_all_certs(SSL_CTX_get_cert_store(d->ctx.get()))) {
        for (int i = 0; i < sk_X509_num(all); ++i) {
            X509* x = sk_X509_value(all, i);
            const auto existing = known(x);
            m_facts.trustAnchors << (existing ? *existing : pki::CertificatePrivateAccess::fromX509(x));
        }
        sk_X509_pop_free(all, X509_free);
    }
}

TlsClient::Step TlsClient::doHandshake()
{
    ERR_clear_error();
    const int r = SSL_connect(d->ssl.get());
    SSL* ssl = d->ssl.get();
    if (r > 0) {
        d->handshakeDone = true;
        m_facts.protocol = QString::fromLatin1(SSL_get_version(ssl));
        if (const SSL_CIPHER* c = SSL_get_current_cipher(ssl)) {
            m_facts.cipher = QString::fromLatin1(SSL_CIPHER_get_name(c));
            m_facts.cipherBits = SSL_CIPHER_get_bits(c, nullptr);
        }
        const unsigned char* alpn = nullptr;
        unsigned int alpnLen = 0;
        SSL_get0_alpn_selected(ssl, &alpn, &alpnLen);
        m_facts.alpn = QString::fromLatin1(reinterpret_cast<const char*>(alpn), qsizetype(alpnLen));
        if (m_facts.presentedChain.isEmpty()) {
            if (STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl)) {
                for (int i = 0; i < sk_X509_num(chain); ++i)
                    m_facts.presentedChain
                        << pki::CertificatePrivateAccess::fromX509(sk_X509_value(chain, i));
            }
        }
        captureVerifiedChain();
        if (d->config.sslnegotiation == u"direct") {
            if (alpnLen == 0) {
                m_error = Error{QStringLiteral("tls.alpn-missing"),
                                QStringLiteral("direct SSL connection was established without ALPN protocol "
                                               "negotiation extension"),
                                Tr::tr("The server accepted TLS directly but did not agree on the "
                                       "'postgresql' protocol; it is not a PostgreSQL 17+ server."),
                                {}};
                return Step::Failed;
            }
            if (m_facts.alpn != u"postgresql") {
                m_error =
                    Error{QStringLiteral("tls.alpn-unexpected"),
                          QStringLiteral("SSL connection was established with unexpected ALPN protocol"),
                          Tr::tr("The server chose protocol '%1' instead of 'postgresql'.").arg(m_facts.alpn),
                          {}};
                return Step::Failed;
            }
        }
        if (!SSL_get0_peer_certificate(ssl)) {
            m_error = ossl::makeError(
                QStringLiteral("tls.no-peer-certificate"),
                QStringLiteral("certificate could not be obtained: %1").arg(ossl::firstReason()));
            return Step::Failed;
        }
        return Step::Done;
    }

    const int err = SSL_get_error(ssl, r);
    switch (err) {
    case SSL_ERROR_WANT_READ:
    case SSL_ERROR_WANT_WRITE:
        return Step::NeedIO;
    case SSL_ERROR_SYSCALL: {
        const long verify = SSL_get_verify_result(ssl);
        if (verify == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY && d->config.sslrootcert == u"system")
            m_error = Error{QStringLiteral("tls.verify-failed"),
                            QStringLiteral("SSL error: certificate verify failed: %1")
                                .arg(QString::fromUtf8(X509_verify_cert_error_string(verify))),
                            {},
                            ossl::drainErrors()};
        else
            m_error = Error{QStringLiteral("tls.eof"), QStringLiteral("SSL SYSCALL error: EOF detected"),
                            Tr::tr("The server closed the connection during the TLS handshake."),
                            ossl::drainErrors()};
        return Step::Failed;
    }
    case SSL_ERROR_SSL: {
        const unsigned long ecode = ERR_peek_error();
        // OpenSSL 3 reports a peer that closed mid-handshake as an SSL error; libpq (15.18 and later,
        // checked with psql) prints it as the classic EOF, which is what people search for.
        if (ERR_GET_LIB(ecode) == ERR_LIB_SSL &&
            ERR_GET_REASON(ecode) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
            m_error = Error{QStringLiteral("tls.eof"), QStringLiteral("SSL SYSCALL error: EOF detected"),
                            Tr::tr("The server closed the connection during the TLS handshake."),
                            ossl::drainErrors()};
            return Step::Failed;
        }
        QString message = QStringLiteral("SSL error: ") + ossl::reasonString(ecode);
        if (ERR_GET_LIB(ecode) == ERR_LIB_SSL && isVersionReason(ERR_GET_REASON(ecode)))
            message +=
                QStringLiteral(
                    "\nThis may indicate that the server does not support any SSL protocol version "
                    "between %1 and %2.")
                    .arg(d->config.minProtocol.isEmpty() ? QStringLiteral("TLSv1") : d->config.minProtocol,
                         d->config.maxProtocol.isEmpty() ? QStringLiteral("TLSv1.3") : d->config.maxProtocol);
        const bool verifyFailed = ERR_GET_REASON(ecode) == SSL_R_CERTIFICATE_VERIFY_FAILED;
        m_error = Error{verifyFailed ? QStringLiteral("tls.verify-failed") : QStringLiteral("tls.handshake"),
                        message,
                        {},
                        ossl::drainErrors()};
        return Step::Failed;
    }
    default:
        m_error = Error{QStringLiteral("tls.unknown"),
                        QStringLiteral("unrecognized SSL error code: %1").arg(err),
                        {},
                        ossl::drainErrors()};
        return Step::Failed;
    }
}

Result<void> TlsClient::write(QByteArrayView plain)
{
    ERR_clear_error();
    qsizetype offset = 0;
    while (offset < plain.size()) {
        size_t written = 0;
        const int r =
            SSL_write_ex(d->ssl.get(), plain.data() + offset, size_t(plain.size() - offset), &written);
        if (r <= 0)
            return tlsError("tls.write",
                            QStringLiteral("SSL error: %1").arg(ossl::reasonString(ERR_peek_error())));
        offset += qsizetype(written);
    }
    return {};
}

Result<QByteArray> TlsClient::read()
{
    QByteArray out;
    char buf[16384];
    for (;;) {
        ERR_clear_error();
        size_t got = 0;
        const int r = SSL_read_ex(d->ssl.get(), buf, sizeof buf, &got);
        if (r > 0) {
            out.append(buf, qsizetype(got));
            continue;
        }
        const int err = SSL_get_error(d->ssl.get(), r);
        if (err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE)
            return out;
        if (!out.isEmpty())
            return out; // report the error on the next call
        if (err == SSL_ERROR_ZERO_RETURN)
            return makeError(QStringLiteral("tls.closed"),
                             QStringLiteral("SSL connection has been closed unexpectedly"));
        if (err == SSL_ERROR_SYSCALL)
            return makeError(QStringLiteral("tls.eof"), QStringLiteral("SSL SYSCALL error: EOF detected"));
        return tlsError("tls.read",
                        QStringLiteral("SSL error: %1").arg(ossl::reasonString(ERR_peek_error())));
    }
}

Result<QByteArray> TlsClient::endPointHash(const pki::Certificate& serverCertificate)
{
    X509* peer = pki::CertificatePrivateAccess::x509(serverCertificate);
    if (!peer)
        return makeError(QStringLiteral("tls.cbind"),
                         QStringLiteral("could not generate peer certificate hash"));
    int mdNid = NID_undef;
    int pkNid = NID_undef;
    if (!X509_get_signature_info(peer, &mdNid, &pkNid, nullptr, nullptr))
        return makeError(QStringLiteral("tls.cbind"),
                         QStringLiteral("could not determine server certificate signature algorithm"));
    if (mdNid == NID_md5 || mdNid == NID_sha1)
        mdNid = NID_sha256;
    const EVP_MD* md = EVP_get_digestbynid(mdNid);
    if (!md)
        return makeError(
            QStringLiteral("tls.cbind"),
            QStringLiteral("could not find digest for NID %1").arg(QString::fromLatin1(OBJ_nid2sn(mdNid))),
            Tr::tr("The server certificate's signature algorithm (for example Ed25519) has no hash, so SCRAM "
                   "channel binding cannot be used with it."));
    unsigned char hash[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!X509_digest(peer, md, hash, &len))
        return makeError(QStringLiteral("tls.cbind"),
                         QStringLiteral("could not generate peer certificate hash"));
    return QByteArray(reinterpret_cast<const char*>(hash), qsizetype(len));
}

Result<QByteArray> TlsClient::serverEndPointHash() const
{
    if (m_facts.presentedChain.isEmpty())
        return makeError(QStringLiteral("tls.cbind"),
                         QStringLiteral("could not generate peer certificate hash"));
    return endPointHash(m_facts.presentedChain.first());
}

} // namespace vf::tls
