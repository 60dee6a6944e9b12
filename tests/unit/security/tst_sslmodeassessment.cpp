// Tests of vf::security: libpq's sslmode table and the assessment of effective settings.
// Expected values come from the PostgreSQL 18 behaviour described in spec/libpq-tls.md (§1.3, §2.1,
// §4 steps 8-9 and 17, §5.2) and were checked against the real libpq 15 where it already behaves so.

#include "security/SslMode.h"
#include "security/SslModeAssessment.h"
#include "security/SslModeTable.h"

#include <QCoreApplication>
#include <QTest>
#include <QTranslator>

#include <optional>

using namespace Qt::StringLiterals;
using namespace vf::security;

namespace {

enum class Root
{
    Present, // ~/.postgresql/root.crt (or sslrootcert) exists
    Missing,
    System, // sslrootcert=system
};

enum class Host
{
    Tcp,        // host=db.example.com
    UnixSocket, // host=/var/run/postgresql
    IpOnly,     // hostaddr=192.0.2.1 without host
};

const QString kDefaultRoot = u"/home/u/.postgresql/root.crt"_s;

// Chainable AssessmentInput for readable rows. gssencmode defaults to "disable" here so that the
// GSSAPI note does not appear in every row; the rows about GSSAPI set it.
struct In : AssessmentInput
{
    In()
    {
        gssencmode = u"disable"_s;
        rootCertPath = kDefaultRoot;
    }
    In& mode(const QString& m)
    {
        sslmode = m;
        sslmodeExplicit = true;
        return *this;
    }
    In& root(Root r)
    {
        rootFileExists = r == Root::Present;
        if (r == Root::System) {
            sslrootcert = u"system"_s;
            rootCertPath.clear();
        }
        return *this;
    }
    In& rootFile(const QString& path, bool exists)
    {
        sslrootcert = path;
        rootCertPath = path;
        rootFileExists = exists;
        return *this;
    }
    In& host(Host h)
    {
        hostIsUnixSocket = h == Host::UnixSocket;
        hostIsIpOnly = h == Host::IpOnly;
        return *this;
    }
    In& negotiation(const QString& n)
    {
        sslnegotiation = n;
        return *this;
    }
    In& gss(const QString& g)
    {
        gssencmode = g;
        return *this;
    }
    In& crl(const QString& file, const QString& dir, bool loads)
    {
        sslcrl = file;
        sslcrldir = dir;
        crlLoads = loads;
        return *this;
    }
};

struct Expect
{
    Severity severity = Severity::Unsafe;
    std::optional<SslMode> behavesAs;        // nullopt: no effective mode (invalid sslmode)
    std::optional<Protection> eavesdropping; // nullopt: no verdicts (the connection fails)
    std::optional<Protection> mitm;
    QString failureCode;    // empty: must not fail
    QString failureMessage; // exact libpq wording (checked when non-empty)
    QStringList reasonCodes;
    QString phrase;                            // must appear in a reason, the failure explanation or a note
    QStringList stepCodes;                     // the exact list of next steps, in order
    QList<bool> oneClick;                      // per step
    QStringList noteCodes;                     // the exact list of notes
    QList<std::pair<Threat, Protection>> more; // further threat verdicts to check
};

QStringList codesOf(const QList<Reason>& reasons)
{
    QStringList out;
    for (const Reason& r : reasons)
        out.append(r.code);
    return out;
}

QStringList codesOf(const QList<NextStep>& steps)
{
    QStringList out;
    for (const NextStep& s : steps)
        out.append(s.code);
    return out;
}

QString modeName(SslMode m)
{
    return sslModeKeyword(m);
}

// A translator that marks every text of one context, to prove the texts go through translate().
class MarkingTranslator final : public QTranslator
{
public:
    explicit MarkingTranslator(const char* context)
        : m_context(context)
    {}
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* sourceText, const char* = nullptr,
                      int = -1) const override
    {
        if (qstrcmp(context, m_context) != 0)
            return {};
        return u"[tr]"_s + QString::fromUtf8(sourceText);
    }

private:
    const char* m_context;
};

} // namespace

Q_DECLARE_METATYPE(AssessmentInput)
Q_DECLARE_METATYPE(Expect)
Q_DECLARE_METATYPE(SslMode)
Q_DECLARE_METATYPE(Root)
Q_DECLARE_METATYPE(Host)

class TestSslModeAssessment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parsesSslModesExactly_data();
    void parsesSslModesExactly();
    void tableIsLibpqs();
    void tableTextsAreTranslatable();
    void assessment_data();
    void assessment();
    void matrix_data();
    void matrix();
    void garbageValuesGiveClearErrors_data();
    void garbageValuesGiveClearErrors();
    void textOutput();
};

void TestSslModeAssessment::parsesSslModesExactly_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("mode"); // -1: invalid
    QTest::addRow("disable") << u"disable"_s << int(SslMode::Disable);
    QTest::addRow("allow") << u"allow"_s << int(SslMode::Allow);
    QTest::addRow("prefer") << u"prefer"_s << int(SslMode::Prefer);
    QTest::addRow("require") << u"require"_s << int(SslMode::Require);
    QTest::addRow("verify-ca") << u"verify-ca"_s << int(SslMode::VerifyCa);
    QTest::addRow("verify-full") << u"verify-full"_s << int(SslMode::VerifyFull);
    QTest::addRow("upper case") << u"Require"_s << -1;
    QTest::addRow("leading space") << u" require"_s << -1;
    QTest::addRow("trailing space") << u"require "_s << -1;
    QTest::addRow("underscore") << u"verify_full"_s << -1;
    QTest::addRow("prefix") << u"verify"_s << -1;
    QTest::addRow("empty") << QString() << -1;
    QTest::addRow("embedded NUL") << QString::fromUtf16(u"require\0x", 9) << -1;
    QTest::addRow("huge") << QString(1 << 20, u'x') << -1;
}

