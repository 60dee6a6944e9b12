// Differential test: our connection-string parser against the real libpq (PQconninfoParse) on the
// machine, on generated input. libpq here is version 15; we implement PostgreSQL 18, so the
// generator sticks to what did not change since 15, and the two known differences (keywords added
// in 16-18, and PostgreSQL 17's handling of blanks in URIs) are checked on their own.

#include "settings/ConnInfo.h"
#include "settings/ConnOptions.h"

#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <clocale>
#include <libpq-fe.h>
#include <map>
#include <memory>

using namespace Qt::StringLiterals;
using vf::settings::ConnInfo;

namespace {

// keyword -> value, for the keywords that have one.
using Values = std::map<QByteArray, QByteArray>;

struct Outcome
{
    bool ok = false;
    QString error; // message without libpq's trailing newline
    QString code;  // ours only
    Values values;
};

Outcome libpqParse(const QByteArray& text)
{
    char* err = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(text.constData(), &err), &PQconninfoFree);
    Outcome out;
    if (!options) {
        QByteArray message(err ? err : "(no message)");
        PQfreemem(err);
        if (message.endsWith('\n'))
            message.chop(1);
        out.error = QString::fromUtf8(message);
        return out;
    }
    out.ok = true;
    for (PQconninfoOption* o = options.get(); o->keyword; ++o) {
        if (o->val)
            out.values[QByteArray(o->keyword)] = QByteArray(o->val);
    }
    return out;
}

Values valuesOf(const ConnInfo& info)
{
    Values out;
    for (const auto& option : vf::settings::connOptions()) {
        if (auto v = info.valueBytes(option.keywordString()))
            out[QByteArray(option.keyword)] = *v;
    }
    return out;
}

Outcome ourParse(const QByteArray& text)
{
    const auto parsed = ConnInfo::parseBytes(text);
    Outcome out;
    if (!parsed) {
        out.error = parsed.error().message;
        out.code = parsed.error().code;
        return out;
    }
    out.ok = true;
    out.values = valuesOf(*parsed);
    return out;
}

QString show(const QByteArray& bytes)
{
    QString out;
    for (char c : bytes) {
        const auto b = static_cast<unsigned char>(c);
        if (b >= 0x20 && b < 0x7f && b != '\\')
            out += QLatin1Char(char(b));
        else
            out += u"\\x"_s + QString::number(b, 16).rightJustified(2, u'0');
    }
    return out;
}

QString show(const Outcome& o)
{
    if (!o.ok)
        return u"error: "_s + o.error;
    QStringList parts;
    for (const auto& [k, v] : o.values)
        parts << QString::fromLatin1(k) + u"=<" + show(v) + u'>';
    return u"ok: "_s + parts.join(u' ');
}

// Keywords libpq 16, 17 and 18 added: we accept them, libpq 15 does not. (A list, not a QSet: the
// generator must not depend on the per-process hash seed.)
const QList<QByteArray> kNewerKeywords = {
    "sslcertmode",   "require_auth",         "load_balance_hosts",   "gssdelegation",    "sslnegotiation",
    "sslkeylogfile", "min_protocol_version", "max_protocol_version", "scram_client_key", "scram_server_key",
    "oauth_issuer",  "oauth_client_id",      "oauth_client_secret",  "oauth_scope",      "servicefile",
};

// Random connection strings in both forms, valid and broken, from a fixed seed.
class Generator final
{
public:
    Generator(quint32 seed, QList<QByteArray> keywords)
        : m_rng(seed)
        , m_keywords(std::move(keywords))
    {}

    int below(int n) { return int(m_rng.bounded(n)); }
    bool percent(int p) { return below(100) < p; }
    template <typename T> const T& pick(const QList<T>& list) { return list[below(int(list.size()))]; }

    QByteArray keyword()
    {
        const int r = below(100);
        if (r < 82)
            return pick(m_keywords);
        if (r < 88)
            return "requiressl";
        return pick(QList<QByteArray>{"", "hots", "Host", "ssl", "sslmode2", "user ", "x", "k\xc3\xa9",
                                      "\xff", "requireSSL", "=", "'"});
    }

