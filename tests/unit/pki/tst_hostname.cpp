#include "TestPki.h"
#include "pki/HostNameMatcher.h"

#include <QTest>

#include <openssl/x509.h>

using namespace Qt::StringLiterals;
using vf::pki::Certificate;
using vf::pki::CertificateName;
using vf::pki::HostNameMatch;
using vf::pki::HostNameMatcher;
using vf::test::CertSpec;
using vf::test::TestPki;

Q_DECLARE_METATYPE(vf::test::CertSpec)

namespace {

using Outcome = HostNameMatch::Outcome;

// Names as PostgreSQL's own SSL test suite uses them (src/test/ssl).
const QString kCn = u"common-name.pg-ssltest.test"_s;
const QString kDns1 = u"dns1.alt-name.pg-ssltest.test"_s;
const QString kDns2 = u"dns2.alt-name.pg-ssltest.test"_s;
const QString kWildcard = u"*.wildcard.pg-ssltest.test"_s;
const QString kSingle = u"single-alt-name.pg-ssltest.test"_s;

CertSpec spec(const QString& cn, const QStringList& dns = {}, const QStringList& ips = {})
{
    CertSpec s = TestPki::serverSpec(cn, dns);
    s.ipAddresses = ips;
    return s;
}

CertSpec withRawDns(CertSpec s, const QList<QByteArray>& raw)
{
    s.rawDnsNames = raw;
    return s;
}

CertSpec withRawIps(CertSpec s, const QList<QByteArray>& raw)
{
    s.rawIpAddresses = raw;
    return s;
}

QString one(const QString& first, const QString& host)
{
    return u"server certificate for \"%1\" does not match host name \"%2\""_s.arg(first, host);
}

QString many(const QString& first, int others, const QString& host)
{
    return (others == 1
                ? u"server certificate for \"%1\" (and %2 other name) does not match host name \"%3\""_s
                : u"server certificate for \"%1\" (and %2 other names) does not match host name \"%3\""_s)
        .arg(first)
        .arg(others)
        .arg(host);
}

const QString kNoNames = u"could not get server's host name from server certificate"_s;
const QString kNoHost = u"host name must be specified for a verified SSL connection"_s;
const QString kNul = u"SSL certificate's name contains embedded null"_s;

QString badLength(int n)
{
    return u"certificate contains IP address with invalid length %1"_s.arg(n);
}

// A certificate from the spec; with cnType != 0 its subject is replaced by a single CN holding the raw
// bytes with that ASN.1 string type (for BMPString CNs and CNs with an embedded NUL), re-signed.
Certificate makeCertificate(const CertSpec& s, int cnType = 0, const QByteArray& cnRaw = {})
{
    const vf::test::TestCert tc = TestPki::makeCert(s);
    if (cnType == 0)
        return Certificate::fromDer(tc.der());
    X509* x = X509_dup(tc.x509());
    X509_NAME* name = X509_NAME_new();
    X509_NAME_add_entry_by_NID(name, NID_commonName, cnType,
                               reinterpret_cast<const unsigned char*>(cnRaw.constData()), int(cnRaw.size()),
                               -1, 0);
    X509_set_subject_name(x, name);
    X509_set_issuer_name(x, name);
    X509_sign(x, tc.key(), EVP_sha256());
    unsigned char* der = nullptr;
    const int len = i2d_X509(x, &der);
    const QByteArray bytes(reinterpret_cast<const char*>(der), len);
    OPENSSL_free(der);
    X509_NAME_free(name);
    X509_free(x);
    return Certificate::fromDer(bytes);
}

} // namespace

