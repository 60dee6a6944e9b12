#include "settings/ConnInfo.h"
#include "settings/Environment.h"
#include "settings/OptionValidator.h"
#include "settings/PgPass.h"
#include "settings/SettingsResolver.h"

#include <QDir>
#include <QFile>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#ifdef VF_HAVE_LIBPQ
#include <libpq-fe.h>
#endif

using namespace Qt::StringLiterals;
using vf::settings::PgPass;
using vf::settings::PgPassQuery;
using vf::settings::PgPassResult;
using vf::settings::PgPassStatus;

Q_DECLARE_METATYPE(PgPassStatus)

namespace {

bool writeFile(const QString& path, const QByteArray& bytes, mode_t mode = 0600)
{
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        if (f.write(bytes) != bytes.size())
            return false;
    }
    return ::chmod(QFile::encodeName(path).constData(), mode) == 0;
}

// Captures everything logged while it lives, with vf.settings debug output switched on even when
// QT_LOGGING_RULES turns it off (ctest does).
class LogCapture
{
public:
    LogCapture()
    {
        s_lines.clear();
        s_previousFilter = QLoggingCategory::installFilter(&LogCapture::filter);
        m_previousHandler = qInstallMessageHandler(&LogCapture::handler);
    }
    ~LogCapture()
    {
        qInstallMessageHandler(m_previousHandler);
        QLoggingCategory::installFilter(s_previousFilter);
    }
    Q_DISABLE_COPY_MOVE(LogCapture)
    static const QStringList& lines() { return s_lines; }

private:
    static void filter(QLoggingCategory* category)
    {
        if (s_previousFilter)
            s_previousFilter(category);
        if (qstrcmp(category->categoryName(), "vf.settings") == 0)
            category->setEnabled(QtDebugMsg, true);
    }
    static void handler(QtMsgType, const QMessageLogContext&, const QString& message)
    {
        s_lines.append(message);
    }

    static inline QStringList s_lines;
    static inline QLoggingCategory::CategoryFilter s_previousFilter = nullptr;
    QtMessageHandler m_previousHandler = nullptr;
};

PgPassQuery query(const QString& host = u"h"_s, const QString& port = u"5432"_s,
                  const QString& dbname = u"d"_s, const QString& user = u"u"_s)
{
    return PgPassQuery{host, port, dbname, user};
}

#ifdef VF_HAVE_LIBPQ
// The password the installed libpq finds for `conninfo` with passfile=path: PQpass() once the options
// are processed (a connection to a nonexistent socket directory fails at once).
QString libpqPassword(const QString& conninfo, const QString& path)
{
    const QByteArray saved = qgetenv("PGPASSWORD");
    qunsetenv("PGPASSWORD");
    const QString full = conninfo + u" passfile='"_s + path + u"'"_s;
    PGconn* conn = PQconnectStart(full.toUtf8().constData());
    const char* pass = PQpass(conn);
    const QString out = pass ? QString::fromUtf8(pass) : QString();
    PQfinish(conn);
    if (!saved.isNull())
        qputenv("PGPASSWORD", saved);
    return out;
}
#endif

} // namespace

