#pragma once

#include "common/Error.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace vf::interop {

// Converts a client key into what pgJDBC reads: PKCS#8 DER (a ".pk8" file). The source may be any key
// file PkiLoader reads (PEM PKCS#8, PKCS#1 or SEC1, encrypted or not; DER; a PKCS#12). The result is
// unencrypted PrivateKeyInfo, or EncryptedPrivateKeyInfo (PBES2, AES-256-CBC) when an output
// passphrase is given (pgJDBC opens it with sslpassword). Passphrases are handed to OpenSSL only:
// never logged, never put into an error.
class Pkcs8Converter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::Pkcs8Converter)

public:
    Pkcs8Converter() = delete;

    // "client.key" → "client.pk8" in the same folder ("client" → "client.pk8").
    static QString suggestedPath(const QString& keyPath);

    // The DER bytes. Errors: PkiLoader's (pki.passphrase-required, pki.wrong-passphrase,
    // pki.wrong-file-kind…), interop.pkcs8-encode.
    static Result<QByteArray> toDer(const QByteArray& keyData, const QByteArray& passphrase = {},
                                    const QByteArray& outputPassphrase = {});

    // Reads keyPath, writes outPath with mode 0600 (PrivateFile). Refuses to overwrite the source
    // (interop.pkcs8-same-file).
    static Result<void> convertFile(const QString& keyPath, const QString& outPath,
                                    const QByteArray& passphrase = {},
                                    const QByteArray& outputPassphrase = {});
};

} // namespace vf::interop
