// TlsClient against an in-memory OpenSSL server: libpq's initialize_SSL() rules and messages, the
// chain captured when verification fails, client-certificate facts, passphrases, channel-binding hash.

#include "TestPki.h"
#include "tls/TlsClient.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

using namespace vf::test;
using vf::tls::TlsClient;
using vf::tls::TlsConfig;

namespace {

struct ScriptedPassphrase final : vf::tls::PassphraseProvider
{
    std::optional<QByteArray> answer;
    int asked = 0;
    std::optional<QByteArray> passphraseFor(const QString&) override
    {
        ++asked;
        return answer;
    }
};

int selectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*)
{
    static const unsigned char pg[] = "\x0apostgresql";
    unsigned char* selected = nullptr;
    if (SSL_select_next_proto(&selected, outlen, pg, sizeof pg - 1, in, inlen) != OPENSSL_NPN_NEGOTIATED)
        return SSL_TLSEXT_ERR_ALERT_FATAL;
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

// A TLS server in memory, like PostgreSQL's be_tls_init(): chain file, key, optional client CA.
class MemoryServer
{
public:
    MemoryServer(const QList<TestCert>& chain, const TestCert* clientCa = nullptr, int maxVersion = 0)
    {
        m_ctx = SSL_CTX_new(TLS_server_method());
        SSL_CTX_use_certificate(m_ctx, chain.first().x509());
        for (int i = 1; i < chain.size(); ++i)
            SSL_CTX_add1_chain_cert(m_ctx, chain.at(i).x509());
        SSL_CTX_use_PrivateKey(m_ctx, chain.first().key());
        SSL_CTX_set_alpn_select_cb(m_ctx, selectAlpn, nullptr);
        if (maxVersion)
            SSL_CTX_set_max_proto_version(m_ctx, maxVersion);
        if (clientCa) {
            X509_STORE_add_cert(SSL_CTX_get_cert_store(m_ctx), clientCa->x509());
            STACK_OF(X509_NAME)* names = sk_X509_NAME_new_null();
            sk_X509_NAME_push(names, X509_NAME_dup(X509_get_subject_name(clientCa->x509())));
            SSL_CTX_set_client_CA_list(m_ctx, names);
            SSL_CTX_set_verify(m_ctx, SSL_VERIFY_PEER | SSL_VERIFY_CLIENT_ONCE, nullptr);
        }
        m_ssl = SSL_new(m_ctx);
        m_in = BIO_new(BIO_s_mem());
        m_out = BIO_new(BIO_s_mem());
        BIO_set_mem_eof_return(m_in, -1);
        SSL_set_bio(m_ssl, m_in, m_out);
        SSL_set_accept_state(m_ssl);
    }
    ~MemoryServer()
    {
        SSL_free(m_ssl);
        SSL_CTX_free(m_ctx);
    }
    Q_DISABLE_COPY_MOVE(MemoryServer)

    // Runs the handshake to its end; returns the client's last step.
    TlsClient::Step run(TlsClient& client)
    {
        TlsClient::Step step = TlsClient::Step::NeedIO;
        for (int i = 0; i < 50; ++i) {
            step = client.handshake();
            const QByteArray toServer = client.takeToNetwork();
            if (!toServer.isEmpty())
                BIO_write(m_in, toServer.constData(), int(toServer.size()));
            SSL_do_handshake(m_ssl);
            ERR_clear_error();
            char* data = nullptr;
            const long len = BIO_get_mem_data(m_out, &data);
            if (len > 0) {
                client.feedFromNetwork(QByteArrayView(data, len));
                (void)BIO_reset(m_out);
            }
            if (step != TlsClient::Step::NeedIO && len <= 0 && toServer.isEmpty())
                break;
        }
        return step;
    }

private:
    SSL_CTX* m_ctx = nullptr;
    SSL* m_ssl = nullptr;
    BIO* m_in = nullptr;
    BIO* m_out = nullptr;
};

struct Pki
{
    TestCert root = TestPki::makeCert(TestPki::rootSpec(QStringLiteral("Corp Root 2023")));
    TestCert inter = TestPki::makeCert(TestPki::intermediateSpec(QStringLiteral("Corp Issuing CA")), &root);
    TestCert server = TestPki::makeCert(
        TestPki::serverSpec(QStringLiteral("db.example.com"), {QStringLiteral("db.example.com")}), &inter);
    TestCert client = TestPki::makeCert(TestPki::clientSpec(QStringLiteral("alice")), &root);
    TestCert otherRoot = TestPki::makeCert(TestPki::rootSpec(QStringLiteral("Corp Root 2019")));
};

} // namespace