class TestPgPass : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void matching_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("host");
        QTest::addColumn<QString>("port");
        QTest::addColumn<QString>("dbname");
        QTest::addColumn<QString>("user");
        QTest::addColumn<int>("line"); // 0: no match
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("conninfo"); // the same query for libpq ("" = no libpq comparison)

        QTest::addRow("exact") << QByteArray("db.example:5432:app:alice:pw\n") << u"db.example"_s << u"5432"_s
                               << u"app"_s << u"alice"_s << 1 << u"pw"_s
                               << u"host=db.example port=5432 dbname=app user=alice"_s;
        QTest::addRow("wildcards") << QByteArray("*:*:*:*:star\n") << u"h"_s << u"1"_s << u"d"_s << u"u"_s
                                   << 1 << u"star"_s << u"host=h port=1 dbname=d user=u"_s;
        QTest::addRow("first match wins")
            << QByteArray("h:*:*:*:one\n*:*:*:*:two\nh:*:*:*:three\n") << u"h"_s << u"5432"_s << u"d"_s
            << u"u"_s << 1 << u"one"_s << u"host=h dbname=d user=u"_s;
        QTest::addRow("later line") << QByteArray("other:*:*:*:no\nh:*:*:*:yes\n") << u"h"_s << u"5432"_s
                                    << u"d"_s << u"u"_s << 2 << u"yes"_s << u"host=h dbname=d user=u"_s;
        QTest::addRow("star only as a whole field")
            << QByteArray("*h:*:*:*:no\nh*:*:*:*:no2\n") << u"h"_s << u"5432"_s << u"d"_s << u"u"_s << 0
            << QString() << u"host=h dbname=d user=u"_s;
        QTest::addRow("escaped colon and backslash")
            << QByteArray("h\\:x:5432:d\\\\b:u:p\\:w\\\\d:extra\n") << u"h:x"_s << u"5432"_s << u"d\\b"_s
            << u"u"_s << 1 << u"p:w\\d"_s << u"host='h:x' dbname='d\\\\b' user=u"_s;
        QTest::addRow("escaped ordinary character")
            << QByteArray("\\h:5432:d:u:\\pw\n") << u"h"_s << u"5432"_s << u"d"_s << u"u"_s << 1 << u"pw"_s
            << u"host=h dbname=d user=u"_s;
        QTest::addRow("password ends at unescaped colon")
            << QByteArray("h:5432:d:u:pw:more:fields\n") << u"h"_s << u"5432"_s << u"d"_s << u"u"_s << 1
            << u"pw"_s << u"host=h dbname=d user=u"_s;
        QTest::addRow("empty password") << QByteArray("h:5432:d:u:\n") << u"h"_s << u"5432"_s << u"d"_s
                                        << u"u"_s << 1 << QString() << QString();
        QTest::addRow("four fields do not match")
            << QByteArray("h:5432:d:u\n") << u"h"_s << u"5432"_s << u"d"_s << u"u"_s << 0 << QString()
            << u"host=h dbname=d user=u"_s;
        QTest::addRow("comment") << QByteArray("# h:5432:d:u:no\nh:5432:d:u:yes\n") << u"h"_s << u"5432"_s
                                 << u"d"_s << u"u"_s << 2 << u"yes"_s << u"host=h dbname=d user=u"_s;
        QTest::addRow("# not in first column is data")
            << QByteArray(" #:5432:d:u:no\n") << u" #"_s << u"5432"_s << u"d"_s << u"u"_s << 1 << u"no"_s
            << QString();
        QTest::addRow("crlf") << QByteArray("h:5432:d:u:pw\r\n") << u"h"_s << u"5432"_s << u"d"_s << u"u"_s
                              << 1 << u"pw"_s << u"host=h dbname=d user=u"_s;
        QTest::addRow("last line without newline")
            << QByteArray("x:1:2:3:4\nh:5432:d:u:pw") << u"h"_s << u"5432"_s << u"d"_s << u"u"_s << 2
            << u"pw"_s << u"host=h dbname=d user=u"_s;
        QTest::addRow("blank lines") << QByteArray("\n\r\n\nh:5432:d:u:pw\n") << u"h"_s << u"5432"_s << u"d"_s
                                     << u"u"_s << 4 << u"pw"_s << u"host=h dbname=d user=u"_s;
        QTest::addRow("empty host is localhost")
            << QByteArray("localhost:5432:d:u:local\n") << QString() << u"5432"_s << u"d"_s << u"u"_s << 1
            << u"local"_s << QString();
        QTest::addRow("default socket dir is localhost")
            << QByteArray("localhost:5432:d:u:local\n") << u"/var/run/postgresql"_s << u"5432"_s << u"d"_s
            << u"u"_s << 1 << u"local"_s << u"host=/var/run/postgresql dbname=d user=u"_s;
        QTest::addRow("other socket dir is literal")
            << QByteArray("localhost:5432:d:u:local\n/tmp:5432:d:u:tmp\n") << u"/tmp"_s << u"5432"_s << u"d"_s
            << u"u"_s << 2 << u"tmp"_s << u"host=/tmp dbname=d user=u"_s;
        QTest::addRow("socket dir with trailing slash is literal")
            << QByteArray("localhost:5432:d:u:local\n") << u"/var/run/postgresql/"_s << u"5432"_s << u"d"_s
            << u"u"_s << 0 << QString() << u"host=/var/run/postgresql/ dbname=d user=u"_s;
        QTest::addRow("tcp localhost") << QByteArray("localhost:5432:d:u:local\n") << u"localhost"_s
                                       << u"5432"_s << u"d"_s << u"u"_s << 1 << u"local"_s << QString();
        QTest::addRow("empty port is 5432") << QByteArray("h:5432:d:u:pw\n") << u"h"_s << QString() << u"d"_s
                                            << u"u"_s << 1 << u"pw"_s << u"host=h port='' dbname=d user=u"_s;
        QTest::addRow("case-sensitive") << QByteArray("H:5432:d:u:pw\n") << u"h"_s << u"5432"_s << u"d"_s
                                        << u"u"_s << 0 << QString() << u"host=h dbname=d user=u"_s;
        QTest::addRow("utf-8") << QByteArray("h:5432:caf\xc3\xa9:u:p\xc3\xa4ss\n") << u"h"_s << u"5432"_s
                               << u"café"_s << u"u"_s << 1 << u"päss"_s << u"host=h dbname=café user=u"_s;
        // libpq keeps strlen() of each fgets() chunk and reads on until the buffer ends with a newline,
        // so the text after a NUL is lost and the next line is glued on.
        QTest::addRow("NUL byte ends the chunk")
            << QByteArray("h:5432:d:u:pw\0junk\nx\n", 21) << u"h"_s << u"5432"_s << u"d"_s << u"u"_s << 1
            << u"pwx"_s << u"host=h dbname=d user=u"_s;
        QTest::addRow("70 KB line") << (QByteArray("h:5432:d:u:") + QByteArray(70000, 'p') + '\n') << u"h"_s
                                    << u"5432"_s << u"d"_s << u"u"_s << 1 << QString(70000, u'p')
                                    << u"host=h dbname=d user=u"_s;
    }

    void matching()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, host);
        QFETCH(QString, port);
        QFETCH(QString, dbname);
        QFETCH(QString, user);
        QFETCH(int, line);
        QFETCH(QString, password);
        QFETCH(QString, conninfo);

        const QString path = m_dir.filePath(u"match.pgpass"_s);
        QVERIFY(writeFile(path, content));
        const PgPassResult result = PgPass(path).lookup(query(host, port, dbname, user));
        QCOMPARE(result.path, path);
        QVERIFY(!result.warning.has_value());
        QCOMPARE(result.status, line > 0 ? PgPassStatus::Matched : PgPassStatus::NoMatch);
        QCOMPARE(result.line, line);
        QCOMPARE(result.password, password);