    QByteArray blanks(int min)
    {
        static const QList<QByteArray> kBlanks = {" ", " ", " ", "\t", "\n", "\r", "\v", "\f", "\r\n"};
        QByteArray out;
        const int n = min + below(3);
        for (int i = 0; i < n; ++i)
            out += pick(kBlanks);
        return out;
    }

    // One byte or character of a value: mostly printable ASCII, some UTF-8 and raw high bytes.
    QByteArray valueChar(bool allowBlank)
    {
        const int r = below(100);
        if (r < 70)
            return QByteArray(1, char(0x21 + below(0x7f - 0x21)));
        if (r < 80)
            return pick(QList<QByteArray>{"=", "'", "\\", "\\\\", "\\'", "\\ ", "@", "%", ",", ":"});
        if (r < 88)
            return pick(QList<QByteArray>{"\xc3\xa9", "\xe2\x9c\x93", "\xf0\x9f\x90\x98"});
        if (r < 93)
            return QByteArray(1, char(0x80 + below(0x80)));
        if (r < 96)
            return QByteArray(1, char(1 + below(0x1f)));
        return allowBlank ? blanks(1) : QByteArray("x");
    }

    QByteArray realisticValue()
    {
        return pick(QList<QByteArray>{"db.example.com", "5432", "verify-full", "require", "/tmp",
                                      "10.0.0.1,10.0.0.2", "::1", "-c geqo=off", "C:\\key", "1", "0",
                                      "TLSv1.3", "system", "postgres"});
    }

    QByteArray keywordValue()
    {
        QByteArray out;
        if (percent(30))
            out += blanks(1);
        const int pairs = below(6);
        bool lastQuoted = false;
        for (int i = 0; i < pairs; ++i) {
            if (i > 0)
                out += (lastQuoted && percent(30)) ? QByteArray() : blanks(1);
            out += keyword();
            if (percent(3)) { // no '=' at all
                lastQuoted = false;
                continue;
            }
            if (percent(25))
                out += blanks(1);
            out += '=';
            if (percent(25))
                out += blanks(1);
            lastQuoted = false;
            const int form = below(100);
            if (form < 35) {
                out += realisticValue();
            } else if (form < 65) { // unquoted, with escapes
                const int n = below(8);
                for (int j = 0; j < n; ++j)
                    out += valueChar(false);
            } else if (form < 92) { // quoted
                out += '\'';
                const int n = below(10);
                for (int j = 0; j < n; ++j)
                    out += valueChar(true);
                if (out.endsWith('\\') && !out.endsWith("\\\\"))
                    out += 'x';
                if (!percent(2))
                    out += '\'';
                lastQuoted = true;
            } else if (form < 96) {
                out += "''";
                lastQuoted = true;
            } // else: empty unquoted value
        }
        if (percent(30))
            out += blanks(1);
        if (percent(5))
            insertJunk(out, true);
        return out;
    }

    // A URI token: unreserved characters, sub-delimiters, percent-encodings (some broken), UTF-8.
    QByteArray uriToken(int maxLen, bool mayBreak)
    {
        QByteArray out;
        const int n = below(maxLen + 1);
        for (int i = 0; i < n; ++i) {
            const int r = below(100);
            if (r < 60)
                out += "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"[below(66)];
            else if (r < 72)
                out += "!$'()*+;"[below(8)];
            else if (r < 88)
                out += pick(QList<QByteArray>{"%41", "%2F", "%2C", "%3A", "%40", "%3D", "%26", "%20", "%e9",
                                              "%C3%A9", "%25", "%3f", "%5B", "%5D", "%7E"});
            else if (r < 93)
                out += pick(QList<QByteArray>{"\xc3\xa9", "\xe2\x9c\x93", "\xff", "\t", "#", "\\", "\""});
            else if (mayBreak)
                out += pick(QList<QByteArray>{"%zz", "%0", "%", "%00", "%g1", "[", "]", "=", "&", "@", ":",
                                              "/", "?", ","});
            else
                out += 'x';
        }
        return out;
    }

