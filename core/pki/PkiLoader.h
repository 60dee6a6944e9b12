#pragma once

#include "Certificate.h"
#include "Crl.h"
#include "CrlDirectory.h"
#include "FileInspection.h"
#include "Pkcs12Contents.h"
#include "PkiTypes.h"
#include "PrivateKey.h"
#include "common/Error.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace vf::pki {

// Loads certificates, private keys, PKCS#12 bundles and CRLs, recognising the format from the content
// (never the file name), and says what a file is when it is not what a field expects.
//
// Passphrases: an empty QByteArray means "none given" (as libpq treats an empty sslpassword). They are
// only handed to OpenSSL, never logged, stored or put into an Error.
//
// Error codes (Error::code), besides SafeFileReader's file errors:
//   pki.wrong-file-kind        the file holds something else (a key in the certificate field, a CSR…)
//   pki.passphrase-required    an encrypted key / password-protected PKCS#12 and no passphrase given
//   pki.wrong-passphrase       the passphrase/password given does not open it
//   pki.unsupported-key-encryption, pki.pkcs12-legacy-encryption
//   pki.truncated-pem, pki.bad-pem, pki.truncated-der, pki.corrupt-object, pki.unrecognized-format
//   pki.no-certificate, pki.no-private-key, pki.no-crl
class PkiLoader final
{
public:
    PkiLoader() = delete;

    // Certificates from PEM (one or a bundle, in file order), DER, PKCS#7 (PEM or DER), or a PKCS#12
    // (its certificate first, then its chain; needs the password unless it has none).
    static Result<QList<Certificate>> loadCertificates(const QString& path,
                                                       const QByteArray& passphrase = {});
    static Result<QList<Certificate>>
    parseCertificates(const QByteArray& data, const QByteArray& passphrase = {}, const QString& name = {});

    // The first private key of a PEM file (PKCS#8, PKCS#1, SEC1; encrypted or not), of a DER file
    // (PKCS#8 plain or encrypted, PKCS#1, SEC1) or of a PKCS#12. RSA, EC, Ed25519…
    static Result<PrivateKey> loadPrivateKey(const QString& path, const QByteArray& passphrase = {});
    static Result<PrivateKey> parsePrivateKey(const QByteArray& data, const QByteArray& passphrase = {},
                                              const QString& name = {});

    // A PKCS#12 (.p12/.pfx) file: certificate, key and chain.
    static Result<Pkcs12Contents> loadPkcs12(const QString& path, const QByteArray& password = {});
    static Result<Pkcs12Contents> parsePkcs12(const QByteArray& data, const QByteArray& password = {},
                                              const QString& name = {});

    // CRLs from a PEM (one or more) or DER file, or from a PKCS#7 bundle.
    static Result<QList<Crl>> loadCrls(const QString& path);
    static Result<QList<Crl>> parseCrls(const QByteArray& data, const QString& name = {});

    // A hashed CRL directory ("<issuer-hash>.r<n>" files, as "openssl rehash" creates), read the way
    // OpenSSL's lookup reads it, with a warning for every file it would miss.
    static Result<CrlDirectory> loadCrlDirectory(const QString& path);

    // What the file at path is and whether it fits `role` (see FileInspection). Errors only when the
    // file cannot be read at all or holds nothing recognisable (missing, directory, FIFO, too large,
    // empty, truncated, garbage…); a readable file of the wrong kind is a FileInspection with a problem.
    // The passphrase, if given, is tried on encrypted keys and PKCS#12 files.
    static Result<FileInspection> inspectFile(const QString& path, FileRole role,
                                              const QByteArray& passphrase = {});
    static Result<FileInspection> inspectData(const QByteArray& data, FileRole role,
                                              const QByteArray& passphrase = {}, const QString& name = {});

    // "a private key", "a certificate signing request (CSR)"… as an object inside a sentence (translated
    // with its article); not for a stand-alone status line or heading.
    static QString kindDescription(FileKind kind);
    // "sslrootcert (root certificates)"…
    static QString roleDescription(FileRole role);

private:
    enum class LibpqCheck
    {
        Run,
        Skip,
    };
    static Result<FileInspection> inspect(const QByteArray& data, FileRole role, const QByteArray& passphrase,
                                          const QString& name, LibpqCheck withLibpq);
};

} // namespace vf::pki
