#pragma once

#include "PassphraseProvider.h"
#include "TlsConfig.h"
#include "common/Error.h"
#include "pki/Certificate.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

namespace vf::tls {

// What the TLS layer saw, kept even when the handshake fails.
struct TlsFacts
{
    QString protocol; // "TLSv1.3"
    QString cipher;   // "TLS_AES_256_GCM_SHA384"
    int cipherBits = 0;
    QString alpn;    // negotiated ALPN protocol, empty if none
    QString sniSent; // the server name sent, empty if none
    bool clientCertificateRequested = false;
    bool clientCertificateSent = false;
    bool verificationEnabled = false; // a root file / the system store was loaded (SSL_VERIFY_PEER)
    bool crlChecking = false;
    QString rootCertPath;                   // what was loaded ("system" or a path), empty if none
    QList<pki::Certificate> presentedChain; // as the server sent it, leaf first
    // When the handshake verified the chain against a root file: the chain OpenSSL built (leaf first,
    // ending at the anchor) and the certificates the root file put in the store. Empty otherwise.
    QList<pki::Certificate> verifiedChain;
    QList<pki::Certificate> trustAnchors;
    int verifyError = 0; // X509_V_OK or the first chain error OpenSSL reported
    int verifyErrorDepth = -1;
    QString verifyErrorString;
};

// One TLS client session over memory BIOs: no socket of its own. The caller moves bytes between the
// network and this object (feedFromNetwork / takeToNetwork) and drives the handshake; the rest is
// libpq's initialize_SSL() and open_client_SSL(), with libpq's error messages.
class TlsClient final
{
public:
    ~TlsClient();
    Q_DISABLE_COPY_MOVE(TlsClient)

    // initialize_SSL(): builds the context and session in libpq's order (protocol bounds, trust anchors,
    // CRLs, client certificate, SNI, ALPN, private key with the permission rule, verify mode).
    // Errors carry libpq's messages (`root certificate file "…" does not exist…`, `private key file
    // "…" has group or world access; …`, `could not load private key file "…": bad decrypt`…).
    static Result<std::unique_ptr<TlsClient>> create(const TlsConfig& config,
                                                     PassphraseProvider* passphrases);

    enum class Step
    {
        NeedIO, // send takeToNetwork(), then wait for more bytes
        Done,   // handshake finished
        Failed, // see error()
    };
    Step handshake();
    const Error& error() const { return m_error; }

    void feedFromNetwork(QByteArrayView bytes);
    // The peer closed the connection: OpenSSL then reports EOF (`SSL SYSCALL error: EOF detected`).
    void networkClosed();
    QByteArray takeToNetwork();

    // Application data after the handshake.
    Result<void> write(QByteArrayView plain);
    // Whatever plaintext is available now (empty if none); errors as libpq's pgtls_read().
    Result<QByteArray> read();

    const TlsFacts& facts() const { return m_facts; }
    // RFC 5929 tls-server-end-point data of the server certificate, as pgtls_get_peer_certificate_hash().
    Result<QByteArray> serverEndPointHash() const;

    // libpq's SNI rule: no SNI for IP literals (`strspn(host, "0123456789.") == strlen` or a ':').
    static bool sniAllowedFor(const QString& host);
    // The tls-server-end-point hash of a certificate (exposed for tests).
    static Result<QByteArray> endPointHash(const pki::Certificate& serverCertificate);

    struct Private; // defined in the .cpp; public only so OpenSSL callbacks can reach it

private:
    TlsClient();
    Step doHandshake();
    void captureVerifiedChain();
    std::unique_ptr<Private> d;
    TlsFacts m_facts;
    Error m_error;
};

} // namespace vf::tls