    QByteArray host()
    {
        const int r = below(100);
        if (r < 25)
            return pick(QList<QByteArray>{"db", "db.example.com", "10.0.0.1", "localhost", "%2Ftmp",
                                          "%2Fvar%2Frun%2Fpostgresql"});
        if (r < 45)
            return pick(QList<QByteArray>{"[::1]", "[2001:db8::5]", "[fe80::1%25eth0]", "[::ffff:10.0.0.1]",
                                          "[]", "[::1", "[::1]x", "[::1]@"});
        if (r < 55)
            return {};
        return uriToken(10, percent(40));
    }

    QByteArray queryParam()
    {
        const int r = below(100);
        if (r < 60)
            return pick(m_keywords) + '=' + (percent(50) ? realisticValue() : uriToken(10, percent(30)));
        if (r < 66)
            return pick(QList<QByteArray>{"ssl=true", "ssl=false", "ssl=TRUE", "%73sl=true", "ssl=tru%65"});
        if (r < 71)
            return "requiressl=" + pick(QList<QByteArray>{"1", "0", "", "yes", "%31"});
        if (r < 76)
            return pick(QList<QByteArray>{"u%73er=someone", "%68ost=h", "port%3D1=2", "host=a=b", "uzer=1",
                                          "novalue", "", "=x", "sslmode==require"});
        if (r < 80)
            return pick(kNewerKeywords) + "=1"; // libpq 15 rejects; dropped by the caller
        return uriToken(8, true) + (percent(70) ? "=" + uriToken(8, true) : QByteArray());
    }

    // postgresql://[user[:password]@][netloc][:port][,...][/dbname][?param1=value1&...]
    QByteArray uri(bool* usesNewerKeyword)
    {
        QByteArray out = percent(70) ? "postgresql://" : "postgres://";
        if (percent(45)) {
            out += uriToken(8, percent(20));
            if (percent(50))
                out += ':' + uriToken(8, percent(20));
            out += '@';
        }
        const int hosts = below(4);
        for (int i = 0; i < hosts; ++i) {
            if (i > 0)
                out += ',';
            out += host();
            if (percent(50))
                out += ':' + (percent(70) ? QByteArray::number(1 + below(65535)) : uriToken(4, percent(30)));
        }
        if (percent(50))
            out += '/' + uriToken(8, percent(20));
        if (percent(55)) {
            out += '?';
            const int params = below(5);
            for (int i = 0; i < params; ++i) {
                if (i > 0)
                    out += '&';
                out += queryParam();
            }
        }
        if (percent(4))
            insertJunk(out, false);
        *usesNewerKeyword = false;
        for (const QByteArray& k : kNewerKeywords)
            *usesNewerKeyword = *usesNewerKeyword || out.contains(QByteArray(k + '='));
        return out;
    }

    QByteArray junk()
    {
        QByteArray out;
        const bool uriPrefix = percent(25);
        if (uriPrefix)
            out = pick(QList<QByteArray>{"postgresql://", "postgres://"});
        else if (percent(10))
            out = pick(QList<QByteArray>{"postgresql:/", "postgres:", "Postgres://", "postgresql:"});
        insertJunk(out, !uriPrefix);
        return out;
    }

    // Random bytes (never NUL; never a blank in a URI, see the PG17 blank rule).
    void insertJunk(QByteArray& text, bool allowBlank)
    {
        const int n = 1 + below(30);
        QByteArray junk;
        for (int i = 0; i < n; ++i) {
            char c = char(1 + below(255));
            if (c == ' ' && !allowBlank)
                c = '_';
            junk += c;
        }
        text.insert(below(int(text.size()) + 1), junk);
    }

private:
    QRandomGenerator m_rng;
    QList<QByteArray> m_keywords;
};

} // namespace

