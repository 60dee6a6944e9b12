#include "PkiParser.h"

#include "CertificateOpenSsl.h"
#include "CrlOpenSsl.h"
#include "OpenSslText.h"
#include "PkiLog.h"
#include "PrivateKeyOpenSsl.h"
#include "common/BioByteArray.h"
#include "common/OpenSslError.h"

#include <QCoreApplication>

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstring>
#include <limits>

namespace vf::pki::detail {

using namespace Qt::StringLiterals;

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::pki::PkiParser)
};

const auto* bytes(const QByteArray& data)
{
    return reinterpret_cast<const unsigned char*>(data.constData());
}

// Overwrites secret bytes before the buffer is released.
void cleanse(QByteArray& data)
{
    if (!data.isEmpty())
        OPENSSL_cleanse(data.data(), size_t(data.size()));
    data.clear();
}

// Runs a d2i-style decoder and accepts the result only if it used every byte.
template <typename T, auto Free, typename Fn>
std::unique_ptr<T, ossl::Deleter<Free>> decode(const QByteArray& der, Fn&& d2i)
{
    const unsigned char* p = bytes(der);
    std::unique_ptr<T, ossl::Deleter<Free>> obj(d2i(&p, long(der.size())));
    if (obj && p != bytes(der) + der.size())
        obj.reset();
    return obj;
}

using Pkcs8Ptr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, ossl::Deleter<PKCS8_PRIV_KEY_INFO_free>>;
using X509SigPtr = std::unique_ptr<X509_SIG, ossl::Deleter<X509_SIG_free>>;

// ---- DER structure -------------------------------------------------------------------------------

// The total size (header + contents) of the DER object at data[offset], or:
//   -1: indefinite length (BER) — the object runs to the end of the data as far as we can tell;
//   -2: not a valid header; a value larger than the remaining bytes means truncation.
qint64 derObjectSize(const QByteArray& data, qsizetype offset)
{
    const qsizetype avail = data.size() - offset;
    if (avail < 2)
        return -2;
    const auto* p = bytes(data) + offset;
    if ((p[0] & 0x1f) == 0x1f)
        return -2; // high tag numbers never start the objects we read
    const unsigned char first = p[1];
    if (first < 0x80)
        return 2 + qint64(first);
    if (first == 0x80)
        return -1;
    const int n = first & 0x7f;
    if (n > 4)
        return -2;
    if (avail < 2 + n)
        return std::numeric_limits<qint64>::max(); // the header itself is cut off
    qint64 len = 0;
    for (int i = 0; i < n; ++i)
        len = (len << 8) | p[2 + i];
    return 2 + n + len;
}

// ---- Items -------------------------------------------------------------------------------------

PkiItem certificateItem(const Certificate& cert)
{
    PkiItem item;
    item.kind = FileKind::Certificate;
    item.certificates << cert;
    return item;
}

std::optional<PkiItem> pkcs7Item(const QByteArray& der)
{
    auto p7 = decode<PKCS7, PKCS7_free>(
        der, [](const unsigned char** p, long len) { return d2i_PKCS7(nullptr, p, len); });
    if (!p7)
        return std::nullopt;
    PkiItem item;
    item.kind = FileKind::Pkcs7;
    STACK_OF(X509)* certs = nullptr;
    STACK_OF(X509_CRL)* crls = nullptr;
    const int type = OBJ_obj2nid(p7->type);
    if (type == NID_pkcs7_signed && p7->d.sign) {
        certs = p7->d.sign->cert;
        crls = p7->d.sign->crl;
    } else if (type == NID_pkcs7_signedAndEnveloped && p7->d.signed_and_enveloped) {
        certs = p7->d.signed_and_enveloped->cert;
        crls = p7->d.signed_and_enveloped->crl;
    }
    for (int i = 0; i < sk_X509_num(certs); ++i)
        item.certificates << CertificatePrivateAccess::fromX509(sk_X509_value(certs, i));
    for (int i = 0; i < sk_X509_CRL_num(crls); ++i)
        item.crls << CrlPrivateAccess::fromX509Crl(sk_X509_CRL_value(crls, i));
    return item;
}

