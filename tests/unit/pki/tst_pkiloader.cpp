// PkiLoader: every format × key type, encrypted keys, PKCS#12, PKCS#7, CRL files and directories,
// files in the wrong field, and "can libpq read it" checked against the very OpenSSL file calls
// libpq's initialize_SSL() makes (not against the code under test).

#include "TestPki.h"
#include "pki/PkiLoader.h"
#include "pki/PrivateKeyOpenSsl.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cstring>

using namespace Qt::StringLiterals;
using vf::pki::Certificate;
using vf::pki::Encoding;
using vf::pki::FileInspection;
using vf::pki::FileKind;
using vf::pki::FileRole;
using vf::pki::PkiLoader;
using vf::pki::PrivateKey;
using vf::test::CertSpec;
using vf::test::KeyFormat;
using vf::test::KeyType;
using vf::test::TestCert;
using vf::test::TestPki;

Q_DECLARE_METATYPE(vf::test::KeyType)
Q_DECLARE_METATYPE(vf::test::KeyFormat)
Q_DECLARE_METATYPE(vf::pki::FileRole)
Q_DECLARE_METATYPE(vf::pki::FileKind)
Q_DECLARE_METATYPE(vf::pki::Encoding)
Q_DECLARE_METATYPE(vf::pki::PrivateKey::Format)