#ifdef VF_HAVE_LIBPQ
        if (!conninfo.isEmpty())
            QCOMPARE(libpqPassword(conninfo, path), password);
#else
        Q_UNUSED(conninfo)
#endif
    }

    void permissions_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<PgPassStatus>("status");

        QTest::addRow("0600") << 0600 << PgPassStatus::Matched;
        QTest::addRow("0400") << 0400 << PgPassStatus::Matched;
        QTest::addRow("0700 (owner execute is fine)") << 0700 << PgPassStatus::Matched;
        QTest::addRow("0640") << 0640 << PgPassStatus::Insecure;
        QTest::addRow("0604") << 0604 << PgPassStatus::Insecure;
        QTest::addRow("0644") << 0644 << PgPassStatus::Insecure;
        QTest::addRow("0610 (group execute)") << 0610 << PgPassStatus::Insecure;
        QTest::addRow("0601 (other execute)") << 0601 << PgPassStatus::Insecure;
    }

    void permissions()
    {
        QFETCH(int, mode);
        QFETCH(PgPassStatus, status);

        const QString path = m_dir.filePath(u"perm.pgpass"_s);
        QVERIFY(writeFile(path, "*:*:*:*:secret\n", static_cast<mode_t>(mode)));
        const PgPassResult result = PgPass(path).lookup(query());
        QCOMPARE(result.status, status);
        if (status == PgPassStatus::Insecure) {
            QVERIFY(result.password.isEmpty()); // the whole file is ignored
            QVERIFY(result.warning.has_value());
            QCOMPARE(result.warning->code, u"settings.pgpass-insecure"_s);
            QCOMPARE(
                result.warning->message,
                u"WARNING: password file \"%1\" has group or world access; permissions should be u=rw (0600) "
                "or less"_s.arg(path));
            QVERIFY(result.warning->explanation.contains(u"chmod 600"_s));
        } else {
            QCOMPARE(result.password, u"secret"_s);
            QVERIFY(!result.warning.has_value());
        }
#ifdef VF_HAVE_LIBPQ
        QCOMPARE(libpqPassword(u"host=/nonexistent-vf dbname=d user=u"_s, path), result.password);
#endif
    }

    void notARegularFile()
    {
        const QString path = m_dir.filePath(u"dir.pgpass"_s);
        QVERIFY(QDir().mkpath(path));
        const PgPassResult result = PgPass(path).lookup(query());
        QCOMPARE(result.status, PgPassStatus::NotRegular);
        QVERIFY(result.warning.has_value());
        QCOMPARE(result.warning->code, u"settings.pgpass-not-regular"_s);
        QCOMPARE(result.warning->message, u"WARNING: password file \"%1\" is not a plain file"_s.arg(path));

        QCOMPARE(PgPass(u"/dev/null"_s).lookup(query()).status, PgPassStatus::NotRegular);
    }

    void missingSymlinkAndLoop()
    {
        const PgPassResult none = PgPass(m_dir.filePath(u"missing.pgpass"_s)).lookup(query());
        QCOMPARE(none.status, PgPassStatus::NoFile);
        QVERIFY(none.warning.has_value());
        QVERIFY(none.warning->message.contains(u"No such file or directory"_s));

        const QString target = m_dir.filePath(u"target.pgpass"_s);
        QVERIFY(writeFile(target, "*:*:*:*:linked\n"));
        const QString link = m_dir.filePath(u"link.pgpass"_s);
        QVERIFY(QFile::link(target, link));
        QCOMPARE(PgPass(link).lookup(query()).password, u"linked"_s);

        const QString a = m_dir.filePath(u"loop-a"_s);
        const QString b = m_dir.filePath(u"loop-b"_s);
        QVERIFY(QFile::link(b, a));
        QVERIFY(QFile::link(a, b));
        const PgPassResult loop = PgPass(a).lookup(query());
        QCOMPARE(loop.status, PgPassStatus::NoFile);
        QVERIFY(loop.warning.has_value());
        QVERIFY(loop.warning->message.contains(u"symbolic links"_s));
    }

    void unreadable()
    {
        if (geteuid() == 0)
            QSKIP("running as root: mode 000 does not stop root from reading");
        const QString path = m_dir.filePath(u"unreadable.pgpass"_s);
        QVERIFY(writeFile(path, "*:*:*:*:pw\n", 0));
        QCOMPARE(PgPass(path).lookup(query()).status, PgPassStatus::NoFile);
    }

    void noLookupWithoutDbnameOrUser()
    {
        // libpq returns before it opens the file: not even the permission warning.
        const QString path = m_dir.filePath(u"open.pgpass"_s);
        QVERIFY(writeFile(path, "*:*:*:*:pw\n", 0644));
        const PgPassResult noDb = PgPass(path).lookup(query(u"h"_s, u"5432"_s, QString()));
        QCOMPARE(noDb.status, PgPassStatus::NotSearched);
        QVERIFY(!noDb.warning.has_value());
        QCOMPARE(PgPass(path).lookup(query(u"h"_s, u"5432"_s, u"d"_s, QString())).status,
                 PgPassStatus::NotSearched);
    }

    void binaryGarbage()
    {
        QByteArray bytes;
        quint32 x = 777;
        for (int i = 0; i < 300000; ++i) {
            x = x * 1664525u + 1013904223u;
            bytes.append(static_cast<char>(x >> 24));
        }
        const QString path = m_dir.filePath(u"garbage.pgpass"_s);
        QVERIFY(writeFile(path, bytes));
        QCOMPARE(PgPass(path).lookup(query()).status, PgPassStatus::NoMatch);
    }

    void overlongLineIsSkipped()
    {
        const QString path = m_dir.filePath(u"long.pgpass"_s);
        const QByteArray content =
            "h:5432:d:u:" + QByteArray(PgPass::kMaxLineBytes + 10, 'p') + "\nh:5432:d:u:short\n";
        QVERIFY(writeFile(path, content));
        const PgPassResult result = PgPass(path).lookup(query());
        QCOMPARE(result.status, PgPassStatus::Matched);
        QCOMPARE(result.line, 2);
        QCOMPARE(result.password, u"short"_s);
        QCOMPARE(result.notes.size(), 1);
        QVERIFY(result.notes.first().startsWith(u"Line 1 is longer than"_s));
    }

    void hugeFileIsStreamed()
    {
        // 100 MB of non-matching lines, then one 100 MB line without a newline: read, never kept.
        const QString path = m_dir.filePath(u"huge.pgpass"_s);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            const QByteArray chunk = QByteArray("other:5432:d:u:pw\n").repeated(1 << 16);
            for (qint64 written = 0; written < 100LL * 1000 * 1000; written += chunk.size())
                QVERIFY(f.write(chunk) == chunk.size());
            const QByteArray flat(1 << 20, 'z');
            for (int i = 0; i < 100; ++i)
                QVERIFY(f.write(flat) == flat.size());
        }
        QVERIFY(::chmod(QFile::encodeName(path).constData(), 0600) == 0);
        const PgPassResult result = PgPass(path).lookup(query());
        QFile::remove(path);
        QCOMPARE(result.status, PgPassStatus::NoMatch);
        QCOMPARE(result.notes.size(), 1);
    }

    void passwordIsNeverLogged()
    {
        const QString path = m_dir.filePath(u"log.pgpass"_s);
        QVERIFY(writeFile(path, "*:*:*:*:Sup3rS3cret\n"));
        PgPassResult result;
        {
            LogCapture capture;
            result = PgPass(path).lookup(query());
            QVERIFY(!LogCapture::lines().isEmpty()); // the category is on and did log
            for (const QString& line : LogCapture::lines())
                QVERIFY2(!line.contains(u"Sup3rS3cret"_s), qPrintable(line));
        }
        QCOMPARE(result.password, u"Sup3rS3cret"_s);
    }

    void queriesPerHost()
    {
        using namespace vf::settings;
        Environment env;
        env.setVariable(u"HOME"_s, m_dir.path());
        env.setVariable(u"PGSYSCONFDIR"_s, m_dir.path());
        env.setUserNameLookup([] { return std::optional<QString>(u"osuser"_s); });

        const auto info = ConnInfo::parse(u"host=a,,/tmp hostaddr=,10.0.0.2, port=1,2,3"_s);
        QVERIFY(info.has_value());
        const auto settings = SettingsResolver(env).resolve(*info);
        QVERIFY(settings.has_value());
        const auto options = OptionValidator::validate(*settings);
        QVERIFY(options.has_value());
        const QList<PgPassQuery> queries = PgPass::queries(*settings, *options);
        QCOMPARE(queries.size(), 3);
        QCOMPARE(queries.at(0).host, u"a"_s);
        QCOMPARE(queries.at(1).host, u"10.0.0.2"_s); // hostaddr when host is empty
        QCOMPARE(queries.at(2).host, u"/tmp"_s);
        QCOMPARE(queries.at(1).port, u"2"_s);
        QCOMPARE(queries.at(0).dbname, u"osuser"_s);
        QCOMPARE(queries.at(0).user, u"osuser"_s);

        const auto withPassword = ConnInfo::parse(u"host=a password=x"_s);
        QVERIFY(withPassword.has_value());
        const auto s2 = SettingsResolver(env).resolve(*withPassword);
        QVERIFY(s2.has_value());
        const auto o2 = OptionValidator::validate(*s2);
        QVERIFY(o2.has_value());
        QVERIFY(PgPass::queries(*s2, *o2).isEmpty());

        const auto passfile = settings->effectiveFile(u"passfile");
        QVERIFY(passfile.has_value());
        QCOMPARE(passfile->value, std::optional<QString>(m_dir.path() + u"/.pgpass"_s));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestPgPass)
#include "tst_pgpass.moc"
