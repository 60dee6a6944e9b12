#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace vf::pki {

// A subjectAltName entry.
struct SubjectAltName
{
    enum class Type
    {
        Dns,
        IpAddress,
        Email,
        Uri,
        Other,
    };
    Type type = Type::Other;
    QString value;       // display form: "db.example.com", "192.0.2.1", "2001:db8::1"
    QByteArray rawValue; // the raw bytes (dNSName IA5 bytes, iPAddress octets)

    friend bool operator==(const SubjectAltName&, const SubjectAltName&) = default;
};

// An X.509 certificate and everything a certificate viewer shows. Cheap to copy (shared, immutable).
// Public header: no OpenSSL types. core/pki/CertificateOpenSsl.h bridges to X509 inside vf_core.
class Certificate final
{
public:
    Certificate(); // null
    ~Certificate();
    Certificate(const Certificate&);
    Certificate& operator=(const Certificate&);
    Certificate(Certificate&&) noexcept;
    Certificate& operator=(Certificate&&) noexcept;

    // Parses one DER-encoded certificate; null on failure (use CertificateLoader for errors).
    static Certificate fromDer(const QByteArray& der);

    bool isNull() const;

    // Distinguished names in RFC 2253 order and escaping ("CN=db,O=Corp"), and one-line OpenSSL form.
    QString subjectDn() const;
    QString issuerDn() const;
    QString subjectOneLine() const; // "/O=Corp/CN=db" style as PostgreSQL's server logs show it
    QString issuerOneLine() const;
    QString commonName() const;      // first CN, empty if none
    QString displayName() const;     // CN, else the whole subject DN
    QString serialNumberHex() const; // "01:A2:…" upper-case, colon separated
    QDateTime notBefore() const;     // UTC
    QDateTime notAfter() const;
    QList<SubjectAltName> subjectAltNames() const;
    QString publicKeyType() const; // "RSA", "EC", "Ed25519", "Ed448", "DSA"…
    int publicKeyBits() const;
    QString publicKeyCurve() const;     // "prime256v1" for EC, empty otherwise
    QString signatureAlgorithm() const; // "sha256WithRSAEncryption", "ecdsa-with-SHA256", "ED25519"
    bool hasBasicConstraints() const;
    bool isCa() const;
    int pathLengthConstraint() const;     // -1: none
    QStringList keyUsage() const;         // "Digital Signature", "Certificate Sign", …
    QStringList extendedKeyUsage() const; // "TLS Web Server Authentication", …
    QByteArray subjectKeyIdentifier() const;
    QByteArray authorityKeyIdentifier() const;
    bool isSelfIssued() const; // subject == issuer
    bool isSelfSigned() const; // self-issued and its own key verifies the signature
    int version() const;       // 1..3

    QByteArray sha256Fingerprint() const; // raw digest bytes
    QByteArray sha1Fingerprint() const;
    static QString formatFingerprint(const QByteArray& digest); // "AB:CD:…"

    QByteArray toDer() const;
    QByteArray toPem() const;

    friend bool operator==(const Certificate& a, const Certificate& b);
    friend bool operator!=(const Certificate& a, const Certificate& b) { return !(a == b); }

private:
    friend class CertificatePrivateAccess;
    struct Data;
    std::shared_ptr<const Data> d;
};

} // namespace vf::pki