namespace {

const QByteArray kPassphrase = QByteArrayLiteral("Sup3r-S3cret-Passphrase!");

int passCallback(char* buf, int size, int, void* userdata)
{
    const auto* pass = static_cast<const QByteArray*>(userdata);
    if (!pass || pass->isEmpty())
        return 0; // never the terminal prompt in a test
    const int n = int(std::min<qsizetype>(pass->size(), size));
    std::memcpy(buf, pass->constData(), size_t(n));
    return n;
}

// What libpq 15's initialize_SSL() makes of the file, by the same OpenSSL calls on the file itself.
bool libpqLoads(const QString& path, FileRole role, const QByteArray& passphrase = {})
{
    const QByteArray file = QFile::encodeName(path);
    SSL_CTX* ctx = SSL_CTX_new(TLS_method());
    QByteArray pass = passphrase;
    SSL_CTX_set_default_passwd_cb(ctx, passCallback);
    SSL_CTX_set_default_passwd_cb_userdata(ctx, &pass);
    bool ok = false;
    switch (role) {
    case FileRole::RootCertificates:
        ok = SSL_CTX_load_verify_locations(ctx, file.constData(), nullptr) == 1;
        break;
    case FileRole::CrlFile:
        ok = X509_STORE_load_locations(SSL_CTX_get_cert_store(ctx), file.constData(), nullptr) == 1;
        break;
    case FileRole::ClientCertificate:
        ok = SSL_CTX_use_certificate_chain_file(ctx, file.constData()) == 1;
        break;
    case FileRole::ClientKey: {
        SSL* ssl = SSL_new(ctx);
        ok = SSL_use_PrivateKey_file(ssl, file.constData(), SSL_FILETYPE_PEM) == 1 ||
             SSL_use_PrivateKey_file(ssl, file.constData(), SSL_FILETYPE_ASN1) == 1;
        SSL_free(ssl);
        break;
    }
    default:
        break;
    }
    SSL_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

QList<QByteArray> ders(const QList<Certificate>& certs)
{
    QList<QByteArray> out;
    for (const Certificate& c : certs)
        out << c.toDer();
    return out;
}

QList<QByteArray> ders(const QList<TestCert>& certs)
{
    QList<QByteArray> out;
    for (const TestCert& c : certs)
        out << c.der();
    return out;
}

QByteArray crlDer(const QByteArray& pem)
{
    BIO* bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
    X509_CRL* crl = PEM_read_bio_X509_CRL(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    unsigned char* out = nullptr;
    const int len = i2d_X509_CRL(crl, &out);
    QByteArray der(reinterpret_cast<const char*>(out), len);
    OPENSSL_free(out);
    X509_CRL_free(crl);
    return der;
}

bool errorMentionsSecret(const vf::Error& e, const QByteArray& secret)
{
    const QString s = QString::fromLatin1(secret);
    if (e.message.contains(s) || e.explanation.contains(s))
        return true;
    for (const QString& d : e.detail) {
        if (d.contains(s))
            return true;
    }
    return false;
}

} // namespace

class TestPkiLoader : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_intermediate;
    TestCert m_client;
    TestCert m_server;

    QString write(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        if (!TestPki::writeFile(path, data))
            qFatal("cannot write fixture");
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_root = TestPki::makeCert(TestPki::rootSpec(u"Loader Root CA"_s));
        m_intermediate = TestPki::makeCert(TestPki::intermediateSpec(u"Loader Intermediate CA"_s), &m_root);
        m_client = TestPki::makeCert(TestPki::clientSpec(u"alice"_s), &m_intermediate);
        m_server = TestPki::makeCert(TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s}),
                                     &m_intermediate);
    }

    void init() { ERR_clear_error(); }

    // ---- Certificates ---------------------------------------------------------------------------

    void certificateFormats_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QList<QByteArray>>("expected");
        QTest::addColumn<FileKind>("kind");
        QTest::addColumn<Encoding>("encoding");

        const QList<TestCert> chain{m_client, m_intermediate, m_root};
        QTest::addRow("pem-single") << m_root.pem() << ders({m_root}) << FileKind::Certificate
                                    << Encoding::Pem;
        QTest::addRow("der-single") << m_root.der() << ders({m_root}) << FileKind::Certificate
                                    << Encoding::Der;
        QTest::addRow("pem-bundle") << TestPki::concatPem(chain) << ders(chain) << FileKind::Certificate
                                    << Encoding::Pem;
        QTest::addRow("der-concatenated") << m_client.der() + m_root.der() << ders({m_client, m_root})
                                          << FileKind::Certificate << Encoding::Der;
        QTest::addRow("pkcs7-der") << TestPki::pkcs7Der(chain) << ders(chain) << FileKind::Pkcs7
                                   << Encoding::Der;
        QTest::addRow("pkcs7-pem") << TestPki::pkcs7Pem(chain) << ders(chain) << FileKind::Pkcs7
                                   << Encoding::Pem;
        QTest::addRow("pem-text-around")
            << "Bag Attributes\n    friendlyName: root\nsubject=/CN=x\n" + m_root.pem() + "trailing words\n"
            << ders({m_root}) << FileKind::Certificate << Encoding::Pem;
        QByteArray crlf = TestPki::concatPem({m_root, m_intermediate});
        crlf.replace("\n", "\r\n");
        QTest::addRow("pem-crlf") << crlf << ders({m_root, m_intermediate}) << FileKind::Certificate
                                  << Encoding::Pem;
        QTest::addRow("pem-cert-and-key") << m_client.keyBytes() + m_client.pem() << ders({m_client})
                                          << FileKind::Certificate << Encoding::Pem;
        QTest::addRow("pem-with-ec-parameters") << "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n"
                                                   "-----END EC PARAMETERS-----\n" +
                                                       m_root.pem()
                                                << ders({m_root}) << FileKind::Certificate << Encoding::Pem;
        // OpenSSL's "TRUSTED CERTIFICATE" (x509 -trustout).
        {
            X509* dup = X509_dup(m_root.x509());
            X509_add1_trust_object(dup, OBJ_nid2obj(NID_server_auth));
            BIO* bio = BIO_new(BIO_s_mem());
            PEM_write_bio_X509_AUX(bio, dup);
            char* p = nullptr;
            const long n = BIO_get_mem_data(bio, &p);
            QTest::addRow("pem-trusted-certificate")
                << QByteArray(p, n) << ders({m_root}) << FileKind::Certificate << Encoding::Pem;
            BIO_free(bio);
            X509_free(dup);
        }
    }

    void certificateFormats()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QList<QByteArray>, expected);
        const QString path = write(u"cert-%1"_s.arg(QString::fromLatin1(QTest::currentDataTag())), bytes);

        auto certs = PkiLoader::loadCertificates(path);
        QVERIFY2(certs, qPrintable(certs ? QString() : certs.error().toString()));
        QCOMPARE(ders(*certs), expected);

        for (FileRole role : {FileRole::RootCertificates, FileRole::ClientCertificate}) {
            auto fi = PkiLoader::inspectFile(path, role);
            QVERIFY(fi);
            QTEST(fi->kind, "kind");
            QTEST(fi->encoding, "encoding");
            QCOMPARE(ders(fi->certificates), expected);
            QVERIFY2(fi->fitsRole, qPrintable(fi->problem ? fi->problem->toString() : QString()));
            QVERIFY(!fi->problem);
            // libpq reads PEM only; the answer must match what OpenSSL does with the file.
            QCOMPARE(fi->libpqCanRead, libpqLoads(path, role));
            QCOMPARE(fi->libpqProblem.has_value(), !fi->libpqCanRead);
            if (fi->libpqProblem) {
                QCOMPARE(fi->libpqProblem->code, u"pki.libpq-cannot-read"_s);
                QVERIFY(fi->libpqProblem->message.contains(path));
                QVERIFY(!fi->libpqProblem->explanation.isEmpty());
            }
        }
    }

    void libpqWordingForDerRoot()
    {
        const QString path = write(u"root.der"_s, m_root.der());
        auto fi = PkiLoader::inspectFile(path, FileRole::RootCertificates);
        QVERIFY(fi);
        QVERIFY(fi->fitsRole);
        QVERIFY(!fi->libpqCanRead);
        // libpq 15 prints exactly this (confirmed with SSL_CTX_load_verify_locations on a DER file).
        QCOMPARE(fi->libpqProblem->message,
                 u"could not read root certificate file \"%1\": no certificate or crl found"_s.arg(path));
        QVERIFY(fi->libpqProblem->explanation.contains(u"PEM"));

        auto cert = PkiLoader::inspectFile(path, FileRole::ClientCertificate);
        QVERIFY(cert);
        QCOMPARE(cert->libpqProblem->message,
                 u"could not read certificate file \"%1\": no start line"_s.arg(path));
    }

    void clientCertificateWarnings()
    {
        // CA first, then the client certificate: libpq would send the CA as "the" certificate.
        const QString wrongOrder = write(u"wrong-order.pem"_s, TestPki::concatPem({m_root, m_client}));
        auto fi = PkiLoader::inspectFile(wrongOrder, FileRole::ClientCertificate);
        QVERIFY(fi);
        QVERIFY(fi->fitsRole);
        QVERIFY(std::any_of(fi->warnings.cbegin(), fi->warnings.cend(),
                            [](const vf::Error& e) { return e.code == u"pki.chain-order"; }));

        const QString serverAsClient = write(u"server-as-client.pem"_s, m_server.pem());
        fi = PkiLoader::inspectFile(serverAsClient, FileRole::ClientCertificate);
        QVERIFY(fi);
        QVERIFY(std::any_of(fi->warnings.cbegin(), fi->warnings.cend(),
                            [](const vf::Error& e) { return e.code == u"pki.no-client-auth-eku"; }));

        const QString good = write(u"good-client.pem"_s, TestPki::concatPem({m_client, m_intermediate}));
        fi = PkiLoader::inspectFile(good, FileRole::ClientCertificate);
        QVERIFY(fi);
        QVERIFY2(fi->warnings.isEmpty(), qPrintable(fi->warnings.value(0).toString()));
        QVERIFY(fi->libpqCanRead);

        const QString leafAsRoot = write(u"leaf-as-root.pem"_s, m_server.pem());
        fi = PkiLoader::inspectFile(leafAsRoot, FileRole::RootCertificates);
        QVERIFY(fi);
        QVERIFY(fi->fitsRole);
        QVERIFY(std::any_of(fi->warnings.cbegin(), fi->warnings.cend(),
                            [](const vf::Error& e) { return e.code == u"pki.not-a-ca"; }));
    }

    void weakCertificateMatchesLibpq()
    {
        // Whether OpenSSL's security level refuses a 1024-bit RSA / SHA-1 certificate depends on the
        // system configuration; the inspection must say what libpq would do on *this* system.
        CertSpec weak = TestPki::clientSpec(u"weak"_s);
        weak.keyType = KeyType::Rsa1024;
        weak.digest = "SHA1";
        const TestCert cert = TestPki::makeCert(weak);
        const QString path = write(u"weak.pem"_s, cert.pem());
        auto fi = PkiLoader::inspectFile(path, FileRole::ClientCertificate);
        QVERIFY(fi);
        QVERIFY(fi->fitsRole);
        QCOMPARE(fi->libpqCanRead, libpqLoads(path, FileRole::ClientCertificate));
        if (!fi->libpqCanRead)
            QVERIFY2(fi->libpqProblem->message.contains(u"too small") ||
                         fi->libpqProblem->message.contains(u"too weak"),
                     qPrintable(fi->libpqProblem->message));
    }

    void utf8BomIsAccepted()
    {
        // Editors on Windows add a UTF-8 byte order mark; OpenSSL 3 (and so libpq) skips it.
        for (FileRole role : {FileRole::RootCertificates, FileRole::ClientCertificate}) {
            const QString path = write(u"bom.pem"_s, "\xEF\xBB\xBF" + m_root.pem());
            auto fi = PkiLoader::inspectFile(path, role);
            QVERIFY(fi);
            QCOMPARE(fi->certificates.size(), 1);
            QCOMPARE(fi->libpqCanRead, libpqLoads(path, role));
            QVERIFY(fi->libpqCanRead);
        }
        const QString key = write(u"bom.key"_s, "\xEF\xBB\xBF" + m_client.keyBytes());
        auto fi = PkiLoader::inspectFile(key, FileRole::ClientKey);
        QVERIFY(fi);
        QVERIFY(!fi->privateKey.isNull());
        QCOMPARE(fi->libpqCanRead, libpqLoads(key, FileRole::ClientKey));
    }

    // ---- Private keys ---------------------------------------------------------------------------

    void privateKeyFormats_data()
    {
        QTest::addColumn<KeyType>("keyType");
        QTest::addColumn<KeyFormat>("format");
        QTest::addColumn<bool>("encrypted");
        QTest::addColumn<QString>("typeName");
        QTest::addColumn<int>("bits");
        QTest::addColumn<PrivateKey::Format>("expectedFormat");
        QTest::addColumn<Encoding>("encoding");

        struct K
        {
            KeyType type;
            const char* name;
            QString typeName;
            int bits;
            PrivateKey::Format traditional;
        };
        const K keys[] = {
            {KeyType::Rsa2048, "rsa2048", u"RSA"_s, 2048, PrivateKey::Format::Pkcs1},
            {KeyType::EcP256, "p256", u"EC"_s, 256, PrivateKey::Format::Sec1},
            {KeyType::EcP384, "p384", u"EC"_s, 384, PrivateKey::Format::Sec1},
            // Ed25519 has no traditional format: OpenSSL writes PKCS#8.
            {KeyType::Ed25519, "ed25519", u"Ed25519"_s, 256, PrivateKey::Format::Pkcs8},
        };
        struct F
        {
            KeyFormat format;
            const char* name;
            bool canEncrypt;
            bool traditional;
            Encoding encoding;
        };
        const F formats[] = {
            {KeyFormat::Pkcs8Pem, "pkcs8-pem", true, false, Encoding::Pem},
            {KeyFormat::TraditionalPem, "traditional-pem", true, true, Encoding::Pem},
            {KeyFormat::Pkcs8Der, "pkcs8-der", true, false, Encoding::Der},
            {KeyFormat::TraditionalDer, "traditional-der", false, true, Encoding::Der},
        };
        for (const K& k : keys) {
            for (const F& f : formats) {
                for (bool enc : {false, true}) {
                    if (enc && !f.canEncrypt)
                        continue;
                    // Ed25519 has no traditional PEM form: OpenSSL refuses to write one.
                    if (f.format == KeyFormat::TraditionalPem && k.type == KeyType::Ed25519)
                        continue;
                    QTest::addRow("%s-%s-%s", k.name, f.name, enc ? "encrypted" : "plain")
                        << k.type << f.format << enc << k.typeName << k.bits
                        << (f.traditional ? k.traditional : PrivateKey::Format::Pkcs8) << f.encoding;
                }
            }
        }
    }

    void privateKeyFormats()
    {
        QFETCH(KeyType, keyType);
        QFETCH(KeyFormat, format);
        QFETCH(bool, encrypted);
        CertSpec spec = TestPki::clientSpec(u"keyowner"_s);
        spec.keyType = keyType;
        const TestCert cert = TestPki::makeCert(spec, &m_intermediate);
        const QByteArray keyBytes = cert.keyBytes(format, encrypted ? kPassphrase : QByteArray());
        const QString path = write(u"key-%1"_s.arg(QString::fromLatin1(QTest::currentDataTag())), keyBytes);

        auto key = PkiLoader::loadPrivateKey(path, encrypted ? kPassphrase : QByteArray());
        QVERIFY2(key, qPrintable(key ? QString() : key.error().toString()));
        QTEST(key->type(), "typeName");
        QTEST(key->bits(), "bits");
        QTEST(key->format(), "expectedFormat");
        QTEST(key->encoding(), "encoding");
        QCOMPARE(key->wasEncrypted(), encrypted);
        QCOMPARE(EVP_PKEY_eq(vf::pki::PrivateKeyPrivateAccess::evpPkey(*key), cert.key()), 1);
        QVERIFY(key->checkMatches(Certificate::fromDer(cert.der())));

        // "Convert to PEM": unencrypted PKCS#8 that OpenSSL reads back as the same key.
        const QByteArray pem = key->toPkcs8Pem();
        QVERIFY(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"));
        BIO* bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
        EVP_PKEY* back = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
        BIO_free(bio);
        QVERIFY(back);
        QCOMPARE(EVP_PKEY_eq(back, cert.key()), 1);
        EVP_PKEY_free(back);

        if (encrypted) {
            auto missing = PkiLoader::loadPrivateKey(path);
            QVERIFY(!missing);
            QCOMPARE(missing.error().code, u"pki.passphrase-required"_s);
            auto wrong = PkiLoader::loadPrivateKey(path, "not-the-passphrase");
            QVERIFY(!wrong);
            QCOMPARE(wrong.error().code, u"pki.wrong-passphrase"_s);
            QVERIFY(!wrong.error().explanation.isEmpty());
            QVERIFY(!errorMentionsSecret(wrong.error(), "not-the-passphrase"));
            QVERIFY(!errorMentionsSecret(missing.error(), kPassphrase));
        }

        // Inspection: a key fits the key field; libpq's answer matches OpenSSL on the real file.
        auto fi = PkiLoader::inspectFile(path, FileRole::ClientKey, encrypted ? kPassphrase : QByteArray());
        QVERIFY(fi);
        QCOMPARE(fi->kind, FileKind::PrivateKey);
        QVERIFY(fi->fitsRole);
        QVERIFY2(!fi->problem, qPrintable(fi->problem ? fi->problem->toString() : QString()));
        QCOMPARE(fi->privateKeyEncrypted, encrypted);
        QVERIFY(!fi->privateKey.isNull());
        QCOMPARE(fi->libpqCanRead,
                 libpqLoads(path, FileRole::ClientKey, encrypted ? kPassphrase : QByteArray()));
        if (encrypted && format == KeyFormat::Pkcs8Der)
            QVERIFY(!fi->libpqCanRead); // libpq 15 / OpenSSL 3.0 cannot decrypt DER keys

        // Without the passphrase: still identified, the type known where the format shows it.
        auto bare = PkiLoader::inspectFile(path, FileRole::ClientKey);
        QVERIFY(bare);
        QVERIFY(bare->fitsRole);
        QCOMPARE(bare->privateKeyEncrypted, encrypted);
        if (encrypted) {
            QVERIFY(bare->privateKey.isNull());
            QVERIFY(std::any_of(bare->warnings.cbegin(), bare->warnings.cend(),
                                [](const vf::Error& e) { return e.code == u"pki.passphrase-required"; }));
        }

        // The key in the certificate field: a clear "wrong kind".
        auto inCertField = PkiLoader::inspectFile(path, FileRole::ClientCertificate);
        QVERIFY(inCertField);
        QVERIFY(!inCertField->fitsRole);
        QCOMPARE(inCertField->problem->code, u"pki.wrong-file-kind"_s);
        QVERIFY(inCertField->problem->message.contains(u"private key"));
        QVERIFY(!inCertField->libpqCanRead);
        QCOMPARE(libpqLoads(path, FileRole::ClientCertificate), false);
    }

    void wrongPassphraseIsNotLeaked()
    {
        const QByteArray pem = m_client.keyBytes(KeyFormat::TraditionalPem, kPassphrase);
        const QByteArray wrongPass = "Wr0ng-Passphrase-Value";
        auto key = PkiLoader::parsePrivateKey(pem, wrongPass);
        QVERIFY(!key);
        QCOMPARE(key.error().code, u"pki.wrong-passphrase"_s);
        QVERIFY(!errorMentionsSecret(key.error(), wrongPass));
        QVERIFY(!errorMentionsSecret(key.error(), kPassphrase));
        // Wrong and missing are distinct.
        QCOMPARE(PkiLoader::parsePrivateKey(pem).error().code, u"pki.passphrase-required"_s);
        QVERIFY(PkiLoader::parsePrivateKey(pem, kPassphrase));
    }

    void keyCertificateMatch()
    {
        const Certificate client = Certificate::fromDer(m_client.der());
        auto own = PkiLoader::parsePrivateKey(m_client.keyBytes());
        QVERIFY(own);
        QVERIFY(own->checkMatches(client));

        // Same type (EC P-256), another key.
        auto other = PkiLoader::parsePrivateKey(m_server.keyBytes());
        QVERIFY(other);
        auto mismatch = other->checkMatches(client);
        QVERIFY(!mismatch);
        QCOMPARE(mismatch.error().code, u"pki.key-mismatch"_s);
        QCOMPARE(mismatch.error().message, u"certificate does not match private key"_s);

        // Another type.
        auto rsa = PkiLoader::parsePrivateKey(TestPki::makeCert([] {
                                                  CertSpec s = TestPki::clientSpec(u"rsa"_s);
                                                  s.keyType = KeyType::Rsa2048;
                                                  return s;
                                              }())
                                                  .keyBytes());
        QVERIFY(rsa);
        auto typeMismatch = rsa->checkMatches(client);
        QVERIFY(!typeMismatch);
        QCOMPARE(typeMismatch.error().code, u"pki.key-type-mismatch"_s);
        QVERIFY(typeMismatch.error().explanation.contains(u"RSA"));
        QVERIFY(typeMismatch.error().explanation.contains(u"EC"));

        QCOMPARE(PrivateKey().checkMatches(client).error().code, u"pki.null-input"_s);
        QCOMPARE(own->checkMatches(Certificate()).error().code, u"pki.null-input"_s);
    }

    void combinedCertAndKeyFile()
    {
        const QString path = write(u"combined.pem"_s, m_client.pem() + m_client.keyBytes());
        for (FileRole role : {FileRole::ClientCertificate, FileRole::ClientKey}) {
            auto fi = PkiLoader::inspectFile(path, role);
            QVERIFY(fi);
            QVERIFY(fi->fitsRole);
            QCOMPARE(fi->kinds, (QList<FileKind>{FileKind::Certificate, FileKind::PrivateKey}));
            QVERIFY(fi->libpqCanRead);
            QCOMPARE(fi->libpqCanRead, libpqLoads(path, role));
        }
        auto key = PkiLoader::loadPrivateKey(path);
        QVERIFY(key);
        QVERIFY(key->checkMatches(PkiLoader::loadCertificates(path)->first()));
    }

    // ---- PKCS#12 -------------------------------------------------------------------------------

    void pkcs12()
    {
        const QByteArray p12 =
            TestPki::pkcs12(m_client, {m_intermediate, m_root}, kPassphrase, u"alice-key"_s);
        const QString path = write(u"client.p12"_s, p12);

        auto contents = PkiLoader::loadPkcs12(path, kPassphrase);
        QVERIFY2(contents, qPrintable(contents ? QString() : contents.error().toString()));
        QCOMPARE(contents->certificate.toDer(), m_client.der());
        QCOMPARE(contents->friendlyName, u"alice-key"_s);
        QVERIFY(!contents->key.isNull());
        QCOMPARE(contents->key.format(), PrivateKey::Format::Pkcs12);
        QVERIFY(contents->key.checkMatches(contents->certificate));
        QList<QByteArray> chain = ders(contents->chain);
        std::sort(chain.begin(), chain.end());
        QList<QByteArray> expectedChain = ders({m_intermediate, m_root});
        std::sort(expectedChain.begin(), expectedChain.end());
        QCOMPARE(chain, expectedChain);

        auto wrong = PkiLoader::loadPkcs12(path, "Wr0ng-P12-Pw");
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().code, u"pki.wrong-passphrase"_s);
        QVERIFY(!errorMentionsSecret(wrong.error(), "Wr0ng-P12-Pw"));
        auto missing = PkiLoader::loadPkcs12(path);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, u"pki.passphrase-required"_s);

        // The other loaders open it too, with the password.
        auto key = PkiLoader::loadPrivateKey(path, kPassphrase);
        QVERIFY(key);
        QCOMPARE(EVP_PKEY_eq(vf::pki::PrivateKeyPrivateAccess::evpPkey(*key), m_client.key()), 1);
        QCOMPARE(PkiLoader::loadPrivateKey(path, "nope").error().code, u"pki.wrong-passphrase"_s);
        QCOMPARE(PkiLoader::loadPrivateKey(path).error().code, u"pki.passphrase-required"_s);
        auto certs = PkiLoader::loadCertificates(path, kPassphrase);
        QVERIFY(certs);
        QCOMPARE(certs->size(), 3);
        QCOMPARE(certs->first().toDer(), m_client.der());
        QCOMPARE(PkiLoader::loadCertificates(path).error().code, u"pki.passphrase-required"_s);

        // Inspection: fits the certificate and key fields, libpq cannot read it.
        for (FileRole role : {FileRole::ClientCertificate, FileRole::ClientKey}) {
            auto fi = PkiLoader::inspectFile(path, role);
            QVERIFY(fi);
            QCOMPARE(fi->kind, FileKind::Pkcs12);
            QCOMPARE(fi->encoding, Encoding::Der);
            QVERIFY(fi->fitsRole);
            QVERIFY(fi->pkcs12PasswordNeeded);
            QVERIFY(!fi->libpqCanRead);
            QCOMPARE(fi->libpqCanRead, libpqLoads(path, role, kPassphrase));
            QVERIFY(fi->libpqProblem->explanation.contains(u"PKCS#12"));

            auto opened = PkiLoader::inspectFile(path, role, kPassphrase);
            QVERIFY(opened);
            QVERIFY(!opened->pkcs12PasswordNeeded);
            QCOMPARE(opened->certificates.size(), 3);
            QVERIFY(!opened->privateKey.isNull());

            auto wrongPw = PkiLoader::inspectFile(path, role, "bad");
            QVERIFY(wrongPw);
            QCOMPARE(wrongPw->problem->code, u"pki.wrong-passphrase"_s);
        }
        auto asRoot = PkiLoader::inspectFile(path, FileRole::RootCertificates, kPassphrase);
        QVERIFY(asRoot);
        QVERIFY(!asRoot->fitsRole);
        QCOMPARE(asRoot->problem->code, u"pki.wrong-file-kind"_s);
    }

    void legacyPkcs12()
    {
        // Old exports (RC2-40, as Windows and "openssl pkcs12 -legacy" write) need OpenSSL 3's legacy
        // provider, which libpq does not load: a distinct, explained error.
        const QString openssl = QStandardPaths::findExecutable(u"openssl"_s);
        if (openssl.isEmpty())
            QSKIP("the openssl command is needed to write a legacy PKCS#12");
        const QString cert = write(u"legacy-cert.pem"_s, m_client.pem());
        const QString key = write(u"legacy-key.pem"_s, m_client.keyBytes());
        const QString out = m_dir.filePath(u"legacy.p12"_s);
        QProcess p;
        p.start(openssl, {u"pkcs12"_s, u"-export"_s, u"-legacy"_s, u"-in"_s, cert, u"-inkey"_s, key,
                          u"-passout"_s, u"pass:pw"_s, u"-out"_s, out});
        QVERIFY(p.waitForFinished(30000));
        if (p.exitCode() != 0)
            QSKIP("this openssl cannot write legacy PKCS#12 files");
        auto opened = PkiLoader::loadPkcs12(out, "pw");
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, u"pki.pkcs12-legacy-encryption"_s);
        QVERIFY(opened.error().explanation.contains(u"-legacy"));
        QCOMPARE(PkiLoader::loadPkcs12(out, "other").error().code, u"pki.wrong-passphrase"_s);
        auto fi = PkiLoader::inspectFile(out, FileRole::ClientCertificate, "pw");
        QVERIFY(fi);
        QCOMPARE(fi->kind, FileKind::Pkcs12);
        QCOMPARE(fi->problem->code, u"pki.pkcs12-legacy-encryption"_s);
    }

    void pkcs12WithoutPassword()
    {
        const QByteArray p12 = TestPki::pkcs12(m_client, {}, QByteArray());
        auto contents = PkiLoader::parsePkcs12(p12);
        QVERIFY2(contents, qPrintable(contents ? QString() : contents.error().toString()));
        QCOMPARE(contents->certificate.toDer(), m_client.der());
        QVERIFY(contents->chain.isEmpty());
        QVERIFY(!PkiLoader::parsePkcs12(m_client.pem()));
        QCOMPARE(PkiLoader::parsePkcs12(m_client.pem()).error().code, u"pki.wrong-file-kind"_s);
    }

    // ---- CRLs ----------------------------------------------------------------------------------

    void crlFile_data()
    {
        QTest::addColumn<bool>("der");
        QTest::addRow("pem") << false;
        QTest::addRow("der") << true;
    }

    void crlFile()
    {
        QFETCH(bool, der);
        const QByteArray pem = TestPki::crlPem(m_intermediate, {m_client, m_server});
        const QString path = write(der ? u"crl.der"_s : u"crl.pem"_s, der ? crlDer(pem) : pem);
        auto crls = PkiLoader::loadCrls(path);
        QVERIFY2(crls, qPrintable(crls ? QString() : crls.error().toString()));
        QCOMPARE(crls->size(), 1);
        const vf::pki::Crl& crl = crls->first();
        QCOMPARE(crl.issuerDn(), Certificate::fromDer(m_intermediate.der()).subjectDn());
        QCOMPARE(crl.version(), 2);
        QStringList revoked = crl.revokedSerials();
        QStringList expected{Certificate::fromDer(m_client.der()).serialNumberHex(),
                             Certificate::fromDer(m_server.der()).serialNumberHex()};
        std::sort(revoked.begin(), revoked.end());
        std::sort(expected.begin(), expected.end());
        QCOMPARE(revoked, expected);
        QVERIFY(crl.nextUpdate() > QDateTime::currentDateTimeUtc().addDays(29));
        QVERIFY(crl.lastUpdate() < QDateTime::currentDateTimeUtc());
        QCOMPARE(crl.toDer(), crlDer(pem));
        QCOMPARE(crl.issuerNameHash() + u".r0"_s, TestPki::crlHashName(m_intermediate));

        auto fi = PkiLoader::inspectFile(path, FileRole::CrlFile);
        QVERIFY(fi);
        QCOMPARE(fi->kind, FileKind::Crl);
        QVERIFY(fi->fitsRole);
        QCOMPARE(fi->libpqCanRead, !der);
        QCOMPARE(fi->libpqCanRead, libpqLoads(path, FileRole::CrlFile));
        if (der) {
            QCOMPARE(fi->libpqProblem->code, u"pki.libpq-crl-ignored"_s);
            QVERIFY(fi->libpqProblem->explanation.contains(u"silently"));
        }
        // A CRL in the root field.
        auto asRoot = PkiLoader::inspectFile(path, FileRole::RootCertificates);
        QVERIFY(asRoot);
        QVERIFY(!asRoot->fitsRole);
        QVERIFY(asRoot->problem->message.contains(u"revocation list"));
    }

    void crlDirectory()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString good = TestPki::crlHashName(m_root);
        QVERIFY(TestPki::writeFile(dir.filePath(good), TestPki::crlPem(m_root, {m_intermediate})));
        // The intermediate's CRL, but binary: OpenSSL's directory lookup reads PEM only.
        const QString derName = TestPki::crlHashName(m_intermediate);
        QVERIFY(
            TestPki::writeFile(dir.filePath(derName), crlDer(TestPki::crlPem(m_intermediate, {m_client}))));
        // A gap: .r2 without .r1 is never read.
        const QString gap = TestPki::crlHashName(m_root, 2);
        QVERIFY(TestPki::writeFile(dir.filePath(gap), TestPki::crlPem(m_root, {})));
        // Named for another issuer.
        const TestCert other = TestPki::makeCert(TestPki::rootSpec(u"Other CA"_s));
        const QString misnamed = TestPki::crlHashName(other);
        QVERIFY(TestPki::writeFile(dir.filePath(misnamed), TestPki::crlPem(m_intermediate, {})));
        // Not a hashed name at all: ignored by OpenSSL.
        QVERIFY(TestPki::writeFile(dir.filePath(u"server.crl"_s), TestPki::crlPem(m_root, {})));

        auto contents = PkiLoader::loadCrlDirectory(dir.path());
        QVERIFY(contents);
        QCOMPARE(contents->otherFiles, QStringList{u"server.crl"_s});
        QCOMPARE(contents->entries.size(), 4);
        auto entry = [&](const QString& name) {
            for (const auto& e : contents->entries)
                if (e.fileName == name)
                    return e;
            return vf::pki::CrlDirectoryEntry{};
        };
        QVERIFY(entry(good).usedByOpenSsl);
        QVERIFY(!entry(good).problem);
        QVERIFY(!entry(derName).usedByOpenSsl);
        QCOMPARE(entry(derName).problem->code, u"pki.libpq-cannot-read"_s);
        QVERIFY(!entry(gap).usedByOpenSsl);
        QCOMPARE(entry(gap).problem->code, u"pki.crl-dir-gap"_s);
        QCOMPARE(entry(misnamed).problem->code, u"pki.crl-dir-wrong-hash"_s);
        QCOMPARE(contents->usableCrls().size(), 1 + 1); // root's .r0, and the misnamed one (loaded, useless)

        // Cross-check with OpenSSL's own hashed lookup, as libpq sets it up (sslcrldir).
        X509_STORE* store = X509_STORE_new();
        QCOMPARE(X509_STORE_load_locations(store, nullptr, QFile::encodeName(dir.path()).constData()), 1);
        X509_STORE_CTX* ctx = X509_STORE_CTX_new();
        X509_STORE_CTX_init(ctx, store, nullptr, nullptr);
        X509_OBJECT* obj = X509_OBJECT_new();
        const bool rootFound =
            X509_STORE_CTX_get_by_subject(ctx, X509_LU_CRL, X509_get_subject_name(m_root.x509()), obj) == 1;
        X509_OBJECT_free(obj);
        obj = X509_OBJECT_new();
        const bool intermediateFound =
            X509_STORE_CTX_get_by_subject(ctx, X509_LU_CRL, X509_get_subject_name(m_intermediate.x509()),
                                          obj) == 1;
        X509_OBJECT_free(obj);
        X509_STORE_CTX_free(ctx);
        X509_STORE_free(store);
        ERR_clear_error();
        QVERIFY(rootFound);
        QVERIFY(!intermediateFound);

        auto fi = PkiLoader::inspectFile(dir.path(), FileRole::CrlDirectory);
        QVERIFY(fi);
        QCOMPARE(fi->kind, FileKind::Directory);
        QVERIFY(fi->fitsRole);
        QVERIFY(fi->crlDirectory);
        QVERIFY(!fi->libpqProblem);
        QVERIFY(fi->warnings.size() >= 3);

        // A directory without hashed names: libpq would find no CRL at all.
        QTemporaryDir plain;
        QVERIFY(TestPki::writeFile(plain.filePath(u"root.crl"_s), TestPki::crlPem(m_root, {})));
        auto unhashed = PkiLoader::inspectFile(plain.path(), FileRole::CrlDirectory);
        QVERIFY(unhashed);
        QCOMPARE(unhashed->libpqProblem->code, u"pki.libpq-no-crl-found"_s);
        QVERIFY(std::any_of(unhashed->warnings.cbegin(), unhashed->warnings.cend(), [](const vf::Error& e) {
            return e.code == u"pki.crl-dir-not-hashed" && e.explanation.contains(u"openssl rehash");
        }));

        // A CRL file in the directory field, and a directory in the file field.
        auto fileAsDir = PkiLoader::inspectFile(plain.filePath(u"root.crl"_s), FileRole::CrlDirectory);
        QVERIFY(fileAsDir);
        QVERIFY(!fileAsDir->fitsRole);
        QCOMPARE(fileAsDir->kind, FileKind::Crl);
        QCOMPARE(fileAsDir->problem->code, u"pki.not-a-directory"_s);
        QVERIFY(fileAsDir->problem->explanation.contains(u"sslcrl"));
        auto dirAsFile = PkiLoader::inspectFile(plain.path(), FileRole::CrlFile);
        QVERIFY(!dirAsFile);
        QCOMPARE(dirAsFile.error().code, u"pki.is-directory"_s);
        QVERIFY(dirAsFile.error().explanation.contains(u"sslcrldir"));
        auto missingDir = PkiLoader::inspectFile(plain.filePath(u"nope"_s), FileRole::CrlDirectory);
        QVERIFY(!missingDir);
        QCOMPARE(missingDir.error().code, u"pki.file-missing"_s);
        QVERIFY(missingDir.error().explanation.contains(u"unable to get certificate CRL"));
    }

    void certificatesInCrlField()
    {
        // libpq loads it (and switches CRL checking on): a "wrong kind" with the consequence spelled out.
        const QString path = write(u"cert-as-crl.pem"_s, m_root.pem());
        auto fi = PkiLoader::inspectFile(path, FileRole::CrlFile);
        QVERIFY(fi);
        QVERIFY(!fi->fitsRole);
        QVERIFY(fi->libpqCanRead);
        QCOMPARE(fi->libpqCanRead, libpqLoads(path, FileRole::CrlFile));
        QVERIFY(fi->problem->explanation.contains(u"unable to get certificate CRL"));
        QCOMPARE(PkiLoader::loadCrls(path).error().code, u"pki.wrong-file-kind"_s);
    }

    // ---- Files in the wrong field ---------------------------------------------------------------

    void wrongField_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<FileRole>("role");
        QTest::addColumn<FileKind>("kind");
        QTest::addColumn<QString>("phrase"); // what the message must name

        const QByteArray csr = m_client.csrPem();
        const QByteArray pub = m_client.publicKeyPem();
        QTest::addRow("csr-as-client-cert")
            << csr << FileRole::ClientCertificate << FileKind::CertificateRequest
            << u"certificate signing request"_s;
        QTest::addRow("csr-as-root") << csr << FileRole::RootCertificates << FileKind::CertificateRequest
                                     << u"certificate signing request"_s;
        QTest::addRow("public-key-as-key")
            << pub << FileRole::ClientKey << FileKind::PublicKey << u"public key"_s;
        QTest::addRow("public-key-as-cert")
            << pub << FileRole::ClientCertificate << FileKind::PublicKey << u"public key"_s;
        QTest::addRow("cert-as-key") << m_client.pem() << FileRole::ClientKey << FileKind::Certificate
                                     << u"certificate"_s;
        QTest::addRow("der-cert-as-key")
            << m_client.der() << FileRole::ClientKey << FileKind::Certificate << u"certificate"_s;
        QTest::addRow("key-as-root") << m_client.keyBytes() << FileRole::RootCertificates
                                     << FileKind::PrivateKey << u"private key"_s;
        QTest::addRow("encrypted-key-as-cert")
            << m_client.keyBytes(KeyFormat::Pkcs8Pem, kPassphrase) << FileRole::ClientCertificate
            << FileKind::PrivateKey << u"encrypted private key"_s;
        QTest::addRow("der-key-as-cert")
            << m_client.keyBytes(KeyFormat::Pkcs8Der) << FileRole::ClientCertificate << FileKind::PrivateKey
            << u"private key"_s;
        QTest::addRow("crl-as-key") << TestPki::crlPem(m_root, {}) << FileRole::ClientKey << FileKind::Crl
                                    << u"revocation list"_s;
        QTest::addRow("pkcs7-as-key")
            << TestPki::pkcs7Pem({m_root}) << FileRole::ClientKey << FileKind::Pkcs7 << u"PKCS#7"_s;
        QTest::addRow("pkcs7-as-crl")
            << TestPki::pkcs7Der({m_root}) << FileRole::CrlFile << FileKind::Pkcs7 << u"PKCS#7"_s;
        QTest::addRow("openssh-key") << QByteArray("-----BEGIN OPENSSH PRIVATE KEY-----\n"
                                                   "b3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n"
                                                   "-----END OPENSSH PRIVATE KEY-----\n")
                                     << FileRole::ClientKey << FileKind::SshKey << u"SSH key"_s;
        QTest::addRow("ssh-public-key") << QByteArray("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBx user@host\n")
                                        << FileRole::ClientCertificate << FileKind::SshKey << u"SSH key"_s;
    }

    void wrongField()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(FileRole, role);
        QFETCH(QString, phrase);
        const QString path = write(u"wrong-%1"_s.arg(QString::fromLatin1(QTest::currentDataTag())), bytes);
        auto fi = PkiLoader::inspectFile(path, role);
        QVERIFY2(fi, qPrintable(fi ? QString() : fi.error().toString()));
        QTEST(fi->kind, "kind");
        QVERIFY(!fi->fitsRole);
        QVERIFY(fi->problem);
        QCOMPARE(fi->problem->code, u"pki.wrong-file-kind"_s);
        QVERIFY2(fi->problem->message.contains(phrase), qPrintable(fi->problem->message));
        QVERIFY(fi->problem->message.contains(path));
        QVERIFY(!fi->problem->explanation.isEmpty());
        QCOMPARE(fi->libpqCanRead, libpqLoads(path, role));

        // The matching loader refuses it with the same kind of message.
        if (role == FileRole::ClientKey) {
            auto key = PkiLoader::loadPrivateKey(path);
            QVERIFY(!key);
            QCOMPARE(key.error().code, u"pki.wrong-file-kind"_s);
        } else if (role == FileRole::CrlFile) {
            QVERIFY(!PkiLoader::loadCrls(path));
        } else {
            auto certs = PkiLoader::loadCertificates(path);
            QVERIFY(!certs);
            QVERIFY(certs.error().code == u"pki.wrong-file-kind" ||
                    certs.error().code == u"pki.no-certificate");
        }
    }

    void inspectionDetails()
    {
        auto csr = PkiLoader::inspectData(m_client.csrPem(), FileRole::Any);
        QVERIFY(csr);
        QVERIFY(csr->fitsRole);
        QCOMPARE(csr->requestSubject, u"CN=alice"_s);
        QCOMPARE(csr->publicKeyType, u"EC"_s);
        QCOMPARE(csr->publicKeyBits, 256);

        auto enc =
            PkiLoader::inspectData(m_client.keyBytes(KeyFormat::TraditionalPem, kPassphrase), FileRole::Any);
        QVERIFY(enc);
        QCOMPARE(enc->privateKeyType, u"EC"_s); // known from the PEM label without decrypting
        QCOMPARE(enc->privateKeyFormat, PrivateKey::Format::Sec1);
        auto enc8 =
            PkiLoader::inspectData(m_client.keyBytes(KeyFormat::Pkcs8Pem, kPassphrase), FileRole::Any);
        QVERIFY(enc8);
        QVERIFY(enc8->privateKeyType.isEmpty()); // hidden by PKCS#8 encryption
        auto opened = PkiLoader::inspectData(m_client.keyBytes(KeyFormat::Pkcs8Pem, kPassphrase),
                                             FileRole::Any, kPassphrase);
        QVERIFY(opened);
        QCOMPARE(opened->privateKeyType, u"EC"_s);

        QCOMPARE(PkiLoader::kindDescription(FileKind::Pkcs12), u"a PKCS#12 bundle (.p12/.pfx)"_s);
        QVERIFY(PkiLoader::roleDescription(FileRole::ClientKey).startsWith(u"sslkey"));
    }
};

QTEST_GUILESS_MAIN(TestPkiLoader)
#include "tst_pkiloader.moc"