PkiItem pkcs12Item(const QByteArray& der, const QByteArray& passphrase)
{
    PkiItem item;
    item.kind = FileKind::Pkcs12;
    item.der = der;
    auto opened = PkiParser::openPkcs12(der, passphrase);
    if (opened) {
        item.pkcs12Opened = true;
        if (!opened->certificate.isNull())
            item.certificates << opened->certificate;
        item.certificates << opened->chain;
        item.key = opened->key;
        if (!item.key.isNull()) {
            item.keyType = item.key.type();
            item.keyFormat = PrivateKey::Format::Pkcs12;
        }
    } else {
        item.pkcs12Error = opened.error();
    }
    return item;
}

PkiItem encryptedPkcs8Item(const QByteArray& der)
{
    PkiItem item;
    item.kind = FileKind::PrivateKey;
    item.keyEncrypted = true;
    item.keyFormat = PrivateKey::Format::Pkcs8;
    item.der = der;
    return item;
}

std::optional<PkiItem> unencryptedPkcs8Item(const QByteArray& der, Encoding encoding)
{
    auto p8 = decode<PKCS8_PRIV_KEY_INFO, PKCS8_PRIV_KEY_INFO_free>(
        der, [](const unsigned char** p, long len) { return d2i_PKCS8_PRIV_KEY_INFO(nullptr, p, len); });
    if (!p8)
        return std::nullopt;
    PkiItem item;
    item.kind = FileKind::PrivateKey;
    item.keyFormat = PrivateKey::Format::Pkcs8;
    ossl::EvpPkeyPtr pkey(EVP_PKCS82PKEY(p8.get()));
    if (pkey) {
        item.key = PrivateKeyPrivateAccess::fromEvpPkey(std::move(pkey), PrivateKey::Format::Pkcs8, encoding);
        item.keyType = item.key.type();
    } else {
        // A PKCS#8 structure with an algorithm this OpenSSL cannot use: still a private key.
        const ASN1_OBJECT* alg = nullptr;
        if (PKCS8_pkey_get0(&alg, nullptr, nullptr, nullptr, p8.get()) == 1)
            item.keyType = text::objectShortName(alg);
    }
    return item;
}

struct TraditionalType
{
    int evpType;
    PrivateKey::Format format;
    const char* name;
};

constexpr TraditionalType kTraditional[] = {
    {EVP_PKEY_RSA, PrivateKey::Format::Pkcs1, "RSA"},
    {EVP_PKEY_EC, PrivateKey::Format::Sec1, "EC"},
    {EVP_PKEY_DSA, PrivateKey::Format::TraditionalDsa, "DSA"},
};

std::optional<PkiItem> traditionalKeyItem(const QByteArray& der, const TraditionalType& t, Encoding encoding)
{
    auto pkey = decode<EVP_PKEY, EVP_PKEY_free>(
        der, [&](const unsigned char** p, long len) { return d2i_PrivateKey(t.evpType, nullptr, p, len); });
    if (!pkey)
        return std::nullopt;
    PkiItem item;
    item.kind = FileKind::PrivateKey;
    item.keyFormat = t.format;
    item.key = PrivateKeyPrivateAccess::fromEvpPkey(std::move(pkey), t.format, encoding);
    item.keyType = item.key.type();
    return item;
}

PkiItem publicKeyItem(ossl::EvpPkeyPtr pkey)
{
    PkiItem item;
    item.kind = FileKind::PublicKey;
    item.publicKeyType = text::keyTypeName(pkey.get());
    item.publicKeyBits = EVP_PKEY_get_bits(pkey.get());
    return item;
}

std::optional<PkiItem> spkiItem(const QByteArray& der)
{
    auto pkey = decode<EVP_PKEY, EVP_PKEY_free>(
        der, [](const unsigned char** p, long len) { return d2i_PUBKEY(nullptr, p, len); });
    if (!pkey)
        return std::nullopt;
    return publicKeyItem(std::move(pkey));
}

std::optional<PkiItem> rsaPublicKeyItem(const QByteArray& der)
{
    auto pkey = decode<EVP_PKEY, EVP_PKEY_free>(
        der, [](const unsigned char** p, long len) { return d2i_PublicKey(EVP_PKEY_RSA, nullptr, p, len); });
    if (!pkey)
        return std::nullopt;
    return publicKeyItem(std::move(pkey));
}

