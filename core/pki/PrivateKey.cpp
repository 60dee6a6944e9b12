#include "PrivateKey.h"

#include "Certificate.h"
#include "CertificateOpenSsl.h"
#include "OpenSslText.h"
#include "PrivateKeyOpenSsl.h"
#include "common/BioByteArray.h"
#include "common/OpenSslError.h"

#include <QCoreApplication>

#include <openssl/pem.h>

namespace vf::pki {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::pki::PrivateKey)
};

} // namespace

using namespace Qt::StringLiterals;

struct PrivateKey::Data
{
    ossl::EvpPkeyPtr pkey;
    QString type;
    int bits = 0;
    QString curve;
    bool wasEncrypted = false;
    Format format = Format::Unknown;
    Encoding encoding = Encoding::Unknown;
};

PrivateKey::PrivateKey() = default;
PrivateKey::~PrivateKey() = default;
PrivateKey::PrivateKey(const PrivateKey&) = default;
PrivateKey& PrivateKey::operator=(const PrivateKey&) = default;
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;

bool PrivateKey::isNull() const
{
    return !d;
}

QString PrivateKey::type() const
{
    return d ? d->type : QString();
}

int PrivateKey::bits() const
{
    return d ? d->bits : 0;
}

QString PrivateKey::curve() const
{
    return d ? d->curve : QString();
}

bool PrivateKey::wasEncrypted() const
{
    return d && d->wasEncrypted;
}

PrivateKey::Format PrivateKey::format() const
{
    return d ? d->format : Format::Unknown;
}

Encoding PrivateKey::encoding() const
{
    return d ? d->encoding : Encoding::Unknown;
}

QString PrivateKey::formatName(Format format)
{
    switch (format) {
    case Format::Pkcs8:
        return u"PKCS#8"_s;
    case Format::Pkcs1:
        return u"PKCS#1"_s;
    case Format::Sec1:
        return u"SEC1"_s;
    case Format::TraditionalDsa:
        return Tr::tr("traditional DSA");
    case Format::Pkcs12:
        return u"PKCS#12"_s;
    case Format::Unknown:
        break;
    }
    return Tr::tr("unknown");
}

QByteArray PrivateKey::toPkcs8Pem() const
{
    if (!d)
        return {};
    ossl::BioPtr bio = ossl::newMemBio();
    if (!bio ||
        PEM_write_bio_PKCS8PrivateKey(bio.get(), d->pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        ossl::clearErrors();
        return {};
    }
    QByteArray out = ossl::bytesOf(bio.get());
    // The memory BIO's copy of the key is freed by BIO_free; clear it first.
    BUF_MEM* mem = nullptr;
    BIO_get_mem_ptr(bio.get(), &mem);
    if (mem && mem->data)
        OPENSSL_cleanse(mem->data, mem->length);
    return out;
}

QByteArray PrivateKey::publicKeyDer() const
{
    if (!d)
        return {};
    unsigned char* buf = nullptr;
    const int len = i2d_PUBKEY(d->pkey.get(), &buf);
    if (len <= 0 || !buf) {
        ossl::clearErrors();
        return {};
    }
    QByteArray out(reinterpret_cast<const char*>(buf), len);
    OPENSSL_free(buf);
    return out;
}

Result<void> PrivateKey::checkMatches(const Certificate& certificate) const
{
    if (!d || certificate.isNull())
        return makeError(u"pki.null-input"_s, Tr::tr("no certificate or no private key to compare"),
                         Tr::tr("Load both the certificate and the private key first."));
    X509* x509 = CertificatePrivateAccess::x509(certificate);
    EVP_PKEY* certKey = X509_get0_pubkey(x509);
    if (!certKey)
        return std::unexpected(ossl::makeError(
            u"pki.key-mismatch"_s, Tr::tr("could not read the certificate's public key"),
            Tr::tr("The certificate's public key uses an algorithm this OpenSSL does not support.")));
    const int eq = EVP_PKEY_eq(certKey, d->pkey.get());
    if (eq == 1) {
        ossl::clearErrors();
        return {};
    }
    if (eq == -1 || EVP_PKEY_get_base_id(certKey) != EVP_PKEY_get_base_id(d->pkey.get())) {
        ossl::clearErrors();
        return makeError(
            u"pki.key-type-mismatch"_s, u"certificate does not match private key"_s,
            Tr::tr("The certificate has a %1 key but this is a %2 key: they cannot belong together. Choose "
                   "the key file that was created with the certificate request.")
                .arg(text::keyTypeName(certKey), d->type),
            {u"key type mismatch"_s});
    }
    ossl::clearErrors();
    return makeError(u"pki.key-mismatch"_s, u"certificate does not match private key"_s,
                     Tr::tr("Both are %1 keys, but this private key is not the one the certificate was "
                            "issued for. Choose the key file that was created with the certificate request, "
                            "or the certificate that was issued for this key.")
                         .arg(d->type),
                     {u"key values mismatch"_s});
}

EVP_PKEY* PrivateKeyPrivateAccess::evpPkey(const PrivateKey& key)
{
    return key.d ? key.d->pkey.get() : nullptr;
}

PrivateKey PrivateKeyPrivateAccess::fromEvpPkey(EVP_PKEY* pkey, PrivateKey::Format format, Encoding encoding,
                                                bool wasEncrypted)
{
    if (!pkey || EVP_PKEY_up_ref(pkey) != 1)
        return {};
    return fromEvpPkey(ossl::EvpPkeyPtr(pkey), format, encoding, wasEncrypted);
}

PrivateKey PrivateKeyPrivateAccess::fromEvpPkey(ossl::EvpPkeyPtr pkey, PrivateKey::Format format,
                                                Encoding encoding, bool wasEncrypted)
{
    PrivateKey key;
    if (!pkey)
        return key;
    auto data = std::make_shared<PrivateKey::Data>();
    data->type = text::keyTypeName(pkey.get());
    data->bits = EVP_PKEY_get_bits(pkey.get());
    data->curve = text::keyCurveName(pkey.get());
    data->wasEncrypted = wasEncrypted;
    data->format = format;
    data->encoding = encoding;
    data->pkey = std::move(pkey);
    key.d = std::move(data);
    return key;
}

} // namespace vf::pki
