#include "LibpqFileCheck.h"

#include "common/BioByteArray.h"
#include "common/OpenSsl.h"
#include "common/OpenSslError.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>

namespace vf::pki::detail {

namespace {

// libpq's SSLerrmessage(ERR_get_error()): the reason of the earliest queued error.
QString takeFirstReason()
{
    QString reason = ossl::firstReason();
    ossl::clearErrors();
    return reason;
}

int passphraseCallback(char* buf, int size, int, void* userdata)
{
    const auto* pass = static_cast<const QByteArray*>(userdata);
    if (!pass || pass->isEmpty() || size <= 0) {
        if (size > 0)
            buf[0] = '\0';
        return 0;
    }
    const int n = int(std::min<qsizetype>(pass->size(), size));
    std::memcpy(buf, pass->constData(), size_t(n));
    return n;
}

void freeX509InfoStack(STACK_OF(X509_INFO) * s) noexcept
{
    sk_X509_INFO_pop_free(s, X509_INFO_free);
}
using X509InfoStackPtr = std::unique_ptr<STACK_OF(X509_INFO), ossl::Deleter<freeX509InfoStack>>;

} // namespace

std::optional<QString> LibpqFileCheck::rootOrCrlFile(const QByteArray& data)
{
    ossl::clearErrors();
    ossl::BioPtr bio = ossl::memBioFrom(data);
    // X509_load_cert_crl_file_ex() passes "" as passphrase so that encrypted keys are skipped.
    X509InfoStackPtr infos(
        PEM_X509_INFO_read_bio_ex(bio.get(), nullptr, nullptr, const_cast<char*>(""), nullptr, nullptr));
    if (!infos)
        return takeFirstReason();
    int count = 0;
    for (int i = 0; i < sk_X509_INFO_num(infos.get()); ++i) {
        const X509_INFO* info = sk_X509_INFO_value(infos.get(), i);
        count += (info->x509 ? 1 : 0) + (info->crl ? 1 : 0);
    }
    ossl::clearErrors();
    if (count == 0) {
        ERR_raise(ERR_LIB_X509, X509_R_NO_CERTIFICATE_OR_CRL_FOUND);
        return takeFirstReason();
    }
    return std::nullopt;
}

std::optional<QString> LibpqFileCheck::certificateFile(const QByteArray& data)
{
    ossl::clearErrors();
    ossl::SslCtxPtr ctx(SSL_CTX_new(TLS_method()));
    ossl::BioPtr bio = ossl::memBioFrom(data);
    if (!ctx || !bio)
        return takeFirstReason();
    // use_certificate_chain_file() in ssl/ssl_rsa.c, on a memory BIO.
    ossl::X509Ptr cert(PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr));
    if (!cert)
        return takeFirstReason();
    if (SSL_CTX_use_certificate(ctx.get(), cert.get()) != 1)
        return takeFirstReason();
    SSL_CTX_clear_chain_certs(ctx.get());
    for (;;) {
        ossl::X509Ptr ca(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
        if (!ca)
            break;
        if (SSL_CTX_add0_chain_cert(ctx.get(), ca.get()) != 1)
            return takeFirstReason();
        ca.release(); // owned by the context now
    }
    const unsigned long err = ERR_peek_last_error();
    if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
        ossl::clearErrors();
        return std::nullopt;
    }
    return takeFirstReason();
}

std::optional<QString> LibpqFileCheck::keyFile(const QByteArray& data, const QByteArray& passphrase)
{
    ossl::clearErrors();
    QByteArray pass = passphrase;
    {
        ossl::BioPtr bio = ossl::memBioFrom(data);
        ossl::EvpPkeyPtr key(
            PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, passphraseCallback, &pass, nullptr, nullptr));
        if (key) {
            ossl::clearErrors();
            return std::nullopt;
        }
    }
    const QString pemReason = ossl::firstReason();
    ossl::clearErrors();
    ossl::BioPtr bio = ossl::memBioFrom(data);
    ossl::EvpPkeyPtr key(d2i_PrivateKey_ex_bio(bio.get(), nullptr, nullptr, nullptr));
    ossl::clearErrors();
    if (key)
        return std::nullopt;
    return pemReason;
}

} // namespace vf::pki::detail