std::optional<PkiItem> requestItem(const QByteArray& der)
{
    auto req = decode<X509_REQ, X509_REQ_free>(
        der, [](const unsigned char** p, long len) { return d2i_X509_REQ(nullptr, p, len); });
    if (!req)
        return std::nullopt;
    PkiItem item;
    item.kind = FileKind::CertificateRequest;
    item.requestSubject = text::nameRfc2253(X509_REQ_get_subject_name(req.get()));
    if (EVP_PKEY* pkey = X509_REQ_get0_pubkey(req.get())) {
        item.publicKeyType = text::keyTypeName(pkey);
        item.publicKeyBits = EVP_PKEY_get_bits(pkey);
    }
    return item;
}

std::optional<PkiItem> crlItem(const QByteArray& der)
{
    const Crl crl = Crl::fromDer(der);
    if (crl.isNull())
        return std::nullopt;
    PkiItem item;
    item.kind = FileKind::Crl;
    item.crls << crl;
    return item;
}

// A DER object of unknown type: try every structure we know, most common first.
std::optional<PkiItem> identifyDer(const QByteArray& der, const QByteArray& passphrase)
{
    if (Certificate cert = Certificate::fromDer(der); !cert.isNull())
        return certificateItem(cert);
    if (auto item = crlItem(der))
        return item;
    if (auto item = pkcs7Item(der))
        return item;
    if (auto p12 = decode<PKCS12, PKCS12_free>(
            der, [](const unsigned char** p, long len) { return d2i_PKCS12(nullptr, p, len); }))
        return pkcs12Item(der, passphrase);
    if (decode<X509_SIG, X509_SIG_free>(
            der, [](const unsigned char** p, long len) { return d2i_X509_SIG(nullptr, p, len); }))
        return encryptedPkcs8Item(der);
    if (auto item = unencryptedPkcs8Item(der, Encoding::Der))
        return item;
    for (const TraditionalType& t : kTraditional) {
        if (auto item = traditionalKeyItem(der, t, Encoding::Der))
            return item;
    }
    if (auto item = spkiItem(der))
        return item;
    if (auto item = rsaPublicKeyItem(der))
        return item;
    if (auto item = requestItem(der))
        return item;
    return std::nullopt;
}

// ---- Errors ------------------------------------------------------------------------------------

Error corruptObject(const QString& name, const QString& what, int index)
{
    return ossl::makeError(u"pki.corrupt-object"_s,
                           Tr::tr("could not decode %1 number %2 in \"%3\"").arg(what).arg(index).arg(name),
                           Tr::tr("The file has the right markers but the data inside is damaged or "
                                  "incomplete. Get a fresh copy of the file."));
}

bool isMostlyText(const QByteArray& data)
{
    const qsizetype n = std::min<qsizetype>(data.size(), 4096);
    qsizetype printable = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = uchar(data[i]);
        if (c == 0)
            return false;
        if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t')
            ++printable;
    }
    return printable >= n * 95 / 100;
}

Error unrecognized(const QString& name, const QString& explanation)
{
    return Error{u"pki.unrecognized-format"_s,
                 Tr::tr("\"%1\" is not a certificate, key or CRL file").arg(name),
                 explanation,
                 {}};
}

// Formats that are not X.509 at all but that people pick by mistake.
std::optional<Error> recognizeForeign(const QByteArray& data, const QString& name)
{
    if (data.startsWith("\xFF\xFE") || data.startsWith("\xFE\xFF"))
        return unrecognized(
            name, Tr::tr("The file is UTF-16 text. Certificate and key files are ASCII; save it again as "
                         "plain ASCII/UTF-8 text (for example with Notepad's \"UTF-8\" encoding)."));
    if (data.startsWith("\xFE\xED\xFE\xED") || data.startsWith("\xCE\xCE\xCE\xCE"))
        return unrecognized(name, Tr::tr("This is a Java KeyStore (JKS/JCEKS). Export the certificate with "
                                         "\"keytool -exportcert -rfc\", or convert the store to PKCS#12 with "
                                         "\"keytool -importkeystore -deststoretype PKCS12\"."));
    return std::nullopt;
}

bool looksLikeSsh(const QByteArray& data)
{
    static const char* const prefixes[] = {
        "ssh-rsa ", "ssh-dss ",  "ssh-ed25519 ",         "ssh-ed448 ",       "ecdsa-sha2-",
        "sk-ssh-",  "sk-ecdsa-", "PuTTY-User-Key-File-", "---- BEGIN SSH2 ",
    };
    for (const char* prefix : prefixes) {
        if (data.startsWith(prefix))
            return true;
    }
    return false;
}

