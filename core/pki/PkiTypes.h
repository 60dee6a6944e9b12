#pragma once

// Small value types shared by the PKI loader and its results. Public: no OpenSSL types.

#include <QtGlobal>

namespace vf::pki {

// Files larger than this are refused before they are read: no certificate bundle, key or CRL a
// PostgreSQL client uses comes near it, and reading a multi-gigabyte file by mistake must not hang.
inline constexpr qint64 kMaxPkiFileSize = 64LL * 1024 * 1024;

// How the bytes of a file are encoded.
enum class Encoding
{
    Unknown,
    Pem, // "-----BEGIN …-----" text blocks
    Der, // binary ASN.1 (also BER, as some PKCS#12/PKCS#7 writers produce)
};

// What a file (or one object inside it) is.
enum class FileKind
{
    Unknown,
    Certificate,        // one or more X.509 certificates
    PrivateKey,         // a private key (maybe encrypted)
    PublicKey,          // a bare public key (SubjectPublicKeyInfo or PKCS#1 RSAPublicKey)
    CertificateRequest, // a CSR (PKCS#10)
    Pkcs12,             // .p12/.pfx: certificate, key and chain, usually password-protected
    Pkcs7,              // .p7b/.p7c: a certificate (and CRL) bundle
    Crl,                // a certificate revocation list
    SshKey,             // an OpenSSH/PuTTY key: not usable for TLS
    Directory,          // a directory (what the CRL-directory role expects)
};

// The connection field a file was chosen for.
enum class FileRole
{
    Any,              // identify only
    RootCertificates, // sslrootcert
    ClientCertificate,
    ClientKey,
    CrlFile,
    CrlDirectory,
};

} // namespace vf::pki
