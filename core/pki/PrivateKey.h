#pragma once

#include "PkiTypes.h"
#include "common/Error.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace vf::pki {

class Certificate;

// A decrypted private key. Cheap to copy (shared, immutable). Public header: no OpenSSL types;
// core/pki/PrivateKeyOpenSsl.h bridges to EVP_PKEY inside vf_core. Holds secret material: never log
// what toPkcs8Pem() returns.
class PrivateKey final
{
public:
    // How the key was stored in its file.
    enum class Format
    {
        Unknown,
        Pkcs8,          // "PRIVATE KEY" / "ENCRYPTED PRIVATE KEY" (any algorithm)
        Pkcs1,          // "RSA PRIVATE KEY" (traditional RSA)
        Sec1,           // "EC PRIVATE KEY" (traditional EC)
        TraditionalDsa, // "DSA PRIVATE KEY"
        Pkcs12,         // inside a .p12/.pfx
    };

    PrivateKey(); // null
    ~PrivateKey();
    PrivateKey(const PrivateKey&);
    PrivateKey& operator=(const PrivateKey&);
    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;

    bool isNull() const;
    QString type() const;  // "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA"…
    int bits() const;      // 2048, 256 (P-256), 256 (Ed25519)…
    QString curve() const; // "prime256v1" for EC keys, empty otherwise
    bool wasEncrypted() const;
    Format format() const;
    Encoding encoding() const;                // Pem or Der (Der for keys from PKCS#12)
    static QString formatName(Format format); // "PKCS#8", "PKCS#1", "SEC1"…

    // The key as unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), which libpq reads for sslkey.
    QByteArray toPkcs8Pem() const;
    // The public half as SubjectPublicKeyInfo DER.
    QByteArray publicKeyDer() const;

    // Whether this key belongs to the certificate's public key. Errors: pki.key-mismatch (same type,
    // different key), pki.key-type-mismatch (e.g. an RSA key for an EC certificate), pki.null-input.
    Result<void> checkMatches(const Certificate& certificate) const;

private:
    friend class PrivateKeyPrivateAccess;
    struct Data;
    std::shared_ptr<const Data> d;
};

} // namespace vf::pki