void TestSslModeAssessment::parsesSslModesExactly()
{
    QFETCH(QString, text);
    QFETCH(int, mode);
    const std::optional<SslMode> parsed = parseSslMode(text);
    if (mode < 0) {
        QVERIFY(!parsed);
        return;
    }
    QVERIFY(parsed);
    QCOMPARE(int(*parsed), mode);
    QCOMPARE(sslModeKeyword(*parsed), text);
}

void TestSslModeAssessment::tableIsLibpqs()
{
    const auto table = sslModeTable();
    QCOMPARE(table.size(), std::size_t(6));
    const SslMode order[] = {SslMode::Disable, SslMode::Allow,    SslMode::Prefer,
                             SslMode::Require, SslMode::VerifyCa, SslMode::VerifyFull};
    for (std::size_t i = 0; i < table.size(); ++i) {
        QCOMPARE(table[i].mode, order[i]);
        QCOMPARE(&describeSslMode(order[i]), &table[i]);
        QVERIFY(!table[i].statementText().isEmpty());
    }

    struct Row
    {
        Protection eav;
        Protection mitm;
        QString eavText;
        QString mitmText;
        QString statement;
    };
    // libpq-ssl.html, table "SSL Mode Descriptions", verbatim.
    const Row expected[] = {
        {Protection::No, Protection::No, u"No"_s, u"No"_s,
         u"I don't care about security, and I don't want to pay the overhead of encryption."_s},
        {Protection::Maybe, Protection::No, u"Maybe"_s, u"No"_s,
         u"I don't care about security, but I will pay the overhead of encryption if the server insists on it."_s},
        {Protection::Maybe, Protection::No, u"Maybe"_s, u"No"_s,
         u"I don't care about encryption, but I wish to pay the overhead of encryption if the server supports it."_s},
        {Protection::Yes, Protection::No, u"Yes"_s, u"No"_s,
         u"I want my data to be encrypted, and I accept the overhead. I trust that the network will make "
         u"sure I "
         u"always connect to the server I want."_s},
        {Protection::Yes, Protection::Maybe, u"Yes"_s, u"Depends on CA policy"_s,
         u"I want my data encrypted, and I accept the overhead. I want to be sure that I connect to a server "
         u"that I trust."_s},
        {Protection::Yes, Protection::Yes, u"Yes"_s, u"Yes"_s,
         u"I want my data encrypted, and I accept the overhead. I want to be sure that I connect to a server "
         u"I "
         u"trust, and that it's the one I specify."_s},
    };
    for (std::size_t i = 0; i < table.size(); ++i) {
        const SslModeDescription& row = table[i];
        QCOMPARE(row.eavesdropping, expected[i].eav);
        QCOMPARE(row.mitm, expected[i].mitm);
        QCOMPARE(row.eavesdroppingLabel(), expected[i].eavText);
        QCOMPARE(row.mitmLabel(), expected[i].mitmText);
        QCOMPARE(row.statementText(), expected[i].statement);
        QCOMPARE(row.keyword(), sslModeKeyword(order[i]));
    }
    QCOMPARE(describeSslMode(SslMode::Disable).noteText(), QString());
    QVERIFY(describeSslMode(SslMode::Require).noteText().contains(u"verify-ca"));
    QVERIFY(describeSslMode(SslMode::Prefer).noteText().contains(u"default"));

    QCOMPARE(kSslModeTableColumns, 4);
    QCOMPARE(sslModeTableHeading(0), u"sslmode"_s);
    QCOMPARE(sslModeTableHeading(1), u"Eavesdropping protection"_s);
    QCOMPARE(sslModeTableHeading(2), u"MITM protection"_s);
    QCOMPARE(sslModeTableHeading(3), u"Statement"_s);
    QCOMPARE(sslModeTableHeading(4), QString());
    QCOMPARE(sslModeTableHeading(-1), QString());

    QCOMPARE(protectionLabel(Protection::Maybe), u"Maybe"_s);
    QCOMPARE(severityLabel(Severity::WillFail), u"will fail"_s);
    QCOMPARE(threatLabel(Threat::Eavesdropping), u"Eavesdropping"_s);
}

void TestSslModeAssessment::tableTextsAreTranslatable()
{
    MarkingTranslator table("vf::security::SslModeTable");
    MarkingTranslator assessment("vf::security::SslModeAssessment");
    QVERIFY(QCoreApplication::installTranslator(&table));
    QVERIFY(QCoreApplication::installTranslator(&assessment));
    const SslModeDescription& row = describeSslMode(SslMode::VerifyCa);
    const QString statement = row.statementText();
    const QString mitm = row.mitmLabel();
    const QString heading = sslModeTableHeading(1);
    const SslModeAssessment a = SslModeAssessment::assess(In().mode(u"require"_s).root(Root::Present));
    QCoreApplication::removeTranslator(&assessment);
    QCoreApplication::removeTranslator(&table);

    QVERIFY2(statement.startsWith(u"[tr]I want my data encrypted"), qPrintable(statement));
    QCOMPARE(mitm, u"[tr]Depends on CA policy"_s);
    QCOMPARE(heading, u"[tr]Eavesdropping protection"_s);
    QCOMPARE(sslModeTableHeading(0), u"sslmode"_s); // a keyword stays as it is
    QVERIFY(!a.reasons().isEmpty());
    for (const Reason& r : a.reasons())
        QVERIFY2(r.text.startsWith(u"[tr]"), qPrintable(r.text));
    // libpq's messages are never translated: people search for them.
    const SslModeAssessment failing =
        SslModeAssessment::assess(In().mode(u"verify-full"_s).root(Root::Present).host(Host::IpOnly));
    QCOMPARE(failing.failure()->message, u"host name must be specified for a verified SSL connection"_s);
}

