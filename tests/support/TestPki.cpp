#include "TestPki.h"

#include <QFile>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509v3.h>

#include <atomic>
#include <stdexcept>
#include <sys/stat.h>

namespace vf::test {

namespace {

std::atomic<long> g_serial{1000};

[[noreturn]] void fail(const char* what)
{
    char buf[256] = {};
    ERR_error_string_n(ERR_get_error(), buf, sizeof buf);
    throw std::runtime_error(std::string("TestPki: ") + what + ": " + buf);
}

void check(bool ok, const char* what)
{
    if (!ok)
        fail(what);
}

struct BioDeleter
{
    void operator()(BIO* b) const { BIO_free_all(b); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

Bio memBio()
{
    return Bio(BIO_new(BIO_s_mem()));
}

QByteArray take(BIO* bio)
{
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return QByteArray(data, qsizetype(len));
}

void addExt(X509* cert, X509* issuer, int nid, const QString& value)
{
    if (value.isEmpty())
        return;
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.toUtf8().constData());
    check(ext != nullptr, "extension");
    check(X509_add_ext(cert, ext, -1) == 1, "add extension");
    X509_EXTENSION_free(ext);
}

void addSans(X509* cert, const CertSpec& spec)
{
    GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
    auto push = [&](int type, ASN1_STRING* value) {
        GENERAL_NAME* gn = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(gn, type, value);
        sk_GENERAL_NAME_push(names, gn);
    };
    auto ia5 = [](const QByteArray& bytes) {
        ASN1_IA5STRING* s = ASN1_IA5STRING_new();
        ASN1_STRING_set(s, bytes.constData(), int(bytes.size()));
        return s;
    };
    for (const QString& dns : spec.dnsNames)
        push(GEN_DNS, ia5(dns.toUtf8()));
    for (const QByteArray& raw : spec.rawDnsNames)
        push(GEN_DNS, ia5(raw));
    for (const QString& ip : spec.ipAddresses) {
        ASN1_OCTET_STRING* os = a2i_IPADDRESS(ip.toLatin1().constData());
        check(os != nullptr, "IP address");
        push(GEN_IPADD, os);
    }
    for (const QByteArray& raw : spec.rawIpAddresses) {
        ASN1_OCTET_STRING* os = ASN1_OCTET_STRING_new();
        ASN1_OCTET_STRING_set(os, reinterpret_cast<const unsigned char*>(raw.constData()), int(raw.size()));
        push(GEN_IPADD, os);
    }
    for (const QString& email : spec.emails)
        push(GEN_EMAIL, ia5(email.toUtf8()));
    for (const QString& uri : spec.uris)
        push(GEN_URI, ia5(uri.toUtf8()));
    if (sk_GENERAL_NAME_num(names) > 0)
        check(X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT) == 1, "SAN");
    GENERAL_NAMES_free(names);
}

void setTime(ASN1_TIME* field, const std::optional<QDateTime>& absolute, qint64 offset)
{
    if (absolute)
        check(ASN1_TIME_set(field, time_t(absolute->toSecsSinceEpoch())) != nullptr, "time");
    else
        check(X509_gmtime_adj(field, long(offset)) != nullptr, "time");
}

} // namespace

std::shared_ptr<EVP_PKEY> TestPki::makeKey(KeyType type)
{
    EVP_PKEY* key = nullptr;
    switch (type) {
    case KeyType::Rsa2048:
        key = EVP_RSA_gen(2048);
        break;
    case KeyType::Rsa1024:
        key = EVP_RSA_gen(1024);
        break;
    case KeyType::EcP256:
        key = EVP_EC_gen("P-256");
        break;
    case KeyType::EcP384:
        key = EVP_EC_gen("P-384");
        break;
    case KeyType::Ed25519:
        key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
        break;
    }
    check(key != nullptr, "key generation");
    return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

TestCert TestPki::makeCert(const CertSpec& spec, const TestCert* issuer)
{
    return makeCertWithKey(spec, makeKey(spec.keyType), issuer);
}

TestCert TestPki::makeCertWithKey(const CertSpec& spec, std::shared_ptr<EVP_PKEY> key, const TestCert* issuer)
{
    X509* cert = X509_new();
    check(cert != nullptr, "X509_new");
    std::shared_ptr<X509> holder(cert, X509_free);
    X509_set_version(cert, X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), spec.serial ? spec.serial : g_serial++);
    setTime(X509_getm_notBefore(cert), spec.notBefore, spec.notBeforeOffset);
    setTime(X509_getm_notAfter(cert), spec.notAfter, spec.notAfterOffset);

    X509_NAME* name = X509_get_subject_name(cert);
    for (const auto& [field, value] : spec.extraSubject)
        check(X509_NAME_add_entry_by_txt(name, field.toLatin1().constData(), MBSTRING_UTF8,
                                         reinterpret_cast<const unsigned char*>(value.toUtf8().constData()),
                                         -1, -1, 0) == 1,
              "subject");
    if (!spec.commonName.isEmpty())
        check(X509_NAME_add_entry_by_txt(
                  name, "CN", MBSTRING_UTF8,
                  reinterpret_cast<const unsigned char*>(spec.commonName.toUtf8().constData()), -1, -1,
                  0) == 1,
              "CN");
    X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer->x509()) : name);
    check(X509_set_pubkey(cert, key.get()) == 1, "pubkey");

    X509* issuerCert = issuer ? issuer->x509() : cert;
    if (spec.basicConstraints) {
        QString bc = spec.isCa ? QStringLiteral("critical,CA:TRUE") : QStringLiteral("critical,CA:FALSE");
        if (spec.isCa && spec.pathLength >= 0)
            bc += QStringLiteral(",pathlen:%1").arg(spec.pathLength);
        addExt(cert, issuerCert, NID_basic_constraints, bc);
    }
    addExt(cert, issuerCert, NID_key_usage, spec.keyUsage);
    addExt(cert, issuerCert, NID_ext_key_usage, spec.extendedKeyUsage);
    if (spec.subjectKeyIdentifier)
        addExt(cert, issuerCert, NID_subject_key_identifier, QStringLiteral("hash"));
    if (spec.authorityKeyIdentifier && (issuer || spec.subjectKeyIdentifier))
        addExt(cert, issuerCert, NID_authority_key_identifier, QStringLiteral("keyid:always"));
    addSans(cert, spec);

    EVP_PKEY* signingKey = issuer ? issuer->key() : key.get();
    const EVP_MD* md =
        EVP_PKEY_get_id(signingKey) == EVP_PKEY_ED25519 ? nullptr : EVP_get_digestbyname(spec.digest);
    check(X509_sign(cert, signingKey, md) > 0, "sign");

    TestCert out;
    out.m_cert = holder;
    out.m_key = std::move(key);
    return out;
}