class TestConnInfoLibpq : public QObject
{
    Q_OBJECT

private:
    QList<QByteArray> m_libpqKeywords; // what libpq on this machine knows
    QStringList m_failures;

    // Compares libpq's and our verdict, message and values for one input; writes accepted input back
    // in both forms and compares again.
    void compare(const QByteArray& input)
    {
        const Outcome theirs = libpqParse(input);
        const Outcome ours = ourParse(input);
        ++m_compared;
        if (theirs.ok != ours.ok || theirs.error != ours.error || theirs.values != ours.values) {
            m_failures << u"input [%1]\n  libpq: %2\n  ours:  %3"_s.arg(show(input), show(theirs),
                                                                        show(ours));
            return;
        }
        if (!ours.ok) {
            ++m_rejected;
            m_errorCodes << ours.code;
            return;
        }
        ++m_accepted;

        // Written back in both forms, the values come back unchanged, with our parser and libpq's.
        const auto parsed = ConnInfo::parseBytes(input);
        const QList<QByteArray> written = {parsed->toKeywordValueBytes(true), parsed->toUri(true).toLatin1()};
        for (const QByteArray& text : written) {
            const Outcome again = ourParse(text);
            const Outcome againLibpq = libpqParse(text);
            ++m_roundTrips;
            if (!again.ok || again.values != ours.values || !againLibpq.ok ||
                againLibpq.values != ours.values) {
                m_failures << u"round trip of [%1] via [%2]\n  libpq: %3\n  ours:  %4\n  want:  %5"_s.arg(
                    show(input), show(text), show(againLibpq), show(again), show(ours));
            }
        }
    }

    bool checkFailures()
    {
        if (m_failures.isEmpty())
            return true;
        qWarning().noquote() << m_failures.size() << "differences; the first ones:\n"
                             << m_failures.mid(0, 15).join(u'\n');
        return false;
    }