void TestSslModeAssessment::assessment_data()
{
    QTest::addColumn<AssessmentInput>("input");
    QTest::addColumn<Expect>("expect");

    const QString rootMissingMsg = u"root certificate file \"/home/u/.postgresql/root.crt\" does not "
                                   u"exist\nEither provide the file, use "
                                   u"the system's trusted roots with sslrootcert=system, or change sslmode "
                                   u"to disable server certificate "
                                   u"verification."_s;

    // --- the legacy root-file rule (initialize_SSL() step 17) ---
    {
        Expect e;
        e.severity = Severity::Weak;
        e.behavesAs = SslMode::VerifyCa;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Maybe;
        e.reasonCodes = {u"require-behaves-as-verify-ca"_s};
        e.phrase =
            u"require behaves as verify-ca here because a root file exists: /home/u/.postgresql/root.crt"_s;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        e.more = {{Threat::Downgrade, Protection::Yes},
                  {Threat::OtherCertificateOfSameCa, Protection::No},
                  {Threat::RevokedCertificate, Protection::No}};
        QTest::addRow("require, root file present")
            << AssessmentInput(In().mode(u"require"_s).root(Root::Present)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Weak;
        e.behavesAs = SslMode::Require;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::No;
        e.reasonCodes = {u"require-accepts-any-certificate"_s};
        e.phrase = u"accepts any certificate"_s;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslrootcert"_s};
        e.oneClick = {false, false};
        e.more = {{Threat::Downgrade, Protection::Yes}, {Threat::RevokedCertificate, Protection::No}};
        QTest::addRow("require, no root file")
            << AssessmentInput(In().mode(u"require"_s).root(Root::Missing)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Unsafe;
        e.behavesAs = SslMode::Prefer;
        e.eavesdropping = Protection::Maybe;
        e.mitm = Protection::No;
        e.reasonCodes = {u"prefer-may-fall-back"_s, u"root-file-checks-chain"_s};
        e.phrase = u"silently retries without encryption"_s;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        e.more = {{Threat::Downgrade, Protection::No}};
        QTest::addRow("prefer, root file present")
            << AssessmentInput(In().mode(u"prefer"_s).root(Root::Present)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Unsafe;
        e.behavesAs = SslMode::Allow;
        e.eavesdropping = Protection::Maybe;
        e.mitm = Protection::No;
        e.reasonCodes = {u"allow-plaintext-first"_s, u"root-file-checks-chain"_s};
        e.phrase = u"only if the server rejects the unencrypted connection"_s;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        QTest::addRow("allow, root file present")
            << AssessmentInput(In().mode(u"allow"_s).root(Root::Present)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Unsafe;
        e.behavesAs = SslMode::Prefer;
        e.eavesdropping = Protection::Maybe;
        e.mitm = Protection::No;
        e.reasonCodes = {u"default-prefer"_s, u"prefer-may-fall-back"_s};
        e.phrase = u"libpq uses its default, prefer"_s;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslrootcert"_s};
        e.oneClick = {false, false};
        e.noteCodes = {u"gss-may-be-used"_s};
        In in;
        in.gssencmode.clear(); // libpq's default, prefer
        QTest::addRow("nothing set: default prefer") << AssessmentInput(in) << e;
    }
    {
        Expect e;
        e.severity = Severity::Unsafe;
        e.behavesAs = SslMode::Disable;
        e.eavesdropping = Protection::No;
        e.mitm = Protection::No;
        e.reasonCodes = {u"disable-never-tls"_s};
        e.phrase = u"passwords included"_s;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        QTest::addRow("disable, root file present")
            << AssessmentInput(In().mode(u"disable"_s).root(Root::Present)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Weak;
        e.behavesAs = SslMode::VerifyCa;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Maybe;
        e.reasonCodes = {u"verify-ca-checks-chain"_s};
        e.phrase = u"Depends on CA policy"_s;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        e.more = {{Threat::OtherCertificateOfSameCa, Protection::No}};
        QTest::addRow("verify-ca, root file present")
            << AssessmentInput(In().mode(u"verify-ca"_s).root(Root::Present)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::VerifyFull;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.reasonCodes = {u"verify-full-checks-chain-and-host"_s};
        e.phrase = u"issued by a CA in /etc/ssl/our-ca.pem"_s;
        e.more = {{Threat::OtherCertificateOfSameCa, Protection::Yes},
                  {Threat::Downgrade, Protection::Yes},
                  {Threat::RevokedCertificate, Protection::No}};
        QTest::addRow("verify-full, explicit sslrootcert")
            << AssessmentInput(In().mode(u"verify-full"_s).rootFile(u"/etc/ssl/our-ca.pem"_s, true)) << e;
    }

    // --- sslrootcert=system (conninfo_add_defaults, pqConnectOptions2) ---
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::VerifyFull;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.reasonCodes = {u"system-defaults-verify-full"_s, u"system-roots"_s,
                         u"verify-full-checks-chain-and-host"_s};
        e.phrase = u"sslrootcert=system makes libpq default to verify-full"_s;
        e.more = {{Threat::RevokedCertificate, Protection::No}};
        QTest::addRow("system, no sslmode: verify-full") << AssessmentInput(In().root(Root::System)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::VerifyFull;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.reasonCodes = {u"system-defaults-verify-full"_s};
        e.phrase = u"sslcrl and sslcrldir are ignored"_s;
        e.noteCodes = {u"crl-ignored-with-system"_s};
        In in;
        in.root(Root::System).crl(u"/etc/ssl/ca.crl"_s, {}, true);
        in.sslmode = u"prefer"_s; // the compiled default, not set by the user
        QTest::addRow("system, defaulted prefer, CRL ignored") << AssessmentInput(in) << e;
    }
    for (const QString& weak : {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s}) {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.weak-sslmode-system"_s;
        e.failureMessage =
            u"weak sslmode \"%1\" may not be used with sslrootcert=system (use \"verify-full\")"_s.arg(weak);
        e.phrase = u"only allows sslrootcert=system with verify-full"_s;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        e.behavesAs = std::nullopt;
        QTest::addRow("system, explicit %s", qPrintable(weak))
            << AssessmentInput(In().mode(weak).root(Root::System)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::VerifyFull;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.reasonCodes = {u"verify-full-checks-chain-and-host"_s};
        e.phrase = u"a CA in ./system"_s;
        QTest::addRow("./system is a file")
            << AssessmentInput(In().mode(u"verify-full"_s).rootFile(u"./system"_s, true)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.root-file-missing"_s;
        e.failureMessage =
            u"root certificate file \"System\" does not exist\nEither provide the file, use the system's "
            u"trusted "
            u"roots with sslrootcert=system, or change sslmode to disable server certificate verification."_s;
        e.behavesAs = SslMode::VerifyFull;
        e.stepCodes = {u"sslrootcert"_s};
        e.oneClick = {false};
        QTest::addRow("System (capital) is a missing file")
            << AssessmentInput(In().mode(u"verify-full"_s).rootFile(u"System"_s, false)) << e;
    }

    // --- sslnegotiation (pqConnectOptions2 step 6, before the sslrootcert=system check) ---
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.weak-sslmode-direct"_s;
        e.failureMessage =
            u"weak sslmode \"prefer\" may not be used with sslnegotiation=direct (use \"require\", "
            u"\"verify-ca\", or \"verify-full\")"_s;
        e.phrase = u"cannot fall back"_s;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslnegotiation-postgres"_s};
        e.oneClick = {true, true};
        QTest::addRow("direct with prefer, root present")
            << AssessmentInput(In().mode(u"prefer"_s).root(Root::Present).negotiation(u"direct"_s)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.weak-sslmode-direct"_s;
        e.failureMessage =
            u"weak sslmode \"allow\" may not be used with sslnegotiation=direct (use \"require\", "
            u"\"verify-ca\", or \"verify-full\")"_s;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslnegotiation-postgres"_s};
        e.oneClick = {true, true};
        QTest::addRow("direct with allow and system: direct reported first")
            << AssessmentInput(In().mode(u"allow"_s).root(Root::System).negotiation(u"direct"_s)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::VerifyFull;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.phrase = u"PostgreSQL 17 or later"_s;
        e.noteCodes = {u"direct-negotiation"_s};
        QTest::addRow("direct with verify-full")
            << AssessmentInput(In().mode(u"verify-full"_s).root(Root::Present).negotiation(u"direct"_s)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.invalid-sslnegotiation"_s;
        e.failureMessage = u"invalid sslnegotiation value: \"DIRECT\""_s;
        e.behavesAs = std::nullopt;
        e.stepCodes = {u"sslnegotiation-postgres"_s};
        e.oneClick = {true};
        QTest::addRow("invalid sslnegotiation")
            << AssessmentInput(In().mode(u"require"_s).negotiation(u"DIRECT"_s)) << e;
    }

    // --- Unix-domain sockets (init_allowed_encryption_methods) ---
    {
        Expect e;
        e.severity = Severity::Weak;
        e.behavesAs = SslMode::Disable;
        e.eavesdropping = Protection::No;
        e.mitm = Protection::No;
        e.reasonCodes = {u"unix-socket-no-tls"_s};
        e.phrase = u"never uses TLS over a local socket, even with sslmode=verify-full"_s;
        e.stepCodes = {u"use-tcp-host"_s, u"requirepeer"_s};
        e.oneClick = {false, false};
        QTest::addRow("socket, verify-full, no root file: no error")
            << AssessmentInput(In().mode(u"verify-full"_s).root(Root::Missing).host(Host::UnixSocket)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.weak-sslmode-system"_s;
        e.behavesAs = std::nullopt;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        QTest::addRow("socket still validates options")
            << AssessmentInput(In().mode(u"require"_s).root(Root::System).host(Host::UnixSocket)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.gss-local-socket"_s;
        e.failureMessage = u"GSSAPI encryption required but it is not supported over a local socket"_s;
        e.behavesAs = SslMode::Disable;
        e.stepCodes = {u"gssencmode-prefer"_s};
        e.oneClick = {true};
        QTest::addRow("socket with gssencmode=require")
            << AssessmentInput(In().mode(u"verify-full"_s).host(Host::UnixSocket).gss(u"require"_s)) << e;
    }

    // --- hostaddr only (pq_verify_peer_name_matches_certificate) ---
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.host-name-required"_s;
        e.failureMessage = u"host name must be specified for a verified SSL connection"_s;
        e.behavesAs = SslMode::VerifyFull;
        e.phrase = u"only hostaddr is set"_s;
        e.stepCodes = {u"set-host"_s};
        e.oneClick = {false};
        QTest::addRow("hostaddr only, verify-full")
            << AssessmentInput(In().mode(u"verify-full"_s).root(Root::Present).host(Host::IpOnly)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Weak;
        e.behavesAs = SslMode::VerifyCa;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Maybe;
        e.stepCodes = {u"sslmode-verify-full"_s, u"set-host"_s};
        e.oneClick = {false, false};
        QTest::addRow("hostaddr only, verify-ca works")
            << AssessmentInput(In().mode(u"verify-ca"_s).root(Root::Present).host(Host::IpOnly)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.root-file-missing"_s;
        e.failureMessage = rootMissingMsg;
        e.behavesAs = SslMode::VerifyFull;
        e.stepCodes = {u"sslrootcert"_s, u"set-host"_s};
        e.oneClick = {false, false};
        QTest::addRow("hostaddr only, verify-full, no root: root error first")
            << AssessmentInput(In().mode(u"verify-full"_s).root(Root::Missing).host(Host::IpOnly)) << e;
    }

    // --- missing, unreadable root files, no home (initialize_SSL step 8) ---
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.root-file-missing"_s;
        e.failureMessage = rootMissingMsg;
        e.behavesAs = SslMode::VerifyCa;
        e.phrase = u"stops before the TLS handshake"_s;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslrootcert"_s};
        e.oneClick = {false, false};
        QTest::addRow("verify-ca, no root file")
            << AssessmentInput(In().mode(u"verify-ca"_s).root(Root::Missing)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.no-home-directory"_s;
        e.failureMessage =
            u"could not get home directory to locate root certificate file\nEither provide the file, use the "
            u"system's trusted roots with sslrootcert=system, or change sslmode to disable server "
            u"certificate "
            u"verification."_s;
        e.behavesAs = SslMode::VerifyFull;
        e.stepCodes = {u"sslrootcert"_s};
        e.oneClick = {false};
        In in;
        in.mode(u"verify-full"_s).root(Root::Present); // whatever exists, there is no home to find it in
        in.homeDirectoryKnown = false;
        QTest::addRow("verify-full, no home directory") << AssessmentInput(in) << e;
    }
    {
        Expect e;
        e.severity = Severity::Weak;
        e.behavesAs = SslMode::Require;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::No;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslrootcert"_s};
        e.oneClick = {false, false};
        In in;
        in.mode(u"require"_s).root(Root::Present);
        in.homeDirectoryKnown = false;
        QTest::addRow("require, no home directory: no verification") << AssessmentInput(in) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.root-file-unreadable"_s;
        e.failureMessage =
            u"could not read root certificate file \"/etc/ssl/dir\": no certificate or crl found"_s;
        e.behavesAs = SslMode::Require;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslrootcert"_s};
        e.oneClick = {false, false};
        In in;
        in.mode(u"require"_s).rootFile(u"/etc/ssl/dir"_s, true);
        in.rootFileError = u"no certificate or crl found"_s;
        QTest::addRow("require, unreadable root file") << AssessmentInput(in) << e;
    }
    {
        Expect e;
        e.severity = Severity::Unsafe;
        e.behavesAs = SslMode::Disable;
        e.eavesdropping = Protection::No;
        e.mitm = Protection::No;
        e.reasonCodes = {u"prefer-may-fall-back"_s, u"root-file-unreadable-plaintext"_s};
        e.phrase = u"every TLS attempt fails and prefer connects without encryption"_s;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslrootcert"_s};
        e.oneClick = {false, false};
        In in;
        in.mode(u"prefer"_s).root(Root::Present);
        in.rootFileError = u"no certificate or crl found"_s;
        QTest::addRow("prefer, unreadable root file: always plaintext") << AssessmentInput(in) << e;
    }

    // --- CRLs (initialize_SSL step 9) ---
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::VerifyFull;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.phrase = u"unable to get certificate CRL"_s;
        e.noteCodes = {u"crl-checked"_s};
        e.more = {{Threat::RevokedCertificate, Protection::Yes}};
        QTest::addRow("verify-full with default root.crl")
            << AssessmentInput(In().mode(u"verify-full"_s).root(Root::Present).crl({}, {}, true)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::VerifyFull;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.phrase = u"ignores sslcrldir too"_s;
        e.noteCodes = {u"crl-not-loaded"_s};
        e.stepCodes = {u"fix-crl"_s};
        e.oneClick = {false};
        e.more = {{Threat::RevokedCertificate, Protection::No}};
        QTest::addRow("verify-full, CRL file fails, dir ignored")
            << AssessmentInput(In().mode(u"verify-full"_s)
                                   .root(Root::Present)
                                   .crl(u"/nonexistent"_s, u"/etc/crl.d"_s, false))
            << e;
    }
    {
        Expect e;
        e.severity = Severity::Weak;
        e.behavesAs = SslMode::VerifyCa;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Maybe;
        e.phrase = u"Revocation is checked with /etc/crl.d"_s;
        e.noteCodes = {u"crl-checked"_s};
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        e.more = {{Threat::RevokedCertificate, Protection::Yes}};
        QTest::addRow("require + root + CRL dir")
            << AssessmentInput(In().mode(u"require"_s).root(Root::Present).crl({}, u"/etc/crl.d"_s, true))
            << e;
    }

    // --- GSSAPI (select_next_encryption_method) ---
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::Disable;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.reasonCodes = {u"gss-required-no-tls"_s};
        e.phrase = u"never tries TLS"_s;
        e.noteCodes = {u"gss-needs-ticket"_s};
        QTest::addRow("gssencmode=require, verify-full without root: GSS, no root error")
            << AssessmentInput(In().mode(u"verify-full"_s).root(Root::Missing).gss(u"require"_s)) << e;
    }
    {
        Expect e;
        e.severity = Severity::Safe;
        e.behavesAs = SslMode::VerifyFull;
        e.eavesdropping = Protection::Yes;
        e.mitm = Protection::Yes;
        e.phrase = u"Set gssencmode=disable to make sure TLS is used"_s;
        e.noteCodes = {u"gss-may-be-used"_s};
        QTest::addRow("gssencmode=prefer note")
            << AssessmentInput(In().mode(u"verify-full"_s).root(Root::Present).gss(u"prefer"_s)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.invalid-gssencmode"_s;
        e.failureMessage = u"invalid gssencmode value: \"yes\""_s;
        e.stepCodes = {u"gssencmode-prefer"_s};
        e.oneClick = {true};
        QTest::addRow("invalid gssencmode")
            << AssessmentInput(In().mode(u"verify-full"_s).gss(u"yes"_s)) << e;
    }

    // --- invalid sslmode values (pqConnectOptions2 step 5) ---
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.invalid-sslmode"_s;
        e.failureMessage = u"invalid sslmode value: \"Require\""_s;
        e.behavesAs = std::nullopt;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        QTest::addRow("sslmode=Require") << AssessmentInput(In().mode(u"Require"_s).root(Root::Present)) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.invalid-sslmode"_s;
        e.failureMessage = u"invalid sslmode value: \"\""_s;
        e.behavesAs = std::nullopt;
        e.stepCodes = {u"sslmode-verify-full"_s, u"sslrootcert"_s};
        e.oneClick = {false, false};
        QTest::addRow("explicit empty sslmode") << AssessmentInput(In().mode(QString())) << e;
    }
    {
        Expect e;
        e.severity = Severity::WillFail;
        e.failureCode = u"security.invalid-sslmode"_s;
        e.failureMessage = u"invalid sslmode value: \"bogus\""_s;
        e.behavesAs = std::nullopt;
        e.stepCodes = {u"sslmode-verify-full"_s};
        e.oneClick = {true};
        QTest::addRow("invalid sslmode reported before direct and system")
            << AssessmentInput(In().mode(u"bogus"_s).root(Root::System).negotiation(u"direct"_s)) << e;
    }
}

void TestSslModeAssessment::assessment()
{
    QFETCH(AssessmentInput, input);
    QFETCH(Expect, expect);
    const SslModeAssessment a = SslModeAssessment::assess(input);
    const QByteArray text = a.toText().toUtf8();

    QVERIFY2(a.severity() == expect.severity, text.constData());
    if (expect.behavesAs) {
        QVERIFY2(a.effective(), text.constData());
        QCOMPARE(a.effective()->behavesAs, *expect.behavesAs);
    } else {
        // Rejected while validating the options: libpq never gets as far as choosing a mode.
        QVERIFY2(!a.effective(), text.constData());
    }

    if (expect.failureCode.isEmpty()) {
        QVERIFY2(!a.failure(), text.constData());
    } else {
        QVERIFY2(a.failure(), text.constData());
        QCOMPARE(a.failure()->code, expect.failureCode);
        if (!expect.failureMessage.isEmpty())
            QCOMPARE(a.failure()->message, expect.failureMessage);
        QVERIFY(!a.failure()->explanation.isEmpty());
        QVERIFY2(a.threats().isEmpty(), "a failing connection sends nothing: no verdicts");
    }

    if (expect.eavesdropping) {
        QVERIFY2(a.threats().size() >= 2, text.constData());
        QCOMPARE(a.threats().at(0).threat, Threat::Eavesdropping);
        QCOMPARE(a.threats().at(1).threat, Threat::ManInTheMiddle);
        QCOMPARE(a.verdict(Threat::Eavesdropping)->protection, *expect.eavesdropping);
        QCOMPARE(a.verdict(Threat::ManInTheMiddle)->protection, *expect.mitm);
        for (const ThreatVerdict& v : a.threats()) {
            QVERIFY(!v.reason.code.isEmpty());
            QVERIFY(!v.reason.text.isEmpty());
        }
    }
    for (const auto& [threat, protection] : expect.more) {
        const auto v = a.verdict(threat);
        QVERIFY2(v, qPrintable(threatLabel(threat)));
        QVERIFY2(v->protection == protection, qPrintable(threatLabel(threat) + u": " + v->reason.text));
    }
    QCOMPARE(a.protectedAgainst().size() + a.notProtectedAgainst().size(), a.threats().size());

    const QStringList reasons = codesOf(a.reasons());
    for (const QString& code : expect.reasonCodes)
        QVERIFY2(reasons.contains(code), qPrintable(code + u" missing in " + reasons.join(u", ")));

    if (!expect.phrase.isEmpty()) {
        QString all;
        for (const Reason& r : a.reasons())
            all += r.text + u'\n';
        for (const ThreatVerdict& v : a.threats())
            all += v.reason.text + u'\n';
        for (const Reason& r : a.notes())
            all += r.text + u'\n';
        if (a.failure())
            all += a.failure()->explanation;
        QVERIFY2(all.contains(expect.phrase), qPrintable(expect.phrase + u" not in:\n" + all));
    }

    QCOMPARE(codesOf(a.nextSteps()), expect.stepCodes);
    QCOMPARE(a.nextSteps().size(), expect.oneClick.size());
    for (qsizetype i = 0; i < a.nextSteps().size(); ++i) {
        const NextStep& s = a.nextSteps().at(i);
        QVERIFY2(s.oneClick == expect.oneClick.at(i), qPrintable(s.code));
        QVERIFY(!s.text.isEmpty());
        QVERIFY(!s.keyword.isEmpty());
        if (s.oneClick)
            QVERIFY2(!s.value.isEmpty(), "a one-click step needs a value to set");
    }
    QCOMPARE(codesOf(a.notes()), expect.noteCodes);
}

// Every mode × root file present/missing/system × negotiation × TCP host/socket/hostaddr only, with
// the outcome derived rule by rule from the spec.
void TestSslModeAssessment::matrix_data()
{
    QTest::addColumn<SslMode>("mode");
    QTest::addColumn<Root>("root");
    QTest::addColumn<bool>("direct");
    QTest::addColumn<Host>("host");
    const char* roots[] = {"root", "no-root", "system"};
    const char* hosts[] = {"tcp", "socket", "hostaddr"};
    for (const SslModeDescription& row : sslModeTable()) {
        for (Root root : {Root::Present, Root::Missing, Root::System}) {
            for (bool direct : {false, true}) {
                for (Host host : {Host::Tcp, Host::UnixSocket, Host::IpOnly}) {
                    QTest::addRow("%s/%s/%s/%s", qPrintable(row.keyword()), roots[int(root)],
                                  direct ? "direct" : "postgres", hosts[int(host)])
                        << row.mode << root << direct << host;
                }
            }
        }
    }
}

void TestSslModeAssessment::matrix()
{
    QFETCH(SslMode, mode);
    QFETCH(Root, root);
    QFETCH(bool, direct);
    QFETCH(Host, host);

    In in;
    in.mode(modeName(mode)).root(root).host(host).negotiation(direct ? u"direct"_s : u"postgres"_s);
    const SslModeAssessment a = SslModeAssessment::assess(in);
    const QByteArray text = a.toText().toUtf8();

    // 1. Option validation, in pqConnectOptions2()'s order; none of it depends on the host.
    QString failure;
    if (direct && mode < SslMode::Require)
        failure = u"security.weak-sslmode-direct"_s;
    else if (root == Root::System && mode != SslMode::VerifyFull)
        failure = u"security.weak-sslmode-system"_s;
    // 2. A Unix socket never gets to TLS, so nothing else can fail there.
    else if (host == Host::UnixSocket)
        failure.clear();
    // 3. initialize_SSL(): verify-* without trust anchors; then the host-name check after the handshake.
    else if (mode >= SslMode::VerifyCa && root == Root::Missing)
        failure = u"security.root-file-missing"_s;
    else if (mode == SslMode::VerifyFull && host == Host::IpOnly)
        failure = u"security.host-name-required"_s;

    QCOMPARE(a.failure() ? a.failure()->code : QString(), failure);

    const bool verifies = root != Root::Missing;
    SslMode behavesAs = mode;
    if (host == Host::UnixSocket || mode == SslMode::Disable)
        behavesAs = SslMode::Disable;
    else if (mode == SslMode::Require && verifies)
        behavesAs = SslMode::VerifyCa;

    if (failure.isEmpty() || failure.startsWith(u"security.root") || failure.startsWith(u"security.host")) {
        QVERIFY2(a.effective(), text.constData());
        const EffectiveMode& e = *a.effective();
        QCOMPARE(e.sslmode, mode);
        QCOMPARE(e.behavesAs, behavesAs);
        QCOMPARE(e.tlsPossible, host != Host::UnixSocket && mode != SslMode::Disable);
        QCOMPARE(e.plaintextPossible, host == Host::UnixSocket || mode <= SslMode::Prefer);
        QCOMPARE(e.plaintextFirst, host != Host::UnixSocket && mode == SslMode::Allow);
        QCOMPARE(e.checksHostName, host != Host::UnixSocket && mode == SslMode::VerifyFull);
        QCOMPARE(e.verifiesChain, host != Host::UnixSocket && mode != SslMode::Disable && verifies);
        QCOMPARE(e.usesSystemRoots, e.tlsPossible && root == Root::System);
        QVERIFY(!e.usesGssapi);
    }

    Severity severity = Severity::Weak;
    if (!failure.isEmpty())
        severity = Severity::WillFail;
    else if (host == Host::UnixSocket)
        severity = Severity::Weak;
    else if (behavesAs <= SslMode::Prefer)
        severity = Severity::Unsafe;
    else if (behavesAs == SslMode::VerifyFull)
        severity = Severity::Safe;
    QVERIFY2(a.severity() == severity, text.constData());

    if (!failure.isEmpty()) {
        QVERIFY(a.threats().isEmpty());
    } else {
        // The table's columns for the row the connection behaves as; a socket has no protection at all.
        const SslModeDescription& row = describeSslMode(behavesAs);
        QCOMPARE(a.verdict(Threat::Eavesdropping)->protection, row.eavesdropping);
        QCOMPARE(a.verdict(Threat::ManInTheMiddle)->protection, row.mitm);
        QCOMPARE(a.verdict(Threat::Downgrade).has_value(), behavesAs != SslMode::Disable);
        if (behavesAs != SslMode::Disable)
            QCOMPARE(a.verdict(Threat::Downgrade)->protection,
                     mode >= SslMode::Require ? Protection::Yes : Protection::No);
    }

    const QStringList steps = codesOf(a.nextSteps());
    if (severity == Severity::Safe)
        QVERIFY2(steps.isEmpty(), text.constData());
    if (host != Host::UnixSocket && mode != SslMode::VerifyFull) {
        QVERIFY2(steps.contains(u"sslmode-verify-full"), text.constData());
        const NextStep& s = a.nextSteps().at(steps.indexOf(u"sslmode-verify-full"));
        QCOMPARE(s.keyword, u"sslmode"_s);
        QCOMPARE(s.value, u"verify-full"_s);
        QCOMPARE(s.oneClick, verifies && host != Host::IpOnly);
    }
    if (host != Host::UnixSocket && !failure.isEmpty() && failure != u"security.weak-sslmode-system" &&
        failure != u"security.weak-sslmode-direct" && root == Root::Missing)
        QVERIFY2(steps.contains(u"sslrootcert"), text.constData());
    if (host == Host::UnixSocket && failure.isEmpty())
        QCOMPARE(steps.first(), u"use-tcp-host"_s);
    if (host == Host::IpOnly && severity != Severity::Safe)
        QVERIFY2(steps.contains(u"set-host"), text.constData());
    if (direct && failure.isEmpty())
        QVERIFY(codesOf(a.notes()).contains(u"direct-negotiation"_s) || host == Host::UnixSocket);
}

void TestSslModeAssessment::garbageValuesGiveClearErrors_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("code");
    const QString huge(1 << 20, u'v');
    const QString binary = QString::fromUtf16(u"\0\x1\xfffd\xd800", 4);
    QTest::addRow("sslmode huge") << u"sslmode"_s << huge << u"security.invalid-sslmode"_s;
    QTest::addRow("sslmode binary") << u"sslmode"_s << binary << u"security.invalid-sslmode"_s;
    QTest::addRow("sslnegotiation huge")
        << u"sslnegotiation"_s << huge << u"security.invalid-sslnegotiation"_s;
    QTest::addRow("sslnegotiation binary")
        << u"sslnegotiation"_s << binary << u"security.invalid-sslnegotiation"_s;
    QTest::addRow("gssencmode huge") << u"gssencmode"_s << huge << u"security.invalid-gssencmode"_s;
    QTest::addRow("gssencmode binary") << u"gssencmode"_s << binary << u"security.invalid-gssencmode"_s;
    QTest::addRow("sslrootcert huge path") << u"sslrootcert"_s << huge << u"security.root-file-missing"_s;
    QTest::addRow("sslrootcert binary path") << u"sslrootcert"_s << binary << u"security.root-file-missing"_s;
}

void TestSslModeAssessment::garbageValuesGiveClearErrors()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, code);
    In in;
    in.mode(u"verify-full"_s);
    if (field == u"sslmode")
        in.mode(value);
    else if (field == u"sslnegotiation")
        in.negotiation(value);
    else if (field == u"gssencmode")
        in.gss(value);
    else
        in.rootFile(value, false);
    const SslModeAssessment a = SslModeAssessment::assess(in);
    QVERIFY(a.failure());
    QCOMPARE(a.failure()->code, code);
    QVERIFY(a.failure()->message.contains(value)); // libpq quotes the value as given
    QCOMPARE(a.severity(), Severity::WillFail);
    QVERIFY(!a.summary().isEmpty());
    QVERIFY(!a.toText().isEmpty());
}

void TestSslModeAssessment::textOutput()
{
    const SslModeAssessment weak = SslModeAssessment::assess(In().mode(u"require"_s).root(Root::Present));
    QCOMPARE(weak.summary(), u"require behaves as verify-ca: weak"_s);
    const QString text = weak.toText();
    QVERIFY2(text.contains(u"require behaves as verify-ca here because a root file exists"),
             qPrintable(text));
    QVERIFY2(text.contains(u"Man-in-the-middle (someone posing as the server): Maybe"), qPrintable(text));
    QVERIFY2(text.contains(u"[can be applied now: sslmode=verify-full]"), qPrintable(text));

    const SslModeAssessment safe = SslModeAssessment::assess(In().root(Root::System));
    QCOMPARE(safe.summary(), u"verify-full: safe"_s);

    const SslModeAssessment failing = SslModeAssessment::assess(In().mode(u"verify-ca"_s));
    QCOMPARE(failing.summary(), u"verify-ca: will fail"_s);
    QVERIFY(failing.toText().contains(u"Fails: root certificate file"));

    const SslModeAssessment invalid = SslModeAssessment::assess(In().mode(u"x"_s));
    QCOMPARE(invalid.summary(), u"invalid sslmode: will fail"_s);

    const SslModeAssessment gss = SslModeAssessment::assess(In().mode(u"require"_s).gss(u"require"_s));
    QCOMPARE(gss.summary(), u"require (GSSAPI encryption instead of TLS): safe"_s);
    QVERIFY(gss.effective()->usesGssapi);
    QVERIFY(!gss.effective()->tlsPossible);
}

QTEST_GUILESS_MAIN(TestSslModeAssessment)
#include "tst_sslmodeassessment.moc"