CertSpec TestPki::rootSpec(const QString& cn)
{
    CertSpec s;
    s.commonName = cn;
    s.isCa = true;
    s.keyUsage = QStringLiteral("critical,keyCertSign,cRLSign");
    s.notAfterOffset = 10LL * 365 * 86400;
    return s;
}

CertSpec TestPki::intermediateSpec(const QString& cn)
{
    CertSpec s = rootSpec(cn);
    s.pathLength = 0;
    s.notAfterOffset = 5LL * 365 * 86400;
    return s;
}

CertSpec TestPki::serverSpec(const QString& cn, const QStringList& dnsNames)
{
    CertSpec s;
    s.commonName = cn;
    s.dnsNames = dnsNames;
    s.keyUsage = QStringLiteral("critical,digitalSignature,keyEncipherment");
    s.extendedKeyUsage = QStringLiteral("serverAuth");
    return s;
}

CertSpec TestPki::clientSpec(const QString& cn)
{
    CertSpec s;
    s.commonName = cn;
    s.keyUsage = QStringLiteral("critical,digitalSignature,keyEncipherment");
    s.extendedKeyUsage = QStringLiteral("clientAuth");
    return s;
}

QByteArray TestCert::pem() const
{
    Bio bio = memBio();
    check(PEM_write_bio_X509(bio.get(), x509()) == 1, "PEM write");
    return take(bio.get());
}

QByteArray TestCert::der() const
{
    unsigned char* out = nullptr;
    const int len = i2d_X509(x509(), &out);
    check(len > 0, "DER write");
    QByteArray result(reinterpret_cast<const char*>(out), len);
    OPENSSL_free(out);
    return result;
}

QByteArray TestCert::publicKeyPem() const
{
    Bio bio = memBio();
    check(PEM_write_bio_PUBKEY(bio.get(), key()) == 1, "PUBKEY write");
    return take(bio.get());
}

QByteArray TestCert::csrPem() const
{
    X509_REQ* req = X509_REQ_new();
    X509_REQ_set_version(req, 0);
    X509_REQ_set_subject_name(req, X509_get_subject_name(x509()));
    X509_REQ_set_pubkey(req, key());
    const EVP_MD* md = EVP_PKEY_get_id(key()) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
    check(X509_REQ_sign(req, key(), md) > 0, "CSR sign");
    Bio bio = memBio();
    PEM_write_bio_X509_REQ(bio.get(), req);
    X509_REQ_free(req);
    return take(bio.get());
}

QByteArray TestCert::keyBytes(KeyFormat format, const QByteArray& passphrase) const
{
    Bio bio = memBio();
    const EVP_CIPHER* cipher = passphrase.isEmpty() ? nullptr : EVP_aes_256_cbc();
    auto* pass = passphrase.isEmpty()
                     ? nullptr
                     : reinterpret_cast<unsigned char*>(const_cast<char*>(passphrase.constData()));
    const int passLen = int(passphrase.size());
    int ok = 0;
    switch (format) {
    case KeyFormat::Pkcs8Pem:
        ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), key(), cipher, reinterpret_cast<char*>(pass), passLen,
                                           nullptr, nullptr);
        break;
    case KeyFormat::TraditionalPem:
        ok = PEM_write_bio_PrivateKey_traditional(bio.get(), key(), cipher, pass, passLen, nullptr, nullptr);
        break;
    case KeyFormat::Pkcs8Der:
        ok = i2d_PKCS8PrivateKey_bio(bio.get(), key(), cipher, reinterpret_cast<char*>(pass), passLen,
                                     nullptr, nullptr);
        break;
    case KeyFormat::TraditionalDer:
        ok = i2d_PrivateKey_bio(bio.get(), key());
        break;
    }
    check(ok == 1, "key write");
    return take(bio.get());
}

