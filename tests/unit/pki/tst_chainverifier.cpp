// Chain verification as libpq lets OpenSSL do it. The verdicts are checked against fixed expectations and,
// independently of the code under test, against a real TLS handshake in memory that is set up the way
// libpq's initialize_SSL() sets up its client (SSL_VERIFY_PEER, pass-through callback, root file, CRLs).

#include "TestPki.h"
#include "pki/ChainVerifier.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

#include <unistd.h>

using namespace Qt::StringLiterals;
using vf::pki::Certificate;
using vf::pki::ChainEntry;
using vf::pki::ChainRole;
using vf::pki::ChainStatus;
using vf::pki::ChainVerification;
using vf::pki::ChainVerifier;
using vf::test::CertSpec;
using vf::test::KeyType;
using vf::test::TestCert;
using vf::test::TestPki;

namespace {

// One scenario: what the server presents (with the leaf's key, for the handshake) and the client's files.
struct Scenario
{
    QList<QByteArray> presentedDer; // leaf first
    std::shared_ptr<EVP_PKEY> leafKey;
    QString rootFile;
    QString crlFile;
    QString crlDir;
    qint64 timeOffset = 0; // seconds from now; 0: the current time
    ChainVerifier::Purpose purpose = ChainVerifier::Purpose::SslServer;
};

} // namespace

Q_DECLARE_METATYPE(Scenario)

namespace {

Certificate cert(const TestCert& c)
{
    return Certificate::fromDer(c.der());
}

QList<Certificate> certs(const QList<QByteArray>& ders)
{
    QList<Certificate> out;
    for (const QByteArray& der : ders)
        out << Certificate::fromDer(der);
    return out;
}

X509* x509FromDer(const QByteArray& der)
{
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    return d2i_X509(nullptr, &p, long(der.size()));
}

// The verify result a real client gets in a TLS handshake with libpq's settings.
long handshakeVerifyResult(const Scenario& s)
{
    SSL_CTX* server = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_security_level(server, 0); // let the server use whatever it is given
    X509* leaf = x509FromDer(s.presentedDer.first());
    SSL_CTX_use_certificate(server, leaf);
    X509_free(leaf);
    for (qsizetype i = 1; i < s.presentedDer.size(); ++i) {
        X509* x = x509FromDer(s.presentedDer.at(i));
        SSL_CTX_add1_chain_cert(server, x);
        X509_free(x);
    }
    SSL_CTX_use_PrivateKey(server, s.leafKey.get());

    SSL_CTX* client = SSL_CTX_new(TLS_client_method());
    SSL_CTX_load_verify_locations(client, QFile::encodeName(s.rootFile).constData(), nullptr);
    if (!s.crlFile.isEmpty() || !s.crlDir.isEmpty()) {
        const QByteArray f = QFile::encodeName(s.crlFile);
        const QByteArray d = QFile::encodeName(s.crlDir);
        X509_STORE* store = SSL_CTX_get_cert_store(client);
        if (X509_STORE_load_locations(store, s.crlFile.isEmpty() ? nullptr : f.constData(),
                                      s.crlDir.isEmpty() ? nullptr : d.constData()) == 1)
            X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    }
    if (s.timeOffset != 0)
        X509_VERIFY_PARAM_set_time(SSL_CTX_get0_param(client), time(nullptr) + s.timeOffset);
    ERR_clear_error();

    SSL* c = SSL_new(client);
    SSL* srv = SSL_new(server);
    SSL_set_verify(c, SSL_VERIFY_PEER, [](int ok, X509_STORE_CTX*) { return ok; });
    BIO* cb = nullptr;
    BIO* sb = nullptr;
    BIO_new_bio_pair(&cb, 0, &sb, 0);
    SSL_set_bio(c, cb, cb);
    SSL_set_bio(srv, sb, sb);
    SSL_set_connect_state(c);
    SSL_set_accept_state(srv);
    for (int i = 0; i < 20; ++i) {
        const int rc = SSL_do_handshake(c);
        const int rs = SSL_do_handshake(srv);
        if (rc == 1 && rs == 1)
            break;
        const int ec = SSL_get_error(c, rc);
        if (rc <= 0 && ec != SSL_ERROR_WANT_READ && ec != SSL_ERROR_WANT_WRITE)
            break;
    }
    const long result = SSL_get_verify_result(c);
    SSL_free(c);
    SSL_free(srv);
    SSL_CTX_free(client);
    SSL_CTX_free(server);
    ERR_clear_error();
    return result;
}

QByteArray tamperSignature(QByteArray der)
{
    der[der.size() - 1] = char(der.at(der.size() - 1) ^ 0x01);
    return der;
}

const ChainEntry* entryAt(const ChainVerification& v, int depth)
{
    for (const ChainEntry& e : v.chain) {
        if (e.depth == depth)
            return &e;
    }
    return nullptr;
}

} // namespace

