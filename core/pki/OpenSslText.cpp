#include "OpenSslText.h"

#include "common/BioByteArray.h"
#include "common/OpenSslError.h"

#include <QCoreApplication>
#include <QHostAddress>

#include <openssl/core_names.h>
#include <openssl/objects.h>

#include <array>

namespace vf::pki::text {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::pki::OpenSslText)
};

} // namespace

using namespace Qt::StringLiterals;

QByteArray asn1Bytes(const ASN1_STRING* s)
{
    if (!s)
        return {};
    const int len = ASN1_STRING_length(s);
    if (len <= 0)
        return {};
    return QByteArray(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), len);
}

QString ipAddressText(const QByteArray& octets)
{
    if (octets.size() == 4) {
        const auto* b = reinterpret_cast<const uchar*>(octets.constData());
        return QHostAddress(quint32(b[0]) << 24 | quint32(b[1]) << 16 | quint32(b[2]) << 8 | quint32(b[3]))
            .toString();
    }
    if (octets.size() == 16) {
        Q_IPV6ADDR addr;
        std::copy_n(reinterpret_cast<const quint8*>(octets.constData()), 16, addr.c);
        return QHostAddress(addr).toString();
    }
    return Tr::tr("<invalid length %1: %2>").arg(octets.size()).arg(QString::fromLatin1(octets.toHex(':')));
}

QString generalNameText(const GENERAL_NAME* name)
{
    ossl::BioPtr bio = ossl::newMemBio();
    if (!bio || !name)
        return {};
    // GENERAL_NAME_print does not modify the name; its prototype predates const.
    if (GENERAL_NAME_print(bio.get(), const_cast<GENERAL_NAME*>(name)) != 1) {
        ossl::clearErrors();
        return {};
    }
    return QString::fromUtf8(ossl::bytesOf(bio.get()));
}

static QString oidText(const ASN1_OBJECT* obj)
{
    std::array<char, 128> buf{};
    const int len = OBJ_obj2txt(buf.data(), int(buf.size()), obj, 1);
    if (len <= 0)
        return {};
    return QString::fromLatin1(buf.data(), std::min<int>(len, int(buf.size()) - 1));
}

QString objectLongName(const ASN1_OBJECT* obj)
{
    if (!obj)
        return {};
    const int nid = OBJ_obj2nid(obj);
    if (nid != NID_undef) {
        if (const char* ln = OBJ_nid2ln(nid))
            return QString::fromLatin1(ln);
    }
    return oidText(obj);
}

QString objectShortName(const ASN1_OBJECT* obj)
{
    if (!obj)
        return {};
    const int nid = OBJ_obj2nid(obj);
    if (nid != NID_undef) {
        if (const char* sn = OBJ_nid2sn(nid))
            return QString::fromLatin1(sn);
    }
    return oidText(obj);
}

QString nameRfc2253(const X509_NAME* name)
{
    if (!name)
        return {};
    ossl::BioPtr bio = ossl::newMemBio();
    // RFC 2253 order and escaping, but UTF-8 left as UTF-8 instead of "\C3\A9" escapes.
    const unsigned long flags = XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB;
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) {
        ossl::clearErrors();
        return {};
    }
    return QString::fromUtf8(ossl::bytesOf(bio.get()));
}

QString nameOneLine(const X509_NAME* name)
{
    if (!name)
        return {};
    char* line = X509_NAME_oneline(name, nullptr, 0);
    if (!line) {
        ossl::clearErrors();
        return {};
    }
    QString out = QString::fromUtf8(line);
    OPENSSL_free(line);
    return out;
}

QString firstCommonName(const X509_NAME* name)
{
    if (!name)
        return {};
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0)
        return {};
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len < 0 || !utf8) {
        ossl::clearErrors();
        return {};
    }
    QString out = QString::fromUtf8(reinterpret_cast<const char*>(utf8), len);
    OPENSSL_free(utf8);
    return out;
}

QString serialHex(const ASN1_INTEGER* serial)
{
    if (!serial)
        return {};
    ossl::BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (!bn) {
        ossl::clearErrors();
        return {};
    }
    QByteArray bytes(BN_num_bytes(bn.get()), Qt::Uninitialized);
    BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(bytes.data()));
    if (bytes.isEmpty())
        bytes = QByteArray(1, '\0');
    QString hex = QString::fromLatin1(bytes.toHex(':').toUpper());
    if (BN_is_negative(bn.get()))
        hex.prepend(u'-');
    return hex;
}

QDateTime asn1TimeToUtc(const ASN1_TIME* time)
{
    if (!time)
        return {};
    struct tm tm = {};
    if (ASN1_TIME_to_tm(time, &tm) != 1) {
        ossl::clearErrors();
        return {};
    }
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                     QTime(tm.tm_hour, tm.tm_min, tm.tm_sec), Qt::UTC);
}

QString keyTypeName(const EVP_PKEY* key)
{
    if (!key)
        return {};
    switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_RSA:
        return u"RSA"_s;
    case EVP_PKEY_RSA_PSS:
        return u"RSA-PSS"_s;
    case EVP_PKEY_EC:
        return u"EC"_s;
    case EVP_PKEY_ED25519:
        return u"Ed25519"_s;
    case EVP_PKEY_ED448:
        return u"Ed448"_s;
    case EVP_PKEY_DSA:
        return u"DSA"_s;
    case EVP_PKEY_DH:
    case EVP_PKEY_DHX:
        return u"DH"_s;
    case EVP_PKEY_X25519:
        return u"X25519"_s;
    case EVP_PKEY_X448:
        return u"X448"_s;
    default:
        break;
    }
    // Provider-only key types (for example SM2 or post-quantum ones) have no legacy id.
    if (const char* name = EVP_PKEY_get0_type_name(key))
        return QString::fromLatin1(name);
    return u"unknown"_s;
}

QString keyCurveName(const EVP_PKEY* key)
{
    if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
        return {};
    std::array<char, 80> buf{};
    size_t len = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, buf.data(), buf.size(), &len) != 1) {
        ossl::clearErrors();
        return {};
    }
    return QString::fromLatin1(buf.data(), qsizetype(len));
}

} // namespace vf::pki::text