PkiItem sshItem()
{
    PkiItem item;
    item.kind = FileKind::SshKey;
    return item;
}

// ---- PEM ---------------------------------------------------------------------------------------

struct PemBlock
{
    QByteArray label;
    QByteArray header;
    QByteArray der;
};

bool isParameterLabel(const QByteArray& label)
{
    return label.endsWith(" PARAMETERS");
}

// Decodes one PEM block by its label.
Result<std::optional<PkiItem>> pemItem(const PemBlock& block, int index, const QString& name,
                                       const QByteArray& passphrase)
{
    const QByteArray& label = block.label;
    auto corrupt = [&](const QString& what) { return std::unexpected(corruptObject(name, what, index)); };
    std::optional<PkiItem> item;
    if (label == "CERTIFICATE" || label == "X509 CERTIFICATE") {
        const Certificate cert = Certificate::fromDer(block.der);
        if (cert.isNull())
            return corrupt(Tr::tr("certificate"));
        item = certificateItem(cert);
    } else if (label == "TRUSTED CERTIFICATE") {
        // OpenSSL's own format: a certificate followed by its trust settings.
        const unsigned char* p = bytes(block.der);
        ossl::X509Ptr x509(d2i_X509_AUX(nullptr, &p, long(block.der.size())));
        if (!x509)
            return corrupt(Tr::tr("certificate"));
        item = certificateItem(CertificatePrivateAccess::fromX509(std::move(x509)));
    } else if (label == "X509 CRL") {
        item = crlItem(block.der);
        if (!item)
            return corrupt(u"CRL"_s);
    } else if (label == "PKCS7" || label == "PKCS #7 SIGNED DATA" || label == "CMS") {
        item = pkcs7Item(block.der);
        if (!item)
            return corrupt(Tr::tr("PKCS#7 bundle"));
    } else if (label == "PRIVATE KEY") {
        item = unencryptedPkcs8Item(block.der, Encoding::Pem);
        if (!item)
            return corrupt(Tr::tr("private key"));
    } else if (label == "ENCRYPTED PRIVATE KEY") {
        if (!decode<X509_SIG, X509_SIG_free>(
                block.der, [](const unsigned char** p, long len) { return d2i_X509_SIG(nullptr, p, len); }))
            return corrupt(Tr::tr("encrypted private key"));
        item = encryptedPkcs8Item(block.der);
    } else if (label == "RSA PRIVATE KEY" || label == "EC PRIVATE KEY" || label == "DSA PRIVATE KEY") {
        const TraditionalType& t = label.startsWith("RSA")  ? kTraditional[0]
                                   : label.startsWith("EC") ? kTraditional[1]
                                                            : kTraditional[2];
        if (block.header.contains("ENCRYPTED")) {
            PkiItem enc;
            enc.kind = FileKind::PrivateKey;
            enc.keyEncrypted = true;
            enc.keyFormat = t.format;
            enc.keyType = QString::fromLatin1(t.name);
            enc.der = block.der;
            enc.pemHeader = block.header;
            item = enc;
        } else {
            item = traditionalKeyItem(block.der, t, Encoding::Pem);
            if (!item)
                return corrupt(Tr::tr("private key"));
        }
    } else if (label == "PUBLIC KEY") {
        item = spkiItem(block.der);
        if (!item)
            return corrupt(Tr::tr("public key"));
    } else if (label == "RSA PUBLIC KEY") {
        item = rsaPublicKeyItem(block.der);
        if (!item)
            return corrupt(Tr::tr("public key"));
    } else if (label == "CERTIFICATE REQUEST" || label == "NEW CERTIFICATE REQUEST") {
        item = requestItem(block.der);
        if (!item)
            return corrupt(Tr::tr("certificate request"));
    } else if (label == "OPENSSH PRIVATE KEY" || label == "SSH2 ENCRYPTED PRIVATE KEY") {
        item = sshItem();
    } else if (label == "PKCS12") {
        item = pkcs12Item(block.der, passphrase);
    }
    if (item)
        item->pemLabel = label;
    return item;
}

