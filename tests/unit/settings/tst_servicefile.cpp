#include "settings/ServiceFile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using vf::settings::ServiceEntry;
using vf::settings::ServiceFile;

namespace {

bool writeBytes(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return f.write(bytes) == bytes.size();
}

// Resident memory of this process in KiB (Linux).
qint64 residentKiB()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

using Entries = QList<ServiceEntry>;

} // namespace

class TestServiceFile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void parsing_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("service");
        QTest::addColumn<bool>("found");
        QTest::addColumn<int>("headerLine");
        QTest::addColumn<Entries>("entries");

        QTest::addRow("simple") << QByteArray("[prod]\nhost=db\nsslmode=verify-full\n") << u"prod"_s << true
                                << 1 << Entries{{u"host"_s, u"db"_s, 2}, {u"sslmode"_s, u"verify-full"_s, 3}};
        QTest::addRow("comments blanks and white space")
            << QByteArray("# top\n\n  [prod]  \n\t# c\n   host=db   \n\n") << u"prod"_s << true << 3
            << Entries{{u"host"_s, u"db"_s, 5}};
        QTest::addRow("value keeps inner spaces and leading space after =")
            << QByteArray("[s]\noptions= -c a=b  x\n") << u"s"_s << true << 1
            << Entries{{u"options"_s, u" -c a=b  x"_s, 2}};
        QTest::addRow("empty value") << QByteArray("[s]\nsslrootcert=\n") << u"s"_s << true << 1
                                     << Entries{{u"sslrootcert"_s, QString(), 2}};
        QTest::addRow("crlf line ends")
            << QByteArray("[s]\r\nhost=db\r\n") << u"s"_s << true << 1 << Entries{{u"host"_s, u"db"_s, 2}};
        QTest::addRow("text after ] is ignored") << QByteArray("[s] trailing words\nport=1\n") << u"s"_s
                                                 << true << 1 << Entries{{u"port"_s, u"1"_s, 2}};
        QTest::addRow("section ends at next header") << QByteArray("[a]\nport=1\n[b]\nport=2\n") << u"a"_s
                                                     << true << 1 << Entries{{u"port"_s, u"1"_s, 2}};
        QTest::addRow("second section of the same name is not read")
            << QByteArray("[a]\nport=1\n[b]\n[a]\nhost=x\n") << u"a"_s << true << 1
            << Entries{{u"port"_s, u"1"_s, 2}};
        QTest::addRow("first value of a keyword wins")
            << QByteArray("[a]\nhost=first\nhost=second\n") << u"a"_s << true << 1
            << Entries{{u"host"_s, u"first"_s, 2}};
        QTest::addRow("lines before any section are ignored")
            << QByteArray("garbage without equals\nbogus=1\n[a]\nport=3\n") << u"a"_s << true << 3
            << Entries{{u"port"_s, u"3"_s, 4}};
        QTest::addRow("other sections are not checked")
            << QByteArray("[b]\nnot valid\nservice=x\n[a]\nport=3\n") << u"a"_s << true << 4
            << Entries{{u"port"_s, u"3"_s, 5}};
        QTest::addRow("section names are case-sensitive")
            << QByteArray("[Prod]\nport=1\n") << u"prod"_s << false << 0 << Entries{};
        QTest::addRow("prefix of a longer name does not match")
            << QByteArray("[prod2]\nport=1\n") << u"prod"_s << false << 0 << Entries{};
        QTest::addRow("unterminated header does not match")
            << QByteArray("[prod\nport=1\n") << u"prod"_s << false << 0 << Entries{};
        QTest::addRow("empty service name matches []")
            << QByteArray("[]\nport=9\n") << QString() << true << 1 << Entries{{u"port"_s, u"9"_s, 2}};
        QTest::addRow("empty section")
            << QByteArray("[a]\n[b]\nport=1\n") << u"a"_s << true << 1 << Entries{};
        QTest::addRow("NUL byte ends the line text") << QByteArray("[a]\nhost=db\0ignored=1\n", 22) << u"a"_s
                                                     << true << 1 << Entries{{u"host"_s, u"db"_s, 2}};
        QTest::addRow("last line without newline")
            << QByteArray("[a]\nport=7") << u"a"_s << true << 1 << Entries{{u"port"_s, u"7"_s, 2}};
        QTest::addRow("empty file") << QByteArray() << u"a"_s << false << 0 << Entries{};
        QTest::addRow("line of 1022 bytes is the longest allowed")
            << (QByteArray("[a]\nhost=") + QByteArray(1016, 'x') + '\n') << u"a"_s << true << 1
            << Entries{{u"host"_s, QString(1016, u'x'), 2}};
        QTest::addRow("utf-8 value") << QByteArray("[a]\napplication_name=caf\xc3\xa9\n") << u"a"_s << true
                                     << 1 << Entries{{u"application_name"_s, u"café"_s, 2}};
    }

    void parsing()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, service);
        QFETCH(bool, found);
        QFETCH(int, headerLine);
        QFETCH(Entries, entries);

        const QString path = m_dir.filePath(u"parse.conf"_s);
        QVERIFY(writeBytes(path, content));
        const auto result = ServiceFile(path).find(service);
        QVERIFY2(result.has_value(), qPrintable(result ? QString() : result.error().message));
        QCOMPARE(result->has_value(), found);
        if (!found)
            return;
        QCOMPARE((*result)->name, service);
        QCOMPARE((*result)->path, path);
        QCOMPARE((*result)->line, headerLine);
        QCOMPARE((*result)->entries, entries);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("messageTemplate"); // %F = file path

        QTest::addRow("no equals sign")
            << QByteArray("[a]\nhost=db\nhostnoequals\n") << u"settings.service-file-syntax"_s
            << u"syntax error in service file \"%F\", line 3"_s;
        QTest::addRow("unknown keyword") << QByteArray("[a]\nbogus=1\n") << u"settings.service-file-syntax"_s
                                         << u"syntax error in service file \"%F\", line 2"_s;
        QTest::addRow("spaces around equals")
            << QByteArray("[a]\nhost = db\n") << u"settings.service-file-syntax"_s
            << u"syntax error in service file \"%F\", line 2"_s;
        QTest::addRow("keyword case matters")
            << QByteArray("[a]\nHOST=db\n") << u"settings.service-file-syntax"_s
            << u"syntax error in service file \"%F\", line 2"_s;
        QTest::addRow("nested service")
            << QByteArray("[a]\nport=1\nservice=b\n") << u"settings.service-file-nested"_s
            << u"nested \"service\" specifications not supported in service file \"%F\", "
               "line 3"_s;
        QTest::addRow("nested servicefile")
            << QByteArray("[a]\nservicefile=/x\n") << u"settings.service-file-nested"_s
            << u"nested \"servicefile\" specifications not supported in service file \"%F\", line 2"_s;
        QTest::addRow("line of 1023 bytes")
            << (QByteArray("[a]\nhost=") + QByteArray(1017, 'x') + '\n')
            << u"settings.service-file-line-too-long"_s << u"line 2 too long in service file \"%F\""_s;
        QTest::addRow("too long line outside the section")
            << (QByteArray("[b]\n# ") + QByteArray(3000, 'x') + "\n[a]\nport=1\n")
            << u"settings.service-file-line-too-long"_s << u"line 2 too long in service file \"%F\""_s;
        QTest::addRow("too long last line without newline")
            << (QByteArray("[a]\nport=1\n") + QByteArray(1023, 'y'))
            << u"settings.service-file-line-too-long"_s << u"line 3 too long in service file \"%F\""_s;
        QTest::addRow("ldap-looking line")
            << QByteArray("[a]\nldapserver=x\n") << u"settings.service-file-ldap"_s
            << u"invalid LDAP URL \"ldapserver=x\": scheme must be ldap://"_s;
        QTest::addRow("ldap url") << QByteArray("[a]\nldap://ldap.example/dc=x?y?one?(cn=a)\n")
                                  << u"settings.service-file-ldap"_s
                                  << u"LDAP lookup in service file \"%F\", line 2 is not supported"_s;
    }

    void errors()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, code);
        QFETCH(QString, messageTemplate);

        const QString path = m_dir.filePath(u"errors.conf"_s);
        QVERIFY(writeBytes(path, content));
        const auto result = ServiceFile(path).find(u"a"_s);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, code);
        QCOMPARE(result.error().message, QString(messageTemplate).replace(u"%F"_s, path));
        QVERIFY(!result.error().explanation.isEmpty());
    }

    void missingFile()
    {
        const QString path = m_dir.filePath(u"does-not-exist.conf"_s);
        const auto result = ServiceFile(path).find(u"a"_s);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, u"settings.service-file-missing"_s);
        QCOMPARE(result.error().message, u"service file \"%1\" not found"_s.arg(path));
        QVERIFY(result.error().explanation.contains(u"No such file or directory"_s));
    }

    void directoryReadsAsEmpty()
    {
        // libpq's fopen() succeeds on a directory and fgets() then returns nothing.
        const QString path = m_dir.filePath(u"dir.conf"_s);
        QVERIFY(QDir().mkpath(path));
        const auto result = ServiceFile(path).find(u"a"_s);
        QVERIFY(result.has_value());
        QVERIFY(!result->has_value());
    }

    void fifoIsRefusedWithoutBlocking()
    {
        // A FIFO nobody writes to: opening it would block forever (as in libpq).
        const QString path = m_dir.filePath(u"fifo.conf"_s);
        QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
        QElapsedTimer timer;
        timer.start();
        const auto result = ServiceFile(path).find(u"a"_s);
        QVERIFY(timer.elapsed() < 2000);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, u"settings.service-file-not-regular"_s);
        QCOMPARE(result.error().message, u"service file \"%1\" not found"_s.arg(path));
    }

    void symlinkLoop()
    {
        const QString a = m_dir.filePath(u"loop-a.conf"_s);
        const QString b = m_dir.filePath(u"loop-b.conf"_s);
        QVERIFY(QFile::link(b, a));
        QVERIFY(QFile::link(a, b));
        const auto result = ServiceFile(a).find(u"a"_s);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, u"settings.service-file-missing"_s);
        QVERIFY(result.error().explanation.contains(u"symbolic links"_s));
    }

    void unreadable()
    {
        if (geteuid() == 0)
            QSKIP("running as root: file modes do not stop root from reading");
        const QString path = m_dir.filePath(u"unreadable.conf"_s);
        QVERIFY(writeBytes(path, "[a]\nport=1\n"));
        QVERIFY(QFile::setPermissions(path, QFileDevice::Permissions{}));
        const auto result = ServiceFile(path).find(u"a"_s);
        QVERIFY(!result.has_value());
        QCOMPARE(result.error().code, u"settings.service-file-missing"_s);
    }

    void binaryGarbage()
    {
        // Deterministic pseudo-random bytes with short lines: no section, no crash.
        QByteArray bytes;
        quint32 x = 12345;
        for (int i = 0; i < 200000; ++i) {
            x = x * 1103515245u + 12345u;
            const char c = static_cast<char>((x >> 16) & 0xff);
            bytes.append(i % 97 == 0 ? '\n' : (c == '[' ? 'x' : c));
        }
        const QString path = m_dir.filePath(u"garbage.conf"_s);
        QVERIFY(writeBytes(path, bytes));
        const auto result = ServiceFile(path).find(u"a"_s);
        QVERIFY(result.has_value());
        QVERIFY(!result->has_value());

        // The same bytes without newlines are one over-long line.
        bytes.replace('\n', 'x');
        QVERIFY(writeBytes(path, bytes));
        const auto longLine = ServiceFile(path).find(u"a"_s);
        QVERIFY(!longLine.has_value());
        QCOMPARE(longLine.error().code, u"settings.service-file-line-too-long"_s);
    }

    void hugeFileIsStreamed_data()
    {
        QTest::addColumn<QByteArray>("header");
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<bool>("sectionFirst");
        QTest::addColumn<bool>("found");

        // 100 MB of comment lines, then the section: everything is read, nothing is kept.
        QTest::addRow("comments before the section")
            << QByteArray("[a]\nport=5\n") << (QByteArray("# ") + QByteArray(100, 'c') + '\n') << false
            << true;
        // 100 MB of the same setting inside the section: only the first is kept.
        QTest::addRow("repeated setting in the section")
            << QByteArray("[a]\nport=5\n") << QByteArray("host=h\n") << true << true;
        // 100 MB in another section.
        QTest::addRow("other section")
            << QByteArray("[b]\n") << QByteArray("host=some.host.example\n") << true << false;
    }

    void hugeFileIsStreamed()
    {
        QFETCH(QByteArray, header);
        QFETCH(QByteArray, line);
        QFETCH(bool, sectionFirst);
        QFETCH(bool, found);

        const QString path = m_dir.filePath(u"huge.conf"_s);
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            if (sectionFirst)
                QVERIFY(f.write(header) == header.size());
            const QByteArray chunk = line.repeated(static_cast<qsizetype>((1 << 20) / line.size()));
            qint64 written = 0;
            while (written < 100LL * 1000 * 1000) {
                QVERIFY(f.write(chunk) == chunk.size());
                written += chunk.size();
            }
            if (!sectionFirst)
                QVERIFY(f.write(header) == header.size());
        }
        const qint64 before = residentKiB();
        QElapsedTimer timer;
        timer.start();
        const auto result = ServiceFile(path).find(u"a"_s);
        const qint64 after = residentKiB();
        QFile::remove(path);

        QVERIFY(result.has_value());
        QCOMPARE(result->has_value(), found);
        if (found) {
            // Only the first line of each keyword is kept, however often it repeats.
            QVERIFY((*result)->entries.size() <= 2);
            QCOMPARE((*result)->entries.first().keyword, u"port"_s);
            QCOMPARE((*result)->entries.first().value, u"5"_s);
        }
        // Streaming: the 100 MB never sit in memory. (AddressSanitizer's quarantine keeps freed blocks
        // resident, so the number means nothing there.)
#ifdef __SANITIZE_ADDRESS__
        const bool measurable = false;
#else
        const bool measurable = before >= 0;
#endif
        QVERIFY2(!measurable || after - before < 32 * 1024,
                 qPrintable(u"resident memory grew by %1 KiB"_s.arg(after - before)));
        QVERIFY2(timer.elapsed() < 120000, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
    }

private:
    QTemporaryDir m_dir;
};

QTEST_GUILESS_MAIN(TestServiceFile)
#include "tst_servicefile.moc"