class TestChainVerifier : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_inter;
    TestCert m_leaf;
    TestCert m_otherRoot;

    QString file(const QString& name) const { return m_dir.filePath(name); }

    bool write(const QString& name, const QByteArray& data) const
    {
        return TestPki::writeFile(file(name), data);
    }

    ChainVerifier verifierFor(const Scenario& s) const
    {
        ChainVerifier v;
        v.setRootFile(s.rootFile);
        v.setCrlFile(s.crlFile);
        v.setCrlDirectory(s.crlDir);
        v.setPurpose(s.purpose);
        if (s.timeOffset != 0)
            v.setVerificationTime(QDateTime::currentDateTimeUtc().addSecs(s.timeOffset));
        return v;
    }

    Scenario scenario(const QList<TestCert>& presented, const QString& rootName) const
    {
        Scenario s;
        for (const TestCert& c : presented)
            s.presentedDer << c.der();
        EVP_PKEY* key = presented.first().key();
        EVP_PKEY_up_ref(key);
        s.leafKey = std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
        s.rootFile = file(rootName);
        return s;
    }

    // The shared PKI; also made when only the data functions run (tst_chainverifier -datatags).
    void makePki()
    {
        if (!m_root.isNull())
            return;
        QVERIFY(m_dir.isValid());
        m_root = TestPki::makeCert(TestPki::rootSpec(u"Test Root CA"_s));
        m_inter = TestPki::makeCert(TestPki::intermediateSpec(u"Test Intermediate CA"_s), &m_root);
        m_leaf = TestPki::makeCert(TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s}), &m_inter);
        m_otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Other Root CA"_s));
        QVERIFY(write(u"root.crt"_s, m_root.pem()));
        QVERIFY(write(u"root+inter.crt"_s, m_inter.pem() + m_root.pem())); // any order
        QVERIFY(write(u"inter.crt"_s, m_inter.pem()));
        QVERIFY(write(u"other.crt"_s, m_otherRoot.pem()));

        // CRLs: the root's (revoking nothing) and the intermediate's (revoking the leaf).
        const QByteArray rootCrl = TestPki::crlPem(m_root, {});
        const QByteArray interCrlRevoking = TestPki::crlPem(m_inter, {m_leaf});
        const QByteArray interCrlEmpty = TestPki::crlPem(m_inter, {});
        QVERIFY(write(u"all-revoking.crl"_s, rootCrl + interCrlRevoking));
        QVERIFY(write(u"all-clean.crl"_s, rootCrl + interCrlEmpty));
        QVERIFY(write(u"inter-only.crl"_s, interCrlEmpty));
        QVERIFY(QDir().mkpath(file(u"crldir"_s)));
        QVERIFY(write(u"crldir/"_s + TestPki::crlHashName(m_root), rootCrl));
        QVERIFY(write(u"crldir/"_s + TestPki::crlHashName(m_inter), interCrlRevoking));
    }

