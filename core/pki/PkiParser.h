#pragma once

// Internal to vf_core: the content-sniffing parser behind PkiLoader. It recognises what a file holds
// from its bytes (never from its name): PEM blocks of any kind, DER/BER objects (certificate, CRL,
// PKCS#7, PKCS#12, PKCS#8, PKCS#1, SEC1, SubjectPublicKeyInfo, PKCS#10), SSH keys, and says clearly
// when it is none of them.

#include "Certificate.h"
#include "Crl.h"
#include "Pkcs12Contents.h"
#include "PkiTypes.h"
#include "PrivateKey.h"
#include "common/Error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace vf::pki::detail {

// One object found in a file.
struct PkiItem
{
    FileKind kind = FileKind::Unknown;
    QByteArray pemLabel;             // "CERTIFICATE"…; empty for DER
    QByteArray pemHeader;            // Proc-Type/DEK-Info lines of a traditional encrypted key
    QByteArray der;                  // the object's DER (for an encrypted key: the encrypted form)
    QList<Certificate> certificates; // one for a certificate; all of a PKCS#7 or opened PKCS#12
    QList<Crl> crls;
    // Private keys
    bool keyEncrypted = false;
    PrivateKey::Format keyFormat = PrivateKey::Format::Unknown;
    QString keyType; // also known for encrypted traditional keys; empty for encrypted PKCS#8
    PrivateKey key;  // unencrypted keys, and the key of an opened PKCS#12
    // Public keys and CSRs
    QString publicKeyType;
    int publicKeyBits = 0;
    QString requestSubject;
    // PKCS#12
    bool pkcs12Opened = false; // contents are known (no password, or the given one)
    std::optional<Error> pkcs12Error;
};

struct ParsedFile
{
    Encoding encoding = Encoding::Unknown;
    QList<PkiItem> items;
    QStringList ignoredPemLabels; // parameters and unknown block names
    QList<Error> warnings;
};

class PkiParser final
{
public:
    PkiParser() = delete;

    // Identifies and decodes everything in data. `name` (a path) only appears in messages.
    // The passphrase, if any, is used to open PKCS#12 files; keys stay encrypted (see decryptKey).
    // Errors: pki.truncated-pem, pki.bad-pem, pki.truncated-der, pki.corrupt-object,
    // pki.unrecognized-format, pki.file-empty.
    static Result<ParsedFile> parse(const QByteArray& data, const QString& name,
                                    const QByteArray& passphrase = {});

    // The key of a private-key item, decrypted when needed. Errors: pki.passphrase-required,
    // pki.wrong-passphrase, pki.unsupported-key-encryption, pki.corrupt-object.
    static Result<PrivateKey> decryptKey(const PkiItem& item, const QByteArray& passphrase);

    // Opens a DER/BER PKCS#12. An empty password also tries "no password". Errors:
    // pki.passphrase-required, pki.wrong-passphrase, pki.pkcs12-legacy-encryption, pki.corrupt-object.
    static Result<Pkcs12Contents> openPkcs12(const QByteArray& der, const QByteArray& password);
};

} // namespace vf::pki::detail