Result<ParsedFile> parsePem(const QByteArray& data, const QString& name, const QByteArray& passphrase)
{
    ParsedFile parsed;
    parsed.encoding = Encoding::Pem;
    ossl::BioPtr bio = ossl::memBioFrom(data);
    if (!bio)
        return std::unexpected(ossl::makeError(u"pki.out-of-memory"_s, u"out of memory"_s));
    ossl::clearErrors();
    for (int index = 1;; ++index) {
        char* label = nullptr;
        char* header = nullptr;
        unsigned char* der = nullptr;
        long len = 0;
        if (PEM_read_bio(bio.get(), &label, &header, &der, &len) != 1) {
            const unsigned long err = ERR_peek_last_error();
            if (ERR_GET_LIB(err) == ERR_LIB_PEM && ERR_GET_REASON(err) == PEM_R_NO_START_LINE) {
                ossl::clearErrors();
                break; // no more blocks
            }
            // Which block failed: the text after the last "-----BEGIN " has no "-----END ".
            const qsizetype lastBegin = data.lastIndexOf("-----BEGIN ");
            const bool truncated = lastBegin >= 0 && data.indexOf("-----END ", lastBegin) < 0;
            if (truncated)
                return std::unexpected(ossl::makeError(
                    u"pki.truncated-pem"_s,
                    Tr::tr("\"%1\" ends in the middle of PEM block number %2").arg(name).arg(index),
                    Tr::tr("The file was cut off: the last \"-----BEGIN …-----\" block has no \"-----END "
                           "…-----\" line. It was probably copied or downloaded incompletely; get a fresh "
                           "copy.")));
            return std::unexpected(
                ossl::makeError(u"pki.bad-pem"_s,
                                Tr::tr("could not decode PEM block number %1 in \"%2\"").arg(index).arg(name),
                                Tr::tr("The text between the \"-----BEGIN\" and \"-----END\" lines is not "
                                       "valid base64 or the block markers do not match. The file may have "
                                       "been edited or mangled by copy and paste.")));
        }
        PemBlock block{QByteArray(label), QByteArray(header), QByteArray(reinterpret_cast<char*>(der), len)};
        OPENSSL_cleanse(der, size_t(len));
        OPENSSL_free(label);
        OPENSSL_free(header);
        OPENSSL_free(der);

        auto item = pemItem(block, index, name, passphrase);
        const bool secret = block.label.contains("PRIVATE KEY");
        if (secret)
            cleanse(block.der);
        if (!item)
            return std::unexpected(item.error());
        if (*item) {
            parsed.items << std::move(**item);
        } else {
            parsed.ignoredPemLabels << QString::fromLatin1(block.label);
            if (!isParameterLabel(block.label))
                parsed.warnings << Error{
                    u"pki.unknown-pem-block"_s,
                    Tr::tr("ignored a PEM block of unknown type \"%1\"")
                        .arg(QString::fromLatin1(block.label)),
                    Tr::tr("Block number %1 is not a certificate, key, CRL or request; it was skipped.")
                        .arg(index),
                    {}};
        }
    }
    return parsed;
}

Result<ParsedFile> parseDer(const QByteArray& data, const QString& name, const QByteArray& passphrase)
{
    ParsedFile parsed;
    parsed.encoding = Encoding::Der;
    qsizetype offset = 0;
    int index = 1;
    while (offset < data.size()) {
        const qint64 size = derObjectSize(data, offset);
        if (size == -2 || (offset > 0 && data.at(offset) != '\x30')) {
            if (offset == 0)
                return std::unexpected(unrecognized(
                    name, Tr::tr("It is binary data in no format a certificate, key or CRL uses.")));
            return std::unexpected(
                Error{u"pki.corrupt-object"_s,
                      Tr::tr("unexpected data after object number %1 in \"%2\"").arg(index - 1).arg(name),
                      Tr::tr("The file holds extra bytes after the binary (DER) object. It may be damaged, "
                             "or two files were joined."),
                      {}});
        }
        if (size > data.size() - offset)
            return std::unexpected(Error{
                u"pki.truncated-der"_s,
                Tr::tr("\"%1\" is cut off: binary (DER) object number %2 needs %3 bytes, the file has %4")
                    .arg(name)
                    .arg(index)
                    .arg(size == std::numeric_limits<qint64>::max() ? u"more"_s : QString::number(size))
                    .arg(data.size() - offset),
                Tr::tr("The file was copied or downloaded incompletely; get a fresh copy."),
                {}});
        // Indefinite length (BER, as some PKCS#12/PKCS#7 writers use): the object is the rest.
        const qsizetype objectSize = size < 0 ? data.size() - offset : qsizetype(size);
        QByteArray der = data.mid(offset, objectSize);
        auto item = identifyDer(der, passphrase);
        ossl::clearErrors();
        if (!item) {
            cleanse(der);
            if (index == 1)
                return std::unexpected(unrecognized(
                    name, Tr::tr("It is binary ASN.1 (DER) data, but not a certificate, private or public "
                                 "key, CRL, certificate request, PKCS#7 or PKCS#12 file.")));
            return std::unexpected(corruptObject(name, Tr::tr("binary object"), index));
        }
        if (item->kind == FileKind::PrivateKey && !item->keyEncrypted)
            item->der.clear();
        parsed.items << std::move(*item);
        cleanse(der);
        offset += objectSize;
        ++index;
    }
    return parsed;
}

