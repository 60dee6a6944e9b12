// The Certificate model: every field a viewer shows, checked against values the test sets in the
// fixture or computes independently of the code under test.

#include "TestPki.h"
#include "pki/Certificate.h"
#include "pki/CertificateOpenSsl.h"

#include <QCryptographicHash>
#include <QTest>

#include <openssl/x509.h>

using namespace Qt::StringLiterals;
using vf::pki::Certificate;
using vf::pki::SubjectAltName;
using vf::test::CertSpec;
using vf::test::KeyType;
using vf::test::TestCert;
using vf::test::TestPki;

Q_DECLARE_METATYPE(vf::test::CertSpec)
Q_DECLARE_METATYPE(QList<vf::pki::SubjectAltName>)

namespace {

QDateTime utc(int y, int m, int d, int hh = 0, int mm = 0, int ss = 0)
{
    return QDateTime(QDate(y, m, d), QTime(hh, mm, ss), Qt::UTC);
}

// RFC 5280 §4.2.1.2 method (1), what OpenSSL's "hash" SKI computes: SHA-1 of the subjectPublicKey bits.
QByteArray expectedSki(const TestCert& cert)
{
    const ASN1_BIT_STRING* bits = X509_get0_pubkey_bitstr(cert.x509());
    return QCryptographicHash::hash(
        QByteArray(reinterpret_cast<const char*>(ASN1_STRING_get0_data(bits)), ASN1_STRING_length(bits)),
        QCryptographicHash::Sha1);
}

SubjectAltName san(SubjectAltName::Type type, const QString& value, const QByteArray& raw)
{
    SubjectAltName s;
    s.type = type;
    s.value = value;
    s.rawValue = raw;
    return s;
}

} // namespace

class TestCertificate : public QObject
{
    Q_OBJECT

private:
    TestCert m_root;

private Q_SLOTS:
    void initTestCase()
    {
        CertSpec spec = TestPki::rootSpec(u"Test Root CA"_s);
        spec.extraSubject = {{u"O"_s, u"PGDG"_s}};
        spec.keyType = KeyType::Rsa2048;
        m_root = TestPki::makeCert(spec);
        QVERIFY(!m_root.isNull());
    }

    void nullCertificate()
    {
        const Certificate c;
        QVERIFY(c.isNull());
        QVERIFY(c.subjectDn().isEmpty());
        QVERIFY(c.toDer().isEmpty());
        QVERIFY(c.toPem().isEmpty());
        QVERIFY(c.sha256Fingerprint().isEmpty());
        QCOMPARE(c.pathLengthConstraint(), -1);
        QCOMPARE(c.version(), 0);
        QVERIFY(!c.isCa());
        QVERIFY(!c.isSelfSigned());
        QCOMPARE(c, Certificate());
        QVERIFY(vf::pki::CertificatePrivateAccess::x509(c) == nullptr);
        QVERIFY(vf::pki::CertificatePrivateAccess::fromX509(static_cast<X509*>(nullptr)).isNull());
    }

