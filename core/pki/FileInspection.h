#pragma once

#include "Certificate.h"
#include "Crl.h"
#include "CrlDirectory.h"
#include "PkiTypes.h"
#include "PrivateKey.h"
#include "common/Error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vf::pki {

// What a file chosen for a connection field really is, whether it fits that field, and whether
// libpq itself can read it there (PEM only for sslcert/sslrootcert/sslcrl; PEM then DER for sslkey;
// never PKCS#12 or PKCS#7), so that the UI can explain and offer a conversion.
struct FileInspection
{
    QString path;
    FileRole role = FileRole::Any;
    Encoding encoding = Encoding::Unknown;
    FileKind kind = FileKind::Unknown; // the main thing the file is (the first object found)
    QList<FileKind> kinds;             // every kind found, in file order, each once

    QList<Certificate> certificates; // from PEM blocks, DER, PKCS#7 and an opened PKCS#12
    QList<Crl> crls;                 // from the file, a PKCS#7, or the usable ones of a CRL directory
    int privateKeyCount = 0;
    bool privateKeyEncrypted = false; // of the first private key
    QString privateKeyType;           // "RSA", "EC"…; empty when encrypted PKCS#8 hides it
    PrivateKey::Format privateKeyFormat = PrivateKey::Format::Unknown;
    PrivateKey privateKey; // the first key, when readable (unencrypted, or with the passphrase given)
    QString publicKeyType; // of a bare public key or of a CSR
    int publicKeyBits = 0;
    QString requestSubject;                   // a CSR's subject
    bool pkcs12PasswordNeeded = false;        // a PKCS#12 whose contents need the (right) password
    QStringList ignoredPemBlocks;             // parameter and unknown PEM blocks
    std::optional<CrlDirectory> crlDirectory; // role CrlDirectory

    // Whether the file holds what the role needs. `problem` says why not (code pki.wrong-file-kind,
    // pki.not-a-directory…) or what else stops its use (pki.passphrase-required, pki.wrong-passphrase).
    bool fitsRole = false;
    std::optional<Error> problem;
    // Whether libpq reads it as is for that role. `libpqProblem` carries libpq's own message
    // ("could not read root certificate file …: no certificate or crl found") or, where libpq stays
    // silent (CRLs), what it would do instead. Code pki.libpq-cannot-read or pki.libpq-*.
    bool libpqCanRead = false;
    std::optional<Error> libpqProblem;
    QList<Error> warnings; // usable, but worth saying (BOM, CA as client certificate, missing EKU…)
};

} // namespace vf::pki