int passphraseCallback(char* buf, int size, int, void* userdata)
{
    const auto* pass = static_cast<const QByteArray*>(userdata);
    if (!pass || pass->isEmpty() || size <= 0)
        return 0;
    const int n = int(std::min<qsizetype>(pass->size(), size));
    std::memcpy(buf, pass->constData(), size_t(n));
    return n;
}

Error passphraseRequired()
{
    return Error{u"pki.passphrase-required"_s,
                 Tr::tr("the private key is encrypted and needs a passphrase"),
                 Tr::tr("Enter the passphrase the key was protected with (libpq's sslpassword)."),
                 {}};
}

Error wrongPassphrase(QStringList detail)
{
    return Error{u"pki.wrong-passphrase"_s, Tr::tr("wrong passphrase for the private key"),
                 Tr::tr("The key could not be decrypted with this passphrase (libpq reports \"bad "
                        "decrypt\"). Check the passphrase, including upper and lower case."),
                 std::move(detail)};
}

// Whether the drained OpenSSL errors say "I do not know this algorithm" rather than "wrong password".
bool isUnsupportedAlgorithm(const QStringList& detail)
{
    for (const QString& line : detail) {
        if (line.contains(u"bad decrypt") || line.contains(u"cipherfinal") || line.contains(u"mac verify"))
            return false;
    }
    for (const QString& line : detail) {
        if (line.contains(u"unsupported") || line.contains(u"unknown cipher") ||
            line.contains(u"unknown algorithm") || line.contains(u"fetch failed"))
            return true;
    }
    return false;
}

} // namespace

Result<ParsedFile> PkiParser::parse(const QByteArray& rawData, const QString& name,
                                    const QByteArray& passphrase)
{
    if (rawData.isEmpty())
        return makeError(u"pki.file-empty"_s, Tr::tr("file \"%1\" is empty").arg(name),
                         Tr::tr("The file has no content."));
    if (auto foreign = recognizeForeign(rawData, name))
        return std::unexpected(*foreign);

    // A UTF-8 byte order mark (Windows editors): OpenSSL 3's PEM reader skips it too.
    QByteArray data = rawData;
    if (data.startsWith("\xEF\xBB\xBF"))
        data.remove(0, 3);

    Result<ParsedFile> parsed;
    if (looksLikeSsh(data)) {
        parsed = ParsedFile{};
        parsed->items << sshItem();
    } else if (data.contains("-----BEGIN ")) {
        parsed = parsePem(data, name, passphrase);
        if (parsed && parsed->items.isEmpty() && parsed->ignoredPemLabels.isEmpty())
            return std::unexpected(unrecognized(
                name,
                Tr::tr("It contains \"-----BEGIN\" but no PEM block starts at the beginning of a line.")));
    } else if (uchar(data.at(0)) == 0x30) {
        parsed = parseDer(data, name, passphrase);
    } else if (isMostlyText(data)) {
        return std::unexpected(unrecognized(name, Tr::tr("It is text without any \"-----BEGIN …-----\" block "
                                                         "(PEM), so it holds no certificate, key or CRL.")));
    } else {
        return std::unexpected(
            unrecognized(name, Tr::tr("It is binary data in no format a certificate, key or CRL uses.")));
    }
    if (!parsed)
        return parsed;
    if (parsed->items.isEmpty())
        return std::unexpected(unrecognized(name, Tr::tr("It only contains PEM blocks of other types (%1).")
                                                      .arg(parsed->ignoredPemLabels.join(u", "))));
    qCDebug(lcPki) << "parsed" << name << parsed->items.size() << "objects";
    return parsed;
}