class TestTlsClient : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Pki> m_pki;

    QString write(const QString& name, const QByteArray& data, int mode = 0600)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        TestPki::chmod(path, mode);
        return path;
    }

    TlsConfig baseConfig() const
    {
        TlsConfig c;
        c.sslmode = QStringLiteral("verify-full");
        c.host = QStringLiteral("db.example.com");
        c.homeDirectory = m_dir.filePath(QStringLiteral("home"));
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_pki = std::make_unique<Pki>();
    }

    void verifiedHandshake()
    {
        TlsConfig c = baseConfig();
        c.sslrootcert = write(QStringLiteral("root.crt"), m_pki->root.pem());
        auto client = TlsClient::create(c, nullptr);
        QVERIFY2(client.has_value(), client ? "" : qPrintable(client.error().message));
        MemoryServer server({m_pki->server, m_pki->inter});
        QCOMPARE(server.run(**client), TlsClient::Step::Done);
        const auto& f = (*client)->facts();
        QCOMPARE(f.protocol, QStringLiteral("TLSv1.3"));
        QCOMPARE(f.alpn, QStringLiteral("postgresql"));
        QCOMPARE(f.sniSent, QStringLiteral("db.example.com"));
        QVERIFY(f.verificationEnabled);
        QVERIFY(!f.cipher.isEmpty());
        QVERIFY(f.cipherBits >= 128);
        QCOMPARE(f.presentedChain.size(), 2);
        QCOMPARE(f.presentedChain.at(0).commonName(), QStringLiteral("db.example.com"));
        QCOMPARE(f.presentedChain.at(1).commonName(), QStringLiteral("Corp Issuing CA"));
        QVERIFY(!f.clientCertificateRequested);
        // Application data both ways.
        QVERIFY((*client)->write("hello").has_value());
    }

    void wrongRootFailsButChainIsCaptured()
    {
        TlsConfig c = baseConfig();
        c.sslrootcert = write(QStringLiteral("other.crt"), m_pki->otherRoot.pem());
        auto client = TlsClient::create(c, nullptr);
        QVERIFY(client.has_value());
        MemoryServer server({m_pki->server, m_pki->inter});
        QCOMPARE(server.run(**client), TlsClient::Step::Failed);
        QCOMPARE((*client)->error().message, QStringLiteral("SSL error: certificate verify failed"));
        QCOMPARE((*client)->error().code, QStringLiteral("tls.verify-failed"));
        const auto& f = (*client)->facts();
        QCOMPARE(f.presentedChain.size(), 2);
        QCOMPARE(f.verifyErrorString, QStringLiteral("unable to get local issuer certificate"));
        QCOMPARE(f.verifyErrorDepth, 1);
    }

    void requireWithoutRootDoesNotVerify()
    {
        TlsConfig c = baseConfig();
        c.sslmode = QStringLiteral("require");
        auto client = TlsClient::create(c, nullptr);
        QVERIFY(client.has_value());
        MemoryServer server({m_pki->server});
        QCOMPARE(server.run(**client), TlsClient::Step::Done);
        QVERIFY(!(*client)->facts().verificationEnabled);
    }

    void requireWithDefaultRootFileVerifies()
    {
        // The legacy rule: ~/.postgresql/root.crt turns require into verify-ca.
        QTemporaryDir home;
        QDir(home.path()).mkpath(QStringLiteral(".postgresql"));
        TestPki::writeFile(home.filePath(QStringLiteral(".postgresql/root.crt")), m_pki->otherRoot.pem());
        TlsConfig c = baseConfig();
        c.sslmode = QStringLiteral("require");
        c.homeDirectory = home.path();
        auto client = TlsClient::create(c, nullptr);
        QVERIFY(client.has_value());
        QVERIFY((*client)->facts().verificationEnabled);
        MemoryServer server({m_pki->server, m_pki->inter});
        QCOMPARE(server.run(**client), TlsClient::Step::Failed);
        QCOMPARE((*client)->error().message, QStringLiteral("SSL error: certificate verify failed"));
    }

    void initializeErrors_data()
    {
        QTest::addColumn<QString>("sslmode");
        QTest::addColumn<QString>("rootcert");
        QTest::addColumn<QString>("expected");
        const QString hint =
            QStringLiteral("\nEither provide the file, use the system's trusted roots with "
                           "sslrootcert=system, or change sslmode to disable server certificate "
                           "verification.");
        QTest::addRow("verify-full missing root")
            << QStringLiteral("verify-full") << QStringLiteral("/nonexistent/root.crt")
            << QStringLiteral("root certificate file \"/nonexistent/root.crt\" does not exist") + hint;
        QTest::addRow("verify-ca default root")
            << QStringLiteral("verify-ca") << QString()
            << QStringLiteral("root certificate file \"%1/home/.postgresql/root.crt\" does not exist") + hint;
        QTest::addRow("directory as root")
            << QStringLiteral("verify-ca") << QStringLiteral("DIR")
            << QStringLiteral("could not read root certificate file \"DIR\": ");
        QTest::addRow("bad min version")
            << QStringLiteral("require") << QStringLiteral("MIN")
            << QStringLiteral("invalid value \"TLSv9\" for minimum SSL protocol version");
    }
    void initializeErrors()
    {
        QFETCH(QString, sslmode);
        QFETCH(QString, rootcert);
        QFETCH(QString, expected);
        TlsConfig c = baseConfig();
        c.sslmode = sslmode;
        if (rootcert == u"DIR") {
            rootcert = m_dir.path();
            expected.replace(u"DIR"_qs, rootcert);
        } else if (rootcert == u"MIN") {
            c.minProtocol = QStringLiteral("TLSv9");
            rootcert.clear();
        }
        c.sslrootcert = rootcert;
        expected.replace(u"%1"_qs, m_dir.path());
        auto client = TlsClient::create(c, nullptr);
        QVERIFY(!client.has_value());
        QVERIFY2(client.error().message.startsWith(expected), qPrintable(client.error().message));
    }

    void clientCertificateAndKeyRules()
    {
        const QString cert = write(QStringLiteral("client.crt"), m_pki->client.pem());
        const QString key = write(QStringLiteral("client.key"), m_pki->client.keyBytes());
        const QString openKey = write(QStringLiteral("open.key"), m_pki->client.keyBytes(), 0644);
        const QString encKey =
            write(QStringLiteral("enc.key"), m_pki->client.keyBytes(KeyFormat::Pkcs8Pem, "s3cret"));
        const QString derKey = write(QStringLiteral("der.key"), m_pki->client.keyBytes(KeyFormat::Pkcs8Der));
        const QString otherKey = write(QStringLiteral("other.key"), m_pki->server.keyBytes());
        TlsConfig c = baseConfig();
        c.sslrootcert = write(QStringLiteral("root.crt"), m_pki->root.pem());
        c.sslcert = cert;

        // Wrong permissions: libpq's exact message, before the key is even read.
        c.sslkey = openKey;
        auto perm = TlsClient::create(c, nullptr);
        QVERIFY(!perm.has_value());
        QCOMPARE(
            perm.error().message,
            QStringLiteral("private key file \"%1\" has group or world access; file must have permissions "
                           "u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) "
                           "or less if owned by root")
                .arg(openKey));

        c.sslkey = m_dir.filePath(QStringLiteral("missing.key"));
        auto missing = TlsClient::create(c, nullptr);
        QCOMPARE(missing.error().message,
                 QStringLiteral("certificate present, but not private key file \"%1\"").arg(c.sslkey));

        c.sslkey = otherKey;
        auto mismatch = TlsClient::create(c, nullptr);
        QVERIFY(!mismatch.has_value());
        QVERIFY2(mismatch.error().message.contains(u"key values mismatch"),
                 qPrintable(mismatch.error().message));

        // DER keys load on libpq's second try.
        c.sslkey = derKey;
        QVERIFY(TlsClient::create(c, nullptr).has_value());

        // Encrypted key: sslpassword, then the person, asked once; a wrong one is libpq's bad decrypt.
        c.sslkey = encKey;
        // What OpenSSL says for a passphrase: usually "bad decrypt", but about 1 in 256 wrong passphrases
        // decrypt to garbage with valid padding and end in an ASN.1 error. Both are a wrong passphrase.
        auto reasonFor = [&](const QByteArray& pass) {
            QFile f(encKey);
            if (!f.open(QIODevice::ReadOnly))
                return QString();
            const QByteArray pem = f.readAll();
            BIO* bio = BIO_new_mem_buf(pem.constData(), int(pem.size()));
            ERR_clear_error();
            EVP_PKEY* k = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, const_cast<char*>(pass.constData()));
            const unsigned long e = ERR_peek_error();
            EVP_PKEY_free(k);
            BIO_free(bio);
            ERR_clear_error();
            const char* r = e ? ERR_reason_error_string(e) : nullptr;
            return r ? QString::fromLatin1(r) : QString();
        };
        QByteArray badDecrypt;
        QByteArray otherReason;
        for (int i = 0; i < 5000 && (badDecrypt.isEmpty() || otherReason.isEmpty()); ++i) {
            const QByteArray pass = "wrong-" + QByteArray::number(i);
            const QString reason = reasonFor(pass);
            if (reason == u"bad decrypt" && badDecrypt.isEmpty())
                badDecrypt = pass;
            else if (!reason.isEmpty() && reason != u"bad decrypt" && otherReason.isEmpty())
                otherReason = pass;
        }
        QVERIFY(!badDecrypt.isEmpty());
        c.sslpassword = badDecrypt;
        auto wrong = TlsClient::create(c, nullptr);
        QVERIFY(!wrong.has_value());
        QCOMPARE(wrong.error().code, QStringLiteral("tls.key-passphrase"));
        QCOMPARE(wrong.error().message,
                 QStringLiteral("could not load private key file \"%1\": bad decrypt").arg(encKey));
        QVERIFY(!wrong.error().toString().contains(QString::fromLatin1(badDecrypt)));
        QVERIFY(!otherReason.isEmpty()); // expected after ~256 tries; 5000 fail with p < 1e-8
        c.sslpassword = otherReason;
        auto garbage = TlsClient::create(c, nullptr);
        QVERIFY(!garbage.has_value());
        QCOMPARE(garbage.error().code, QStringLiteral("tls.key-passphrase"));
        QVERIFY2(!garbage.error().message.endsWith(u"bad decrypt"), qPrintable(garbage.error().message));
        c.sslpassword.clear();
        ScriptedPassphrase person;
        person.answer = QByteArray("s3cret");
        auto asked = TlsClient::create(c, &person);
        QVERIFY2(asked.has_value(), asked ? "" : qPrintable(asked.error().message));
        QCOMPARE(person.asked, 1);

        // The server asks for a certificate and gets ours.
        c.sslkey = key;
        auto client = TlsClient::create(c, nullptr);
        QVERIFY(client.has_value());
        MemoryServer server({m_pki->server, m_pki->inter}, &m_pki->root);
        QCOMPARE(server.run(**client), TlsClient::Step::Done);
        QVERIFY((*client)->facts().clientCertificateRequested);
        QVERIFY((*client)->facts().clientCertificateSent);

        // sslcertmode=disable never loads it.
        c.sslcertmode = QStringLiteral("disable");
        auto disabled = TlsClient::create(c, nullptr);
        MemoryServer server2({m_pki->server, m_pki->inter}, &m_pki->root);
        QCOMPARE(server2.run(**disabled), TlsClient::Step::Done);
        QVERIFY((*disabled)->facts().clientCertificateRequested);
        QVERIFY(!(*disabled)->facts().clientCertificateSent);
    }

    void protocolBoundsMessage()
    {
        TlsConfig c = baseConfig();
        c.sslmode = QStringLiteral("require");
        c.minProtocol = QStringLiteral("TLSv1.3");
        auto client = TlsClient::create(c, nullptr);
        MemoryServer server({m_pki->server}, nullptr, TLS1_2_VERSION);
        QCOMPARE(server.run(**client), TlsClient::Step::Failed);
        const QString msg = (*client)->error().message;
        QVERIFY2(msg.startsWith(u"SSL error: "), qPrintable(msg));
        QVERIFY2(
            msg.endsWith(u"\nThis may indicate that the server does not support any SSL protocol version "
                         "between TLSv1.3 and TLSv1.3."),
            qPrintable(msg));
    }

    void sniRule_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("sni");
        QTest::addRow("name") << QStringLiteral("db.example.com") << true;
        QTest::addRow("ipv4") << QStringLiteral("192.0.2.1") << false;
        QTest::addRow("ipv6") << QStringLiteral("2001:db8::1") << false;
        QTest::addRow("hex ipv4 gets sni") << QStringLiteral("0xc0.0.2.1") << true;
        QTest::addRow("digits") << QStringLiteral("3221225985") << false;
        QTest::addRow("empty") << QString() << false;
    }
    void sniRule()
    {
        QFETCH(QString, host);
        QFETCH(bool, sni);
        QCOMPARE(TlsClient::sniAllowedFor(host), sni);
    }

    void endPointHash()
    {
        const auto sha256 = TlsClient::endPointHash(vf::pki::Certificate::fromDer(m_pki->server.der()));
        QVERIFY(sha256.has_value());
        QCOMPARE(*sha256, QCryptographicHash::hash(m_pki->server.der(), QCryptographicHash::Sha256));

        CertSpec sha1Spec = TestPki::serverSpec(QStringLiteral("old"));
        sha1Spec.digest = "SHA1";
        sha1Spec.keyType = KeyType::Rsa2048;
        const TestCert sha1Cert = TestPki::makeCert(sha1Spec);
        const auto upgraded = TlsClient::endPointHash(vf::pki::Certificate::fromDer(sha1Cert.der()));
        QVERIFY(upgraded.has_value());
        QCOMPARE(*upgraded, QCryptographicHash::hash(sha1Cert.der(), QCryptographicHash::Sha256));

        CertSpec sha384Spec = TestPki::serverSpec(QStringLiteral("p384"));
        sha384Spec.digest = "SHA384";
        const TestCert sha384Cert = TestPki::makeCert(sha384Spec);
        QCOMPARE(*TlsClient::endPointHash(vf::pki::Certificate::fromDer(sha384Cert.der())),
                 QCryptographicHash::hash(sha384Cert.der(), QCryptographicHash::Sha384));

        CertSpec edSpec = TestPki::serverSpec(QStringLiteral("ed"));
        edSpec.keyType = KeyType::Ed25519;
        const TestCert ed = TestPki::makeCert(edSpec);
        const auto none = TlsClient::endPointHash(vf::pki::Certificate::fromDer(ed.der()));
        QVERIFY(!none.has_value());
        QVERIFY2(none.error().message.startsWith(u"could not find digest for NID"),
                 qPrintable(none.error().message));
    }
};

QTEST_GUILESS_MAIN(TestTlsClient)
#include "tst_tlsclient.moc"
