#pragma once

#include "Certificate.h"
#include "common/Error.h"

#include <QDateTime>
#include <QFlags>
#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace vf::pki {

// Where a certificate sits in the chain OpenSSL built.
enum class ChainRole
{
    Leaf,
    Intermediate,
    Root,       // the self-signed top of the chain
    NotInChain, // presented by the peer but not used in the chain
};

// What is true of one certificate. Trusted/SelfSigned/ExpiringSoon are not problems.
enum class ChainStatus : uint
{
    Trusted = 0x1,      // taken from the trust anchors (root file, system store, given certificates)
    Expired = 0x2,      // notAfter before the verification time
    NotYetValid = 0x4,  // notBefore after the verification time
    ExpiringSoon = 0x8, // valid, but expires within the warning period (30 days): a warning
    SelfSigned = 0x10,
    IssuerNotFound = 0x20, // its issuer is neither presented nor trusted
    Revoked = 0x40,
    CrlProblem = 0x80,          // no CRL for its issuer, or the CRL is expired/not yet valid/badly signed
    UnsuitablePurpose = 0x100,  // extendedKeyUsage/purpose does not allow the use (e.g. clientAuth only)
    UnsuitableKeyUsage = 0x200, // not a CA, keyCertSign missing, path length exceeded
    BadSignature = 0x400,
    WeakKey = 0x800,        // key or signature digest too weak for OpenSSL's security level
    UntrustedRoot = 0x1000, // a self-signed certificate that is not among the trust anchors
    OtherProblem = 0x2000,
};
Q_DECLARE_FLAGS(ChainStatuses, ChainStatus)
Q_DECLARE_OPERATORS_FOR_FLAGS(ChainStatuses)

// One error OpenSSL's verification reported.
struct VerifyProblem
{
    int code = 0;   // X509_V_ERR_* value
    QString reason; // X509_verify_cert_error_string(code), e.g. "certificate has expired"
    int depth = -1; // position in the chain (0 = leaf)

    friend bool operator==(const VerifyProblem&, const VerifyProblem&) = default;
};

struct ChainEntry
{
    Certificate certificate;
    ChainRole role = ChainRole::Leaf;
    ChainStatuses statuses;
    QList<VerifyProblem> problems; // every error OpenSSL reported for this certificate
    int depth = -1;                // position in the built chain; -1 for NotInChain
    bool presented = false;        // sent by the peer (false: came from the trust anchors)
    qint64 secondsUntilExpiry = 0; // notAfter minus the verification time (negative: expired)
};

// The outcome of a libpq-equivalent chain verification.
struct ChainVerification
{
    bool ok = false;
    int errorCode = 0;   // what OpenSSL (and so libpq) decides: X509_V_OK or the first X509_V_ERR_*
    QString errorString; // X509_verify_cert_error_string(errorCode)
    int errorDepth = -1;
    QString libpqMessage;    // "SSL error: certificate verify failed" when !ok, else empty
    QList<ChainEntry> chain; // leaf first; the built chain, then presented certificates not used in it
    QDateTime verificationTime;
    bool crlCheck = false;           // X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL were in force
    QString crlNote;                 // why CRL paths were given but no CRL check happened (libpq's quirks)
    QList<Certificate> trustAnchors; // certificates in the trust store after loading

    bool hasWarnings() const; // some certificate expires soon
    // Plain language: what failed, on which certificate, and what to change.
    QString explanation() const;
    // Code "pki.chain.<reason>", libpq's message, our explanation, OpenSSL's reason and depth as detail.
    Error toError() const;
};

// Chain building and verification as libpq lets OpenSSL do it during the handshake (spec §4 steps 8-9
// and 17, §5.2): SSL_VERIFY_PEER with a pass-through callback, no X509_V_FLAG_PARTIAL_CHAIN (the
// anchors must include the self-signed root), purpose sslserver (or sslclient), OpenSSL's security
// level, and the CRL flags only when the CRL locations load. The verdict is what OpenSSL decides with
// libpq's pass-through callback; a second run with a callback that continues collects every problem of
// every certificate.
//
// The store is built fresh for every verify() call, as libpq builds a fresh SSL_CTX per connection.
class ChainVerifier final
{
public:
    enum class Purpose
    {
        SslServer, // a client checking a server's chain (libpq)
        SslClient, // a server checking a client's chain
    };
    using Clock = std::function<QDateTime()>;

    ChainVerifier();
    ~ChainVerifier();
    ChainVerifier(const ChainVerifier&);
    ChainVerifier& operator=(const ChainVerifier&);

    // sslrootcert=<file>: loaded like SSL_CTX_load_verify_locations(ctx, file, NULL) (PEM, several
    // certificates in any order; CRLs in it are loaded too). A path stat() fails on gives the
    // "root certificate file … does not exist" error.
    void setRootFile(const QString& path);
    // sslrootcert=system: OpenSSL's default paths (honours SSL_CERT_FILE / SSL_CERT_DIR). libpq loads no
    // CRL in this case, so setCrlFile()/setCrlDirectory() are ignored.
    void setSystemRoots(bool system = true);
    // Extra trust anchors held in memory (for example a CA the user picked).
    void addTrustedCertificate(const Certificate& certificate);
    // sslcrl / sslcrldir as resolved by the settings layer (libpq's ~/.postgresql/root.crl default is
    // the caller's job). Both empty: no CRL checking.
    void setCrlFile(const QString& path);
    void setCrlDirectory(const QString& path);
    void setPurpose(Purpose purpose);
    // The time the certificates are checked against; default: the current time when verify() runs.
    void setClock(Clock clock);
    void setVerificationTime(const QDateTime& time); // a fixed clock
    void setExpiryWarningDays(int days);             // default 30

    // presented: the certificates as the peer sends them, leaf first. Fails (Error) only when the
    // inputs cannot be used: no certificate, a null certificate, a root file that does not exist or
    // cannot be read, the system paths failing. A chain that does not verify is a successful result
    // with ok == false.
    Result<ChainVerification> verify(const QList<Certificate>& presented) const;

    // The result verify() would give for a chain the TLS handshake has already verified successfully
    // with libpq's settings (SSL_get0_verified_chain(): leaf first, ending at the trust anchor), without
    // building and checking it a second time: roles, time statuses (expiring within warningDays),
    // presented certificates not used. trustAnchors: the certificates of the store that verified it.
    static ChainVerification fromVerifiedChain(const QList<Certificate>& verifiedChain,
                                               const QList<Certificate>& presented,
                                               const QList<Certificate>& trustAnchors, bool crlCheck,
                                               const QDateTime& at, int warningDays = 30);

    // libpq's messages around the root file (PG16+ wording; PG15 ends the hint with
    // "Either provide the file or change sslmode to disable server certificate verification.").
    static QString rootFileMissingMessage(const QString& path);
    static QString noHomeDirectoryRootMessage();
    static QString verifyFailedMessage(); // "SSL error: certificate verify failed"

private:
    struct Config;
    std::unique_ptr<Config> d;
};

} // namespace vf::pki
