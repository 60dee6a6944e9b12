#include "Certificate.h"

#include "CertificateOpenSsl.h"
#include "OpenSslText.h"
#include "common/BioByteArray.h"
#include "common/OpenSslError.h"

#include <openssl/pem.h>

#include <limits>

namespace vf::pki {

using namespace Qt::StringLiterals;

// Every field is parsed once, when the certificate is created: a Certificate is immutable and may be
// read from several threads, and a viewer shows all fields anyway.
struct Certificate::Data
{
    ossl::X509Ptr x509;
    QByteArray der;
    QString subjectDn;
    QString issuerDn;
    QString subjectOneLine;
    QString issuerOneLine;
    QString commonName;
    QString serialNumberHex;
    QDateTime notBefore;
    QDateTime notAfter;
    QList<SubjectAltName> subjectAltNames;
    QString publicKeyType;
    int publicKeyBits = 0;
    QString publicKeyCurve;
    QString signatureAlgorithm;
    bool hasBasicConstraints = false;
    bool isCa = false;
    int pathLength = -1;
    QStringList keyUsage;
    QStringList extendedKeyUsage;
    QByteArray subjectKeyIdentifier;
    QByteArray authorityKeyIdentifier;
    bool selfIssued = false;
    bool selfSigned = false;
    int version = 0;
    QByteArray sha256;
    QByteArray sha1;
};

namespace {

QList<SubjectAltName> parseSubjectAltNames(X509* x509)
{
    QList<SubjectAltName> out;
    ossl::GeneralNamesPtr names(
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
    if (!names)
        return out;
    const int count = sk_GENERAL_NAME_num(names.get());
    for (int i = 0; i < count; ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
        SubjectAltName san;
        switch (name->type) {
        case GEN_DNS:
            san.type = SubjectAltName::Type::Dns;
            san.rawValue = text::asn1Bytes(name->d.dNSName);
            san.value = QString::fromUtf8(san.rawValue);
            break;
        case GEN_EMAIL:
            san.type = SubjectAltName::Type::Email;
            san.rawValue = text::asn1Bytes(name->d.rfc822Name);
            san.value = QString::fromUtf8(san.rawValue);
            break;
        case GEN_URI:
            san.type = SubjectAltName::Type::Uri;
            san.rawValue = text::asn1Bytes(name->d.uniformResourceIdentifier);
            san.value = QString::fromUtf8(san.rawValue);
            break;
        case GEN_IPADD:
            san.type = SubjectAltName::Type::IpAddress;
            san.rawValue = text::asn1Bytes(name->d.iPAddress);
            san.value = text::ipAddressText(san.rawValue);
            break;
        default:
            san.type = SubjectAltName::Type::Other;
            san.value = text::generalNameText(name);
            break;
        }
        out << san;
    }
    return out;
}

QStringList parseKeyUsage(X509* x509)
{
    QStringList out;
    std::unique_ptr<ASN1_BIT_STRING, ossl::Deleter<ASN1_BIT_STRING_free>> bits(
        static_cast<ASN1_BIT_STRING*>(X509_get_ext_d2i(x509, NID_key_usage, nullptr, nullptr)));
    if (!bits)
        return out;
    // Bit numbers of RFC 5280 §4.2.1.3, named as `openssl x509 -text` names them.
    static constexpr std::pair<int, const char*> names[] = {
        {0, "Digital Signature"}, {1, "Non Repudiation"}, {2, "Key Encipherment"},
        {3, "Data Encipherment"}, {4, "Key Agreement"},   {5, "Certificate Sign"},
        {6, "CRL Sign"},          {7, "Encipher Only"},   {8, "Decipher Only"},
    };
    for (const auto& [bit, name] : names) {
        if (ASN1_BIT_STRING_get_bit(bits.get(), bit))
            out << QString::fromLatin1(name);
    }
    return out;
}

QStringList parseExtendedKeyUsage(X509* x509)
{
    QStringList out;
    std::unique_ptr<EXTENDED_KEY_USAGE, ossl::Deleter<EXTENDED_KEY_USAGE_free>> eku(
        static_cast<EXTENDED_KEY_USAGE*>(X509_get_ext_d2i(x509, NID_ext_key_usage, nullptr, nullptr)));
    if (!eku)
        return out;
    const int count = sk_ASN1_OBJECT_num(eku.get());
    for (int i = 0; i < count; ++i)
        out << text::objectLongName(sk_ASN1_OBJECT_value(eku.get(), i));
    return out;
}

QByteArray digestOf(const X509* x509, const EVP_MD* md)
{
    unsigned char buf[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (!md || X509_digest(x509, md, buf, &len) != 1) {
        ossl::clearErrors();
        return {};
    }
    return QByteArray(reinterpret_cast<const char*>(buf), qsizetype(len));
}

} // namespace

namespace {

void fillBasicConstraints(X509* x509, bool& has, bool& isCa, int& pathLength)
{
    int critical = -1;
    std::unique_ptr<BASIC_CONSTRAINTS, ossl::Deleter<BASIC_CONSTRAINTS_free>> bc(
        static_cast<BASIC_CONSTRAINTS*>(X509_get_ext_d2i(x509, NID_basic_constraints, &critical, nullptr)));
    has = critical != -1; // -1: absent; -2: present more than once (still "has")
    if (!bc)
        return;
    isCa = bc->ca != 0;
    if (bc->pathlen) {
        const long value = ASN1_INTEGER_get(bc->pathlen);
        pathLength = value < 0 || value > std::numeric_limits<int>::max() ? std::numeric_limits<int>::max()
                                                                          : int(value);
    }
}

} // namespace

Certificate::Certificate() = default;
Certificate::~Certificate() = default;
Certificate::Certificate(const Certificate&) = default;
Certificate& Certificate::operator=(const Certificate&) = default;
Certificate::Certificate(Certificate&&) noexcept = default;
Certificate& Certificate::operator=(Certificate&&) noexcept = default;

Certificate Certificate::fromDer(const QByteArray& der)
{
    if (der.isEmpty())
        return {};
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    ossl::X509Ptr x509(d2i_X509(nullptr, &p, long(der.size())));
    // One certificate and nothing else: trailing bytes mean it was not a DER certificate.
    if (!x509 || p != reinterpret_cast<const unsigned char*>(der.constData()) + der.size()) {
        ossl::clearErrors();
        return {};
    }
    return CertificatePrivateAccess::fromX509(x509.get());
}

bool Certificate::isNull() const
{
    return !d;
}

QString Certificate::subjectDn() const
{
    return d ? d->subjectDn : QString();
}

QString Certificate::issuerDn() const
{
    return d ? d->issuerDn : QString();
}

QString Certificate::subjectOneLine() const
{
    return d ? d->subjectOneLine : QString();
}

QString Certificate::issuerOneLine() const
{
    return d ? d->issuerOneLine : QString();
}

QString Certificate::commonName() const
{
    return d ? d->commonName : QString();
}

QString Certificate::displayName() const
{
    if (!d)
        return {};
    return d->commonName.isEmpty() ? d->subjectDn : d->commonName;
}

QString Certificate::serialNumberHex() const
{
    return d ? d->serialNumberHex : QString();
}

QDateTime Certificate::notBefore() const
{
    return d ? d->notBefore : QDateTime();
}

QDateTime Certificate::notAfter() const
{
    return d ? d->notAfter : QDateTime();
}

QList<SubjectAltName> Certificate::subjectAltNames() const
{
    return d ? d->subjectAltNames : QList<SubjectAltName>();
}

QString Certificate::publicKeyType() const
{
    return d ? d->publicKeyType : QString();
}

int Certificate::publicKeyBits() const
{
    return d ? d->publicKeyBits : 0;
}

QString Certificate::publicKeyCurve() const
{
    return d ? d->publicKeyCurve : QString();
}

QString Certificate::signatureAlgorithm() const
{
    return d ? d->signatureAlgorithm : QString();
}

bool Certificate::hasBasicConstraints() const
{
    return d && d->hasBasicConstraints;
}

bool Certificate::isCa() const
{
    return d && d->isCa;
}

int Certificate::pathLengthConstraint() const
{
    return d ? d->pathLength : -1;
}

QStringList Certificate::keyUsage() const
{
    return d ? d->keyUsage : QStringList();
}

QStringList Certificate::extendedKeyUsage() const
{
    return d ? d->extendedKeyUsage : QStringList();
}

QByteArray Certificate::subjectKeyIdentifier() const
{
    return d ? d->subjectKeyIdentifier : QByteArray();
}

QByteArray Certificate::authorityKeyIdentifier() const
{
    return d ? d->authorityKeyIdentifier : QByteArray();
}

bool Certificate::isSelfIssued() const
{
    return d && d->selfIssued;
}

bool Certificate::isSelfSigned() const
{
    return d && d->selfSigned;
}

int Certificate::version() const
{
    return d ? d->version : 0;
}

QByteArray Certificate::sha256Fingerprint() const
{
    return d ? d->sha256 : QByteArray();
}

QByteArray Certificate::sha1Fingerprint() const
{
    return d ? d->sha1 : QByteArray();
}

QString Certificate::formatFingerprint(const QByteArray& digest)
{
    return QString::fromLatin1(digest.toHex(':').toUpper());
}

QByteArray Certificate::toDer() const
{
    return d ? d->der : QByteArray();
}

QByteArray Certificate::toPem() const
{
    if (!d)
        return {};
    ossl::BioPtr bio = ossl::newMemBio();
    if (!bio || PEM_write_bio_X509(bio.get(), d->x509.get()) != 1) {
        ossl::clearErrors();
        return {};
    }
    return ossl::bytesOf(bio.get());
}

bool operator==(const Certificate& a, const Certificate& b)
{
    if (a.d == b.d)
        return true;
    if (!a.d || !b.d)
        return false;
    return a.d->der == b.d->der;
}

X509* CertificatePrivateAccess::x509(const Certificate& cert)
{
    return cert.d ? cert.d->x509.get() : nullptr;
}

Certificate CertificatePrivateAccess::fromX509(X509* x509)
{
    if (!x509 || X509_up_ref(x509) != 1)
        return {};
    return fromX509(ossl::X509Ptr(x509));
}

Certificate CertificatePrivateAccess::fromX509(ossl::X509Ptr x509)
{
    Certificate cert;
    if (!x509)
        return cert;
    auto data = std::make_shared<Certificate::Data>();
    X509* x = x509.get();

    unsigned char* derBuf = nullptr;
    const int derLen = i2d_X509(x, &derBuf);
    if (derLen <= 0 || !derBuf) {
        ossl::clearErrors();
        return cert;
    }
    data->der = QByteArray(reinterpret_cast<const char*>(derBuf), derLen);
    OPENSSL_free(derBuf);

    const X509_NAME* subject = X509_get_subject_name(x);
    const X509_NAME* issuer = X509_get_issuer_name(x);
    data->subjectDn = text::nameRfc2253(subject);
    data->issuerDn = text::nameRfc2253(issuer);
    data->subjectOneLine = text::nameOneLine(subject);
    data->issuerOneLine = text::nameOneLine(issuer);
    data->commonName = text::firstCommonName(subject);
    data->serialNumberHex = text::serialHex(X509_get0_serialNumber(x));
    data->notBefore = text::asn1TimeToUtc(X509_get0_notBefore(x));
    data->notAfter = text::asn1TimeToUtc(X509_get0_notAfter(x));
    data->subjectAltNames = parseSubjectAltNames(x);

    if (EVP_PKEY* pkey = X509_get0_pubkey(x)) {
        data->publicKeyType = text::keyTypeName(pkey);
        data->publicKeyBits = EVP_PKEY_get_bits(pkey);
        data->publicKeyCurve = text::keyCurveName(pkey);
    } else {
        // An algorithm this OpenSSL does not know: show its name from the certificate.
        const X509_PUBKEY* pub = X509_get_X509_PUBKEY(x);
        ASN1_OBJECT* alg = nullptr;
        if (pub && X509_PUBKEY_get0_param(&alg, nullptr, nullptr, nullptr, pub) == 1 && alg)
            data->publicKeyType = text::objectShortName(alg);
    }

    const X509_ALGOR* sigAlg = nullptr;
    X509_get0_signature(nullptr, &sigAlg, x);
    if (sigAlg) {
        const ASN1_OBJECT* obj = nullptr;
        X509_ALGOR_get0(&obj, nullptr, nullptr, sigAlg);
        data->signatureAlgorithm = text::objectLongName(obj);
    }

    fillBasicConstraints(x, data->hasBasicConstraints, data->isCa, data->pathLength);
    data->keyUsage = parseKeyUsage(x);
    data->extendedKeyUsage = parseExtendedKeyUsage(x);

    {
        std::unique_ptr<ASN1_OCTET_STRING, ossl::Deleter<ASN1_OCTET_STRING_free>> ski(
            static_cast<ASN1_OCTET_STRING*>(
                X509_get_ext_d2i(x, NID_subject_key_identifier, nullptr, nullptr)));
        data->subjectKeyIdentifier = text::asn1Bytes(ski.get());
        std::unique_ptr<AUTHORITY_KEYID, ossl::Deleter<AUTHORITY_KEYID_free>> aki(
            static_cast<AUTHORITY_KEYID*>(
                X509_get_ext_d2i(x, NID_authority_key_identifier, nullptr, nullptr)));
        if (aki)
            data->authorityKeyIdentifier = text::asn1Bytes(aki->keyid);
    }

    data->selfIssued = X509_NAME_cmp(subject, issuer) == 0;
    if (data->selfIssued) {
        EVP_PKEY* pkey = X509_get0_pubkey(x);
        data->selfSigned = pkey && X509_verify(x, pkey) == 1;
    }
    data->version = int(X509_get_version(x)) + 1;
    data->sha256 = digestOf(x, EVP_sha256());
    data->sha1 = digestOf(x, EVP_sha1());

    // Parsing a certificate with odd extensions may leave entries on the queue; they are not
    // errors of whoever calls next.
    ossl::clearErrors();
    data->x509 = std::move(x509);
    cert.d = std::move(data);
    return cert;
}

} // namespace vf::pki