Result<PrivateKey> PkiParser::decryptKey(const PkiItem& item, const QByteArray& passphrase)
{
    if (item.kind == FileKind::Pkcs12) {
        auto opened = openPkcs12(item.der, passphrase);
        if (!opened)
            return std::unexpected(opened.error());
        if (opened->key.isNull())
            return makeError(u"pki.no-private-key"_s, Tr::tr("the PKCS#12 file holds no private key"),
                             Tr::tr("It only holds certificates. Choose the file that holds the key."));
        return opened->key;
    }
    if (item.kind != FileKind::PrivateKey)
        return makeError(u"pki.no-private-key"_s, Tr::tr("not a private key"));
    if (!item.keyEncrypted)
        return item.key;
    if (passphrase.isEmpty())
        return std::unexpected(passphraseRequired());

    ossl::clearErrors();
    const Encoding encoding = item.pemLabel.isEmpty() ? Encoding::Der : Encoding::Pem;
    if (item.keyFormat == PrivateKey::Format::Pkcs8) {
        auto sig = decode<X509_SIG, X509_SIG_free>(
            item.der, [](const unsigned char** p, long len) { return d2i_X509_SIG(nullptr, p, len); });
        if (!sig)
            return std::unexpected(corruptObject(Tr::tr("key"), Tr::tr("encrypted private key"), 1));
        Pkcs8Ptr p8(PKCS8_decrypt(sig.get(), passphrase.constData(), int(passphrase.size())));
        if (!p8) {
            const QStringList detail = ossl::drainErrors();
            if (isUnsupportedAlgorithm(detail))
                return makeError(
                    u"pki.unsupported-key-encryption"_s,
                    Tr::tr("the private key is encrypted with an algorithm OpenSSL does not support"),
                    Tr::tr("Convert the key with \"openssl pkcs8\" (add -provider legacy -provider default "
                           "for very old keys)."),
                    detail);
            return std::unexpected(wrongPassphrase(detail));
        }
        ossl::EvpPkeyPtr pkey(EVP_PKCS82PKEY(p8.get()));
        if (!pkey)
            return std::unexpected(ossl::makeError(
                u"pki.corrupt-object"_s, Tr::tr("the decrypted private key could not be read"),
                Tr::tr("The key uses an algorithm this OpenSSL does not know.")));
        return PrivateKeyPrivateAccess::fromEvpPkey(std::move(pkey), PrivateKey::Format::Pkcs8, encoding,
                                                    true);
    }

    // Traditional PEM encryption: "Proc-Type: 4,ENCRYPTED" and "DEK-Info: <cipher>,<iv>" headers.
    EVP_CIPHER_INFO cipher;
    QByteArray header = item.pemHeader;
    if (PEM_get_EVP_CIPHER_INFO(header.data(), &cipher) != 1)
        return std::unexpected(
            ossl::makeError(u"pki.unsupported-key-encryption"_s,
                            Tr::tr("the private key is encrypted with an unknown cipher"),
                            Tr::tr("Its DEK-Info header names a cipher OpenSSL does not support.")));
    QByteArray buf = item.der;
    long len = long(buf.size());
    auto* data = reinterpret_cast<unsigned char*>(buf.data());
    const bool decrypted =
        PEM_do_header(&cipher, data, &len, passphraseCallback, const_cast<QByteArray*>(&passphrase)) == 1;
    if (!decrypted) {
        cleanse(buf);
        return std::unexpected(wrongPassphrase(ossl::drainErrors()));
    }
    const TraditionalType* type = &kTraditional[0];
    for (const TraditionalType& t : kTraditional) {
        if (t.format == item.keyFormat)
            type = &t;
    }
    const unsigned char* p = data;
    ossl::EvpPkeyPtr pkey(d2i_PrivateKey(type->evpType, nullptr, &p, len));
    cleanse(buf);
    if (!pkey) // the padding happened to fit but the plaintext is garbage: also a wrong passphrase
        return std::unexpected(wrongPassphrase(ossl::drainErrors()));
    ossl::clearErrors();
    return PrivateKeyPrivateAccess::fromEvpPkey(std::move(pkey), item.keyFormat, encoding, true);
}