    void fields_data()
    {
        QTest::addColumn<CertSpec>("spec");
        QTest::addColumn<bool>("signedByRoot");
        QTest::addColumn<QString>("subjectDn");
        QTest::addColumn<QString>("subjectOneLine");
        QTest::addColumn<QString>("commonName");
        QTest::addColumn<QString>("serialHex");
        QTest::addColumn<QList<SubjectAltName>>("sans");
        QTest::addColumn<QString>("keyType");
        QTest::addColumn<int>("keyBits");
        QTest::addColumn<QString>("curve");
        QTest::addColumn<QString>("sigAlg");
        QTest::addColumn<bool>("hasBc");
        QTest::addColumn<bool>("isCa");
        QTest::addColumn<int>("pathLen");
        QTest::addColumn<QStringList>("keyUsage");
        QTest::addColumn<QStringList>("eku");

        {
            CertSpec s =
                TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s, u"*.db.example.com"_s});
            s.extraSubject = {{u"O"_s, u"Example, Inc."_s}, {u"OU"_s, u"Ops"_s}};
            s.ipAddresses = {u"192.0.2.10"_s, u"2001:db8::1"_s};
            s.emails = {u"dba@example.com"_s};
            s.uris = {u"https://example.com/db"_s};
            s.serial = 0x1A2B3C;
            s.extendedKeyUsage = u"serverAuth,clientAuth"_s;
            s.keyType = KeyType::EcP256;
            QTest::addRow("server-ec-p256-all-san-types")
                << s << true << u"CN=db.example.com,OU=Ops,O=Example\\, Inc."_s
                << u"/O=Example, Inc./OU=Ops/CN=db.example.com"_s << u"db.example.com"_s << u"1A:2B:3C"_s
                << QList<SubjectAltName>{
                       san(SubjectAltName::Type::Dns, u"db.example.com"_s, "db.example.com"),
                       san(SubjectAltName::Type::Dns, u"*.db.example.com"_s, "*.db.example.com"),
                       san(SubjectAltName::Type::IpAddress, u"192.0.2.10"_s, QByteArray::fromHex("c000020a")),
                       san(SubjectAltName::Type::IpAddress, u"2001:db8::1"_s,
                           QByteArray::fromHex("20010db8000000000000000000000001")),
                       san(SubjectAltName::Type::Email, u"dba@example.com"_s, "dba@example.com"),
                       san(SubjectAltName::Type::Uri, u"https://example.com/db"_s, "https://example.com/db"),
                   }
                << u"EC"_s << 256 << u"prime256v1"_s << u"sha256WithRSAEncryption"_s << true << false << -1
                << QStringList{u"Digital Signature"_s, u"Key Encipherment"_s}
                << QStringList{u"TLS Web Server Authentication"_s, u"TLS Web Client Authentication"_s};
        }
        {
            CertSpec s = TestPki::intermediateSpec(u"Intermediate CA"_s);
            s.keyType = KeyType::EcP384;
            s.serial = 1;
            QTest::addRow("intermediate-ec-p384-pathlen0")
                << s << true << u"CN=Intermediate CA"_s << u"/CN=Intermediate CA"_s << u"Intermediate CA"_s
                << u"01"_s << QList<SubjectAltName>{} << u"EC"_s << 384 << u"secp384r1"_s
                << u"sha256WithRSAEncryption"_s << true << true << 0
                << QStringList{u"Certificate Sign"_s, u"CRL Sign"_s} << QStringList{};
        }
        {
            CertSpec s = TestPki::rootSpec(u"Self Root"_s);
            s.keyType = KeyType::Rsa2048;
            s.pathLength = 3;
            s.digest = "SHA384";
            s.serial = 0x7FFFFFFF;
            QTest::addRow("self-signed-rsa-root-pathlen3")
                << s << false << u"CN=Self Root"_s << u"/CN=Self Root"_s << u"Self Root"_s << u"7F:FF:FF:FF"_s
                << QList<SubjectAltName>{} << u"RSA"_s << 2048 << QString() << u"sha384WithRSAEncryption"_s
                << true << true << 3 << QStringList{u"Certificate Sign"_s, u"CRL Sign"_s} << QStringList{};
        }
        {
            CertSpec s = TestPki::clientSpec(u"alice"_s);
            s.keyType = KeyType::Ed25519;
            s.serial = 255;
            s.keyUsage = u"critical,digitalSignature,nonRepudiation"_s;
            s.extendedKeyUsage = u"clientAuth,emailProtection"_s;
            QTest::addRow("self-signed-ed25519-client")
                << s << false << u"CN=alice"_s << u"/CN=alice"_s << u"alice"_s << u"FF"_s
                << QList<SubjectAltName>{} << u"Ed25519"_s << 256 << QString() << u"ED25519"_s << true
                << false << -1 << QStringList{u"Digital Signature"_s, u"Non Repudiation"_s}
                << QStringList{u"TLS Web Client Authentication"_s, u"E-mail Protection"_s};
        }
        {
            CertSpec s;
            s.extraSubject = {{u"O"_s, u"Nameless"_s}};
            s.basicConstraints = false;
            s.keyType = KeyType::Rsa1024;
            s.digest = "SHA1";
            s.serial = 0x100;
            s.rawIpAddresses = {QByteArray::fromHex("0102030405")};
            QTest::addRow("no-cn-no-extensions-sha1-odd-ip")
                << s << false << u"O=Nameless"_s << u"/O=Nameless"_s << QString() << u"01:00"_s
                << QList<SubjectAltName>{san(SubjectAltName::Type::IpAddress,
                                             u"<invalid length 5: 01:02:03:04:05>"_s,
                                             QByteArray::fromHex("0102030405"))}
                << u"RSA"_s << 1024 << QString() << u"sha1WithRSAEncryption"_s << false << false << -1
                << QStringList{} << QStringList{};
        }
        {
            CertSpec s = TestPki::serverSpec(u"Dätenbänk ü"_s, {u"xn--dtenbnk-5wab.example"_s});
            s.extraSubject = {{u"C"_s, u"DE"_s}, {u"O"_s, u"A+B=C;D"_s}};
            s.serial = 0x00ABCDEF;
            QTest::addRow("utf8-and-escaped-dn")
                << s << true << u"CN=Dätenbänk ü,O=A\\+B=C\\;D,C=DE"_s
                << u"/C=DE/O=A\\+B=C;D/CN=D\\xC3\\xA4tenb\\xC3\\xA4nk \\xC3\\xBC"_s << u"Dätenbänk ü"_s
                << u"AB:CD:EF"_s
                << QList<SubjectAltName>{san(SubjectAltName::Type::Dns, u"xn--dtenbnk-5wab.example"_s,
                                             "xn--dtenbnk-5wab.example")}
                << u"EC"_s << 256 << u"prime256v1"_s << u"sha256WithRSAEncryption"_s << true << false << -1
                << QStringList{u"Digital Signature"_s, u"Key Encipherment"_s}
                << QStringList{u"TLS Web Server Authentication"_s};
        }
    }

    void fields()
    {
        QFETCH(CertSpec, spec);
        QFETCH(bool, signedByRoot);
        CertSpec withTimes = spec;
        withTimes.notBefore = utc(2024, 2, 29, 12, 34, 56);
        withTimes.notAfter = utc(2051, 1, 1, 0, 0, 1); // GeneralizedTime after 2049
        const TestCert tc = TestPki::makeCert(withTimes, signedByRoot ? &m_root : nullptr);
        const Certificate c = Certificate::fromDer(tc.der());
        QVERIFY(!c.isNull());

        QTEST(c.subjectDn(), "subjectDn");
        QTEST(c.subjectOneLine(), "subjectOneLine");
        QTEST(c.commonName(), "commonName");
        QFETCH(QString, commonName);
        QFETCH(QString, subjectDn);
        QCOMPARE(c.displayName(), commonName.isEmpty() ? subjectDn : commonName);
        if (signedByRoot) {
            QCOMPARE(c.issuerDn(), u"CN=Test Root CA,O=PGDG"_s);
            QCOMPARE(c.issuerOneLine(), u"/O=PGDG/CN=Test Root CA"_s);
            QCOMPARE(c.authorityKeyIdentifier(), expectedSki(m_root));
            QVERIFY(!c.isSelfIssued());
            QVERIFY(!c.isSelfSigned());
        } else {
            QCOMPARE(c.issuerDn(), subjectDn);
            QVERIFY(c.isSelfIssued());
            QVERIFY(c.isSelfSigned());
        }
        QTEST(c.serialNumberHex(), "serialHex");
        QCOMPARE(c.notBefore(), utc(2024, 2, 29, 12, 34, 56));
        QCOMPARE(c.notAfter(), utc(2051, 1, 1, 0, 0, 1));
        QCOMPARE(c.notBefore().timeSpec(), Qt::UTC);
        QTEST(c.subjectAltNames(), "sans");
        QTEST(c.publicKeyType(), "keyType");
        QTEST(c.publicKeyBits(), "keyBits");
        QTEST(c.publicKeyCurve(), "curve");
        QTEST(c.signatureAlgorithm(), "sigAlg");
        QTEST(c.hasBasicConstraints(), "hasBc");
        QTEST(c.isCa(), "isCa");
        QTEST(c.pathLengthConstraint(), "pathLen");
        QTEST(c.keyUsage(), "keyUsage");
        QTEST(c.extendedKeyUsage(), "eku");
        QCOMPARE(c.subjectKeyIdentifier(), expectedSki(tc));
        QCOMPARE(c.subjectKeyIdentifier().size(), 20);
        QCOMPARE(c.version(), 3);

        // Fingerprints and encodings computed without the code under test.
        QCOMPARE(c.sha256Fingerprint(), QCryptographicHash::hash(tc.der(), QCryptographicHash::Sha256));
        QCOMPARE(c.sha1Fingerprint(), QCryptographicHash::hash(tc.der(), QCryptographicHash::Sha1));
        QCOMPARE(c.toDer(), tc.der());
        QCOMPARE(c.toPem(), tc.pem());
    }

    void selfIssuedButNotSelfSigned()
    {
        // Same subject and issuer name, but signed by another key (a re-keyed root, for example).
        const TestCert otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Twin"_s));
        const TestCert twin = TestPki::makeCert(TestPki::rootSpec(u"Twin"_s), &otherRoot);
        const Certificate c = Certificate::fromDer(twin.der());
        QVERIFY(c.isSelfIssued());
        QVERIFY(!c.isSelfSigned());
        QVERIFY(Certificate::fromDer(otherRoot.der()).isSelfSigned());
    }

    void noKeyIdentifiers()
    {
        CertSpec s = TestPki::clientSpec(u"bare"_s);
        s.subjectKeyIdentifier = false;
        s.authorityKeyIdentifier = false;
        const Certificate c = Certificate::fromDer(TestPki::makeCert(s, &m_root).der());
        QVERIFY(!c.isNull());
        QVERIFY(c.subjectKeyIdentifier().isEmpty());
        QVERIFY(c.authorityKeyIdentifier().isEmpty());
    }

    void formatFingerprint()
    {
        QCOMPARE(Certificate::formatFingerprint(QByteArray::fromHex("00ab10ff")), u"00:AB:10:FF"_s);
        QCOMPARE(Certificate::formatFingerprint({}), QString());
    }

    void fromDerRejectsNonCertificates_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        const QByteArray der = m_root.der();
        QTest::addRow("empty") << QByteArray();
        QTest::addRow("garbage") << QByteArray("not a certificate");
        QTest::addRow("pem-text") << m_root.pem();
        QTest::addRow("truncated") << der.left(der.size() - 10);
        QTest::addRow("trailing-bytes") << der + QByteArray("\x00\x01", 2);
        QTest::addRow("two-certificates") << der + der;
    }

    void fromDerRejectsNonCertificates()
    {
        QFETCH(QByteArray, bytes);
        QVERIFY(Certificate::fromDer(bytes).isNull());
    }

    void equalityAndSharing()
    {
        const Certificate a = Certificate::fromDer(m_root.der());
        const Certificate b = Certificate::fromDer(m_root.der());
        const Certificate other =
            Certificate::fromDer(TestPki::makeCert(TestPki::rootSpec(u"Other"_s)).der());
        QCOMPARE(a, b);
        QVERIFY(a != other);
        QVERIFY(a != Certificate());
        Certificate copy = a;
        QCOMPARE(vf::pki::CertificatePrivateAccess::x509(copy), vf::pki::CertificatePrivateAccess::x509(a));
        Certificate moved = std::move(copy);
        QCOMPARE(moved, a);
    }

    void bridgeSharesOwnership()
    {
        Certificate c;
        {
            // fromX509 takes its own reference: the model outlives the caller's handle.
            X509* raw = X509_dup(m_root.x509());
            QVERIFY(raw);
            c = vf::pki::CertificatePrivateAccess::fromX509(raw);
            X509_free(raw);
        }
        QVERIFY(!c.isNull());
        QCOMPARE(c.toDer(), m_root.der());
        X509* inside = vf::pki::CertificatePrivateAccess::x509(c);
        QVERIFY(inside);
        QCOMPARE(X509_cmp(inside, m_root.x509()), 0);
    }
};

QTEST_GUILESS_MAIN(TestCertificate)
#include "tst_certificate.moc"