    QSet<QString> m_errorCodes; // the kinds of error the comparison met
    int m_compared = 0;
    int m_accepted = 0;
    int m_rejected = 0;
    int m_roundTrips = 0;

private Q_SLOTS:
    void initTestCase()
    {
        // libpq's messages are translated and its blanks are isspace() of the C library: use the
        // C locale, as our parser does.
        std::setlocale(LC_ALL, "C");

        const Outcome empty = libpqParse({});
        QVERIFY(empty.ok);
        std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse("", nullptr),
                                                                             &PQconninfoFree);
        QVERIFY(options);
        for (PQconninfoOption* o = options.get(); o->keyword; ++o)
            m_libpqKeywords << QByteArray(o->keyword);
        QVERIFY(m_libpqKeywords.size() > 20);
        qInfo("libpq %d knows %d keywords", PQlibVersion(), int(m_libpqKeywords.size()));
    }

    // Our table (libpq 18) is libpq 15's plus exactly the keywords added in 16-18.
    void keywordTables()
    {
        QSet<QByteArray> ours;
        for (const auto& option : vf::settings::connOptions())
            ours << QByteArray(option.keyword);
        const QSet<QByteArray> theirs(m_libpqKeywords.cbegin(), m_libpqKeywords.cend());
        QCOMPARE(theirs - ours, QSet<QByteArray>{});
        if (PQlibVersion() < 160000)
            QCOMPARE(ours - theirs, QSet<QByteArray>(kNewerKeywords.cbegin(), kNewerKeywords.cend()));
    }

    // The keywords libpq 15 lacks: we accept them in both forms, libpq 15 gives its usual errors.
    void newerKeywordsAccepted()
    {
        for (const QByteArray& keyword : kNewerKeywords) {
            const QByteArray kv = keyword + "='a b'";
            const QByteArray uri = "postgresql://h?" + keyword + "=a%20b";
            for (const QByteArray& text : {kv, uri}) {
                const auto ours = ConnInfo::parseBytes(text);
                QVERIFY2(ours.has_value(), text.constData());
                QCOMPARE(ours->valueBytes(QString::fromLatin1(keyword)), QByteArray("a b"));
            }
            if (PQlibVersion() >= 160000)
                continue;
            QCOMPARE(libpqParse(kv).error,
                     u"invalid connection option \"%1\""_s.arg(QLatin1StringView(keyword)));
            QCOMPARE(libpqParse(uri).error,
                     u"invalid URI query parameter: \"%1\""_s.arg(QLatin1StringView(keyword)));
        }
    }

    void generatedInputs()
    {
        Generator gen(0x5eed2025u, m_libpqKeywords);
        int skippedNewer = 0;
        for (int i = 0; i < 3000; ++i)
            compare(gen.keywordValue());
        for (int i = 0; i < 3500; ++i) {
            bool newer = false;
            const QByteArray uri = gen.uri(&newer);
            if (newer) {
                ++skippedNewer;
                continue;
            }
            compare(uri);
        }
        for (int i = 0; i < 1000; ++i)
            compare(gen.junk());
        // Hand-picked corner cases, in case the generator misses one.
        for (const char* text : {"",
                                 " ",
                                 "host",
                                 "host ",
                                 "=",
                                 "='",
                                 "host='",
                                 "host=\\",
                                 "host='\\",
                                 "a=b",
                                 "postgresql://",
                                 "postgres://",
                                 "postgresql:///",
                                 "postgresql://?",
                                 "postgresql://@",
                                 "postgresql://:",
                                 "postgresql://,",
                                 "postgresql://[",
                                 "postgresql://[]",
                                 "postgresql://[]:",
                                 "postgresql://a,b",
                                 "postgresql://?&",
                                 "postgresql://?=",
                                 "postgresql://h?ssl=true&ssl=true",
                                 "postgresql://u@h?x=a@b",
                                 "postgresql://%",
                                 "postgresql://%%%"})
            compare(QByteArray(text));

        qInfo("compared %d inputs with libpq (%d accepted, %d rejected, %d written back and compared "
              "again), skipped %d URIs with PG16+ keywords",
              m_compared, m_accepted, m_rejected, m_roundTrips, skippedNewer);
        QVERIFY(checkFailures());
        QVERIFY(m_compared >= 5000);
        QVERIFY(m_accepted >= 1000);
        QVERIFY(m_rejected >= 1000);
        // Every error libpq 15's parser can give was met and matched.
        const QStringList kinds = {
            u"missing-equals"_s,        u"unterminated-quote"_s,   u"invalid-option"_s,
            u"uri-ipv6-unterminated"_s, u"uri-ipv6-empty"_s,       u"uri-unexpected-character"_s,
            u"uri-invalid-percent"_s,   u"uri-percent-nul"_s,      u"uri-missing-separator"_s,
            u"uri-extra-separator"_s,   u"uri-invalid-parameter"_s};
        for (const QString& kind : kinds)
            QVERIFY2(m_errorCodes.contains(u"settings.conninfo."_s + kind), qPrintable(kind));
        QCOMPARE(m_errorCodes.size(), kinds.size());
    }

    // PostgreSQL 17+ drops raw blanks at either end of a URI part and refuses one inside; libpq 15
    // keeps them. So: a URI with blanks around its parts must give what libpq 15 gives for the same
    // URI without them, and a blank inside a part must give PG17's error where libpq 15 accepts.
    void uriBlanksFollowPostgres17()
    {
        Generator gen(0xb1a4c5u, m_libpqKeywords);
        auto token = [&gen]() {
            QByteArray t = gen.uriToken(6, false);
            return t.isEmpty() ? QByteArray("t") : t;
        };
        auto pad = [&gen]() { return QByteArray(gen.below(3), ' '); };
        QList<QByteArray> queryKeywords;
        for (const QByteArray& k : m_libpqKeywords) {
            if (k != "host" && k != "port" && k != "user" && k != "password" && k != "dbname")
                queryKeywords << k;
        }

        int twins = 0;
        int errors = 0;
        int acceptedBy15 = 0;
        for (int i = 0; i < 600; ++i) {
            // parts in libpq's processing order: user, password, host, port, dbname, then the query
            QList<QByteArray> parts = {token(), token(), token(), QByteArray::number(1 + gen.below(65535)),
                                       token()};
            QList<QByteArray> params;
            const int nParams = gen.below(4);
            for (int p = 0; p < nParams; ++p) {
                if (gen.percent(15)) {
                    params << "ssl"
                           << "true";
                } else {
                    params << gen.pick(queryKeywords) << token();
                }
            }
            auto build = [&](const QList<QByteArray>& pre, const QList<QByteArray>& post) -> QByteArray {
                QByteArray out = "postgresql://";
                auto part = [&](qsizetype k, const QByteArray& text) -> QByteArray {
                    return pre[k] + text + post[k];
                };
                out += part(0, parts[0]) + ':' + part(1, parts[1]) + '@' + part(2, parts[2]) + ':' +
                       part(3, parts[3]) + '/' + part(4, parts[4]);
                for (qsizetype p = 0; p < params.size(); p += 2)
                    out += (p == 0 ? "?" : "&") + part(5 + p, params[p]) + '=' + part(6 + p, params[p + 1]);
                return out;
            };
            const qsizetype nParts = 5 + params.size();
            QList<QByteArray> none(nParts), pre, post;
            for (qsizetype k = 0; k < nParts; ++k) {
                pre << pad();
                post << pad();
            }
            const QByteArray plain = build(none, none);
            const QByteArray padded = build(pre, post);

            const Outcome theirs = libpqParse(plain);
            if (!theirs.ok) { // e.g. a keyword libpq rejects: not what this test is about
                continue;
            }
            const Outcome ours = ourParse(padded);
            if (ours.values != theirs.values || !ours.ok) {
                m_failures << u"blanks: [%1] vs libpq 15 on [%2]\n  libpq: %3\n  ours:  %4"_s.arg(
                    show(padded), show(plain), show(theirs), show(ours));
            }
            ++twins;

            // A blank inside one part: PG17's error, naming the raw part; libpq 15 accepted it.
            const qsizetype k = gen.below(int(nParts));
            QList<QByteArray> inner = pre;
            inner[k] += "a ";
            const QByteArray broken = build(inner, post);
            // the raw part, as libpq quotes it: its padding, 'a', a blank, the text, its padding
            const QByteArray rawPart = inner[k] + (k < 5 ? parts[k] : params[k - 5]) + post[k];
            const QString want =
                u"unexpected spaces found in \"%1\", use percent-encoded spaces (%20) instead"_s.arg(
                    QString::fromUtf8(rawPart));
            const Outcome ourBroken = ourParse(broken);
            if (ourBroken.ok || ourBroken.error != want)
                m_failures << u"inner blank: [%1]\n  ours: %2\n  want: %3"_s.arg(show(broken),
                                                                                 show(ourBroken), want);
            ++errors;
            // libpq 15 stores user, password, host, port and dbname as they are, blanks included
            // (a blank in a query keyword makes an unknown keyword there).
            if (k < 5 && PQlibVersion() < 170000) {
                QList<QByteArray> only(nParts);
                only[k] = "a ";
                const QByteArray brokenPlain = build(only, none);
                if (!libpqParse(brokenPlain).ok)
                    m_failures << u"libpq 15 rejected [%1]"_s.arg(show(brokenPlain));
                ++acceptedBy15;
            }
        }
        qInfo("blank rule: %d padded URIs matched libpq 15 on their unpadded twin, %d inner blanks refused "
              "(%d of them accepted by libpq %d)",
              twins, errors, acceptedBy15, PQlibVersion());
        QVERIFY(checkFailures());
        QVERIFY(twins >= 400);
    }
};

QTEST_GUILESS_MAIN(TestConnInfoLibpq)
#include "tst_conninfo_libpq.moc"