Result<Pkcs12Contents> PkiParser::openPkcs12(const QByteArray& der, const QByteArray& password)
{
    ossl::clearErrors();
    const unsigned char* p = bytes(der);
    std::unique_ptr<PKCS12, ossl::Deleter<PKCS12_free>> p12(d2i_PKCS12(nullptr, &p, long(der.size())));
    if (!p12)
        return std::unexpected(corruptObject(Tr::tr("PKCS#12 file"), Tr::tr("PKCS#12 structure"), 1));

    QByteArray pass = password;
    if (PKCS12_mac_present(p12.get())) {
        bool verified = false;
        if (!pass.isEmpty()) {
            verified = PKCS12_verify_mac(p12.get(), pass.constData(), int(pass.size())) == 1;
        } else {
            // No password given: files exported "without password" use either "" or none at all.
            verified =
                PKCS12_verify_mac(p12.get(), "", 0) == 1 || PKCS12_verify_mac(p12.get(), nullptr, 0) == 1;
        }
        if (!verified) {
            const QStringList detail = ossl::drainErrors();
            if (isUnsupportedAlgorithm(detail))
                return makeError(
                    u"pki.pkcs12-legacy-encryption"_s,
                    Tr::tr("the PKCS#12 file uses an algorithm OpenSSL 3 does not support by default"),
                    Tr::tr("Convert it: \"openssl pkcs12 -legacy -in old.p12 -out client.pem -nodes\", or "
                           "export it again with modern settings (AES-256, SHA-256)."),
                    detail);
            if (pass.isEmpty())
                return makeError(u"pki.passphrase-required"_s,
                                 Tr::tr("the PKCS#12 file is password-protected"),
                                 Tr::tr("Enter the password it was exported with."));
            return makeError(u"pki.wrong-passphrase"_s, Tr::tr("wrong password for the PKCS#12 file"),
                             Tr::tr("Its integrity check failed with this password (OpenSSL: \"mac verify "
                                    "failure\"). Check the password, including upper and lower case."),
                             detail);
        }
    }

    EVP_PKEY* rawKey = nullptr;
    X509* rawCert = nullptr;
    STACK_OF(X509)* rawCa = nullptr;
    const int ok = PKCS12_parse(p12.get(), pass.constData(), &rawKey, &rawCert, &rawCa);
    ossl::EvpPkeyPtr key(rawKey);
    ossl::X509Ptr cert(rawCert);
    ossl::X509StackPtr ca(rawCa);
    if (ok != 1) {
        const QStringList detail = ossl::drainErrors();
        if (isUnsupportedAlgorithm(detail))
            return makeError(
                u"pki.pkcs12-legacy-encryption"_s,
                Tr::tr("the PKCS#12 file uses an algorithm OpenSSL 3 does not support by default"),
                Tr::tr("It was probably exported with the old RC2/3DES settings. Convert it: \"openssl "
                       "pkcs12 -legacy -in old.p12 -out client.pem -nodes\", or export it again with modern "
                       "settings (AES-256, SHA-256)."),
                detail);
        if (!PKCS12_mac_present(p12.get()) && !pass.isEmpty())
            return makeError(u"pki.wrong-passphrase"_s, Tr::tr("wrong password for the PKCS#12 file"),
                             Tr::tr("Its contents could not be decrypted with this password."), detail);
        if (!PKCS12_mac_present(p12.get()))
            return makeError(u"pki.passphrase-required"_s, Tr::tr("the PKCS#12 file is password-protected"),
                             Tr::tr("Enter the password it was exported with."), detail);
        return makeError(u"pki.corrupt-object"_s, Tr::tr("could not read the PKCS#12 file"),
                         Tr::tr("Its contents are damaged or use a structure OpenSSL cannot read."), detail);
    }
    Pkcs12Contents out;
    if (cert) {
        int aliasLen = 0;
        if (const unsigned char* alias = X509_alias_get0(cert.get(), &aliasLen); alias && aliasLen > 0)
            out.friendlyName = QString::fromUtf8(reinterpret_cast<const char*>(alias), aliasLen);
        out.certificate = CertificatePrivateAccess::fromX509(std::move(cert));
    }
    if (key)
        out.key = PrivateKeyPrivateAccess::fromEvpPkey(std::move(key), PrivateKey::Format::Pkcs12,
                                                       Encoding::Der, !pass.isEmpty());
    for (int i = 0; i < sk_X509_num(ca.get()); ++i)
        out.chain << CertificatePrivateAccess::fromX509(sk_X509_value(ca.get(), i));
    cleanse(pass);
    ossl::clearErrors();
    return out;
}

} // namespace vf::pki::detail
