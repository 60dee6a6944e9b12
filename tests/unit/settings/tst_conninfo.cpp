#include "settings/ConnInfo.h"
#include "settings/ConnOptions.h"

#include <QTest>

using namespace Qt::StringLiterals;
using vf::settings::ConnInfo;
using vf::settings::ConnInfoSyntax;
using vf::settings::ConnParam;

namespace {

// "keyword=value" (split at the first '='), the form the data tables use for expected values.
QStringList flatten(const ConnInfo& info)
{
    QStringList out;
    for (const ConnParam& p : info.params())
        out << p.keyword + u'=' + p.value;
    return out;
}

// Parses text and checks it equals expected, byte for byte (ConnInfo::operator==).
bool parsesTo(const vf::Result<ConnInfo>& parsed, const ConnInfo& expected)
{
    if (!parsed) {
        qWarning("parse failed: %s", qPrintable(parsed.error().message));
        return false;
    }
    if (!(*parsed == expected)) {
        qWarning("got %s, expected %s", qPrintable(flatten(*parsed).join(u' ')),
                 qPrintable(flatten(expected).join(u' ')));
        return false;
    }
    return true;
}

ConnInfo fromList(const QStringList& params)
{
    ConnInfo info;
    for (const QString& p : params) {
        const qsizetype eq = p.indexOf(u'=');
        if (!info.setValue(p.left(eq), p.mid(eq + 1)))
            qFatal("bad test data: %s", qPrintable(p));
    }
    return info;
}

// What a parse gave, for a failure message (QVERIFY2 evaluates its message even when it passes).
QString describe(const vf::Result<ConnInfo>& r)
{
    if (r)
        return u"parsed: "_s + flatten(*r).join(u' ');
    return r.error().code + u": " + r.error().message;
}

} // namespace