long TestCert::serial() const
{
    return ASN1_INTEGER_get(X509_get0_serialNumber(x509()));
}

QByteArray TestPki::crlPem(const TestCert& issuer, const QList<TestCert>& revoked, qint64 lastUpdateOffset,
                           qint64 nextUpdateOffset)
{
    X509_CRL* crl = X509_CRL_new();
    X509_CRL_set_version(crl, 1);
    X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer.x509()));
    ASN1_TIME* last = X509_gmtime_adj(nullptr, long(lastUpdateOffset));
    ASN1_TIME* next = X509_gmtime_adj(nullptr, long(nextUpdateOffset));
    X509_CRL_set1_lastUpdate(crl, last);
    X509_CRL_set1_nextUpdate(crl, next);
    for (const TestCert& r : revoked) {
        X509_REVOKED* entry = X509_REVOKED_new();
        X509_REVOKED_set_serialNumber(entry, X509_get_serialNumber(r.x509()));
        X509_REVOKED_set_revocationDate(entry, last);
        X509_CRL_add0_revoked(crl, entry);
    }
    ASN1_TIME_free(last);
    ASN1_TIME_free(next);
    X509_CRL_sort(crl);
    const EVP_MD* md = EVP_PKEY_get_id(issuer.key()) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
    check(X509_CRL_sign(crl, issuer.key(), md) > 0, "CRL sign");
    Bio bio = memBio();
    PEM_write_bio_X509_CRL(bio.get(), crl);
    X509_CRL_free(crl);
    return take(bio.get());
}

QString TestPki::crlHashName(const TestCert& issuer, int index)
{
    const unsigned long h =
        X509_NAME_hash_ex(X509_get_subject_name(issuer.x509()), nullptr, nullptr, nullptr);
    return QStringLiteral("%1.r%2").arg(h, 8, 16, QLatin1Char('0')).arg(index);
}

QString TestPki::certHashName(const TestCert& cert, int index)
{
    const unsigned long h = X509_NAME_hash_ex(X509_get_subject_name(cert.x509()), nullptr, nullptr, nullptr);
    return QStringLiteral("%1.%2").arg(h, 8, 16, QLatin1Char('0')).arg(index);
}

QByteArray TestPki::pkcs12(const TestCert& leaf, const QList<TestCert>& chain, const QByteArray& password,
                           const QString& friendlyName)
{
    STACK_OF(X509)* ca = sk_X509_new_null();
    for (const TestCert& c : chain)
        sk_X509_push(ca, c.x509());
    const QByteArray name = friendlyName.toUtf8();
    PKCS12* p12 =
        PKCS12_create(password.constData(), name.constData(), leaf.key(), leaf.x509(), ca, 0, 0, 0, 0, 0);
    sk_X509_free(ca);
    check(p12 != nullptr, "PKCS12_create");
    Bio bio = memBio();
    i2d_PKCS12_bio(bio.get(), p12);
    PKCS12_free(p12);
    return take(bio.get());
}

namespace {
PKCS7* makePkcs7(const QList<TestCert>& certs)
{
    PKCS7* p7 = PKCS7_new();
    check(PKCS7_set_type(p7, NID_pkcs7_signed) == 1, "PKCS7 type");
    check(PKCS7_content_new(p7, NID_pkcs7_data) == 1, "PKCS7 content");
    for (const TestCert& c : certs)
        check(PKCS7_add_certificate(p7, c.x509()) == 1, "PKCS7 add");
    return p7;
}
} // namespace

QByteArray TestPki::pkcs7Der(const QList<TestCert>& certs)
{
    PKCS7* p7 = makePkcs7(certs);
    Bio bio = memBio();
    i2d_PKCS7_bio(bio.get(), p7);
    PKCS7_free(p7);
    return take(bio.get());
}

QByteArray TestPki::pkcs7Pem(const QList<TestCert>& certs)
{
    PKCS7* p7 = makePkcs7(certs);
    Bio bio = memBio();
    PEM_write_bio_PKCS7(bio.get(), p7);
    PKCS7_free(p7);
    return take(bio.get());
}

QByteArray TestPki::concatPem(const QList<TestCert>& certs)
{
    QByteArray out;
    for (const TestCert& c : certs)
        out += c.pem();
    return out;
}

bool TestPki::writeFile(const QString& path, const QByteArray& data, QFileDevice::Permissions permissions)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    if (f.write(data) != data.size())
        return false;
    f.close();
    return f.setPermissions(permissions);
}

bool TestPki::chmod(const QString& path, int mode)
{
    return ::chmod(QFile::encodeName(path).constData(), mode_t(mode)) == 0;
}

} // namespace vf::test
