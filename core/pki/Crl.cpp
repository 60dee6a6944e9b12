#include "Crl.h"

#include "CrlOpenSsl.h"
#include "OpenSslText.h"
#include "common/BioByteArray.h"
#include "common/OpenSslError.h"

#include <openssl/pem.h>

namespace vf::pki {

using namespace Qt::StringLiterals;

struct Crl::Data
{
    ossl::X509CrlPtr crl;
    QByteArray der;
    QString issuerDn;
    QString issuerOneLine;
    QDateTime lastUpdate;
    QDateTime nextUpdate;
    QStringList revokedSerials;
    QString crlNumberHex;
    QString signatureAlgorithm;
    int version = 0;
    QString issuerNameHash;
    QByteArray sha256;
};

Crl::Crl() = default;
Crl::~Crl() = default;
Crl::Crl(const Crl&) = default;
Crl& Crl::operator=(const Crl&) = default;
Crl::Crl(Crl&&) noexcept = default;
Crl& Crl::operator=(Crl&&) noexcept = default;

Crl Crl::fromDer(const QByteArray& der)
{
    if (der.isEmpty())
        return {};
    const auto* begin = reinterpret_cast<const unsigned char*>(der.constData());
    const unsigned char* p = begin;
    ossl::X509CrlPtr crl(d2i_X509_CRL(nullptr, &p, long(der.size())));
    if (!crl || p != begin + der.size()) {
        ossl::clearErrors();
        return {};
    }
    return CrlPrivateAccess::fromX509Crl(std::move(crl));
}

bool Crl::isNull() const
{
    return !d;
}

QString Crl::issuerDn() const
{
    return d ? d->issuerDn : QString();
}

QString Crl::issuerOneLine() const
{
    return d ? d->issuerOneLine : QString();
}

QDateTime Crl::lastUpdate() const
{
    return d ? d->lastUpdate : QDateTime();
}

QDateTime Crl::nextUpdate() const
{
    return d ? d->nextUpdate : QDateTime();
}

QStringList Crl::revokedSerials() const
{
    return d ? d->revokedSerials : QStringList();
}

QString Crl::crlNumberHex() const
{
    return d ? d->crlNumberHex : QString();
}

QString Crl::signatureAlgorithm() const
{
    return d ? d->signatureAlgorithm : QString();
}

int Crl::version() const
{
    return d ? d->version : 0;
}

QString Crl::issuerNameHash() const
{
    return d ? d->issuerNameHash : QString();
}

QByteArray Crl::sha256Fingerprint() const
{
    return d ? d->sha256 : QByteArray();
}

QByteArray Crl::toDer() const
{
    return d ? d->der : QByteArray();
}

QByteArray Crl::toPem() const
{
    if (!d)
        return {};
    ossl::BioPtr bio = ossl::newMemBio();
    if (!bio || PEM_write_bio_X509_CRL(bio.get(), d->crl.get()) != 1) {
        ossl::clearErrors();
        return {};
    }
    return ossl::bytesOf(bio.get());
}

bool operator==(const Crl& a, const Crl& b)
{
    if (a.d == b.d)
        return true;
    if (!a.d || !b.d)
        return false;
    return a.d->der == b.d->der;
}

X509_CRL* CrlPrivateAccess::x509Crl(const Crl& crl)
{
    return crl.d ? crl.d->crl.get() : nullptr;
}

Crl CrlPrivateAccess::fromX509Crl(X509_CRL* crl)
{
    if (!crl || X509_CRL_up_ref(crl) != 1)
        return {};
    return fromX509Crl(ossl::X509CrlPtr(crl));
}

Crl CrlPrivateAccess::fromX509Crl(ossl::X509CrlPtr crlPtr)
{
    Crl out;
    X509_CRL* crl = crlPtr.get();
    if (!crl)
        return out;
    auto data = std::make_shared<Crl::Data>();
    unsigned char* buf = nullptr;
    const int len = i2d_X509_CRL(crl, &buf);
    if (len <= 0 || !buf) {
        ossl::clearErrors();
        return out;
    }
    data->der = QByteArray(reinterpret_cast<const char*>(buf), len);
    OPENSSL_free(buf);

    const X509_NAME* issuer = X509_CRL_get_issuer(crl);
    data->issuerDn = text::nameRfc2253(issuer);
    data->issuerOneLine = text::nameOneLine(issuer);
    data->lastUpdate = text::asn1TimeToUtc(X509_CRL_get0_lastUpdate(crl));
    data->nextUpdate = text::asn1TimeToUtc(X509_CRL_get0_nextUpdate(crl));
    const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl);
    for (int i = 0; i < sk_X509_REVOKED_num(revoked); ++i)
        data->revokedSerials << text::serialHex(
            X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(revoked, i)));
    {
        std::unique_ptr<ASN1_INTEGER, ossl::Deleter<ASN1_INTEGER_free>> number(
            static_cast<ASN1_INTEGER*>(X509_CRL_get_ext_d2i(crl, NID_crl_number, nullptr, nullptr)));
        if (number)
            data->crlNumberHex = text::serialHex(number.get());
    }
    const X509_ALGOR* sigAlg = nullptr;
    X509_CRL_get0_signature(crl, nullptr, &sigAlg);
    if (sigAlg) {
        const ASN1_OBJECT* obj = nullptr;
        X509_ALGOR_get0(&obj, nullptr, nullptr, sigAlg);
        data->signatureAlgorithm = text::objectLongName(obj);
    }
    data->version = int(X509_CRL_get_version(crl)) + 1;
    int hashed = 0;
    const unsigned long hash = X509_NAME_hash_ex(issuer, nullptr, nullptr, &hashed);
    if (hashed)
        data->issuerNameHash = u"%1"_s.arg(qulonglong(hash), 8, 16, QLatin1Char('0'));
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int mdLen = 0;
    if (X509_CRL_digest(crl, EVP_sha256(), md, &mdLen) == 1)
        data->sha256 = QByteArray(reinterpret_cast<const char*>(md), qsizetype(mdLen));
    ossl::clearErrors();
    data->crl = std::move(crlPtr);
    out.d = std::move(data);
    return out;
}

} // namespace vf::pki