class TestConnInfo : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void parseValid_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QStringList>("expected");
        QTest::addColumn<bool>("isUri");

        auto kv = [](const char* name, QString input, QStringList expected) {
            QTest::addRow("kv: %s", name) << input << expected << false;
        };
        auto uri = [](const char* name, QString input, QStringList expected) {
            QTest::addRow("uri: %s", name) << input << expected << true;
        };

        // keyword = value
        kv("empty string", u""_s, {});
        kv("only blanks", u" \t\r\n\v\f "_s, {});
        kv("two pairs", u"host=db port=5432"_s, {u"host=db"_s, u"port=5432"_s});
        kv("table order, not input order", u"sslmode=require host=x user=u"_s,
           {u"user=u"_s, u"host=x"_s, u"sslmode=require"_s});
        kv("blanks around =", u"  host =\tdb  port\n=\n5432 "_s, {u"host=db"_s, u"port=5432"_s});
        kv("every C isspace separates", u"host=a\tport=1\ndbname=x\rsslmode=y\vuser=z\fpassfile=w"_s,
           {u"user=z"_s, u"passfile=w"_s, u"dbname=x"_s, u"host=a"_s, u"port=1"_s, u"sslmode=y"_s});
        kv("quoted value with blanks", u"options='-c geqo=off'"_s, {u"options=-c geqo=off"_s});
        kv("escaped quote in quoted value", u"password='it\\'s'"_s, {u"password=it's"_s});
        kv("escaped backslash in quoted value", u"sslkey='C:\\\\key'"_s, {u"sslkey=C:\\key"_s});
        kv("backslash before any byte in quotes", u"application_name='\\a\\ b'"_s,
           {u"application_name=a b"_s});
        kv("backslash escape in unquoted value", u"host=a\\ b port=1"_s, {u"host=a b"_s, u"port=1"_s});
        kv("escaped quote starts unquoted value", u"host=\\'a"_s, {u"host='a"_s});
        kv("quote inside unquoted value", u"host=a'b"_s, {u"host=a'b"_s});
        kv("trailing backslash is dropped", u"host=a\\"_s, {u"host=a"_s});
        kv("empty quoted value", u"host='' port=1"_s, {u"host="_s, u"port=1"_s});
        kv("empty value at end", u"port=1 host="_s, {u"host="_s, u"port=1"_s});
        kv("blank value at end", u"host=   "_s, {u"host="_s});
        kv("value after = skips blanks (libpq quirk)", u"host= port=5"_s, {u"host=port=5"_s});
        kv("no blank needed after a quoted value", u"host='a'port=5"_s, {u"host=a"_s, u"port=5"_s});
        kv("= inside a value", u"options=-cgeqo=off"_s, {u"options=-cgeqo=off"_s});
        kv("repeated keyword: last wins", u"host=a port=1 host=b"_s, {u"host=b"_s, u"port=1"_s});
        kv("requiressl=1 is sslmode=require", u"requiressl=1"_s, {u"sslmode=require"_s});
        kv("requiressl=0 is sslmode=prefer", u"requiressl=0"_s, {u"sslmode=prefer"_s});
        kv("requiressl checks the first byte only", u"requiressl=1x"_s, {u"sslmode=require"_s});
        kv("requiressl=yes is sslmode=prefer", u"requiressl=yes"_s, {u"sslmode=prefer"_s});
        kv("requiressl empty is sslmode=prefer", u"requiressl=''"_s, {u"sslmode=prefer"_s});
        kv("requiressl then sslmode", u"requiressl=1 sslmode=disable"_s, {u"sslmode=disable"_s});
        kv("sslmode then requiressl", u"sslmode=disable requiressl=1"_s, {u"sslmode=require"_s});
        kv("UTF-8 value", u"application_name=café✓"_s, {u"application_name=café✓"_s});
        kv("URI designator is case-sensitive value", u"dbname=postgresql://x"_s,
           {u"dbname=postgresql://x"_s});
        kv("PG16+ keywords",
           u"sslnegotiation=direct sslcertmode=require require_auth=scram-sha-256 "
           u"load_balance_hosts=random gssdelegation=1 sslkeylogfile=/tmp/k min_protocol_version=3.0 "
           u"max_protocol_version=latest scram_client_key=00 scram_server_key=11 oauth_issuer=https://i "
           u"oauth_client_id=c oauth_client_secret=s oauth_scope=openid"_s,
           {u"sslnegotiation=direct"_s, u"sslcertmode=require"_s, u"min_protocol_version=3.0"_s,
            u"max_protocol_version=latest"_s, u"gssdelegation=1"_s, u"load_balance_hosts=random"_s,
            u"require_auth=scram-sha-256"_s, u"sslkeylogfile=/tmp/k"_s, u"scram_client_key=00"_s,
            u"scram_server_key=11"_s, u"oauth_issuer=https://i"_s, u"oauth_client_id=c"_s,
            u"oauth_client_secret=s"_s, u"oauth_scope=openid"_s});

        // URIs
        uri("everything", u"postgresql://user:secret@host:5432/db?sslmode=verify-full"_s,
            {u"user=user"_s, u"password=secret"_s, u"dbname=db"_s, u"host=host"_s, u"port=5432"_s,
             u"sslmode=verify-full"_s});
        uri("short designator", u"postgres://host"_s, {u"host=host"_s});
        uri("nothing", u"postgresql://"_s, {});
        uri("only slash", u"postgres:///"_s, {});
        uri("dbname only", u"postgres:///db"_s, {u"dbname=db"_s});
        uri("empty query", u"postgresql://host?"_s, {u"host=host"_s});
        uri("empty dbname and query", u"postgresql://host/?"_s, {u"host=host"_s});
        uri("empty user before @", u"postgres://@host"_s, {u"host=host"_s});
        uri("empty port", u"postgres://host:/"_s, {u"host=host"_s});
        uri("port only", u"postgres://:12345/"_s, {u"port=12345"_s});
        uri("empty password", u"postgresql://u:@h"_s, {u"user=u"_s, u"host=h"_s});
        uri("password without user", u"postgresql://:pw@h"_s, {u"password=pw"_s, u"host=h"_s});
        uri("colon in password", u"postgresql://u:p:q@h"_s, {u"user=u"_s, u"password=p:q"_s, u"host=h"_s});
        uri("IPv6 with port", u"postgresql://[::1]:12345/db"_s,
            {u"dbname=db"_s, u"host=::1"_s, u"port=12345"_s});
        uri("IPv6 is not validated", u"postgresql://[200z:db8::1234]/"_s, {u"host=200z:db8::1234"_s});
        uri("two hosts two ports", u"postgresql://a:1,b:2/db"_s,
            {u"dbname=db"_s, u"host=a,b"_s, u"port=1,2"_s});
        uri("two hosts no port: port is a comma", u"postgresql://a,b"_s, {u"host=a,b"_s, u"port=,"_s});
        uri("IPv6 hosts, one port", u"postgresql://[2001:db8::1],[::2]:6/db"_s,
            {u"dbname=db"_s, u"host=2001:db8::1,::2"_s, u"port=,6"_s});
        uri("empty host between commas", u"postgresql://a,,b:3"_s, {u"host=a,,b"_s, u"port=,,3"_s});
        uri("colon in port is kept", u"postgresql://h:5432:6"_s, {u"host=h"_s, u"port=5432:6"_s});
        uri("percent-encoded socket dir", u"postgres://%2Fvar%2Flib%2Fpostgresql/dbname"_s,
            {u"dbname=dbname"_s, u"host=/var/lib/postgresql"_s});
        uri("percent-encoded comma joins hosts", u"postgresql://a%2Cb"_s, {u"host=a,b"_s});
        uri("percent-encoded user and password", u"postgresql://us%40er:p%3Aw%2f@h"_s,
            {u"user=us@er"_s, u"password=p:w/"_s, u"host=h"_s});
        uri("percent-encoded UTF-8", u"postgresql://h?application_name=%E2%9C%93"_s,
            {u"host=h"_s, u"application_name=✓"_s});
        uri("percent-encoded keyword", u"postgresql://host/db?u%73er=someone&port=12345"_s,
            {u"user=someone"_s, u"dbname=db"_s, u"host=host"_s, u"port=12345"_s});
        uri("encoded blank in dbname", u"postgresql://h/db%20name"_s, {u"dbname=db name"_s, u"host=h"_s});
        uri("query wins over netloc (later)", u"postgresql://h:1?host=other"_s,
            {u"host=other"_s, u"port=1"_s});
        uri("empty query value is a value", u"postgresql://h?sslcert="_s, {u"host=h"_s, u"sslcert="_s});
        uri("ssl=true is sslmode=require", u"postgresql://h?ssl=true"_s, {u"host=h"_s, u"sslmode=require"_s});
        uri("ssl=true encoded", u"postgresql://h?%73sl=%74rue"_s, {u"host=h"_s, u"sslmode=require"_s});
        uri("requiressl in query", u"postgresql://h?requiressl=1"_s, {u"host=h"_s, u"sslmode=require"_s});
        uri("'@' in the query makes a user (libpq quirk)", u"postgresql://h?user=a@b"_s,
            {u"user=h?user=a"_s, u"host=b"_s});
        uri("slash inside dbname", u"postgresql://h/a/b"_s, {u"dbname=a/b"_s, u"host=h"_s});
        uri("PG16+ keyword in query", u"postgresql://h?sslnegotiation=direct&require_auth=none"_s,
            {u"host=h"_s, u"sslnegotiation=direct"_s, u"require_auth=none"_s});
        // PostgreSQL 17+: raw blanks at either end of a URI part are dropped.
        uri("blanks around query value (PG17+)", u"postgresql://h?application_name= x "_s,
            {u"host=h"_s, u"application_name=x"_s});
        uri("blanks around query keyword (PG17+)", u"postgresql://h? port =1"_s, {u"host=h"_s, u"port=1"_s});
        uri("blanks around user, host, dbname (PG17+)", u"postgresql:// u @ h / d "_s,
            {u"user=u"_s, u"dbname=d"_s, u"host=h"_s});
        uri("blank user is an empty user (PG17+)", u"postgresql:// @h"_s, {u"user="_s, u"host=h"_s});
        uri("encoded blanks are kept", u"postgresql://h?application_name=%20x%20"_s,
            {u"host=h"_s, u"application_name= x "_s});
    }

    void parseValid()
    {
        QFETCH(QString, input);
        QFETCH(QStringList, expected);
        QFETCH(bool, isUri);

        const auto result = ConnInfo::parse(input);
        QVERIFY2(result.has_value(), qPrintable(describe(result)));
        QCOMPARE(flatten(*result), expected);
        QCOMPARE(result->syntax(), isUri ? ConnInfoSyntax::Uri : ConnInfoSyntax::KeywordValue);
        QCOMPARE(result->isEmpty(), expected.isEmpty());
    }

    void parseInvalid_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");

        auto row = [](const char* name, QString input, const char* code, QString message) {
            QTest::addRow("%s", name)
                << input << u"settings.conninfo."_s + QLatin1StringView(code) << message;
        };

        row("keyword alone", u"host"_s, "missing-equals",
            u"missing \"=\" after \"host\" in connection info string"_s);
        row("keyword and blank", u"host "_s, "missing-equals",
            u"missing \"=\" after \"host\" in connection info string"_s);
        row("two words", u"host db"_s, "missing-equals",
            u"missing \"=\" after \"host\" in connection info string"_s);
        row("second pair without =", u"host=a port"_s, "missing-equals",
            u"missing \"=\" after \"port\" in connection info string"_s);
        row("not a URI designator", u"postgre://"_s, "missing-equals",
            u"missing \"=\" after \"postgre://\" in connection info string"_s);
        row("designator is case-sensitive", u"PostgreSQL://h"_s, "missing-equals",
            u"missing \"=\" after \"PostgreSQL://h\" in connection info string"_s);
        row("empty keyword", u"=x"_s, "invalid-option", u"invalid connection option \"\""_s);
        row("unknown keyword", u"host=a hots=x"_s, "invalid-option", u"invalid connection option \"hots\""_s);
        row("keywords are case-sensitive", u"Host=x"_s, "invalid-option",
            u"invalid connection option \"Host\""_s);
        row("ssl is only a URI parameter", u"ssl=true"_s, "invalid-option",
            u"invalid connection option \"ssl\""_s);
        row("unterminated quote", u"host='abc"_s, "unterminated-quote",
            u"unterminated quoted string in connection info string"_s);
        row("escaped closing quote", u"host='abc\\'"_s, "unterminated-quote",
            u"unterminated quoted string in connection info string"_s);
        row("backslash at end of quote", u"host='abc\\"_s, "unterminated-quote",
            u"unterminated quoted string in connection info string"_s);
        row("NUL character", u"host=a"_s + QChar(0) + u"b"_s, "nul-byte",
            u"connection string contains a NUL byte"_s);

        row("IPv6 unterminated", u"postgres://[::1"_s, "uri-ipv6-unterminated",
            u"end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgres://[::1\""_s);
        row("IPv6 empty", u"postgres://[]"_s, "uri-ipv6-empty",
            u"IPv6 host address may not be empty in URI: \"postgres://[]\""_s);
        row("after IPv6", u"postgres://[::1]z"_s, "uri-unexpected-character",
            u"unexpected character \"z\" at position 17 in URI (expected \":\" or \"/\"): \"postgres://[::1]z\""_s);
        row("after second IPv6", u"postgresql://[::1],[::2]x"_s, "uri-unexpected-character",
            u"unexpected character \"x\" at position 25 in URI (expected \":\" or \"/\"): \"postgresql://[::1],[::2]x\""_s);
        row("parameter without =", u"postgresql://host?zzz"_s, "uri-missing-separator",
            u"missing key/value separator \"=\" in URI query parameter: \"zzz\""_s);
        row("first of two without =", u"postgresql://host?value1&value2"_s, "uri-missing-separator",
            u"missing key/value separator \"=\" in URI query parameter: \"value1\""_s);
        row("empty parameter", u"postgresql://h?&"_s, "uri-missing-separator",
            u"missing key/value separator \"=\" in URI query parameter: \"\""_s);
        row("two =", u"postgresql://host?key=key=value"_s, "uri-extra-separator",
            u"extra key/value separator \"=\" in URI query parameter: \"key\""_s);
        row("unknown parameter", u"postgresql://host?uzer="_s, "uri-invalid-parameter",
            u"invalid URI query parameter: \"uzer\""_s);
        row("unknown parameter names the decoded keyword", u"postgresql://host/db?u%7aer=x"_s,
            "uri-invalid-parameter", u"invalid URI query parameter: \"uzer\""_s);
        row("empty parameter name", u"postgresql://h?=x"_s, "uri-invalid-parameter",
            u"invalid URI query parameter: \"\""_s);
        row("ssl=false", u"postgresql://h?ssl=false"_s, "uri-invalid-parameter",
            u"invalid URI query parameter: \"ssl\""_s);
        row("bad percent in query value", u"postgres://host?dbname=%XXfoo"_s, "uri-invalid-percent",
            u"invalid percent-encoded token: \"%XXfoo\""_s);
        row("bad percent in host", u"postgresql://%zz"_s, "uri-invalid-percent",
            u"invalid percent-encoded token: \"%zz\""_s);
        row("one hex digit", u"postgresql://%1"_s, "uri-invalid-percent",
            u"invalid percent-encoded token: \"%1\""_s);
        row("lone percent", u"postgresql://%"_s, "uri-invalid-percent",
            u"invalid percent-encoded token: \"%\""_s);
        row("bad percent names all hosts", u"postgresql://a,b%g1:1"_s, "uri-invalid-percent",
            u"invalid percent-encoded token: \"a,b%g1\""_s);
        row("bad percent in user comes first", u"postgresql://u%zz@["_s, "uri-invalid-percent",
            u"invalid percent-encoded token: \"u%zz\""_s);
        row("bad percent in query keyword", u"postgresql://h?%qq=1"_s, "uri-invalid-percent",
            u"invalid percent-encoded token: \"%qq\""_s);
        row("%00", u"postgresql://a%00b"_s, "uri-percent-nul",
            u"forbidden value %00 in percent-encoded value: \"a%00b\""_s);
        row("'/' ends the credentials look-ahead", u"postgresql://h/d?x=a@b"_s, "uri-invalid-parameter",
            u"invalid URI query parameter: \"x\""_s);
        // PostgreSQL 17+: a raw blank inside a URI part.
        row("blank inside query value (PG17+)", u"postgresql://h?application_name=a b"_s,
            "uri-unexpected-spaces",
            u"unexpected spaces found in \"a b\", use percent-encoded spaces (%20) instead"_s);
        row("blank inside host list (PG17+)", u"postgresql://a, b"_s, "uri-unexpected-spaces",
            u"unexpected spaces found in \"a, b\", use percent-encoded spaces (%20) instead"_s);
        row("blank before percent (PG17+)", u"postgresql://h/a %20"_s, "uri-unexpected-spaces",
            u"unexpected spaces found in \"a %20\", use percent-encoded spaces (%20) instead"_s);
    }

    void parseInvalid()
    {
        QFETCH(QString, input);
        QFETCH(QString, code);
        QFETCH(QString, message);

        const auto result = ConnInfo::parse(input);
        QVERIFY2(!result.has_value(), qPrintable(describe(result)));
        QCOMPARE(result.error().message, message);
        QCOMPARE(result.error().code, code);
        QVERIFY(!result.error().explanation.isEmpty());
    }

    void garbageGetsAClearError_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("message");
        QTest::addRow("invalid UTF-8 keyword")
            << QByteArray("\xff\xfe=1") << QString::fromUtf8("invalid connection option \"\xff\xfe\"");
        QTest::addRow("control bytes")
            << QByteArray("\x01\x02\x03")
            << QString::fromUtf8("missing \"=\" after \"\x01\x02\x03\" in connection info string");
        QTest::addRow("NUL in the middle")
            << QByteArray("host=a\0port=1", 13) << u"connection string contains a NUL byte"_s;
        QTest::addRow("truncated URI")
            << QByteArray("postgresql://[")
            << u"end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[\""_s;
        QTest::addRow("non-ASCII byte after IPv6")
            << QByteArray("postgresql://[::1]\xc3\xa9")
            << QString::fromUtf8("unexpected character \"\xc3\" at position 19 in URI (expected \":\" or "
                                 "\"/\"): \"postgresql://[::1]\xc3\xa9\"");
    }

    void garbageGetsAClearError()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, message);
        const auto result = ConnInfo::parseBytes(input);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().message, message);
    }

    void hugeInputParses()
    {
        const QString value(4 * 1024 * 1024, u'x');
        const auto kv = ConnInfo::parse(QString(u"application_name="_s + value + u" host=h"_s));
        QVERIFY(kv.has_value());
        QCOMPARE(kv->value(u"application_name").value_or(QString()).size(), value.size());
        QCOMPARE(kv->value(u"host"), u"h"_s);

        const auto uri = ConnInfo::parse(QString(u"postgresql://h?application_name="_s + value));
        QVERIFY(uri.has_value());
        QCOMPARE(uri->value(u"application_name").value_or(QString()).size(), value.size());

        const auto unterminated = ConnInfo::parse(QString(u"host='"_s + value));
        QVERIFY(!unterminated.has_value());
    }

    void nonUtf8BytesAreKept()
    {
        // %E9 is a Latin-1 "é": libpq passes the byte on, and so do we.
        const auto result = ConnInfo::parse(u"postgresql://h?password=%E9t%E9&application_name=ok"_s);
        QVERIFY(result.has_value());
        QCOMPARE(result->valueBytes(u"password"), QByteArray("\xE9t\xE9"));
        QCOMPARE(result->value(u"password"), u"\uFFFDt\uFFFD"_s);
        QVERIFY(result->hasNonUtf8Value());

        const QString uri = result->toUri(true);
        QCOMPARE(uri, u"postgresql://:%E9t%E9@h?application_name=ok"_s);
        QVERIFY(parsesTo(ConnInfo::parse(uri), *result));

        const QByteArray kv = result->toKeywordValueBytes(true);
        QCOMPARE(kv, QByteArray("password=\xE9t\xE9 host=h application_name=ok"));
        QVERIFY(parsesTo(ConnInfo::parseBytes(kv), *result));

        // Raw bytes in a keyword/value string are kept too.
        const auto raw = ConnInfo::parseBytes("application_name=\xff\x80");
        QVERIFY(raw.has_value());
        QCOMPARE(raw->valueBytes(u"application_name"), QByteArray("\xff\x80"));

        const auto utf8 = ConnInfo::parse(u"application_name=café"_s);
        QVERIFY(utf8 && !utf8->hasNonUtf8Value());
    }

    void accessors()
    {
        ConnInfo info;
        QVERIFY(info.isEmpty());
        QVERIFY(!info.setValue(u"hots"_s, u"x"_s));
        QVERIFY(!info.setValue(u"requiressl"_s, u"1"_s)); // as PQconnectdbParams: not a keyword
        QVERIFY(!info.setValue(u"host"_s, u"a"_s + QChar(0)));
        QVERIFY(info.isEmpty());

        QVERIFY(info.setValue(u"sslmode"_s, u"verify-full"_s));
        QVERIFY(info.setValue(u"host"_s, u"db"_s));
        QVERIFY(info.setValue(u"user"_s, u"me"_s));
        QVERIFY(info.setValue(u"host"_s, u"db2"_s));
        QCOMPARE(flatten(info), (QStringList{u"user=me"_s, u"host=db2"_s, u"sslmode=verify-full"_s}));
        QVERIFY(info.contains(u"host"));
        QVERIFY(!info.contains(u"port"));
        QCOMPARE(info.value(u"port"), std::nullopt);
        QCOMPARE(info.value(u"nonsense"), std::nullopt);

        info.remove(u"host");
        QVERIFY(!info.contains(u"host"));
        info.remove(u"nonsense");
        QCOMPARE(info.params().size(), 2);

        QVERIFY(info.setValueBytes(u"password"_s, QByteArray("\xE9")));
        QVERIFY(info.hasNonUtf8Value());
        QVERIFY(!info.setValueBytes(u"password"_s, QByteArray("a\0b", 3)));
        QCOMPARE(info.valueBytes(u"password"), QByteArray("\xE9"));

        ConnInfo other = fromList({u"sslmode=verify-full"_s, u"user=me"_s});
        QVERIFY(!(info == other));
        info.remove(u"password");
        QVERIFY(info == other);
    }

    void writers_data()
    {
        QTest::addColumn<QStringList>("params");
        QTest::addColumn<QString>("keywordValue");
        QTest::addColumn<QString>("uri");

        QTest::addRow("empty") << QStringList{} << u""_s << u"postgresql://"_s;
        QTest::addRow("plain") << QStringList{u"host=db"_s, u"port=5432"_s, u"sslmode=verify-full"_s}
                               << u"host=db port=5432 sslmode=verify-full"_s
                               << u"postgresql://db:5432?sslmode=verify-full"_s;
        QTest::addRow("user and dbname") << QStringList{u"user=me"_s, u"dbname=app"_s, u"host=db"_s}
                                         << u"user=me dbname=app host=db"_s << u"postgresql://me@db/app"_s;
        QTest::addRow("quoting")
            << QStringList{u"options=-c geqo=off"_s, u"application_name=it's"_s, u"sslkey=C:\\key"_s,
                           u"sslcert="_s}
            << u"options='-c geqo=off' application_name='it\\'s' sslcert='' sslkey='C:\\\\key'"_s
            << u"postgresql://?options=-c%20geqo%3Doff&application_name=it%27s&sslcert=&sslkey=C%3A%5Ckey"_s;
        QTest::addRow("IPv6") << QStringList{u"host=::1"_s, u"port=5432"_s} << u"host=::1 port=5432"_s
                              << u"postgresql://[::1]:5432"_s;
        QTest::addRow("several hosts and ports")
            << QStringList{u"host=a,2001:db8::1,/tmp"_s, u"port=1,,3"_s}
            << u"host=a,2001:db8::1,/tmp port=1,,3"_s << u"postgresql://a:1,[2001:db8::1],%2Ftmp:3"_s;
        QTest::addRow("several hosts, no port")
            << QStringList{u"host=a,b"_s} << u"host=a,b"_s << u"postgresql://?host=a%2Cb"_s;
        QTest::addRow("more ports than hosts")
            << QStringList{u"host=a"_s, u"port=1,2"_s} << u"host=a port=1,2"_s
            << u"postgresql://?host=a&port=1%2C2"_s;
        QTest::addRow("port without host") << QStringList{u"port=6"_s} << u"port=6"_s << u"postgresql://:6"_s;
        QTest::addRow("empty host, user, dbname, port")
            << QStringList{u"host="_s, u"user="_s, u"dbname="_s, u"port="_s}
            << u"user='' dbname='' host='' port=''"_s << u"postgresql://?user=&dbname=&host=&port="_s;
        QTest::addRow("secrets left out") << QStringList{u"user=me"_s, u"password=pw"_s, u"host=h"_s,
                                                         u"sslpassword=kp"_s, u"oauth_client_secret=cs"_s}
                                          << u"user=me host=h"_s << u"postgresql://me@h"_s;
        QTest::addRow("percent-encoding")
            << QStringList{u"user=a@b:c"_s, u"dbname=d/b?x"_s, u"host=h"_s, u"application_name=✓ & %"_s}
            << u"user=a@b:c dbname=d/b?x host=h application_name='✓ & %'"_s
            << u"postgresql://a%40b%3Ac@h/d%2Fb%3Fx?application_name=%E2%9C%93%20%26%20%25"_s;
    }

    void writers()
    {
        QFETCH(QStringList, params);
        QFETCH(QString, keywordValue);
        QFETCH(QString, uri);

        const ConnInfo info = fromList(params);
        QCOMPARE(info.toKeywordValue(), keywordValue);
        QCOMPARE(info.toUri(), uri);
    }

    void secretsWrittenOnRequest()
    {
        const ConnInfo info = fromList(
            {u"user=me"_s, u"password=p w"_s, u"host=h"_s, u"sslpassword=kp"_s, u"oauth_client_secret=cs"_s});
        QCOMPARE(info.toKeywordValue(true),
                 u"user=me password='p w' host=h sslpassword=kp oauth_client_secret=cs"_s);
        QCOMPARE(info.toUri(true), u"postgresql://me:p%20w@h?sslpassword=kp&oauth_client_secret=cs"_s);
        QVERIFY(!info.toKeywordValue().contains(u"p w"));
        QVERIFY(!info.toUri().contains(u"kp"));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QStringList>("params");

        const QStringList tricky = {
            u""_s,    u" "_s,         u"  lead"_s, u"trail  "_s, u"'"_s,        u"''"_s,    u"\\"_s,
            u"\\'"_s, u"a b\tc\nd"_s, u"="_s,      u"a=b"_s,     u"&"_s,        u"?"_s,     u"/"_s,
            u"@"_s,   u":"_s,         u","_s,      u"%"_s,       u"%41"_s,      u"[::1]"_s, u"]"_s,
            u"#"_s,   u"+"_s,         u"é✓"_s,     u"\u00a0"_s,  u"\x7f\x01"_s, u"true"_s,
        };
        int i = 0;
        for (const QString& v : tricky) {
            QTest::addRow("value %d", i) << QStringList{u"application_name="_s + v};
            QTest::addRow("user/password/dbname %d", i)
                << QStringList{u"user="_s + v, u"password="_s + v, u"dbname="_s + v};
            QTest::addRow("host %d", i) << QStringList{u"host="_s + v};
            QTest::addRow("host and port %d", i) << QStringList{u"host="_s + v, u"port="_s + v};
            ++i;
        }
        QTest::addRow("IPv6 list") << QStringList{u"host=::1,fe80::1%eth0,10.0.0.1"_s, u"port=1,2,3"_s};
        QTest::addRow("mismatched lists") << QStringList{u"host=a,b,c"_s, u"port=1,2"_s};
        QTest::addRow("empty parts") << QStringList{u"host=,,"_s, u"port=,,"_s};
        QTest::addRow("unix sockets") << QStringList{u"host=/tmp,/var/run/postgresql"_s, u"port=5432,5433"_s};
        QTest::addRow("PG18 keywords") << QStringList{
            u"sslnegotiation=direct"_s, u"require_auth=!password,!md5"_s, u"oauth_scope=openid email"_s};
    }

    void roundTrip()
    {
        QFETCH(QStringList, params);
        const ConnInfo info = fromList(params);

        const QString kv = info.toKeywordValue(true);
        const auto fromKv = ConnInfo::parse(kv);
        QVERIFY2(fromKv.has_value(), qPrintable(kv + u" → " + describe(fromKv)));
        QCOMPARE(flatten(*fromKv), flatten(info));
        QCOMPARE(fromKv->syntax(), ConnInfoSyntax::KeywordValue);

        const QString uri = info.toUri(true);
        const auto fromUri = ConnInfo::parse(uri);
        QVERIFY2(fromUri.has_value(), qPrintable(uri + u" → " + describe(fromUri)));
        QCOMPARE(flatten(*fromUri), flatten(info));
        QCOMPARE(fromUri->syntax(), ConnInfoSyntax::Uri);
        for (QChar c : uri)
            QVERIFY2(c.unicode() > 0x20 && c.unicode() < 0x7f, qPrintable(uri));
    }

    void everyKeywordIsWritable()
    {
        ConnInfo info;
        for (const auto& option : vf::settings::connOptions())
            QVERIFY(info.setValue(option.keywordString(), u"v "_s + option.keywordString()));
        QVERIFY(parsesTo(ConnInfo::parse(info.toKeywordValue(true)), info));
        QVERIFY(parsesTo(ConnInfo::parse(info.toUri(true)), info));
    }
};

QTEST_GUILESS_MAIN(TestConnInfo)
#include "tst_conninfo.moc"
