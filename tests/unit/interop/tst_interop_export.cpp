// Exports of core/interop: every profile written as a keyword/value string, a URI or a service section
// and read back is the same profile (through our parser, the import code and, when installed, the real
// libpq's PQconninfoParse()); .pgpass lines are read back with libpq's rules; the psql command line is
// run by sh and bash with a stand-in psql that dumps what it received; the Python and JavaScript
// snippets are parsed (and their values evaluated) by python3 and node when they are installed.

#include "TestPki.h"
#include "interop/Exporter.h"
#include "interop/ImportedProfile.h"
#include "interop/JdbcUrlWriter.h"
#include "interop/PastedText.h"
#include "interop/PgPassWriter.h"
#include "interop/ServiceFileImport.h"
#include "interop/ServiceSectionWriter.h"
#include "interop/SourceLiteral.h"
#include "settings/ConnInfo.h"
#include "settings/ConnOptions.h"
#include "settings/PgPass.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <sys/stat.h>

#ifdef VF_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

#include <map>
#include <memory>

using namespace Qt::StringLiterals;
using namespace vf::interop;
using vf::settings::ConnInfo;

namespace {

using Pairs = QList<QPair<QString, QByteArray>>;

ConnInfo make(const Pairs& pairs)
{
    ConnInfo info;
    for (const auto& [keyword, value] : pairs) {
        if (!info.setValueBytes(keyword, value))
            qFatal("test data: cannot set %s", qPrintable(keyword));
    }
    return info;
}

QString show(const ConnInfo& info)
{
    return info.toKeywordValue(true);
}

// Values of every keyword that is set.
std::map<QByteArray, QByteArray> valuesOf(const ConnInfo& info)
{
    std::map<QByteArray, QByteArray> out;
    for (const auto& option : vf::settings::connOptions()) {
        if (auto v = info.valueBytes(option.keywordString()))
            out[QByteArray(option.keyword)] = *v;
    }
    return out;
}

bool knownToLibpq15(const ConnInfo& info)
{
    for (const auto& option : vf::settings::connOptions()) {
        if (option.sinceMajor > 15 && info.contains(option.keywordString()))
            return false;
    }
    return true;
}

#ifdef VF_HAVE_LIBPQ
// PQconninfoParse()'s values, or nullopt with its message.
std::optional<std::map<QByteArray, QByteArray>> libpqValues(const QByteArray& text, QString* error)
{
    char* err = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(text.constData(), &err), &PQconninfoFree);
    if (!options) {
        *error = QString::fromUtf8(err ? err : "(no message)");
        PQfreemem(err);
        return std::nullopt;
    }
    std::map<QByteArray, QByteArray> out;
    for (PQconninfoOption* o = options.get(); o->keyword; ++o) {
        if (o->val)
            out[QByteArray(o->keyword)] = QByteArray(o->val);
    }
    return out;
}
#endif

QString program(const QString& name)
{
    return QStandardPaths::findExecutable(name);
}

struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

Run run(const QString& exe, const QStringList& args, const QByteArray& input = {},
        const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment(), const QString& cwd = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!cwd.isEmpty())
        p.setWorkingDirectory(cwd);
    p.start(exe, args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000)) {
        p.kill();
        p.waitForFinished();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Hostile text: quotes of both kinds, backslashes, shell expansions, a newline, a tab, Unicode.
const QByteArray kHostile =
    "it's \"quoted\" \\back\\slash $HOME `id` $(touch CANARY) ${X:-y} !! * ? [a] ; & | < > "
    "#hash %41 +plus\nsecond line\ttab \xC3\xA9\xE2\x82\xAC\xF0\x9F\x90\x98";

} // namespace

class TestInteropExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void formatIds()
    {
        const QList<ExportFormat> formats = Exporter::formats();
        QCOMPARE(formats.size(), 8);
        QSet<QString> ids;
        for (ExportFormat f : formats) {
            const QString id = Exporter::formatId(f);
            QVERIFY(!id.isEmpty());
            QVERIFY(!Exporter::formatName(f).isEmpty());
            QCOMPARE(Exporter::formatFromId(id), std::optional<ExportFormat>(f));
            ids.insert(id);
        }
        QCOMPARE(ids.size(), formats.size());
        QVERIFY(!Exporter::formatFromId(u"nope").has_value());
    }

    void roundTrip_data()
    {
        QTest::addColumn<ConnInfo>("info");
        QTest::addColumn<bool>("serviceOk");

        QTest::addRow("verify-full") << make({{u"host"_s, "db.example.com"},
                                              {u"port"_s, "5432"},
                                              {u"dbname"_s, "app"},
                                              {u"user"_s, "alice"},
                                              {u"sslmode"_s, "verify-full"},
                                              {u"sslrootcert"_s, "/etc/ssl/root.crt"}})
                                     << true;
        QTest::addRow("client cert and secrets") << make({{u"host"_s, "db"},
                                                          {u"user"_s, "certuser"},
                                                          {u"password"_s, "s3cr3t pass"},
                                                          {u"sslcert"_s, "/home/a/.postgresql/client.crt"},
                                                          {u"sslkey"_s, "/home/a/.postgresql/client.key"},
                                                          {u"sslpassword"_s, "key pass'word"},
                                                          {u"sslmode"_s, "verify-ca"}})
                                                 << true;
        QTest::addRow("spaces and quotes")
            << make({{u"application_name"_s, "it's a \"test\" app"},
                     {u"options"_s, "-c search_path=a,b -c statement_timeout=5s"},
                     {u"sslrootcert"_s, "/tmp/dir with spaces/it's/root.crt"}})
            << true;
        QTest::addRow("backslashes") << make({{u"sslcert"_s, "C:\\certs\\client.crt"},
                                              {u"password"_s, "back\\slash\\"},
                                              {u"user"_s, "dom\\user"}})
                                     << true;
        QTest::addRow("unicode") << make({{u"dbname"_s, "donn\xC3\xA9"
                                                        "es"},
                                          {u"user"_s, "\xC3\x9Cn\xC3\xAF"
                                                      "c\xC3\xB8"
                                                      "d\xC3\xA9"},
                                          {u"application_name"_s,
                                           "\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x90\x98"}})
                                 << true;
        QTest::addRow("multi-host") << make({{u"host"_s, "a.example.com,b.example.com,c.example.com"},
                                             {u"port"_s, "5432,5433,5434"},
                                             {u"target_session_attrs"_s, "read-write"},
                                             {u"sslmode"_s, "verify-full"}})
                                    << true;
        QTest::addRow("multi-host one port") << make({{u"host"_s, "a,b"}, {u"port"_s, "6432"}}) << true;
        QTest::addRow("ipv6 hosts") << make({{u"host"_s, "::1,fe80::1%eth0,2001:db8::5"},
                                             {u"port"_s, "5432,5433,5434"},
                                             {u"dbname"_s, "x"}})
                                    << true;
        QTest::addRow("hostaddr") << make({{u"host"_s, "db.example.com"},
                                           {u"hostaddr"_s, "192.0.2.10"},
                                           {u"port"_s, "6543"}})
                                  << true;
        QTest::addRow("empty values") << make({{u"host"_s, ""},
                                               {u"dbname"_s, ""},
                                               {u"options"_s, ""},
                                               {u"sslrootcert"_s, ""},
                                               {u"password"_s, ""}})
                                      << true;
        QTest::addRow("socket directory")
            << make({{u"host"_s, "/var/run/postgresql"}, {u"dbname"_s, "postgres"}}) << true;
        QTest::addRow("uri delimiters") << make({{u"user"_s, "us@er:x/y"},
                                                 {u"password"_s, "p%40ss:w/rd?&=#[]"},
                                                 {u"dbname"_s, "db/with?query#frag"},
                                                 {u"host"_s, "h"}})
                                        << true;
        QTest::addRow("shell metacharacters")
            << make({{u"options"_s, "$HOME `id` $(id) ${PATH} !x"}, {u"application_name"_s, "a;b|c&d>e<f"}})
            << true;
        QTest::addRow("newline value")
            << make({{u"application_name"_s, "line1\nline2"}, {u"host"_s, "h"}}) << false;
        QTest::addRow("padded value") << make({{u"application_name"_s, " padded "}}) << false;
        QTest::addRow("hostile") << make({{u"application_name"_s, kHostile}, {u"password"_s, kHostile}})
                                 << false;
        QTest::addRow("all ssl options") << make({{u"sslmode"_s, "verify-full"},
                                                  {u"sslcert"_s, "/c.crt"},
                                                  {u"sslkey"_s, "/c.key"},
                                                  {u"sslrootcert"_s, "system"},
                                                  {u"sslcrl"_s, "/crl.pem"},
                                                  {u"sslcrldir"_s, "/crls"},
                                                  {u"sslsni"_s, "0"},
                                                  {u"sslcompression"_s, "0"},
                                                  {u"ssl_min_protocol_version"_s, "TLSv1.3"},
                                                  {u"ssl_max_protocol_version"_s, "TLSv1.3"},
                                                  {u"sslcertmode"_s, "require"},
                                                  {u"sslnegotiation"_s, "direct"},
                                                  {u"channel_binding"_s, "require"},
                                                  {u"require_auth"_s, "scram-sha-256"}})
                                         << true;
        QTest::addRow("service reference") << make({{u"service"_s, "prod"}, {u"dbname"_s, "other"}}) << true;
        QTest::addRow("only secrets") << make({{u"password"_s, "pw"}, {u"sslpassword"_s, "kp"}}) << true;
        QTest::addRow("equals and hash")
            << make({{u"options"_s, "-c a=b"}, {u"application_name"_s, "#not a comment"}}) << true;
        QTest::addRow("long value") << make({{u"options"_s, QByteArray(1500, 'x')}}) << false;
        QTest::addRow("non-utf8 byte") << make({{u"application_name"_s, "caf\xE9"}}) << false;
    }

    void roundTrip()
    {
        QFETCH(ConnInfo, info);
        QFETCH(bool, serviceOk);
        const ExportOptions withSecrets{true, {}};

        // Keyword/value string and URI, with secrets: the same settings come back.
        for (ExportFormat format : {ExportFormat::KeywordValue, ExportFormat::Uri}) {
            const auto out = Exporter::exportAs(info, format, withSecrets);
            QVERIFY(out.has_value());
            const auto back = ConnInfo::parseBytes(out->bytes);
            QVERIFY2(back.has_value(), back ? "" : qPrintable(back.error().message));
            QVERIFY2(*back == info, qPrintable(show(*back) + u"  vs  "_s + show(info)));
            if (format == ExportFormat::Uri) {
                QCOMPARE(back->syntax(), vf::settings::ConnInfoSyntax::Uri);
                for (char c : out->bytes)
                    QVERIFY2(uchar(c) >= 0x21 && uchar(c) < 0x7f, "the URI is printable ASCII");
            }
            // The import path: pasted text is detected and gives the same profile.
            if (!info.hasNonUtf8Value()) {
                const auto pasted = PastedText::parse(QString::fromUtf8(out->bytes));
                QVERIFY2(pasted.has_value(), pasted ? "" : qPrintable(pasted.error().message));
                QVERIFY(pasted->conninfo == info);
                QCOMPARE(PastedText::detect(QString::fromUtf8(out->bytes)),
                         format == ExportFormat::Uri ? PastedText::Kind::Uri
                                                     : PastedText::Kind::KeywordValue);
            }
#ifdef VF_HAVE_LIBPQ
            if (knownToLibpq15(info)) {
                QString error;
                const auto libpq = libpqValues(out->bytes, &error);
                QVERIFY2(libpq.has_value(), qPrintable(error));
                QVERIFY2(*libpq == valuesOf(info), out->bytes.constData());
            }
#endif
        }

        // Without secrets (the default): the settings minus the secrets.
        const ConnInfo noSecrets = Exporter::withoutSecrets(info);
        for (ExportFormat format : {ExportFormat::KeywordValue, ExportFormat::Uri}) {
            const auto out = Exporter::exportAs(info, format);
            QVERIFY(out.has_value());
            QVERIFY(!out->containsSecrets);
            const auto back = ConnInfo::parseBytes(out->bytes);
            QVERIFY(back.has_value());
            QVERIFY(*back == noSecrets);
        }

        // Service section: written to a file and imported as libpq reads it.
        const auto section = Exporter::exportAs(info, ExportFormat::ServiceSection, {true, u"exported"_s});
        if (!serviceOk) {
            if (!info.hasNonUtf8Value()) {
                QVERIFY(!section.has_value());
                QCOMPARE(section.error().code, u"interop.service-value"_s);
                QVERIFY(!section.error().explanation.isEmpty());
            }
            return;
        }
        QVERIFY2(section.has_value(), section ? "" : qPrintable(section.error().explanation));
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(u"pg_service.conf"_s);
        // Another section before and after: only this one is read.
        QVERIFY(vf::test::TestPki::writeFile(path, "# comment\n[before]\nhost=other\n\n" + section->bytes +
                                                       "[after]\nport=1\n"));
        const ServiceFileListing listing = ServiceFileImport::read(path, ServiceFileListing::Scope::User);
        QVERIFY(!listing.error);
        QCOMPARE(listing.sections.size(), 3);
        const ImportedProfile& p = listing.sections.at(1);
        QCOMPARE(p.key, u"exported"_s);
        QVERIFY2(p.isValid(), p.error ? qPrintable(p.error->message) : "");
        ConnInfo expected = info;
        expected.remove(u"service");
        expected.remove(u"servicefile");
        QVERIFY2(p.conninfo == expected, qPrintable(show(p.conninfo) + u"  vs  "_s + show(expected)));
        if (info.contains(u"service"))
            QVERIFY(section->notes.join(u' ').contains(u"service"));
        for (const ImportedValue& v : p.origins) {
            QCOMPARE(v.origin.source, vf::settings::ValueSource::ServiceFile);
            QVERIFY(v.origin.line > 4);
        }
    }

    void secretsExcludedByDefault()
    {
        const ConnInfo info = make({{u"host"_s, "db"},
                                    {u"user"_s, "u"},
                                    {u"dbname"_s, "d"},
                                    {u"password"_s, "TOPSECRETPW"},
                                    {u"sslpassword"_s, "TOPSECRETKEY"},
                                    {u"sslkey"_s, "/k.key"},
                                    {u"sslmode"_s, "verify-full"}});
        for (ExportFormat format : Exporter::formats()) {
            const auto out = Exporter::exportAs(info, format, {false, u"svc"_s});
            if (format == ExportFormat::PgPass) {
                QVERIFY(!out.has_value());
                QCOMPARE(out.error().code, u"interop.pgpass-no-password"_s);
                continue;
            }
            QVERIFY2(out.has_value(), qPrintable(Exporter::formatId(format)));
            QVERIFY2(!out->bytes.contains("TOPSECRET"), qPrintable(Exporter::formatId(format)));
            QVERIFY(!out->containsSecrets);
            QVERIFY2(out->notes.join(u' ').contains(u"password, sslpassword"),
                     qPrintable(out->notes.join(u'|')));
            // With the flag they are there, and marked.
            const auto with = Exporter::exportAs(info, format, {true, u"svc"_s});
            QVERIFY(with.has_value());
            QVERIFY(with->containsSecrets);
            if (format != ExportFormat::Uri)
                QVERIFY2(with->bytes.contains("TOPSECRETPW"), qPrintable(Exporter::formatId(format)));
        }
    }

    void serviceSectionRefusals()
    {
        for (const QString& bad :
             {u""_s, u"a]b"_s, u"a\nb"_s, u" lead"_s, u"trail "_s, QString(1100, u'n')}) {
            const auto r =
                Exporter::exportAs(make({{u"host"_s, "h"}}), ExportFormat::ServiceSection, {false, bad});
            QVERIFY(!r.has_value());
            QCOMPARE(r.error().code, u"interop.service-name"_s);
        }
        QVERIFY(ServiceSectionWriter::checkServiceName(u"prod-db_1"_s).has_value());
        QCOMPARE(ServiceSectionWriter::suggestServiceName(u"Prod DB (EU)"_s), u"prod-db-eu"_s);
        QCOMPARE(ServiceSectionWriter::suggestServiceName(u"!!!"_s), u"db"_s);

        const auto nested = ServiceSectionWriter::write(
            make({{u"service"_s, "x"}, {u"servicefile"_s, "/f"}, {u"host"_s, "h"}}), u"s"_s);
        QVERIFY(nested.has_value());
        QCOMPARE(nested->bytes, QByteArray("[s]\nhost=h\n"));
        QCOMPARE(nested->notes.size(), 2);

        // libpq's fgets() buffer holds 1023 bytes: the longest line is 1021 bytes plus the newline.
        const QByteArray fits(1021 - int(qstrlen("options=")), 'x');
        QVERIFY(ServiceSectionWriter::write(make({{u"options"_s, fits}}), u"s"_s).has_value());
        QVERIFY(!ServiceSectionWriter::write(make({{u"options"_s, fits + 'x'}}), u"s"_s).has_value());
        QVERIFY(!ServiceSectionWriter::write(make({{u"options"_s, "x\r"}}), u"s"_s).has_value());
        QVERIFY(!ServiceSectionWriter::write(make({{u"options"_s, "\tx"}}), u"s"_s).has_value());
        QVERIFY(ServiceSectionWriter::write(make({{u"options"_s, "a\tb"}}), u"s"_s).has_value());
    }

    void pgpass_data()
    {
        QTest::addColumn<ConnInfo>("info");
        QTest::addColumn<QByteArray>("expected");

        QTest::addRow("plain") << make({{u"host"_s, "db"},
                                        {u"port"_s, "5432"},
                                        {u"dbname"_s, "app"},
                                        {u"user"_s, "alice"},
                                        {u"password"_s, "pw"}})
                               << QByteArray("db:5432:app:alice:pw\n");
        QTest::addRow("escaping") << make({{u"host"_s, "db"},
                                           {u"port"_s, "5432"},
                                           {u"dbname"_s, "a:b"},
                                           {u"user"_s, "c\\d"},
                                           {u"password"_s, "p:w\\x:"}})
                                  << QByteArray("db:5432:a\\:b:c\\\\d:p\\:w\\\\x\\:\n");
        QTest::addRow("unset fields") << make({{u"password"_s, "pw"}}) << QByteArray("*:*:*:*:pw\n");
        QTest::addRow("empty port is 5432")
            << make({{u"host"_s, "h"}, {u"port"_s, ""}, {u"password"_s, "pw"}})
            << QByteArray("h:5432:*:*:pw\n");
        QTest::addRow("default socket") << make({{u"host"_s, "/var/run/postgresql"},
                                                 {u"port"_s, "5432"},
                                                 {u"dbname"_s, "d"},
                                                 {u"user"_s, "u"},
                                                 {u"password"_s, "pw"}})
                                        << QByteArray("localhost:5432:d:u:pw\n");
        QTest::addRow("multi-host") << make({{u"host"_s, "a,b"},
                                             {u"port"_s, "1,2"},
                                             {u"dbname"_s, "d"},
                                             {u"user"_s, "u"},
                                             {u"password"_s, "pw"}})
                                    << QByteArray("a:1:d:u:pw\nb:2:d:u:pw\n");
        QTest::addRow("hostaddr only") << make({{u"hostaddr"_s, "192.0.2.1"},
                                                {u"port"_s, "5432"},
                                                {u"dbname"_s, "d"},
                                                {u"user"_s, "u"},
                                                {u"password"_s, "pw"}})
                                       << QByteArray("192.0.2.1:5432:d:u:pw\n");
        QTest::addRow("literal star and hash") << make({{u"host"_s, "#h"},
                                                        {u"port"_s, "5432"},
                                                        {u"dbname"_s, "*"},
                                                        {u"user"_s, "u"},
                                                        {u"password"_s, "*"}})
                                               << QByteArray("\\#h:5432:\\*:u:\\*\n");
        QTest::addRow("ipv6") << make({{u"host"_s, "::1"},
                                       {u"port"_s, "5432"},
                                       {u"dbname"_s, "d"},
                                       {u"user"_s, "u"},
                                       {u"password"_s, "pw"}})
                              << QByteArray("\\:\\:1:5432:d:u:pw\n");
    }

    void pgpass()
    {
        QFETCH(ConnInfo, info);
        QFETCH(QByteArray, expected);
        const auto out = Exporter::exportAs(info, ExportFormat::PgPass, {true, {}});
        QVERIFY2(out.has_value(), out ? "" : qPrintable(out.error().message));
        QCOMPARE(out->bytes, expected);
        QVERIFY(out->containsSecrets);
        QVERIFY(out->notes.join(u' ').contains(u"0600"));

        // libpq's reading finds the password again for every host of the profile.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"pgpass"_s);
        QVERIFY(vf::test::TestPki::writeFile(path, "# other entries first\nother:1:x:y:nope\n" + out->bytes));
        const QStringList hosts =
            info.value(u"host").value_or(info.value(u"hostaddr").value_or(QString())).split(u',');
        const QStringList ports = info.value(u"port").value_or(u"5432"_s).split(u',');
        for (qsizetype i = 0; i < hosts.size(); ++i) {
            vf::settings::PgPassQuery q;
            q.host = hosts[i];
            q.port = ports.size() == 1 ? ports[0] : ports[i];
            q.dbname = info.value(u"dbname").value_or(u"anydb"_s);
            q.user = info.value(u"user").value_or(u"anyuser"_s);
            const auto r = vf::settings::PgPass(path).lookup(q);
            QCOMPARE(r.status, vf::settings::PgPassStatus::Matched);
            QCOMPARE(r.password, info.value(u"password").value());
        }
    }

    void pgpassErrors()
    {
        const auto noPassword =
            Exporter::exportAs(make({{u"host"_s, "h"}}), ExportFormat::PgPass, {true, {}});
        QVERIFY(!noPassword.has_value());
        QCOMPARE(noPassword.error().code, u"interop.pgpass-no-password"_s);
        const auto notIncluded = Exporter::exportAs(make({{u"password"_s, "x"}}), ExportFormat::PgPass);
        QVERIFY(!notIncluded.has_value());
        QVERIFY(!notIncluded.error().explanation.isEmpty());
        const auto lineBreak =
            Exporter::exportAs(make({{u"password"_s, "x\ny"}}), ExportFormat::PgPass, {true, {}});
        QVERIFY(!lineBreak.has_value());
        QCOMPARE(lineBreak.error().code, u"interop.pgpass-line-break"_s);
    }

    void pgpassAppend()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"pgpass"_s);
        const QList<QByteArray> lines = {"h:5432:d:u:pw", "h2:5432:d:u:pw"};

        auto created = PgPassWriter::append(path, lines);
        QVERIFY(created.has_value());
        QVERIFY(created->created);
        QCOMPARE(created->added, 2);
        struct stat st
        {
        };
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        // Again: nothing new. A file without a final newline gets one before the new line.
        auto again = PgPassWriter::append(path, lines);
        QVERIFY(again.has_value());
        QCOMPARE(again->added, 0);
        QCOMPARE(again->alreadyPresent, 2);

        QVERIFY(vf::test::TestPki::writeFile(path, "x:1:y:z:old",
                                             QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                 QFileDevice::ReadGroup | QFileDevice::ReadOther));
        auto tightened = PgPassWriter::append(path, {"h:5432:d:u:pw"});
        QVERIFY(tightened.has_value());
        QVERIFY(tightened->permissionsTightened);
        QVERIFY(!tightened->created);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("x:1:y:z:old\nh:5432:d:u:pw\n"));
        QCOMPARE(::stat(QFile::encodeName(path).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, mode_t(0600));

        const auto directory = PgPassWriter::append(dir.path(), lines);
        QVERIFY(!directory.has_value());
        QCOMPARE(directory.error().code, u"pki.not-regular-file"_s);
        const auto missingDir = PgPassWriter::append(dir.filePath(u"no/such/pgpass"_s), lines);
        QVERIFY(!missingDir.has_value());
        QCOMPARE(missingDir.error().code, u"interop.pgpass-write"_s);
        QVERIFY(!PgPassWriter::permissionRule().isEmpty());
    }

    void shellLiteral()
    {
        QCOMPARE(SourceLiteral::shell(""), QByteArray("''"));
        QCOMPARE(SourceLiteral::shell("it's"), QByteArray("'it'\\''s'"));
        QCOMPARE(SourceLiteral::python(u"a\"b\\c\n\x01"), u"\"a\\\"b\\\\c\\n\\x01\""_s);
        QCOMPARE(SourceLiteral::javaScript(u"a\u2028b\"\n"), u"\"a\\u2028b\\\"\\n\""_s);
    }

    void psqlCommand_data()
    {
        QTest::addColumn<QString>("shell");
        QTest::addColumn<ConnInfo>("info");
        for (const QString& shell : {u"sh"_s, u"bash"_s}) {
            QTest::addRow("%s plain", qPrintable(shell))
                << shell << make({{u"host"_s, "db"}, {u"port"_s, "5432"}, {u"sslmode"_s, "verify-full"}});
            QTest::addRow("%s hostile", qPrintable(shell))
                << shell
                << make({{u"application_name"_s, kHostile},
                         {u"options"_s, "-c x='$(touch CANARY)'"},
                         {u"sslrootcert"_s, "/tmp/a dir/it's \"here\"/root.crt"},
                         {u"password"_s, kHostile},
                         {u"keepalives_idle"_s, "30 '$(touch CANARY)'"},
                         {u"sslpassword"_s, "k'p\"w $HOME\n"}});
            QTest::addRow("%s empty and dash", qPrintable(shell))
                << shell
                << make({{u"host"_s, ""}, {u"dbname"_s, "-c"}, {u"user"_s, "--help"}, {u"keepalives"_s, ""}});
        }
    }

    // The command runs in a real shell; a stand-in psql records the environment and arguments it got.
    void psqlCommand()
    {
        QFETCH(QString, shell);
        QFETCH(ConnInfo, info);
        const QString shellPath = program(shell);
        if (shellPath.isEmpty())
            QSKIP("shell not installed");

        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bin = dir.filePath(u"bin"_s);
        QVERIFY(QDir().mkpath(bin));
        const QString fake = bin + u"/psql"_s;
        QVERIFY(vf::test::TestPki::writeFile(
            fake,
            "#!/bin/sh\nenv -0 > \"$DUMP_DIR/env\"\n: > \"$DUMP_DIR/args\"\n"
            "for a in \"$@\"; do printf '%s\\0' \"$a\" >> \"$DUMP_DIR/args\"; done\n",
            QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner));

        const auto out = Exporter::exportAs(info, ExportFormat::PsqlCommand, {true, {}});
        QVERIFY(out.has_value());
        QVERIFY(out->bytes.endsWith("psql") || out->bytes.contains("psql '"));

        QProcessEnvironment env;
        env.insert(u"PATH"_s, bin + u":/usr/bin:/bin"_s);
        env.insert(u"DUMP_DIR"_s, dir.path());
        env.insert(u"HOME"_s, dir.path());
        const Run r = run(shellPath, {u"-c"_s, QString::fromUtf8(out->bytes)}, {}, env, dir.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!QFile::exists(dir.filePath(u"CANARY"_s)), "a value was expanded by the shell");

        QFile envFile(dir.filePath(u"env"_s));
        QVERIFY(envFile.open(QIODevice::ReadOnly));
        std::map<QByteArray, QByteArray> seen;
        for (const QByteArray& entry : envFile.readAll().split('\0')) {
            const qsizetype eq = entry.indexOf('=');
            if (entry.startsWith("PG") && eq > 0)
                seen[entry.left(eq)] = entry.mid(eq + 1);
        }
        ConnInfo rest;
        for (const auto& option : vf::settings::connOptions()) {
            const auto value = info.valueBytes(option.keywordString());
            if (!value)
                continue;
            if (option.envVar == nullptr) {
                rest.setValueBytes(option.keywordString(), *value);
                continue;
            }
            const auto it = seen.find(QByteArray(option.envVar));
            QVERIFY2(it != seen.end(), option.envVar);
            QCOMPARE(it->second, *value);
            seen.erase(it);
        }
        QVERIFY2(seen.empty(), "no other PG* variable is set");

        QFile argsFile(dir.filePath(u"args"_s));
        QVERIFY(argsFile.open(QIODevice::ReadOnly));
        QList<QByteArray> args = argsFile.readAll().split('\0');
        args.removeLast(); // after the last NUL
        if (rest.isEmpty()) {
            QVERIFY(args.isEmpty());
        } else {
            QCOMPARE(args.size(), 1);
            const auto parsed = ConnInfo::parseBytes(args.first());
            QVERIFY(parsed.has_value());
            QVERIFY(*parsed == rest);
        }
        if (info.contains(u"password"))
            QVERIFY(out->notes.join(u' ').contains(u"PGPASSWORD"));
    }

    void psycopg_data()
    {
        QTest::addColumn<ConnInfo>("info");
        QTest::addRow("plain") << make({{u"host"_s, "db"},
                                        {u"port"_s, "5432"},
                                        {u"sslmode"_s, "verify-full"},
                                        {u"sslrootcert"_s, "/r.crt"}});
        QTest::addRow("hostile") << make({{u"application_name"_s, kHostile},
                                          {u"password"_s, "\"\"\" ''' \\x00 \\N{BULLET} {x} %s"},
                                          {u"options"_s, "\x01\x7f\xE2\x80\xA8 end"}});
        QTest::addRow("no password") << make({{u"host"_s, "h"}});
    }

    // python3 parses the snippet, and the values of the connect() keywords are exactly the settings.
    void psycopg()
    {
        QFETCH(ConnInfo, info);
        const auto out = Exporter::exportAs(info, ExportFormat::Psycopg, {true, {}});
        QVERIFY(out.has_value());
        QVERIFY(out->bytes.startsWith("import psycopg\n"));
        const QString python = program(u"python3"_s);
        if (python.isEmpty())
            QSKIP("python3 is not installed");
        const QString script = uR"(import ast, json, sys
tree = ast.parse(sys.stdin.buffer.read().decode("utf-8"))
calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "connect"]
assert len(calls) == 1, calls
print(json.dumps({k.arg: ast.literal_eval(k.value) for k in calls[0].keywords}))
)"_s;
        const Run r = run(python, {u"-c"_s, script}, out->bytes);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject kwargs = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(kwargs.size(), info.params().size());
        for (const auto& p : info.params())
            QCOMPARE(kwargs.value(p.keyword).toString(), p.value);
    }

    void nodePostgres_data()
    {
        QTest::addColumn<ConnInfo>("info");
        QTest::addColumn<QStringList>("contains");
        QTest::addColumn<QStringList>("absent");

        QTest::addRow("disable") << make({{u"host"_s, "h"}, {u"sslmode"_s, "disable"}})
                                 << QStringList{u"ssl: false"_s} << QStringList{u"rejectUnauthorized"_s};
        QTest::addRow("allow") << make({{u"host"_s, "h"}, {u"sslmode"_s, "allow"}})
                               << QStringList{u"ssl: false"_s} << QStringList{};
        QTest::addRow("prefer default")
            << make({{u"host"_s, "h"}}) << QStringList{u"rejectUnauthorized: false"_s}
            << QStringList{u"ca:"_s};
        QTest::addRow("require") << make({{u"host"_s, "h"}, {u"sslmode"_s, "require"}})
                                 << QStringList{u"rejectUnauthorized: false"_s} << QStringList{u"ca:"_s};
        QTest::addRow("require with root")
            << make({{u"host"_s, "h"}, {u"sslmode"_s, "require"}, {u"sslrootcert"_s, "/r.crt"}})
            << QStringList{u"rejectUnauthorized: true"_s, u"checkServerIdentity"_s,
                           u"fs.readFileSync(\"/r.crt\")"_s}
            << QStringList{};
        QTest::addRow("verify-ca") << make({{u"host"_s, "db.example.com"},
                                            {u"sslmode"_s, "verify-ca"},
                                            {u"sslrootcert"_s, "/r.crt"}})
                                   << QStringList{u"rejectUnauthorized: true"_s,
                                                  u"checkServerIdentity: () => undefined"_s}
                                   << QStringList{u"servername"_s};
        QTest::addRow("verify-full") << make({{u"host"_s, "db.example.com"},
                                              {u"sslmode"_s, "verify-full"},
                                              {u"sslrootcert"_s, "/r.crt"},
                                              {u"sslcert"_s, "/c.crt"},
                                              {u"sslkey"_s, "/c.key"},
                                              {u"sslpassword"_s, "kp"}})
                                     << QStringList{u"rejectUnauthorized: true"_s,
                                                    u"servername: \"db.example.com\""_s,
                                                    u"cert: fs.readFileSync(\"/c.crt\")"_s,
                                                    u"passphrase: \"kp\""_s}
                                     << QStringList{u"checkServerIdentity"_s};
        QTest::addRow("verify-full default root")
            << make({{u"host"_s, "10.0.0.1"}, {u"sslmode"_s, "verify-full"}})
            << QStringList{u"os.homedir()"_s, u"require(\"os\")"_s} << QStringList{u"servername"_s};
        QTest::addRow("system roots")
            << make({{u"host"_s, "h"}, {u"sslmode"_s, "verify-full"}, {u"sslrootcert"_s, "system"}})
            << QStringList{u"rejectUnauthorized: true"_s} << QStringList{u"ca:"_s};
        QTest::addRow("hostaddr and multi-host")
            << make({{u"host"_s, "a.example.com,b.example.com"},
                     {u"hostaddr"_s, "192.0.2.1,192.0.2.2"},
                     {u"port"_s, "5433,5434"},
                     {u"sslmode"_s, "verify-full"}})
            << QStringList{u"host: \"192.0.2.1\""_s, u"port: 5433"_s, u"servername: \"a.example.com\""_s}
            << QStringList{};
        QTest::addRow("hostile") << make({{u"host"_s, "h"},
                                          {u"application_name"_s, kHostile},
                                          {u"sslrootcert"_s, kHostile},
                                          {u"sslmode"_s, "verify-ca"},
                                          {u"connect_timeout"_s, "10"},
                                          {u"service"_s, "x"}})
                                 << QStringList{u"connectionTimeoutMillis: 10000"_s} << QStringList{};
    }

    void nodePostgres()
    {
        QFETCH(ConnInfo, info);
        QFETCH(QStringList, contains);
        QFETCH(QStringList, absent);
        const auto out = Exporter::exportAs(info, ExportFormat::NodePostgres, {true, {}});
        QVERIFY(out.has_value());
        const QString text = out->text();
        for (const QString& s : contains)
            QVERIFY2(text.contains(s), qPrintable(s + u"\n"_s + text));
        for (const QString& s : absent)
            QVERIFY2(!text.contains(s), qPrintable(s + u"\n"_s + text));
        QVERIFY(!out->notes.isEmpty());

        const QString node = program(u"node"_s);
        if (node.isEmpty())
            QSKIP("node is not installed");
        QTemporaryDir dir;
        const QString file = dir.filePath(u"connect.js"_s);
        QVERIFY(vf::test::TestPki::writeFile(file, out->bytes));
        const Run r = run(node, {u"--check"_s, file});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    // The snippet runs under node with a stand-in "pg" module that prints the Client configuration:
    // the files are read and every value arrives unchanged.
    void nodePostgresValues()
    {
        const QString node = program(u"node"_s);
        if (node.isEmpty())
            QSKIP("node is not installed");
        QTemporaryDir dir;
        QVERIFY(QDir().mkpath(dir.filePath(u"node_modules/pg"_s)));
        QVERIFY(vf::test::TestPki::writeFile(
            dir.filePath(u"node_modules/pg/index.js"_s),
            "class Client {\n"
            "  constructor(c) {\n"
            "    const ssl = c.ssl && Object.fromEntries(Object.entries(c.ssl).map(([k, v]) =>\n"
            "      [k, Buffer.isBuffer(v) ? 'file:' + v.toString() : typeof v === 'function' ? 'fn:' + "
            "String(v(\"x\", {})) : v]));\n"
            "    process.stdout.write(JSON.stringify({ ...c, ssl }));\n"
            "  }\n"
            "  connect() { return new Promise(() => {}); }\n"
            "  end() {}\n"
            "}\n"
            "module.exports = { Client };\n"));
        const QString root = dir.filePath(u"it's a \"root\".crt"_s);
        const QString cert = dir.filePath(u"client $HOME.crt"_s);
        const QString key = dir.filePath(u"client.key"_s);
        QVERIFY(vf::test::TestPki::writeFile(root, "ROOT"));
        QVERIFY(vf::test::TestPki::writeFile(cert, "CERT"));
        QVERIFY(vf::test::TestPki::writeFile(key, "KEY"));
        const ConnInfo info = make({{u"host"_s, "db.example.com"},
                                    {u"port"_s, "6543"},
                                    {u"dbname"_s, "d\xC3\xA9"},
                                    {u"user"_s, "u'\"\\"},
                                    {u"password"_s, kHostile},
                                    {u"application_name"_s, kHostile},
                                    {u"sslmode"_s, "verify-ca"},
                                    {u"sslrootcert"_s, root.toUtf8()},
                                    {u"sslcert"_s, cert.toUtf8()},
                                    {u"sslkey"_s, key.toUtf8()}});
        const auto out = Exporter::exportAs(info, ExportFormat::NodePostgres, {true, {}});
        QVERIFY(out.has_value());
        const QString file = dir.filePath(u"connect.js"_s);
        QVERIFY(vf::test::TestPki::writeFile(file, out->bytes));
        const Run r = run(node, {file}, {}, QProcessEnvironment::systemEnvironment(), dir.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonObject c = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(c.value(u"host").toString(), u"db.example.com"_s);
        QCOMPARE(c.value(u"port").toInt(), 6543);
        QCOMPARE(c.value(u"database").toString(), u"dé"_s);
        QCOMPARE(c.value(u"user").toString(), u"u'\"\\"_s);
        QCOMPARE(c.value(u"password").toString(), QString::fromUtf8(kHostile));
        QCOMPARE(c.value(u"application_name").toString(), QString::fromUtf8(kHostile));
        const QJsonObject ssl = c.value(u"ssl").toObject();
        QCOMPARE(ssl.value(u"ca").toString(), u"file:ROOT"_s);
        QCOMPARE(ssl.value(u"cert").toString(), u"file:CERT"_s);
        QCOMPARE(ssl.value(u"key").toString(), u"file:KEY"_s);
        QCOMPARE(ssl.value(u"rejectUnauthorized").toBool(), true);
        QCOMPARE(ssl.value(u"checkServerIdentity").toString(), u"fn:undefined"_s);
    }

    void jdbc()
    {
        const ConnInfo info = make({{u"host"_s, "a.example.com,::1"},
                                    {u"port"_s, "5432,5433"},
                                    {u"dbname"_s, "my db+x"},
                                    {u"user"_s, "al ice+"},
                                    {u"password"_s, "p&w=d%"},
                                    {u"sslmode"_s, "verify-full"},
                                    {u"sslrootcert"_s, "/certs/root.crt"},
                                    {u"sslcert"_s, "/certs/client.crt"},
                                    {u"sslkey"_s, "/certs/client.key"},
                                    {u"connect_timeout"_s, "7"},
                                    {u"application_name"_s, "app name"},
                                    {u"target_session_attrs"_s, "prefer-standby"},
                                    {u"sslcrl"_s, "/certs/crl.pem"}});
        const auto out = Exporter::exportAs(info, ExportFormat::Jdbc, {true, {}});
        QVERIFY(out.has_value());
        const QString url = out->text();
        QVERIFY2(url.startsWith(u"jdbc:postgresql://a.example.com:5432,[::1]:5433/my%20db%2Bx?"),
                 qPrintable(url));
        QVERIFY(!url.contains(u' '));
        QVERIFY(!url.contains(u'+'));
        QHash<QString, QString> params;
        for (const QString& part : url.section(u'?', 1).split(u'&'))
            params.insert(part.section(u'=', 0, 0),
                          QUrl::fromPercentEncoding(part.section(u'=', 1).toLatin1()));
        auto param = [&params](const QString& key) { return params.value(key); };
        QCOMPARE(param(u"user"_s), u"al ice+"_s);
        QCOMPARE(param(u"password"_s), u"p&w=d%"_s);
        QCOMPARE(param(u"sslmode"_s), u"verify-full"_s);
        QCOMPARE(param(u"sslrootcert"_s), u"/certs/root.crt"_s);
        QCOMPARE(param(u"sslkey"_s), u"/certs/client.pk8"_s);
        QCOMPARE(param(u"connectTimeout"_s), u"7"_s);
        QCOMPARE(param(u"ApplicationName"_s), u"app name"_s);
        QCOMPARE(param(u"targetServerType"_s), u"preferSecondary"_s);
        const QString notes = out->notes.join(u'\n');
        QVERIFY(notes.contains(u"PKCS#8"));
        QVERIFY(notes.contains(u"sslcrl"));
        QVERIFY(out->containsSecrets);

        // Without secrets, sslmode defaulted and written, a usable key kept, a socket, system roots.
        const auto plain = Exporter::exportAs(make({{u"host"_s, "/var/run/postgresql"},
                                                    {u"sslkey"_s, "/k.pk8"},
                                                    {u"sslrootcert"_s, "system"},
                                                    {u"password"_s, "x"}}),
                                              ExportFormat::Jdbc);
        QVERIFY(plain.has_value());
        QCOMPARE(plain->text(), u"jdbc:postgresql://localhost/?sslmode=prefer&sslfactory=org.postgresql.ssl."
                                "DefaultJavaSSLFactory&sslkey=/k.pk8"_s);
        QVERIFY(!plain->containsSecrets);
        QVERIFY(JdbcUrlWriter::keyUsableByPgJdbc(u"/x/Y.P12"_s));
        QVERIFY(!JdbcUrlWriter::keyUsableByPgJdbc(u"/x/y.key"_s));
    }

    void newerKeywordsAreNoted()
    {
        const auto out =
            Exporter::exportAs(make({{u"sslnegotiation"_s, "direct"}, {u"sslcertmode"_s, "require"}}),
                               ExportFormat::KeywordValue);
        QVERIFY(out.has_value());
        QVERIFY2(out->notes.join(u' ').contains(u"libpq 17"), qPrintable(out->notes.join(u' ')));
        const auto old = Exporter::exportAs(make({{u"sslmode"_s, "require"}}), ExportFormat::KeywordValue);
        QVERIFY(old->notes.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestInteropExport)
#include "tst_interop_export.moc"
