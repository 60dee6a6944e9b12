#pragma once

// A small certificate authority for tests: keys, certificates, CRLs, PKCS#12 and PKCS#7 files,
// generated with OpenSSL at test time into temporary directories. Never used by the product.

#include <QByteArray>
#include <QDateTime>
#include <QFileDevice>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>

namespace vf::test {

enum class KeyType
{
    Rsa2048,
    Rsa1024,
    EcP256,
    EcP384,
    Ed25519,
};

// How a private key is written.
enum class KeyFormat
{
    Pkcs8Pem,       // -----BEGIN PRIVATE KEY----- (or ENCRYPTED PRIVATE KEY with a passphrase)
    TraditionalPem, // PKCS#1 "RSA PRIVATE KEY" / SEC1 "EC PRIVATE KEY" (Proc-Type header when encrypted)
    Pkcs8Der,       // PKCS#8 DER (EncryptedPrivateKeyInfo with a passphrase)
    TraditionalDer, // PKCS#1 / SEC1 DER, never encrypted
};

struct CertSpec
{
    QString commonName;                          // empty: no CN
    QList<QPair<QString, QString>> extraSubject; // e.g. {"O","PGDG"}, {"OU","Testing"}
    QStringList dnsNames;
    QStringList ipAddresses;          // textual IPv4/IPv6
    QList<QByteArray> rawDnsNames;    // raw dNSName bytes (embedded NUL allowed)
    QList<QByteArray> rawIpAddresses; // raw iPAddress octets (any length)
    QStringList emails;
    QStringList uris;
    qint64 notBeforeOffset = -3600; // seconds from now
    qint64 notAfterOffset = 365 * 86400;
    std::optional<QDateTime> notBefore; // absolute, overrides the offset
    std::optional<QDateTime> notAfter;
    bool isCa = false;
    int pathLength = -1;          // -1: no pathLenConstraint
    bool basicConstraints = true; // add a basicConstraints extension at all
    QString keyUsage;             // OpenSSL syntax, e.g. "critical,digitalSignature,keyEncipherment"
    QString extendedKeyUsage;     // e.g. "serverAuth,clientAuth"
    KeyType keyType = KeyType::EcP256;
    const char* digest = "SHA256"; // signature digest; ignored for Ed25519
    long serial = 0;               // 0: a fresh increasing serial
    bool subjectKeyIdentifier = true;
    bool authorityKeyIdentifier = true;
};

class TestCert
{
public:
    TestCert() = default;

    X509* x509() const { return m_cert.get(); }
    EVP_PKEY* key() const { return m_key.get(); }
    bool isNull() const { return !m_cert; }

    QByteArray pem() const;
    QByteArray der() const;
    QByteArray publicKeyPem() const;
    QByteArray csrPem() const; // a CSR for the same subject and key
    // The private key; a non-empty passphrase encrypts it (AES-256-CBC).
    QByteArray keyBytes(KeyFormat format = KeyFormat::Pkcs8Pem, const QByteArray& passphrase = {}) const;
    long serial() const;

private:
    friend class TestPki;
    std::shared_ptr<X509> m_cert;
    std::shared_ptr<EVP_PKEY> m_key;
};

class TestPki
{
public:
    static std::shared_ptr<EVP_PKEY> makeKey(KeyType type);

    // Signed by `issuer` (its key and subject), or self-signed when issuer is null.
    static TestCert makeCert(const CertSpec& spec, const TestCert* issuer = nullptr);
    // The same certificate as `cert` but with another key pair (for "key does not match" cases).
    static TestCert makeCertWithKey(const CertSpec& spec, std::shared_ptr<EVP_PKEY> key,
                                    const TestCert* issuer = nullptr);

    // Ready-made CA certificate specs.
    static CertSpec rootSpec(const QString& cn);
    static CertSpec intermediateSpec(const QString& cn);
    static CertSpec serverSpec(const QString& cn, const QStringList& dnsNames = {});
    static CertSpec clientSpec(const QString& cn);

    // A CRL issued by `issuer` revoking `revoked`. Offsets in seconds from now.
    static QByteArray crlPem(const TestCert& issuer, const QList<TestCert>& revoked,
                             qint64 lastUpdateOffset = -3600, qint64 nextUpdateOffset = 30 * 86400);
    // The file name a hashed CRL directory uses for this issuer ("1a2b3c4d.r0").
    static QString crlHashName(const TestCert& issuer, int index = 0);
    static QString certHashName(const TestCert& cert, int index = 0);

    static QByteArray pkcs12(const TestCert& leaf, const QList<TestCert>& chain, const QByteArray& password,
                             const QString& friendlyName = QStringLiteral("client"));
    static QByteArray pkcs7Der(const QList<TestCert>& certs);
    static QByteArray pkcs7Pem(const QList<TestCert>& certs);

    static QByteArray concatPem(const QList<TestCert>& certs);

    // Writes bytes to path with the given permissions (e.g. 0600 = ReadOwner|WriteOwner).
    static bool writeFile(const QString& path, const QByteArray& data,
                          QFileDevice::Permissions permissions = QFileDevice::ReadOwner |
                                                                 QFileDevice::WriteOwner);
    // chmod with an octal mode, for the permission tests.
    static bool chmod(const QString& path, int mode);
};

} // namespace vf::test