class TestHostName : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void match_data()
    {
        QTest::addColumn<CertSpec>("certSpec");
        QTest::addColumn<int>("cnType"); // 0: the spec's CN
        QTest::addColumn<QByteArray>("cnRaw");
        QTest::addColumn<QString>("host");
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("matched"); // value of the name that matched

        auto ok = [](const char* tag, const CertSpec& s, const QString& host, const QString& matched) {
            QTest::newRow(tag) << s << 0 << QByteArray() << host << Outcome::Matched << QString() << matched;
        };
        auto no = [](const char* tag, const CertSpec& s, const QString& host, const QString& message) {
            QTest::newRow(tag) << s << 0 << QByteArray() << host << Outcome::Mismatch << message << QString();
        };
        auto err = [](const char* tag, const CertSpec& s, const QString& host, const QString& message) {
            QTest::newRow(tag) << s << 0 << QByteArray() << host << Outcome::Error << message << QString();
        };

        // CN only (server-cn-only).
        const CertSpec cnOnly = spec(kCn);
        ok("cn-only exact", cnOnly, kCn, kCn);
        ok("cn-only upper case", cnOnly, kCn.toUpper(), kCn);
        no("cn-only wrong host", cnOnly, u"wronghost.test"_s, one(kCn, u"wronghost.test"_s));
        no("cn-only trailing dot", cnOnly, kCn + u"."_s, one(kCn, kCn + u"."_s));
        no("cn-only prefix of name", cnOnly, u"common-name.pg-ssltest"_s,
           one(kCn, u"common-name.pg-ssltest"_s));
        no("cn-only sub-domain", cnOnly, u"x."_s + kCn, one(kCn, u"x."_s + kCn));

        // Several dNSName SANs and a CN (server-multiple-alt-names).
        const CertSpec multi = spec(kCn, {kDns1, kDns2, kWildcard});
        ok("multi dns1", multi, kDns1, kDns1);
        ok("multi dns2", multi, kDns2, kDns2);
        ok("multi wildcard", multi, u"foo.wildcard.pg-ssltest.test"_s, kWildcard);
        ok("multi wildcard upper case", multi, u"FOO.WILDCARD.PG-SSLTEST.TEST"_s, kWildcard);
        no("multi wildcard two labels", multi, u"deep.subdomain.wildcard.pg-ssltest.test"_s,
           many(kDns1, 2, u"deep.subdomain.wildcard.pg-ssltest.test"_s));
        no("multi wildcard base", multi, u"wildcard.pg-ssltest.test"_s,
           many(kDns1, 2, u"wildcard.pg-ssltest.test"_s));
        no("multi wildcard empty label", multi, u".wildcard.pg-ssltest.test"_s,
           many(kDns1, 2, u".wildcard.pg-ssltest.test"_s));
        no("multi wrong host", multi, u"wronghost.alt-name.pg-ssltest.test"_s,
           many(kDns1, 2, u"wronghost.alt-name.pg-ssltest.test"_s));
        no("multi cn ignored", multi, kCn, many(kDns1, 2, kCn));
        no("multi trailing dot", multi, kDns1 + u"."_s, many(kDns1, 2, kDns1 + u"."_s));

        // A single dNSName SAN (server-single-alt-name) with a CN that is ignored.
        const CertSpec single = spec(kCn, {kSingle});
        ok("single exact", single, kSingle, kSingle);
        no("single deep", single, u"deep.subdomain.single-alt-name.pg-ssltest.test"_s,
           one(kSingle, u"deep.subdomain.single-alt-name.pg-ssltest.test"_s));
        no("single wrong host", single, u"wronghost.alt-name.pg-ssltest.test"_s,
           one(kSingle, u"wronghost.alt-name.pg-ssltest.test"_s));
        no("single cn ignored", single, kCn, one(kSingle, kCn));

        // CN and two dNSName SANs (server-cn-and-alt-names).
        const CertSpec cnAndAlt = spec(kCn, {kDns1, kDns2});
        ok("cn+alt dns1", cnAndAlt, kDns1, kDns1);
        ok("cn+alt dns2", cnAndAlt, kDns2, kDns2);
        no("cn+alt cn ignored (singular)", cnAndAlt, kCn, many(kDns1, 1, kCn));

        // No names at all (server-no-names).
        CertSpec noNames = spec(QString());
        noNames.extraSubject = {{u"O"_s, u"PGDG"_s}};
        no("no names dns host", noNames, kCn, kNoNames);
        no("no names ip host", noNames, u"192.0.2.1"_s, kNoNames);

        // iPAddress SANs only (server-ip-alt-names).
        const CertSpec ipAlt = spec(QString(), {}, {u"192.0.2.1"_s, u"2001:DB8::1"_s});
        ok("ip v4", ipAlt, u"192.0.2.1"_s, u"192.0.2.1"_s);
        ok("ip v4 zero padded", ipAlt, u"192.000.002.001"_s, u"192.0.2.1"_s);
        ok("ip v4 as one number", ipAlt, u"3221225985"_s, u"192.0.2.1"_s);
        ok("ip v4 hex octet", ipAlt, u"0xc0.0.2.1"_s, u"192.0.2.1"_s);
        ok("ip v4 inet_aton trailing text", ipAlt, u"192.0.2.1 trailing"_s, u"192.0.2.1"_s);
        no("ip v4 three parts", ipAlt, u"192.0.2"_s, many(u"192.0.2.1"_s, 1, u"192.0.2"_s));
        no("ip v4 other", ipAlt, u"192.0.2.2"_s, many(u"192.0.2.1"_s, 1, u"192.0.2.2"_s));
        ok("ip v6 upper case", ipAlt, u"2001:DB8::1"_s, u"2001:db8::1"_s);
        ok("ip v6 long form", ipAlt, u"2001:db8:0:0:0:0:0:1"_s, u"2001:db8::1"_s);
        ok("ip v6 dotted tail", ipAlt, u"2001:db8::0.0.0.1"_s, u"2001:db8::1"_s);
        no("ip v6 with prefix length", ipAlt, u"2001:DB8::1/128"_s,
           many(u"192.0.2.1"_s, 1, u"2001:DB8::1/128"_s));
        no("ip v6 other", ipAlt, u"2001:db8::2"_s, many(u"192.0.2.1"_s, 1, u"2001:db8::2"_s));
        no("ip v4-mapped host vs v4 SAN", ipAlt, u"::ffff:192.0.2.1"_s,
           many(u"192.0.2.1"_s, 1, u"::ffff:192.0.2.1"_s));
        no("ip SANs dns host", ipAlt, kCn, many(u"192.0.2.1"_s, 1, kCn));

        // IP in the CN only (server-ip-cn-only): a string compare.
        const CertSpec ipCn = spec(u"192.0.2.1"_s);
        ok("ip cn exact", ipCn, u"192.0.2.1"_s, u"192.0.2.1"_s);
        no("ip cn other spelling", ipCn, u"192.000.002.001"_s, one(u"192.0.2.1"_s, u"192.000.002.001"_s));

        // IP CN and iPAddress SANs (server-ip-cn-and-alt-names): the CN is ignored.
        const CertSpec ipCnAlt = spec(u"192.0.2.1"_s, {}, {u"192.0.2.2"_s, u"2001:DB8::1"_s});
        ok("ip cn+alt v4", ipCnAlt, u"192.0.2.2"_s, u"192.0.2.2"_s);
        ok("ip cn+alt v6", ipCnAlt, u"2001:db8::1"_s, u"2001:db8::1"_s);
        no("ip cn+alt cn ignored", ipCnAlt, u"192.0.2.1"_s, many(u"192.0.2.2"_s, 1, u"192.0.2.1"_s));

        // IP CN and dNSName SANs (server-ip-cn-and-dns-alt-names): the CN still counts for IP hosts.
        const CertSpec ipCnDns = spec(u"192.0.2.1"_s, {kDns1, kDns2});
        ok("ip cn+dns cn used", ipCnDns, u"192.0.2.1"_s, u"192.0.2.1"_s);
        ok("ip cn+dns dns1", ipCnDns, kDns1, kDns1);
        no("ip cn+dns other ip", ipCnDns, u"192.0.2.2"_s, many(kDns1, 2, u"192.0.2.2"_s));
        no("ip cn+dns dns host, cn ignored", ipCnDns, u"192.0.2.1.example"_s,
           many(kDns1, 1, u"192.0.2.1.example"_s));

        // An IP written in a dNSName (server-ip-in-dnsname): a string compare.
        const CertSpec ipInDns = spec(QString(), {u"192.0.2.1"_s});
        ok("ip in dnsname exact", ipInDns, u"192.0.2.1"_s, u"192.0.2.1"_s);
        no("ip in dnsname other spelling", ipInDns, u"192.000.002.001"_s,
           one(u"192.0.2.1"_s, u"192.000.002.001"_s));

        // CN and iPAddress SANs (server-cn-and-ip-alt-names): IP SANs never block the CN for DNS hosts.
        const CertSpec cnIpAlt = spec(kCn, {}, {u"192.0.2.1"_s, u"2001:DB8::1"_s});
        ok("cn+ip cn", cnIpAlt, kCn, kCn);
        ok("cn+ip v4", cnIpAlt, u"192.0.2.1"_s, u"192.0.2.1"_s);
        ok("cn+ip v6", cnIpAlt, u"2001:db8::1"_s, u"2001:db8::1"_s);
        no("cn+ip other ip", cnIpAlt, u"192.0.2.2"_s, many(u"192.0.2.1"_s, 1, u"192.0.2.2"_s));
        no("cn+ip other name", cnIpAlt, u"wronghost.test"_s, many(u"192.0.2.1"_s, 2, u"wronghost.test"_s));

        // Wildcards.
        ok("wildcard cn", spec(kWildcard), u"foo.wildcard.pg-ssltest.test"_s, kWildcard);
        no("wildcard cn two labels", spec(kWildcard), u"a.b.wildcard.pg-ssltest.test"_s,
           one(kWildcard, u"a.b.wildcard.pg-ssltest.test"_s));
        no("partial wildcard", spec(QString(), {u"f*.example.com"_s}), u"foo.example.com"_s,
           one(u"f*.example.com"_s, u"foo.example.com"_s));
        ok("partial wildcard literal", spec(QString(), {u"f*.example.com"_s}), u"F*.example.com"_s,
           u"f*.example.com"_s);
        ok("wildcard no public suffix rule", spec(QString(), {u"*.com"_s}), u"example.com"_s, u"*.com"_s);
        no("lone star", spec(QString(), {u"*"_s}), u"example"_s, one(u"*"_s, u"example"_s));
        no("star dot too short", spec(QString(), {u"*."_s}), u"a."_s, one(u"*."_s, u"a."_s));
        no("two stars", spec(QString(), {u"*.*.example.com"_s}), u"a.b.example.com"_s,
           one(u"*.*.example.com"_s, u"a.b.example.com"_s));
        ok("star is a lone dot (libpq quirk)", spec(QString(), {u"*.a.b"_s}), u"..a.b"_s, u"*.a.b"_s);
        no("wildcard host without label", spec(QString(), {u"*.example.com"_s}), u".example.com"_s,
           one(u"*.example.com"_s, u".example.com"_s));
        ok("wildcard mixed case", spec(QString(), {u"*.Example.COM"_s}), u"x.EXAMPLE.com"_s,
           u"*.Example.COM"_s);
        no("wildcard not in the middle", spec(QString(), {u"db.*.example.com"_s}), u"db.x.example.com"_s,
           one(u"db.*.example.com"_s, u"db.x.example.com"_s));

        // Embedded NUL (CVE-2009-4034) and invalid IP lengths.
        const QByteArray evil("db.example.com\0.evil.test", 25);
        err("nul in dnsname", withRawDns(spec(QString()), {evil}), u"db.example.com"_s, kNul);
        ok("match before nul entry", withRawDns(spec(QString(), {u"db.example.com"_s}), {evil}),
           u"db.example.com"_s, u"db.example.com"_s);
        err("nul after mismatch", withRawDns(spec(QString(), {u"other.example.com"_s}), {evil}),
            u"db.example.com"_s, kNul);
        err("ip length 5", withRawIps(spec(QString()), {QByteArray("\xc0\x00\x02\x01\x00", 5)}),
            u"192.0.2.1"_s, badLength(5));
        err("ip length 8 dns host", withRawIps(spec(QString()), {QByteArray(8, '\x01')}), u"db.example.com"_s,
            badLength(8));
        err("ip length 0", withRawIps(spec(QString()), {QByteArray()}), u"192.0.2.1"_s, badLength(0));
        ok("match before bad ip", withRawIps(spec(QString(), {u"db.example.com"_s}), {QByteArray(5, '\x01')}),
           u"db.example.com"_s, u"db.example.com"_s);
        err("empty host", cnOnly, QString(), kNoHost);
        err("host cut at nul", cnOnly, QString(QChar(u'\0')) + kCn, kNoHost);
        no("space host", cnOnly, u" "_s, one(kCn, u" "_s));

        // SAN types libpq neither uses nor counts.
        CertSpec email = spec(u"db.example.com"_s);
        email.emails = {u"admin@db.example.com"_s};
        ok("email SAN ignored, cn used", email, u"db.example.com"_s, u"db.example.com"_s);
        no("email SAN not counted", email, u"other.example.com"_s,
           one(u"db.example.com"_s, u"other.example.com"_s));
        CertSpec uri = spec(QString());
        uri.uris = {u"https://db.example.com/"_s};
        no("uri SAN only", uri, u"db.example.com"_s, kNoNames);

        // More address forms.
        ok("v4-mapped SAN", spec(QString(), {}, {u"::ffff:192.0.2.1"_s}), u"::FFFF:192.0.2.1"_s,
           u"::ffff:192.0.2.1"_s);
        no("zone id is not an address", spec(QString(), {}, {u"fe80::1"_s}), u"fe80::1%eth0"_s,
           one(u"fe80::1"_s, u"fe80::1%eth0"_s));
        ok("hex and short form", spec(QString(), {}, {u"127.0.0.1"_s}), u"0x7f.1"_s, u"127.0.0.1"_s);
        ok("three-part v4", spec(QString(), {}, {u"1.2.0.3"_s}), u"1.2.3"_s, u"1.2.0.3"_s);
        no("ip host, dns SAN only", spec(QString(), {u"db.example.com"_s}), u"10.0.0.5"_s,
           one(u"db.example.com"_s, u"10.0.0.5"_s));
        no("empty dnsname", spec(QString(), {QString()}), u"db"_s, one(QString(), u"db"_s));

        QStringList ten;
        for (int i = 0; i < 10; ++i)
            ten << u"n%1.example.com"_s.arg(i);
        no("ten names plural", spec(kCn, ten), u"x.example.com"_s,
           many(u"n0.example.com"_s, 9, u"x.example.com"_s));
        ok("ten names last", spec(kCn, ten), u"n9.example.com"_s, u"n9.example.com"_s);

        // CNs that are not plain text: libpq takes the raw string bytes.
        QTest::newRow("bmpstring cn") << spec(QString()) << int(V_ASN1_BMPSTRING) << QByteArray("\0d\0b", 4)
                                      << u"db"_s << Outcome::Error << kNul << QString();
        QTest::newRow("nul in cn") << spec(QString()) << int(V_ASN1_UTF8STRING)
                                   << QByteArray("db.example.com\0x", 16) << u"db.example.com"_s
                                   << Outcome::Error << kNul << QString();
        QTest::newRow("ia5string cn")
            << spec(QString()) << int(V_ASN1_IA5STRING) << QByteArray("db.example.com") << u"DB.example.com"_s
            << Outcome::Matched << QString() << u"db.example.com"_s;
    }

    void match()
    {
        QFETCH(CertSpec, certSpec);
        QFETCH(int, cnType);
        QFETCH(QByteArray, cnRaw);
        QFETCH(QString, host);
        QFETCH(Outcome, outcome);
        QFETCH(QString, message);
        QFETCH(QString, matched);

        const Certificate cert = makeCertificate(certSpec, cnType, cnRaw);
        QVERIFY(!cert.isNull());
        const HostNameMatch m = HostNameMatcher::match(cert, host);
        QCOMPARE(m.outcome, outcome);
        QCOMPARE(m.message, message);
        QCOMPARE(m.isMatched(), outcome == Outcome::Matched);
        if (outcome == Outcome::Matched) {
            QVERIFY(m.matchedName());
            QCOMPARE(m.matchedName()->value, matched);
            QVERIFY(m.matchedName()->matched && m.matchedName()->examined);
        } else {
            QVERIFY(!m.matchedName());
            QVERIFY(!m.toError().code.isEmpty());
            QCOMPARE(m.toError().message, message);
            QVERIFY(!m.explanation().isEmpty());
        }
        int examined = 0;
        for (const CertificateName& n : m.names)
            examined += n.examined ? 1 : 0;
        QCOMPARE(examined, m.namesExamined);
    }

    void namesListAndExplanation()
    {
        const Certificate cert = makeCertificate(
            spec(u"db.internal"_s, {u"db.internal"_s, u"*.svc.example.com"_s}, {u"10.0.0.5"_s}));
        const HostNameMatch m = HostNameMatcher::match(cert, u"db.example.com"_s);
        QCOMPARE(m.outcome, Outcome::Mismatch);
        QCOMPARE(m.names.size(), 4);
        QCOMPARE(m.names.at(0).source, CertificateName::Source::DnsSan);
        QCOMPARE(m.names.at(1).value, u"*.svc.example.com"_s);
        QCOMPARE(m.names.at(2).source, CertificateName::Source::IpSan);
        QCOMPARE(m.names.at(2).raw, QByteArray("\x0a\x00\x00\x05", 4));
        QCOMPARE(m.names.at(3).source, CertificateName::Source::CommonName);
        QVERIFY(m.names.at(2).examined);  // IP SANs are examined (and counted) for a DNS host
        QVERIFY(!m.names.at(3).examined); // the CN is not: there are dNSName SANs
        QVERIFY(m.commonNameIgnored);
        QCOMPARE(m.namesExamined, 3);
        QCOMPARE(m.firstName, u"db.internal"_s);
        QCOMPARE(m.toError().code, u"pki.hostname-mismatch"_s);
        const QString text = m.explanation();
        QVERIFY2(text.startsWith(u"The certificate names db.internal, *.svc.example.com and 10.0.0.5; "
                                 u"you connected to \"db.example.com\"."_s),
                 qPrintable(text));

        const HostNameMatch hit = HostNameMatcher::match(cert, u"api.svc.example.com"_s);
        QCOMPARE(hit.matchedIndex, 1);
        QVERIFY(!hit.names.at(2).examined); // libpq stops at the match
        QVERIFY(hit.explanation().contains(u"matches \"*.svc.example.com\""_s));
    }

    void explanationReasons_data()
    {
        QTest::addColumn<CertSpec>("certSpec");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("reason");

        QTest::newRow("trailing dot") << spec(kCn) << kCn + u"."_s << u"does not drop a trailing dot"_s;
        QTest::newRow("wildcard depth")
            << spec(QString(), {kWildcard}) << u"a.b.wildcard.pg-ssltest.test"_s << u"exactly one label"_s;
        QTest::newRow("wildcard base")
            << spec(QString(), {kWildcard}) << u"wildcard.pg-ssltest.test"_s << u"itself"_s;
        QTest::newRow("cn ignored") << spec(kCn, {kDns1}) << kCn << u"ignores the common name"_s;
        QTest::newRow("ip as text") << spec(QString(), {u"192.0.2.1"_s}) << u"192.000.002.001"_s
                                    << u"compares it as text"_s;
        QTest::newRow("name vs ip SANs")
            << spec(QString(), {}, {u"10.0.0.5"_s}) << u"db.example.com"_s << u"You connected by name"_s;
        QTest::newRow("ip vs dns SANs")
            << spec(QString(), {u"db.example.com"_s}) << u"10.0.0.5"_s << u"You connected by IP address"_s;
        QTest::newRow("no names") << spec(QString()) << u"db"_s << u"holds no DNS name"_s;
    }

    void explanationReasons()
    {
        QFETCH(CertSpec, certSpec);
        QFETCH(QString, host);
        QFETCH(QString, reason);
        const HostNameMatch m = HostNameMatcher::match(makeCertificate(certSpec), host);
        QCOMPARE(m.outcome, Outcome::Mismatch);
        QVERIFY2(m.explanation().contains(reason), qPrintable(m.explanation()));
    }

    void errorCodes()
    {
        const Certificate plain = makeCertificate(spec(kCn));
        QCOMPARE(HostNameMatcher::match(plain, QString()).toError().code, u"pki.hostname-missing-host"_s);
        QVERIFY(HostNameMatcher::match(plain, QString()).explanation().contains(u"hostaddr"_s));
        const Certificate nul = makeCertificate(withRawDns(spec(QString()), {QByteArray("a\0b", 3)}));
        const HostNameMatch n = HostNameMatcher::match(nul, u"a"_s);
        QCOMPARE(n.toError().code, u"pki.hostname-embedded-null"_s);
        QVERIFY(n.explanation().contains(u"a\\x00b"_s));
        QVERIFY(n.firstName.isNull()); // libpq keeps no name for the rejected entry
        const Certificate bad = makeCertificate(withRawIps(spec(QString()), {QByteArray(3, '\x01')}));
        QCOMPARE(HostNameMatcher::match(bad, u"1.1.1.1"_s).toError().code, u"pki.hostname-bad-ip-length"_s);
        QCOMPARE(HostNameMatcher::match(makeCertificate(spec(QString())), u"x"_s).toError().code,
                 u"pki.hostname-no-names"_s);
        // A null certificate holds no names.
        const HostNameMatch none = HostNameMatcher::match(Certificate(), u"x"_s);
        QCOMPARE(none.message, kNoNames);
    }

    void isIpAddress_data()
    {
        QTest::addColumn<QString>("host");
        QTest::addColumn<bool>("ip");
        QTest::newRow("dotted") << u"192.0.2.1"_s << true;
        QTest::newRow("zeros") << u"192.000.002.001"_s << true;
        QTest::newRow("number") << u"3221225985"_s << true;
        QTest::newRow("hex") << u"0xc0.0.2.1"_s << true;
        QTest::newRow("octal") << u"0300.0.2.1"_s << true;
        QTest::newRow("trailing space text") << u"192.0.2.1 x"_s << true;
        QTest::newRow("v6") << u"2001:db8::1"_s << true;
        QTest::newRow("v6 zone") << u"fe80::1%eth0"_s << false;
        QTest::newRow("v6 prefix") << u"2001:db8::1/128"_s << false;
        QTest::newRow("name") << u"db.example.com"_s << false;
        QTest::newRow("digits and dots but too big") << u"256.1.1.1"_s << false;
        QTest::newRow("empty") << QString() << false;
    }

    void isIpAddress()
    {
        QFETCH(QString, host);
        QFETCH(bool, ip);
        QCOMPARE(HostNameMatcher::isIpAddress(host), ip);
    }

    void ipToString()
    {
        QCOMPARE(HostNameMatcher::ipToString(QByteArray("\xc0\x00\x02\x01", 4)), u"192.0.2.1"_s);
        QCOMPARE(HostNameMatcher::ipToString(QByteArray("\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x01", 16)),
                 u"2001:db8::1"_s);
        QCOMPARE(HostNameMatcher::ipToString(QByteArray(5, '\0')), QString());
    }
};

QTEST_GUILESS_MAIN(TestHostName)
#include "tst_hostname.moc"
