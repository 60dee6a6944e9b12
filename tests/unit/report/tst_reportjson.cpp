// The JSON report against its documentation (docs/REPORT-JSON.md): every field written is documented,
// every documented field is written, the types are the documented ones, and secrets never appear.
// Also the text report: phases, TLS facts, chain, verdict, diagnosis, and no secrets.

#include "TestPki.h"
#include "report/ChainCheck.h"
#include "report/ConnectionCheck.h"
#include "report/ReportJson.h"
#include "report/ReportText.h"
#include "settings/ConnInfo.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace vf;
using namespace vf::test;
using namespace vf::report;
using namespace vf::session;
using namespace Qt::StringLiterals;

namespace {

struct DocField
{
    QString type;
    bool optional = false;
};

// The documented schema: one table row per field, "| `path` | type | meaning |", grouped by the
// "## " section they are in ("check", "chain", "input", "shared").
struct Schema
{
    QHash<QString, QHash<QString, DocField>> sections;
    QHash<QString, DocField> all; // shared definitions and every section, for type look-ups

    static Schema load(const QString& path, QString* error)
    {
        Schema s;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = f.errorString();
            return s;
        }
        static const QRegularExpression row(u"^\\| `([A-Za-z0-9_.\\[\\]]+)` \\| ([^|]+) \\|"_s);
        QString section;
        for (const QByteArray& raw : f.readAll().split('\n')) {
            const QString line = QString::fromUtf8(raw);
            if (line.startsWith(u"## ")) {
                section = line.contains(u"`check`")   ? u"check"_s
                          : line.contains(u"`chain`") ? u"chain"_s
                          : line.contains(u"Input")   ? u"input"_s
                          : line.contains(u"Shared")  ? u"shared"_s
                                                      : QString();
                continue;
            }
            const auto m = row.match(line);
            if (!m.hasMatch() || section.isEmpty())
                continue;
            DocField field{m.captured(2).trimmed(), m.captured(2).contains(u"optional")};
            s.sections[section].insert(m.captured(1), field);
            s.all.insert(m.captured(1), field);
        }
        return s;
    }
};

// The definition ("Certificate", "Error"…) a documented type refers to, for objects or array elements.
QString definitionOf(const QString& type)
{
    static const QRegularExpression def(u"`([A-Z][A-Za-z]+)`"_s);
    const auto m = def.match(type);
    return m.hasMatch() ? m.captured(1) : QString();
}

bool typeMatches(const QString& type, const QJsonValue& v)
{
    if (v.isNull())
        return type.contains(u"or null");
    if (type.startsWith(u"string"))
        return v.isString();
    if (type.startsWith(u"number"))
        return v.isDouble();
    if (type.startsWith(u"boolean"))
        return v.isBool();
    if (type.startsWith(u"array"))
        return v.isArray();
    if (type.startsWith(u"object") || type.startsWith(u"`"))
        return v.isObject();
    return false;
}

// Walks a JSON value and records every field path, mapped onto the documented names.
class Walker
{
public:
    Walker(const Schema& schema, const QString& section)
        : m_schema(schema)
        , m_section(section)
    {}

    QSet<QString> seen;
    QStringList problems;

    void walk(const QJsonValue& value, const QString& path, const QString& definition)
    {
        if (value.isArray()) {
            const QString element = path + u"[]"_s;
            // "array of `Certificate`": the elements are Certificate objects.
            const QString def = definitionOf(typeOf(path));
            for (const QJsonValue& e : value.toArray())
                walk(e, element, def.isEmpty() ? QString() : def);
            return;
        }
        if (!value.isObject())
            return;
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            QString child = path.isEmpty() ? it.key() : path + u'.' + it.key();
            if (!documented(child) && !definition.isEmpty())
                child = definition + u'.' + it.key();
            seen << child;
            if (!documented(child)) {
                problems << u"undocumented field %1 (at %2.%3)"_s.arg(child, path, it.key());
                continue;
            }
            const QString type = typeOf(child);
            if (!typeMatches(type, it.value()))
                problems << u"%1 is documented as \"%2\" but is %3"_s.arg(
                    child, type,
                    QString::fromUtf8(QJsonDocument(QJsonArray{it.value()}).toJson(QJsonDocument::Compact)));
            if (type.contains(u"(map)"))
                continue;
            const QString def = definitionOf(type);
            walk(it.value(), child, type.startsWith(u"array") ? QString() : def);
        }
    }

