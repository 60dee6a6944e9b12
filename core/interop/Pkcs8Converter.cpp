#include "Pkcs8Converter.h"

#include "InteropLog.h"
#include "PrivateFile.h"
#include "common/BioByteArray.h"
#include "common/OpenSslError.h"
#include "pki/PkiLoader.h"
#include "pki/PrivateKeyOpenSsl.h"
#include "pki/SafeFileReader.h"

#include <QFileInfo>

#include <openssl/pem.h>

using namespace Qt::StringLiterals;

namespace vf::interop {

QString Pkcs8Converter::suggestedPath(const QString& keyPath)
{
    const QFileInfo info(keyPath);
    QString base = info.fileName();
    if (const qsizetype dot = base.lastIndexOf(u'.'); dot > 0)
        base.truncate(dot);
    const QString dir = info.path();
    const QString name = base + u".pk8"_s;
    return dir == u"." && !keyPath.startsWith(u"./") ? name : dir + u'/' + name;
}

Result<QByteArray> Pkcs8Converter::toDer(const QByteArray& keyData, const QByteArray& passphrase,
                                         const QByteArray& outputPassphrase)
{
    Result<pki::PrivateKey> key = pki::PkiLoader::parsePrivateKey(keyData, passphrase);
    if (!key)
        return std::unexpected(key.error());
    EVP_PKEY* pkey = pki::PrivateKeyPrivateAccess::evpPkey(*key);
    if (pkey == nullptr) {
        return makeError(u"interop.pkcs8-encode"_s, tr("no private key to convert"),
                         tr("The file holds no private key."));
    }
    ossl::clearErrors();
    ossl::BioPtr bio = ossl::newMemBio();
    const bool encrypt = !outputPassphrase.isEmpty();
    const int ok = i2d_PKCS8PrivateKey_bio(bio.get(), pkey, encrypt ? EVP_aes_256_cbc() : nullptr,
                                           encrypt ? outputPassphrase.constData() : nullptr,
                                           encrypt ? int(outputPassphrase.size()) : 0, nullptr, nullptr);
    if (ok != 1) {
        return std::unexpected(ossl::makeError(u"interop.pkcs8-encode"_s,
                                               tr("could not write the key as PKCS#8"),
                                               tr("OpenSSL could not encode this key as PKCS#8.")));
    }
    return ossl::bytesOf(bio.get());
}

Result<void> Pkcs8Converter::convertFile(const QString& keyPath, const QString& outPath,
                                         const QByteArray& passphrase, const QByteArray& outputPassphrase)
{
    const QString source = QFileInfo(keyPath).canonicalFilePath();
    const QString target = QFileInfo(outPath).canonicalFilePath();
    if (!source.isEmpty() && source == target) {
        return makeError(
            u"interop.pkcs8-same-file"_s, tr("the converted key would replace its source"),
            tr("Choose another file name for the PKCS#8 key (for example %1).").arg(suggestedPath(keyPath)));
    }
    Result<QByteArray> data = pki::SafeFileReader::read(keyPath);
    if (!data)
        return std::unexpected(data.error());
    Result<QByteArray> der = toDer(*data, passphrase, outputPassphrase);
    if (!der)
        return std::unexpected(der.error());
    Result<void> written = PrivateFile::write(outPath, *der, 0600);
    if (!written)
        return written;
    qCDebug(lcInterop) << "PKCS#8 DER key written," << der->size() << "bytes";
    return {};
}

} // namespace vf::interop