private Q_SLOTS:
    void initTestCase() { makePki(); }

    void verdict_data()
    {
        makePki();
        QTest::addColumn<Scenario>("s");
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("depth");

        const QString root = u"root.crt"_s;
        QTest::newRow("good chain") << scenario({m_leaf, m_inter}, root) << X509_V_OK << -1;
        QTest::newRow("intermediate from root file")
            << scenario({m_leaf}, u"root+inter.crt"_s) << X509_V_OK << -1;
        QTest::newRow("presented in odd order with root")
            << scenario({m_leaf, m_root, m_inter}, root) << X509_V_OK << -1;
        QTest::newRow("intermediate missing everywhere")
            << scenario({m_leaf}, root) << X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY << 0;
        QTest::newRow("intermediate-only anchor")
            << scenario({m_leaf, m_inter}, u"inter.crt"_s) << X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT << 1;
        QTest::newRow("wrong root") << scenario({m_leaf, m_inter}, u"other.crt"_s)
                                    << X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY << 1;
        QTest::newRow("wrong root, root presented") << scenario({m_leaf, m_inter, m_root}, u"other.crt"_s)
                                                    << X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN << 2;

        // Validity, with the clock moved.
        Scenario later = scenario({m_leaf, m_inter}, root);
        later.timeOffset = 2LL * 365 * 86400; // leaf: 1 year, intermediate: 5, root: 10
        QTest::newRow("expired leaf (clock +2y)") << later << X509_V_ERR_CERT_HAS_EXPIRED << 0;
        Scenario muchLater = later;
        muchLater.timeOffset = 6LL * 365 * 86400;
        QTest::newRow("expired intermediate and leaf (clock +6y)")
            << muchLater << X509_V_ERR_CERT_HAS_EXPIRED << 1;
        Scenario earlier = later;
        earlier.timeOffset = -2 * 86400;
        QTest::newRow("not yet valid (clock -2d)") << earlier << X509_V_ERR_CERT_NOT_YET_VALID << 2;

        CertSpec expiredInterSpec = TestPki::intermediateSpec(u"Expired Intermediate"_s);
        expiredInterSpec.notBeforeOffset = -10 * 86400;
        expiredInterSpec.notAfterOffset = -86400;
        const TestCert expiredInter = TestPki::makeCert(expiredInterSpec, &m_root);
        const TestCert leafOfExpired =
            TestPki::makeCert(TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s}), &expiredInter);
        QTest::newRow("expired intermediate")
            << scenario({leafOfExpired, expiredInter}, root) << X509_V_ERR_CERT_HAS_EXPIRED << 1;
        CertSpec futureSpec = TestPki::serverSpec(u"db.example.com"_s);
        futureSpec.notBeforeOffset = 86400;
        const TestCert future = TestPki::makeCert(futureSpec, &m_inter);
        QTest::newRow("leaf not yet valid")
            << scenario({future, m_inter}, root) << X509_V_ERR_CERT_NOT_YET_VALID << 0;
        Scenario futureLater = scenario({future, m_inter}, root);
        futureLater.timeOffset = 2 * 86400;
        QTest::newRow("leaf valid at injected time") << futureLater << X509_V_OK << -1;

        // CRLs and libpq's quirks.
        Scenario crlFile = scenario({m_leaf, m_inter}, root);
        crlFile.crlFile = file(u"all-revoking.crl"_s);
        QTest::newRow("revoked via CRL file") << crlFile << X509_V_ERR_CERT_REVOKED << 0;
        Scenario clean = crlFile;
        clean.crlFile = file(u"all-clean.crl"_s);
        QTest::newRow("CRLs of every CA, none revoking") << clean << X509_V_OK << -1;
        Scenario crlDir = scenario({m_leaf, m_inter}, root);
        crlDir.crlDir = file(u"crldir"_s);
        QTest::newRow("revoked via CRL dir") << crlDir << X509_V_ERR_CERT_REVOKED << 0;
        Scenario oneCa = scenario({m_leaf, m_inter}, root);
        oneCa.crlFile = file(u"inter-only.crl"_s);
        QTest::newRow("CRL of one CA only") << oneCa << X509_V_ERR_UNABLE_TO_GET_CRL << 1;
        Scenario missingFile = crlDir;
        missingFile.crlFile = file(u"missing.crl"_s);
        QTest::newRow("missing sslcrl disables sslcrldir") << missingFile << X509_V_OK << -1;
        Scenario missingDir = crlFile;
        missingDir.crlDir = file(u"no-such-dir"_s);
        QTest::newRow("valid sslcrl, missing sslcrldir") << missingDir << X509_V_ERR_CERT_REVOKED << 0;
        Scenario onlyMissingDir = scenario({m_leaf, m_inter}, root);
        onlyMissingDir.crlDir = file(u"no-such-dir"_s);
        QTest::newRow("missing sslcrldir alone still turns CRL checks on")
            << onlyMissingDir << X509_V_ERR_UNABLE_TO_GET_CRL << 0;
        Scenario crlIsDir = crlDir;
        crlIsDir.crlFile = file(u"crldir"_s);
        QTest::newRow("sslcrl is a directory") << crlIsDir << X509_V_OK << -1;

        // OpenSSL's file lookup loads certificates and CRLs from either file.
        QVERIFY(write(u"crl-with-root.crl"_s,
                      m_root.pem() + TestPki::crlPem(m_root, {}) + TestPki::crlPem(m_inter, {})));
        Scenario certInCrlFile = scenario({m_leaf, m_inter}, u"other.crt"_s);
        certInCrlFile.crlFile = file(u"crl-with-root.crl"_s);
        QTest::newRow("certificate in the CRL file becomes trusted") << certInCrlFile << X509_V_OK << -1;
        QVERIFY(write(u"root-with-crls.crt"_s,
                      m_root.pem() + TestPki::crlPem(m_root, {}) + TestPki::crlPem(m_inter, {m_leaf})));
        QTest::newRow("CRLs in the root file alone are not checked")
            << scenario({m_leaf, m_inter}, u"root-with-crls.crt"_s) << X509_V_OK << -1;
        QVERIFY(write(u"root-only.crl"_s, TestPki::crlPem(m_root, {})));
        Scenario rootFileCrls = scenario({m_leaf, m_inter}, u"root-with-crls.crt"_s);
        rootFileCrls.crlFile = file(u"root-only.crl"_s);
        QTest::newRow("CRLs in the root file count once sslcrl loads")
            << rootFileCrls << X509_V_ERR_CERT_REVOKED << 0;
        QVERIFY(write(u"expired.crl"_s,
                      TestPki::crlPem(m_root, {}) + TestPki::crlPem(m_inter, {}, -10 * 86400, -86400)));
        Scenario expiredCrl = scenario({m_leaf, m_inter}, root);
        expiredCrl.crlFile = file(u"expired.crl"_s);
        QTest::newRow("expired CRL") << expiredCrl << X509_V_ERR_CRL_HAS_EXPIRED << 0;

        // Purpose, key usage, signatures.
        const TestCert clientOnly = TestPki::makeCert(TestPki::clientSpec(u"db.example.com"_s), &m_inter);
        QTest::newRow("clientAuth-only leaf as server")
            << scenario({clientOnly, m_inter}, root) << X509_V_ERR_INVALID_PURPOSE << 0;
        CertSpec noCertSignSpec = TestPki::intermediateSpec(u"No CertSign CA"_s);
        noCertSignSpec.keyUsage = u"critical,digitalSignature,cRLSign"_s;
        const TestCert noCertSign = TestPki::makeCert(noCertSignSpec, &m_root);
        const TestCert leafOfNoCertSign = TestPki::makeCert(TestPki::serverSpec(u"db"_s), &noCertSign);
        QTest::newRow("CA without keyCertSign")
            << scenario({leafOfNoCertSign, noCertSign}, root) << X509_V_ERR_INVALID_CA << 1;
        CertSpec notCaSpec = TestPki::serverSpec(u"Not a CA"_s);
        notCaSpec.keyUsage = u"critical,digitalSignature,keyCertSign"_s;
        const TestCert notCa = TestPki::makeCert(notCaSpec, &m_root);
        const TestCert leafOfNotCa = TestPki::makeCert(TestPki::serverSpec(u"db"_s), &notCa);
        QTest::newRow("issuer with CA:FALSE")
            << scenario({leafOfNotCa, notCa}, root) << X509_V_ERR_INVALID_CA << 1;
        const TestCert subInter =
            TestPki::makeCert(TestPki::intermediateSpec(u"Sub Intermediate"_s), &m_inter);
        const TestCert leafOfSub = TestPki::makeCert(TestPki::serverSpec(u"db"_s), &subInter);
        QTest::newRow("path length exceeded")
            << scenario({leafOfSub, subInter, m_inter}, root) << X509_V_ERR_PATH_LENGTH_EXCEEDED
            << 2; // reported on the constraining CA
        Scenario tampered = scenario({m_leaf, m_inter}, root);
        tampered.presentedDer[0] = tamperSignature(tampered.presentedDer[0]);
        QTest::newRow("bad signature") << tampered << X509_V_ERR_CERT_SIGNATURE_FAILURE << 0;
        const TestCert selfSigned = TestPki::makeCert(TestPki::serverSpec(u"db.example.com"_s));
        QVERIFY(write(u"self.crt"_s, selfSigned.pem()));
        QTest::newRow("self-signed leaf")
            << scenario({selfSigned}, root) << X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT << 0;
        QTest::newRow("self-signed leaf in root file")
            << scenario({selfSigned}, u"self.crt"_s) << X509_V_OK << -1;

        // OpenSSL's security level (Debian: 2) applies to the chain as in the handshake.
        CertSpec weakKeySpec = TestPki::serverSpec(u"db"_s);
        weakKeySpec.keyType = KeyType::Rsa1024;
        const TestCert weakKey = TestPki::makeCert(weakKeySpec, &m_inter);
        QTest::newRow("RSA-1024 leaf")
            << scenario({weakKey, m_inter}, root) << X509_V_ERR_EE_KEY_TOO_SMALL << 0;
        CertSpec sha1Spec = TestPki::serverSpec(u"db"_s);
        sha1Spec.digest = "SHA1";
        const TestCert sha1 = TestPki::makeCert(sha1Spec, &m_inter);
        QTest::newRow("SHA-1 signed leaf")
            << scenario({sha1, m_inter}, root) << X509_V_ERR_CA_MD_TOO_WEAK << 0;
    }

    void verdict()
    {
        QFETCH(Scenario, s);
        QFETCH(int, code);
        QFETCH(int, depth);

        const auto result = verifierFor(s).verify(certs(s.presentedDer));
        QVERIFY2(result.has_value(), result ? "" : qPrintable(result.error().message));
        QCOMPARE(result->errorCode, code);
        QCOMPARE(result->errorDepth, depth);
        QCOMPARE(result->ok, code == X509_V_OK);
        QCOMPARE(result->errorString, QString::fromUtf8(X509_verify_cert_error_string(code)));
        QCOMPARE(result->libpqMessage,
                 code == X509_V_OK ? QString() : u"SSL error: certificate verify failed"_s);
        if (code != X509_V_OK) {
            const ChainEntry* failing = entryAt(*result, depth);
            QVERIFY(failing);
            QVERIFY(!failing->problems.isEmpty());
            QVERIFY(result->toError().code.startsWith(u"pki.chain."_s));
            QVERIFY(!result->explanation().isEmpty());
        }
        // The verdict is the one a real handshake with libpq's client settings reaches.
        QCOMPARE(handshakeVerifyResult(s), long(code));
    }

    void goodChainDetails()
    {
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        const auto r = v.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(r && r->ok);
        QCOMPARE(r->chain.size(), 3);
        QCOMPARE(r->chain.at(0).role, ChainRole::Leaf);
        QCOMPARE(r->chain.at(1).role, ChainRole::Intermediate);
        QCOMPARE(r->chain.at(2).role, ChainRole::Root);
        QCOMPARE(r->chain.at(0).certificate, cert(m_leaf));
        QCOMPARE(r->chain.at(2).certificate, cert(m_root));
        QVERIFY(r->chain.at(0).presented && r->chain.at(1).presented && !r->chain.at(2).presented);
        QVERIFY(!r->chain.at(0).statuses.testFlag(ChainStatus::Trusted));
        QVERIFY(r->chain.at(2).statuses.testFlag(ChainStatus::Trusted));
        QVERIFY(r->chain.at(2).statuses.testFlag(ChainStatus::SelfSigned));
        QVERIFY(!r->chain.at(1).statuses.testFlag(ChainStatus::SelfSigned));
        for (const ChainEntry& e : r->chain)
            QVERIFY(e.problems.isEmpty());
        QVERIFY(!r->hasWarnings());
        QVERIFY(!r->crlCheck);
        QCOMPARE(r->trustAnchors, QList<Certificate>{cert(m_root)});
        QVERIFY(r->chain.at(0).secondsUntilExpiry > 364LL * 86400);
    }

    void intermediateFromRootFileIsTrusted()
    {
        ChainVerifier v;
        v.setRootFile(file(u"root+inter.crt"_s));
        const auto r = v.verify({cert(m_leaf)});
        QVERIFY(r && r->ok);
        QCOMPARE(r->chain.size(), 3);
        QVERIFY(!r->chain.at(1).presented);
        QVERIFY(r->chain.at(1).statuses.testFlag(ChainStatus::Trusted));
        QCOMPARE(r->trustAnchors.size(), 2);
    }

    // Every problem is reported, while the verdict stays OpenSSL's first error.
    void collectsEveryProblem()
    {
        ChainVerifier v;
        v.setRootFile(file(u"other.crt"_s));
        v.setVerificationTime(QDateTime::currentDateTimeUtc().addDays(2 * 365));
        const auto r = v.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(r);
        QCOMPARE(r->errorCode, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
        QCOMPARE(r->chain.size(), 2);
        QVERIFY(r->chain.at(0).statuses.testFlag(ChainStatus::Expired));
        QVERIFY(r->chain.at(1).statuses.testFlag(ChainStatus::IssuerNotFound));
        QCOMPARE(r->chain.at(1).role, ChainRole::Intermediate); // the chain stops there: no root
        bool expiredReported = false;
        for (const auto& p : r->chain.at(0).problems)
            expiredReported = expiredReported || p.code == X509_V_ERR_CERT_HAS_EXPIRED;
        QVERIFY(expiredReported);
        const QString text = r->explanation();
        QVERIFY2(text.contains(u"neither among the certificates the server sent"_s), qPrintable(text));
        QVERIFY2(text.contains(u"has expired"_s), qPrintable(text));
        QCOMPARE(r->toError().code, u"pki.chain.issuer-not-found-locally"_s);
        QCOMPARE(r->toError().message, u"SSL error: certificate verify failed"_s);
    }

    void expiringSoonIsAWarning_data()
    {
        QTest::addColumn<qint64>("leafLifetime");
        QTest::addColumn<qint64>("clockOffset");
        QTest::addColumn<bool>("warning");
        QTest::newRow("10 days left") << 10LL * 86400 << 0LL << true;
        QTest::newRow("29 days left") << 29LL * 86400 << 0LL << true;
        QTest::newRow("31 days left") << 31LL * 86400 << 0LL << false;
        QTest::newRow("1 year, clock +340 days") << 365LL * 86400 << 340LL * 86400 << true;
        QTest::newRow("1 year, now") << 365LL * 86400 << 0LL << false;
    }

    void expiringSoonIsAWarning()
    {
        QFETCH(qint64, leafLifetime);
        QFETCH(qint64, clockOffset);
        QFETCH(bool, warning);
        CertSpec spec = TestPki::serverSpec(u"soon.example.com"_s);
        spec.notAfterOffset = leafLifetime;
        const TestCert leaf = TestPki::makeCert(spec, &m_inter);
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        const QDateTime now = QDateTime::currentDateTimeUtc().addSecs(clockOffset);
        v.setClock([now] { return now; });
        const auto r = v.verify({cert(leaf), cert(m_inter)});
        QVERIFY(r && r->ok); // still valid
        QCOMPARE(r->verificationTime, now);
        QCOMPARE(r->chain.at(0).statuses.testFlag(ChainStatus::ExpiringSoon), warning);
        QCOMPARE(r->hasWarnings(), warning);
        QCOMPARE(r->explanation().contains(u"soon.example.com\" expires in"_s), warning);
    }

    void revokedDetails()
    {
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        v.setCrlDirectory(file(u"crldir"_s));
        const auto r = v.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(r && !r->ok);
        QVERIFY(r->crlCheck);
        QVERIFY(r->chain.at(0).statuses.testFlag(ChainStatus::Revoked));
        QVERIFY(!r->chain.at(1).statuses.testFlag(ChainStatus::Revoked));
        QCOMPARE(r->toError().code, u"pki.chain.revoked"_s);
    }

    void crlQuirkNotes()
    {
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        v.setCrlFile(file(u"missing.crl"_s));
        v.setCrlDirectory(file(u"crldir"_s));
        const auto r = v.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(r && r->ok); // the revoked leaf passes: libpq does no CRL check at all
        QVERIFY(!r->crlCheck);
        QVERIFY2(r->crlNote.contains(u"ignores the CRL directory"_s), qPrintable(r->crlNote));
        QVERIFY(r->explanation().contains(r->crlNote));

        ChainVerifier oneCa;
        oneCa.setRootFile(file(u"root.crt"_s));
        oneCa.setCrlFile(file(u"inter-only.crl"_s));
        const auto missing = oneCa.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(missing && !missing->ok);
        QCOMPARE(missing->errorString, u"unable to get certificate CRL"_s);
        QVERIFY(missing->chain.at(1).statuses.testFlag(ChainStatus::CrlProblem));
        QVERIFY(missing->explanation().contains(u"every certificate in the chain"_s));
    }

    void purposeForClientChains()
    {
        const TestCert client = TestPki::makeCert(TestPki::clientSpec(u"alice"_s), &m_inter);
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        v.setPurpose(ChainVerifier::Purpose::SslClient);
        const auto asClient = v.verify({cert(client), cert(m_inter)});
        QVERIFY(asClient && asClient->ok);
        v.setPurpose(ChainVerifier::Purpose::SslServer);
        const auto asServer = v.verify({cert(client), cert(m_inter)});
        QVERIFY(asServer && !asServer->ok);
        QVERIFY(asServer->chain.at(0).statuses.testFlag(ChainStatus::UnsuitablePurpose));
        // A server-only certificate is not a client certificate.
        v.setPurpose(ChainVerifier::Purpose::SslClient);
        const auto serverAsClient = v.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(serverAsClient && !serverAsClient->ok);
        QCOMPARE(serverAsClient->errorCode, X509_V_ERR_INVALID_PURPOSE);
    }

    void keyUsageAndSignatureStatuses()
    {
        CertSpec noCertSignSpec = TestPki::intermediateSpec(u"No CertSign CA"_s);
        noCertSignSpec.keyUsage = u"critical,digitalSignature,cRLSign"_s;
        const TestCert noCertSign = TestPki::makeCert(noCertSignSpec, &m_root);
        const TestCert leaf = TestPki::makeCert(TestPki::serverSpec(u"db"_s), &noCertSign);
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        const auto r = v.verify({cert(leaf), cert(noCertSign)});
        QVERIFY(r && !r->ok);
        QVERIFY(r->chain.at(1).statuses.testFlag(ChainStatus::UnsuitableKeyUsage));
        QVERIFY(!r->chain.at(0).statuses.testFlag(ChainStatus::UnsuitableKeyUsage));

        const auto bad = v.verify({Certificate::fromDer(tamperSignature(m_leaf.der())), cert(m_inter)});
        QVERIFY(bad && !bad->ok);
        QVERIFY(bad->chain.at(0).statuses.testFlag(ChainStatus::BadSignature));
        QCOMPARE(bad->toError().code, u"pki.chain.bad-signature"_s);
    }

    void selfSignedLeaf()
    {
        const TestCert self = TestPki::makeCert(TestPki::serverSpec(u"db.example.com"_s));
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        const auto r = v.verify({cert(self)});
        QVERIFY(r && !r->ok);
        QCOMPARE(r->chain.size(), 1);
        QCOMPARE(r->chain.at(0).role, ChainRole::Leaf);
        QVERIFY(r->chain.at(0).statuses.testFlag(ChainStatus::SelfSigned));
        QVERIFY(r->chain.at(0).statuses.testFlag(ChainStatus::UntrustedRoot));
        QCOMPARE(r->toError().code, u"pki.chain.self-signed-leaf"_s);

        // The same certificate as its own trust anchor, given in memory.
        ChainVerifier pinned;
        pinned.addTrustedCertificate(cert(self));
        const auto ok = pinned.verify({cert(self)});
        QVERIFY(ok && ok->ok);
        QVERIFY(ok->chain.at(0).statuses.testFlag(ChainStatus::Trusted));
    }

    void unusedPresentedCertificates()
    {
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        const auto r = v.verify({cert(m_leaf), cert(m_inter), cert(m_otherRoot)});
        QVERIFY(r && r->ok);
        QCOMPARE(r->chain.size(), 4);
        QCOMPARE(r->chain.at(3).role, ChainRole::NotInChain);
        QCOMPARE(r->chain.at(3).certificate, cert(m_otherRoot));
        QCOMPARE(r->chain.at(3).depth, -1);
    }

    void systemStore()
    {
        const QByteArray oldFile = qgetenv("SSL_CERT_FILE");
        const QByteArray oldDir = qgetenv("SSL_CERT_DIR");
        QVERIFY(QDir().mkpath(file(u"empty-cert-dir"_s)));
        QVERIFY(write(u"bundle.pem"_s, m_otherRoot.pem() + m_root.pem()));
        qputenv("SSL_CERT_FILE", QFile::encodeName(file(u"bundle.pem"_s)));
        qputenv("SSL_CERT_DIR", QFile::encodeName(file(u"empty-cert-dir"_s)));

        ChainVerifier v;
        v.setSystemRoots();
        v.setCrlFile(file(u"all-revoking.crl"_s)); // ignored: libpq loads no CRL with sslrootcert=system
        const auto r = v.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(r && r->ok);
        QVERIFY(!r->crlCheck);
        QVERIFY(r->crlNote.contains(u"sslrootcert=system"_s));
        QVERIFY(r->chain.at(2).statuses.testFlag(ChainStatus::Trusted));

        QVERIFY(write(u"bundle-other.pem"_s, m_otherRoot.pem()));
        qputenv("SSL_CERT_FILE", QFile::encodeName(file(u"bundle-other.pem"_s)));
        const auto fails = v.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(fails && !fails->ok);
        QCOMPARE(fails->errorCode, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);

        if (oldFile.isNull())
            qunsetenv("SSL_CERT_FILE");
        else
            qputenv("SSL_CERT_FILE", oldFile);
        if (oldDir.isNull())
            qunsetenv("SSL_CERT_DIR");
        else
            qputenv("SSL_CERT_DIR", oldDir);
    }

    void rootFileErrors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content"); // written unless null
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");

        const QString missing =
            u"root certificate file \"%1\" does not exist\nEither provide the file, use the "
            u"system's trusted roots with sslrootcert=system, or change sslmode to disable "
            u"server certificate verification."_s;
        const QString unreadable = u"could not read root certificate file \"%1\": %2"_s;
        QTest::newRow("missing") << u"nope.crt"_s << QByteArray() << u"pki.root-file-missing"_s << missing;
        QTest::newRow("empty") << u"empty.crt"_s << QByteArray("") << u"pki.root-file-unreadable"_s
                               << unreadable.arg(u"%1"_s, u"no certificate or crl found"_s);
        QTest::newRow("garbage") << u"garbage.crt"_s << QByteArray("hello world\n")
                                 << u"pki.root-file-unreadable"_s
                                 << unreadable.arg(u"%1"_s, u"no certificate or crl found"_s);
        QTest::newRow("binary DER") << u"der.crt"_s << QByteArray("DER") << u"pki.root-file-unreadable"_s
                                    << unreadable.arg(u"%1"_s, u"no certificate or crl found"_s);
        QTest::newRow("truncated PEM")
            << u"truncated.crt"_s << QByteArray("TRUNCATED") << u"pki.root-file-unreadable"_s
            << unreadable.arg(u"%1"_s, u"bad end line"_s); // as libpq 15 says
        QTest::newRow("directory") << u"crldir"_s << QByteArray() << u"pki.root-file-unreadable"_s
                                   << unreadable.arg(u"%1"_s, u"no certificate or crl found"_s);
        QTest::newRow("device") << u"/dev/null"_s << QByteArray() << u"pki.root-file-unreadable"_s
                                << unreadable.arg(u"%1"_s, u"no certificate or crl found"_s);
        QTest::newRow("empty path") << QString() << QByteArray() << u"pki.root-file-missing"_s << missing;
    }

    void rootFileErrors()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, code);
        QFETCH(QString, message);

        if (content == "DER")
            content = m_root.der();
        else if (content == "TRUNCATED")
            content = m_root.pem().left(m_root.pem().size() / 2);
        const QString path = name.isEmpty() || name.startsWith(u'/') ? name : file(name);
        if (!content.isNull())
            QVERIFY(write(name, content));
        ChainVerifier v;
        v.setRootFile(path);
        const auto r = v.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(!r);
        QCOMPARE(r.error().code, code);
        if (!message.isEmpty())
            QCOMPARE(r.error().message, message.arg(path));
        else
            QVERIFY2(
                r.error().message.startsWith(u"could not read root certificate file \"%1\": "_s.arg(path)),
                qPrintable(r.error().message));
        QCOMPARE(ERR_peek_error(), 0UL); // nothing left on OpenSSL's queue
    }

    void rootFileSymlinkLoopAndHugeFile()
    {
        // libpq stat()s the file first: a symlink loop "does not exist".
        QVERIFY(QFile::link(file(u"loop-b.crt"_s), file(u"loop-a.crt"_s)));
        QVERIFY(QFile::link(file(u"loop-a.crt"_s), file(u"loop-b.crt"_s)));
        ChainVerifier loop;
        loop.setRootFile(file(u"loop-a.crt"_s));
        const auto r = loop.verify({cert(m_leaf)});
        QVERIFY(!r);
        QCOMPARE(r.error().code, u"pki.root-file-missing"_s);

        // 20 MB of garbage, then the root: OpenSSL's PEM reader skips the garbage.
        QByteArray huge(20 * 1024 * 1024, 'x');
        for (qsizetype i = 79; i < huge.size(); i += 80)
            huge[i] = '\n';
        QVERIFY(write(u"huge.crt"_s, huge + '\n' + m_root.pem()));
        ChainVerifier big;
        big.setRootFile(file(u"huge.crt"_s));
        const auto ok = big.verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(ok && ok->ok);
    }

    void unreadableRootFile()
    {
        if (::geteuid() == 0)
            QSKIP("running as root: mode 0000 does not stop root from reading the file");
        QVERIFY(write(u"unreadable.crt"_s, m_root.pem()));
        QVERIFY(TestPki::chmod(file(u"unreadable.crt"_s), 0));
        ChainVerifier v;
        v.setRootFile(file(u"unreadable.crt"_s));
        const auto r = v.verify({cert(m_leaf)});
        QVERIFY(!r);
        QCOMPARE(r.error().code, u"pki.root-file-unreadable"_s);
    }

    void badInputs()
    {
        ChainVerifier v;
        v.setRootFile(file(u"root.crt"_s));
        const auto none = v.verify({});
        QVERIFY(!none);
        QCOMPARE(none.error().code, u"pki.chain.no-certificate"_s);
        const auto null = v.verify({cert(m_leaf), Certificate()});
        QVERIFY(!null);
        QCOMPARE(null.error().code, u"pki.chain.null-certificate"_s);

        // No anchors at all: verification runs and finds no issuer.
        const auto noAnchors = ChainVerifier().verify({cert(m_leaf), cert(m_inter)});
        QVERIFY(noAnchors && !noAnchors->ok);
        QCOMPARE(noAnchors->errorCode, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
    }

    void messages()
    {
        QCOMPARE(ChainVerifier::rootFileMissingMessage(u"/x/root.crt"_s),
                 u"root certificate file \"/x/root.crt\" does not exist\nEither provide the file, use the "
                 u"system's "
                 u"trusted roots with sslrootcert=system, or change sslmode to disable server certificate "
                 u"verification."_s);
        QVERIFY(ChainVerifier::noHomeDirectoryRootMessage().startsWith(
            u"could not get home directory to locate root certificate file\nEither provide the file"_s));
        QCOMPARE(ChainVerifier::verifyFailedMessage(), u"SSL error: certificate verify failed"_s);
    }

    void verifierIsCopyable()
    {
        ChainVerifier a;
        a.setRootFile(file(u"root.crt"_s));
        ChainVerifier b = a;
        a.setRootFile(file(u"other.crt"_s));
        QVERIFY(b.verify({cert(m_leaf), cert(m_inter)})->ok);
        QVERIFY(!a.verify({cert(m_leaf), cert(m_inter)})->ok);
    }
};

QTEST_GUILESS_MAIN(TestChainVerifier)
#include "tst_chainverifier.moc"