private:
    bool documented(const QString& path) const
    {
        return m_schema.sections.value(m_section).contains(path) ||
               m_schema.sections.value(u"shared"_s).contains(path);
    }
    QString typeOf(const QString& path) const
    {
        if (m_schema.sections.value(m_section).contains(path))
            return m_schema.sections.value(m_section).value(path).type;
        return m_schema.sections.value(u"shared"_s).value(path).type;
    }

    const Schema& m_schema;
    QString m_section;
};

pki::Certificate cert(const TestCert& c)
{
    return pki::Certificate::fromDer(c.der());
}

} // namespace

class TestReportJson : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_home;
    Schema m_schema;
    TestCert m_root, m_inter, m_server, m_otherRoot;
    QString m_rootFile, m_otherFile;

    QString file(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        return path;
    }

    PreparedCheck prepare(const QString& conninfo)
    {
        settings::Environment env;
        env.setVariable(u"HOME"_s, m_home);
        env.setVariable(u"PGSSLCERTMODE"_s, u"allow"_s);
        env.setVariable(u"PGSERVICEFILE"_s, m_dir.filePath(u"services.conf"_s));
        env.setVariable(u"PGSERVICE"_s, u"prod"_s);
        env.setUserNameLookup([] { return std::optional<QString>(u"alice"_s); });
        auto p = ConnectionCheck::prepare(conninfo, env);
        if (!p)
            qFatal("prepare: %s", qPrintable(p.error().message));
        return *p;
    }

    static tls::TlsFacts facts(const QList<TestCert>& chain, const QString& root)
    {
        tls::TlsFacts f;
        f.protocol = u"TLSv1.3"_s;
        f.cipher = u"TLS_AES_256_GCM_SHA384"_s;
        f.cipherBits = 256;
        f.alpn = u"postgresql"_s;
        f.sniSent = u"db.example.com"_s;
        for (const TestCert& c : chain)
            f.presentedChain << cert(c);
        f.verificationEnabled = true;
        f.rootCertPath = root;
        return f;
    }

    CheckResult result(PreparedCheck p, ConnectionReport report)
    {
        CheckResult r;
        r.conninfo = p.conninfo.toKeywordValue(false);
        r.settings = p.settings;
        r.options = p.options;
        r.report = std::move(report);
        r.startedAt = QDateTime::currentDateTimeUtc();
        DiagnosisContext c;
        c.settings = &p.settings;
        c.options = &p.options;
        r.diagnosis = Diagnosis::diagnose(r.report, c);
        return r;
    }

    CheckResult successResult()
    {
        const PreparedCheck p = prepare(u"host=db.example.com user=alice password=hunter2-secret "
                                        u"sslpassword=keypass-secret sslmode=verify-full sslrootcert="_s +
                                        m_rootFile);
        ConnectionReport report;
        AttemptReport a;
        a.host = u"db.example.com"_s;
        a.hostaddr = u"192.0.2.10"_s;
        a.port = 5432;
        a.success = true;
        a.tries << MethodTry{EncryptionMethod::Ssl, true, true, {}};
        a.phases << PhaseTiming{Phase::Dns, 0, 500000, true}
                 << PhaseTiming{Phase::TcpConnect, 500000, 1000000, true}
                 << PhaseTiming{Phase::TlsHandshake, 1500000, 3000000, true};
        a.tls = facts({m_server, m_inter}, m_rootFile);
        a.tls->clientCertificateRequested = true;
        a.hostName = pki::HostNameMatcher::match(a.tls->presentedChain.first(), a.host);
        a.authMethod = u"SCRAM-SHA-256-PLUS"_s;
        a.channelBound = true;
        a.finalMethod = EncryptionMethod::Ssl;
        a.server.version = u"PostgreSQL 15.18"_s;
        a.server.serverVersion = u"15.18"_s;
        a.server.currentUser = u"alice"_s;
        a.server.database = u"app"_s;
        a.server.sslInUse = true;
        a.server.sslVersion = u"TLSv1.3"_s;
        a.server.sslCipher = u"TLS_AES_256_GCM_SHA384"_s;
        a.server.sslBits = 256;
        a.server.backendPid = 4242;
        a.server.parameters.insert(u"server_encoding"_s, u"UTF8"_s);
        a.notices << u"hello"_s;
        report.attempts << a;
        report.success = true;
        report.totalNs = 5000000;
        return result(p, report);
    }

    CheckResult failureResult()
    {
        const PreparedCheck p = prepare(
            u"host=db.example.com password=hunter2-secret sslmode=verify-ca sslrootcert="_s + m_otherFile);
        ConnectionReport report;
        AttemptReport a;
        a.host = u"db.example.com"_s;
        a.hostaddr = u"192.0.2.10"_s;
        a.port = 5432;
        const Error e{u"tls.verify-failed"_s, u"SSL error: certificate verify failed"_s, {}, {u"queue"_s}};
        a.error = e;
        a.tries << MethodTry{EncryptionMethod::Ssl, true, false, e.message};
        a.phases << PhaseTiming{Phase::TlsHandshake, 0, 1000, false};
        a.tls = facts({m_server, m_inter}, m_otherFile);
        a.tls->verifyError = 20;
        a.tls->verifyErrorDepth = 1;
        a.tls->verifyErrorString = u"unable to get local issuer certificate"_s;
        a.hostName = pki::HostNameMatcher::match(a.tls->presentedChain.first(), u"other.example.com"_s);
        report.attempts << a;
        report.error = e;
        report.libpqMessage = u"connection to server at \"db.example.com\" (192.0.2.10), port 5432 failed: "
                              u"SSL error: certificate "
                              u"verify failed"_s;
        return result(p, report);
    }

    void checkAgainstSchema(const QString& section, const QList<QJsonObject>& objects)
    {
        Walker walker(m_schema, section);
        for (const QJsonObject& o : objects)
            walker.walk(o, QString(), QString());
        QVERIFY2(walker.problems.isEmpty(), qPrintable(walker.problems.join(u'\n')));
        QStringList missing;
        const QHash<QString, DocField>& documented = m_schema.sections.value(section);
        for (auto it = documented.cbegin(); it != documented.cend(); ++it) {
            if (!it->optional && !walker.seen.contains(it.key()))
                missing << it.key();
        }
        missing.sort();
        QVERIFY2(missing.isEmpty(), qPrintable(u"documented but not written: "_s + missing.join(u", ")));
    }

    QJsonObject chainJson(bool good)
    {
        ChainCheckRequest request;
        request.files << file(u"server.pem"_s, m_server.pem()) << file(u"inter.pem"_s, m_inter.pem());
        request.rootFile = good ? m_rootFile : m_otherFile;
        request.host = good ? u"db.example.com"_s : u"wrong.example.com"_s;
        const auto r = ChainCheck::run(request);
        if (!r)
            qFatal("chain: %s", qPrintable(r.error().message));
        return ReportJson::chain(*r);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_home = m_dir.filePath(u"home"_s);
        QVERIFY(QDir().mkpath(m_home));
        QString error;
        m_schema = Schema::load(QStringLiteral(VF_DOCS_DIR) + u"/REPORT-JSON.md"_s, &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(m_schema.sections.value(u"check"_s).size() > 50);
        QVERIFY(m_schema.sections.value(u"shared"_s).size() > 50);
        m_root = TestPki::makeCert(TestPki::rootSpec(u"Corp Root 2023"_s));
        m_inter = TestPki::makeCert(TestPki::intermediateSpec(u"Corp Issuing CA"_s), &m_root);
        CertSpec spec = TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s});
        spec.ipAddresses = {u"192.0.2.10"_s};
        m_server = TestPki::makeCert(spec, &m_inter);
        m_otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Corp Root 2019"_s));
        m_rootFile = file(u"root.crt"_s, m_root.pem());
        m_otherFile = file(u"other.crt"_s, m_otherRoot.pem());
        file(u"services.conf"_s, "[prod]\ndbname=app\nconnect_timeout=10\n");
    }

    void checkReportMatchesDocumentation()
    {
        const QJsonObject ok = ReportJson::check(successResult());
        const QJsonObject bad = ReportJson::check(failureResult());
        QCOMPARE(ok.value(u"schemaVersion").toInt(), ReportJson::kSchemaVersion);
        checkAgainstSchema(u"check"_s, {ok, bad});
    }

    void chainReportMatchesDocumentation()
    {
        const QJsonObject ok = chainJson(true);
        const QJsonObject bad = chainJson(false);
        QVERIFY(ok.value(u"ok").toBool());
        QVERIFY(bad.value(u"failed").toBool());
        checkAgainstSchema(u"chain"_s, {ok, bad});
    }

    void inputErrorMatchesDocumentation()
    {
        const Error e{u"settings.invalid-sslmode"_s, u"invalid sslmode value: \"bogus\""_s, u"why"_s, {}};
        checkAgainstSchema(u"input"_s, {ReportJson::inputError(u"check"_s, e)});
    }

    void sharedDefinitionsAreAllWritten()
    {
        const Error e{u"x"_s, u"y"_s, u"z"_s, {u"d"_s}};
        const QList<QPair<QString, QJsonObject>> all = {{u"check"_s, ReportJson::check(successResult())},
                                                        {u"check"_s, ReportJson::check(failureResult())},
                                                        {u"chain"_s, chainJson(true)},
                                                        {u"chain"_s, chainJson(false)},
                                                        {u"input"_s, ReportJson::inputError(u"chain"_s, e)}};
        QSet<QString> seen;
        for (const auto& [section, object] : all) {
            Walker walker(m_schema, section);
            walker.walk(object, QString(), QString());
            seen.unite(walker.seen);
        }
        QStringList missing;
        const QHash<QString, DocField>& shared = m_schema.sections.value(u"shared"_s);
        for (auto it = shared.cbegin(); it != shared.cend(); ++it) {
            if (!it->optional && !seen.contains(it.key()))
                missing << it.key();
        }
        missing.sort();
        QVERIFY2(missing.isEmpty(), qPrintable(u"documented but never written: "_s + missing.join(u", ")));
    }

    void secretsNeverAppear()
    {
        const QByteArray ok = ReportJson::toBytes(ReportJson::check(successResult()));
        const QByteArray bad = ReportJson::toBytes(ReportJson::check(failureResult()));
        for (const QByteArray& json : {ok, bad}) {
            QVERIFY(!json.contains("hunter2-secret"));
            QVERIFY(!json.contains("keypass-secret"));
            QVERIFY(json.endsWith('\n'));
        }
        const QJsonObject o = QJsonDocument::fromJson(ok).object();
        int masked = 0;
        for (const QJsonValue& v : o.value(u"settings").toObject().value(u"values").toArray()) {
            const QJsonObject value = v.toObject();
            if (value.value(u"secret").toBool()) {
                QCOMPARE(value.value(u"value").toString(), u"********"_s);
                ++masked;
            }
        }
        QCOMPARE(masked, 2); // password and sslpassword
        QVERIFY(!o.value(u"conninfo").toString().contains(u"password"));
        const QString text = ReportText::check(successResult());
        QVERIFY(!text.contains(u"hunter2-secret"));
        QVERIFY(!text.contains(u"keypass-secret"));
    }

    void provenanceIsReported()
    {
        const QJsonObject o = ReportJson::check(successResult());
        QHash<QString, QJsonObject> byKeyword;
        for (const QJsonValue& v : o.value(u"settings").toObject().value(u"values").toArray())
            byKeyword.insert(v.toObject().value(u"keyword").toString(), v.toObject());
        QCOMPARE(byKeyword.value(u"sslmode"_s).value(u"origin").toObject().value(u"source").toString(),
                 u"typed"_s);
        const QJsonObject db = byKeyword.value(u"dbname"_s).value(u"origin").toObject();
        QCOMPARE(db.value(u"source").toString(), u"service-file"_s);
        QCOMPARE(db.value(u"service").toString(), u"prod"_s);
        QCOMPARE(db.value(u"line").toInt(), 2);
        QCOMPARE(byKeyword.value(u"sslcertmode"_s).value(u"origin").toObject().value(u"variable").toString(),
                 u"PGSSLCERTMODE"_s);
        const QJsonObject service = o.value(u"settings").toObject().value(u"service").toObject();
        QCOMPARE(service.value(u"name").toString(), u"prod"_s);
        bool defaultKey = false;
        for (const QJsonValue& v : o.value(u"settings").toObject().value(u"files").toArray()) {
            const QJsonObject f = v.toObject();
            if (f.value(u"keyword").toString() == u"sslkey") {
                defaultKey = true;
                QCOMPARE(f.value(u"origin").toObject().value(u"source").toString(), u"default-file"_s);
                QCOMPARE(f.value(u"path").toString(), m_home + u"/.postgresql/postgresql.key"_s);
                QVERIFY(!f.value(u"origin").toObject().value(u"fileExists").toBool());
            }
        }
        QVERIFY(defaultKey);
    }

    void chainStatusPerCertificate()
    {
        const QJsonObject bad = ReportJson::check(failureResult());
        const QJsonObject a = bad.value(u"attempts").toArray().first().toObject();
        const QJsonArray chain = a.value(u"tls").toObject().value(u"presentedChain").toArray();
        QCOMPARE(chain.size(), 2);
        const QJsonObject leaf = chain.at(0).toObject();
        QCOMPARE(leaf.value(u"commonName").toString(), u"db.example.com"_s);
        QCOMPARE(leaf.value(u"status").toObject().value(u"role").toString(), u"leaf"_s);
        QVERIFY(leaf.value(u"status").toObject().value(u"ok").toBool());
        QCOMPARE(leaf.value(u"subjectAltNames").toArray().size(), 2);
        QVERIFY(leaf.value(u"fingerprints").toObject().value(u"sha256").toString().count(u':') == 31);
        QVERIFY(leaf.value(u"pem").toString().startsWith(u"-----BEGIN CERTIFICATE-----"));
        const QJsonObject inter = chain.at(1).toObject();
        QVERIFY(!inter.value(u"status").toObject().value(u"ok").toBool());
        QVERIFY(inter.value(u"status")
                    .toObject()
                    .value(u"statuses")
                    .toArray()
                    .contains(QJsonValue(u"issuer-not-found"_s)));
        QCOMPARE(a.value(u"tls").toObject().value(u"verifyError").toObject().value(u"depth").toInt(), 1);
        const QJsonObject finding =
            bad.value(u"diagnosis").toObject().value(u"findings").toArray().first().toObject();
        QCOMPARE(finding.value(u"code").toString(), u"chain-unknown-root"_s);
        QCOMPARE(finding.value(u"libpqMessage").toString(), u"SSL error: certificate verify failed"_s);
        QCOMPARE(finding.value(u"certificateDepth").toInt(), 1);
        QCOMPARE(finding.value(u"attempt").toInt(), 0);
        QCOMPARE(bad.value(u"diagnosis").toObject().value(u"verdict").toString(), u"failed"_s);
    }

    void textReport()
    {
        const QString ok = ReportText::check(successResult());
        for (const char* part :
             {"Attempt 1: db.example.com (192.0.2.10) port 5432", "DNS", "TLS handshake",
              "TLSv1.3, TLS_AES_256_GCM_SHA384 (256 bits), ALPN postgresql, SNI db.example.com",
              "#0 db.example.com  [ok]", "#1 Corp Issuing CA  [ok]", "Corp Root 2023  [trusted]",
              "Host name: \"db.example.com\" matches \"db.example.com\"",
              "Authentication: SCRAM-SHA-256-PLUS (channel binding)", "Result: Connected to",
              "Diagnosis:", "NOTE: The server proved its identity"})
            QVERIFY2(ok.contains(QString::fromUtf8(part)),
                     qPrintable(u"missing \"%1\" in:\n%2"_s.arg(QString::fromUtf8(part), ok)));
        ReportText::Options quiet;
        quiet.diagnosis = false;
        quiet.certificateDetails = false;
        const QString bad = ReportText::check(failureResult(), quiet);
        QVERIFY(bad.contains(u"Result: Failed: "));
        QVERIFY(!bad.contains(u"Diagnosis:"));
        QVERIFY(!bad.contains(u"SHA-256"));
        QVERIFY(bad.contains(u"[unable to get local issuer certificate]"));
        const QString findings = ReportText::findings(failureResult().diagnosis.findings);
        QVERIFY(findings.startsWith(u"  ERROR: "));
        QVERIFY(findings.contains(u"libpq: SSL error: certificate verify failed"));
        QVERIFY(findings.contains(u"Fix: "));
    }
};

QTEST_GUILESS_MAIN(TestReportJson)
#include "tst_reportjson.moc"
