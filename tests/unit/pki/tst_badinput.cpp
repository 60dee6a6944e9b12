// Bad input for every PKI loader: a clear Error with a stable code each, never a crash, never a hang.

#include "TestPki.h"
#include "pki/PkiLoader.h"
#include "pki/SafeFileReader.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using vf::pki::FileRole;
using vf::pki::PkiLoader;
using vf::pki::SafeFileReader;
using vf::test::KeyFormat;
using vf::test::TestCert;
using vf::test::TestPki;

namespace {

// Every call that reads a file must be refused quickly: a FIFO or a 100 MB file must not hang the test.
constexpr qint64 kQuickMs = 3000;

} // namespace

class TestBadInput : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    TestCert m_cert;

    QString write(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        if (!TestPki::writeFile(path, data))
            qFatal("cannot write fixture");
        return path;
    }

    // Creates the bad file for a case and returns its path (empty: skip).
    QString makeCase(const QString& name)
    {
        const QByteArray pem = m_cert.pem();
        const QByteArray der = m_cert.der();
        if (name == u"empty")
            return write(name, {});
        if (name == u"truncated-pem")
            return write(name, pem.left(pem.size() / 2));
        if (name == u"truncated-pem-second-block")
            return write(name, pem + pem.left(pem.size() - 30));
        if (name == u"truncated-der")
            return write(name, der.left(der.size() - 17));
        if (name == u"truncated-der-header")
            return write(name, der.left(3));
        if (name == u"truncated-pkcs12")
            return write(name, TestPki::pkcs12(m_cert, {}, "pw").left(200));
        if (name == u"garbage-text")
            return write(name, "This is not a certificate.\nJust some words.\n");
        if (name == u"random-binary") {
            QByteArray bytes(4096, '\0');
            QRandomGenerator gen(42);
            for (char& c : bytes)
                c = char(gen.bounded(256));
            bytes[0] = '\x07'; // not an ASN.1 SEQUENCE
            return write(name, bytes);
        }
        if (name == u"der-sequence-unknown")
            return write(name, QByteArray::fromHex("30060101ff0101ff"));
        if (name == u"der-trailing-garbage")
            return write(name, der + "garbage");
        if (name == u"bad-base64")
            return write(name,
                         "-----BEGIN CERTIFICATE-----\n!!!!not*base64!!!!\n-----END CERTIFICATE-----\n");
        if (name == u"corrupt-certificate-block")
            return write(name, "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n");
        if (name == u"begin-mid-line")
            return write(name, "xx" + pem);
        if (name == u"only-parameters")
            return write(name,
                         "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n");
        if (name == u"unknown-pem-label")
            return write(name, "-----BEGIN FOO BAR-----\nAAAA\n-----END FOO BAR-----\n");
        if (name == u"utf16") {
            QByteArray utf16("\xFF\xFE");
            for (char c : pem) {
                utf16 += c;
                utf16 += '\0';
            }
            return write(name, utf16);
        }
        if (name == u"java-keystore")
            return write(name, QByteArray::fromHex("feedfeed00000002000000010000000200"));
        if (name == u"huge") {
            // A 100 MB sparse file: refused from its size, without reading it.
            const QString path = m_dir.filePath(name);
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly) || !f.resize(100LL * 1024 * 1024))
                return {};
            return path;
        }
        if (name == u"directory") {
            const QString path = m_dir.filePath(name);
            QDir().mkpath(path);
            return path;
        }
        if (name == u"missing")
            return m_dir.filePath(u"does-not-exist.pem"_s);
        if (name == u"missing-parent")
            return m_dir.filePath(u"no-such-dir/file.pem"_s);
        if (name == u"not-a-dir-in-path")
            return write(u"plainfile"_s, pem) + u"/child.pem"_s;
        if (name == u"unreadable") {
            const QString path = write(name, pem);
            TestPki::chmod(path, 0);
            return path;
        }
        if (name == u"symlink-loop") {
            const QString a = m_dir.filePath(u"loop-a"_s);
            const QString b = m_dir.filePath(u"loop-b"_s);
            QFile::link(b, a);
            QFile::link(a, b);
            return a;
        }
        if (name == u"dangling-symlink") {
            const QString link = m_dir.filePath(name);
            QFile::link(m_dir.filePath(u"gone.pem"_s), link);
            return link;
        }
        if (name == u"fifo") {
            const QString path = m_dir.filePath(name);
            if (!QFileInfo::exists(path) && ::mkfifo(QFile::encodeName(path).constData(), 0600) != 0)
                return {};
            return path;
        }
        if (name == u"char-device")
            return u"/dev/zero"_s;
        if (name == u"empty-path")
            return u""_s;
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_cert = TestPki::makeCert(TestPki::clientSpec(u"bad-input"_s));
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addRow("empty") << u"pki.file-empty"_s;
        QTest::addRow("truncated-pem") << u"pki.truncated-pem"_s;
        QTest::addRow("truncated-pem-second-block") << u"pki.truncated-pem"_s;
        QTest::addRow("truncated-der") << u"pki.truncated-der"_s;
        QTest::addRow("truncated-der-header") << u"pki.truncated-der"_s;
        QTest::addRow("truncated-pkcs12") << u"pki.truncated-der"_s;
        QTest::addRow("garbage-text") << u"pki.unrecognized-format"_s;
        QTest::addRow("random-binary") << u"pki.unrecognized-format"_s;
        QTest::addRow("der-sequence-unknown") << u"pki.unrecognized-format"_s;
        QTest::addRow("der-trailing-garbage") << u"pki.corrupt-object"_s;
        QTest::addRow("bad-base64") << u"pki.bad-pem"_s;
        QTest::addRow("corrupt-certificate-block") << u"pki.corrupt-object"_s;
        QTest::addRow("begin-mid-line") << u"pki.unrecognized-format"_s;
        QTest::addRow("only-parameters") << u"pki.unrecognized-format"_s;
        QTest::addRow("unknown-pem-label") << u"pki.unrecognized-format"_s;
        QTest::addRow("utf16") << u"pki.unrecognized-format"_s;
        QTest::addRow("java-keystore") << u"pki.unrecognized-format"_s;
        QTest::addRow("huge") << u"pki.file-too-large"_s;
        QTest::addRow("directory") << u"pki.is-directory"_s;
        QTest::addRow("missing") << u"pki.file-missing"_s;
        QTest::addRow("missing-parent") << u"pki.file-missing"_s;
        QTest::addRow("not-a-dir-in-path") << u"pki.file-missing"_s;
        QTest::addRow("unreadable") << u"pki.file-unreadable"_s;
        QTest::addRow("symlink-loop") << u"pki.symlink-loop"_s;
        QTest::addRow("dangling-symlink") << u"pki.file-missing"_s;
        QTest::addRow("fifo") << u"pki.not-regular-file"_s;
        QTest::addRow("char-device") << u"pki.not-regular-file"_s;
        QTest::addRow("empty-path") << u"pki.no-file-name"_s;
    }

    void badFiles()
    {
        QFETCH(QString, code);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        if (tag == u"unreadable" && ::geteuid() == 0)
            QSKIP("running as root: root reads files whatever their mode, so a mode-000 file is readable");
        const QString path = makeCase(tag);
        if (path.isNull())
            QSKIP("could not create this fixture on this file system");

        auto check = [&](const char* what, const vf::Error& e) {
            QVERIFY2(e.code == code, qPrintable(u"%1: got %2 (%3), expected %4"_s.arg(
                                         QLatin1StringView(what), e.code, e.message, code)));
            QVERIFY2(!e.message.isEmpty(), what);
            QVERIFY2(!e.explanation.isEmpty(), what);
        };
        QElapsedTimer timer;
        timer.start();
        {
            auto r = PkiLoader::loadCertificates(path);
            QVERIFY(!r);
            check("loadCertificates", r.error());
        }
        {
            auto r = PkiLoader::loadPrivateKey(path, "pw");
            QVERIFY(!r);
            check("loadPrivateKey", r.error());
        }
        {
            auto r = PkiLoader::loadCrls(path);
            QVERIFY(!r);
            check("loadCrls", r.error());
        }
        {
            auto r = PkiLoader::loadPkcs12(path, "pw");
            QVERIFY(!r);
            check("loadPkcs12", r.error());
        }
        for (FileRole role : {FileRole::Any, FileRole::RootCertificates, FileRole::ClientCertificate,
                              FileRole::ClientKey, FileRole::CrlFile}) {
            auto r = PkiLoader::inspectFile(path, role);
            QVERIFY(!r);
            check("inspectFile", r.error());
        }
        QVERIFY2(timer.elapsed() < kQuickMs, qPrintable(u"took %1 ms"_s.arg(timer.elapsed())));
    }

    void unreadableAsAnotherUser()
    {
        // Root bypasses file modes, so the "unreadable" row above is skipped as root. Here a child process
        // drops to "nobody" and reads a mode-000 file: the real EACCES path, whoever runs the tests.
        if (::geteuid() != 0)
            QSKIP("needs root to switch to another user; the badFiles(unreadable) row covers this case");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(TestPki::chmod(dir.path(), 0711)); // traversable by others, not listable
        const QString path = dir.filePath(u"secret.pem"_s);
        QVERIFY(TestPki::writeFile(path, m_cert.pem()));
        QVERIFY(TestPki::chmod(path, 0));
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        const pid_t pid = ::fork();
        QVERIFY(pid >= 0);
        if (pid == 0) {
            ::close(fds[0]);
            QByteArray out = "setuid failed";
            if (::setgid(65534) == 0 && ::setuid(65534) == 0) {
                auto r = SafeFileReader::read(path);
                out = r ? QByteArray("read") : r.error().code.toUtf8() + '|' + r.error().message.toUtf8();
            }
            [[maybe_unused]] const ssize_t n = ::write(fds[1], out.constData(), size_t(out.size()));
            ::_exit(0);
        }
        ::close(fds[1]);
        QByteArray got;
        char buf[512];
        for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;)
            got.append(buf, n);
        ::close(fds[0]);
        int status = 0;
        ::waitpid(pid, &status, 0);
        QVERIFY2(got.startsWith("pki.file-unreadable|could not open file"), got.constData());
        QVERIFY(got.contains("Permission denied"));
    }

    void sizeCapIsANamedLimit()
    {
        QCOMPARE(vf::pki::kMaxPkiFileSize, 64LL * 1024 * 1024);
        // Just over a small cap: refused; at the cap: read.
        const QString path = write(u"cap"_s, QByteArray(1000, 'x'));
        QCOMPARE(SafeFileReader::read(path, 999).error().code, u"pki.file-too-large"_s);
        QCOMPARE(SafeFileReader::read(path, 1000)->size(), 1000);
        QVERIFY(SafeFileReader::read(path, 999).error().message.contains(u"1000 bytes"));
    }

    void crlDirectoryBadInput_data()
    {
        QTest::addColumn<QString>("code");
        QTest::addRow("missing") << u"pki.file-missing"_s;
        QTest::addRow("symlink-loop") << u"pki.symlink-loop"_s;
        QTest::addRow("fifo") << u"pki.not-a-directory"_s;
        QTest::addRow("empty-path") << u"pki.no-file-name"_s;
    }

    void crlDirectoryBadInput()
    {
        QFETCH(QString, code);
        const QString path = makeCase(QString::fromLatin1(QTest::currentDataTag()) == u"missing"
                                          ? u"missing"_s
                                          : QString::fromLatin1(QTest::currentDataTag()));
        QElapsedTimer timer;
        timer.start();
        auto dir = PkiLoader::loadCrlDirectory(path);
        QVERIFY(!dir);
        QCOMPARE(dir.error().code, code);
        auto fi = PkiLoader::inspectFile(path, FileRole::CrlDirectory);
        QVERIFY(!fi);
        QCOMPARE(fi.error().code, code);
        QVERIFY(!fi.error().explanation.isEmpty());
        QVERIFY(timer.elapsed() < kQuickMs);
    }

    void crlDirectoryWithBadEntries()
    {
        // A FIFO and garbage under hashed names: reported per entry, the scan goes on, nothing blocks.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QVERIFY(::mkfifo(QFile::encodeName(dir.filePath(u"00000000.r0"_s)).constData(), 0600) == 0);
        QVERIFY(TestPki::writeFile(dir.filePath(u"11111111.r0"_s), "garbage"));
        QFile::link(dir.filePath(u"22222222.r0"_s), dir.filePath(u"22222222.r0"_s)); // loop to itself
        QElapsedTimer timer;
        timer.start();
        auto contents = PkiLoader::loadCrlDirectory(dir.path());
        QVERIFY(timer.elapsed() < kQuickMs);
        QVERIFY(contents);
        QCOMPARE(contents->entries.size(), 3);
        QCOMPARE(contents->entries[0].problem->code, u"pki.not-regular-file"_s);
        QCOMPARE(contents->entries[1].problem->code, u"pki.unrecognized-format"_s);
        QCOMPARE(contents->entries[2].problem->code, u"pki.symlink-loop"_s);
        QVERIFY(contents->usableCrls().isEmpty());
    }

    // Every prefix and many bit flips of real objects: no crash, no leak (run under ASan), an Error or a
    // value, never both missing.
    void mutations_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("der-cert") << m_cert.der();
        QTest::addRow("pem-cert") << m_cert.pem();
        QTest::addRow("pkcs8-der") << m_cert.keyBytes(KeyFormat::Pkcs8Der);
        QTest::addRow("encrypted-pkcs8-der") << m_cert.keyBytes(KeyFormat::Pkcs8Der, "pw");
        QTest::addRow("encrypted-traditional-pem") << m_cert.keyBytes(KeyFormat::TraditionalPem, "pw");
        QTest::addRow("pkcs12") << TestPki::pkcs12(m_cert, {}, "pw");
        QTest::addRow("pkcs7") << TestPki::pkcs7Der({m_cert});
        QTest::addRow("crl") << TestPki::crlPem(m_cert, {});
    }

    void mutations()
    {
        QFETCH(QByteArray, bytes);
        int errors = 0;
        int withoutCode = 0;
        auto count = [&](const auto& result) {
            if (result)
                return;
            ++errors;
            if (result.error().code.isEmpty() || result.error().message.isEmpty())
                ++withoutCode;
        };
        auto exercise = [&](const QByteArray& data) {
            count(PkiLoader::parseCertificates(data, "pw"));
            count(PkiLoader::parsePrivateKey(data, "pw"));
            count(PkiLoader::parseCrls(data));
            count(PkiLoader::parsePkcs12(data, "pw"));
            count(PkiLoader::inspectData(data, FileRole::ClientKey, "pw"));
        };
        const int step = std::max<qsizetype>(1, bytes.size() / 120);
        for (qsizetype len = 0; len < bytes.size(); len += step)
            exercise(bytes.left(len));
        QRandomGenerator gen(7);
        for (int i = 0; i < 120; ++i) {
            QByteArray flipped = bytes;
            const auto pos = qsizetype(gen.bounded(int(flipped.size())));
            flipped[pos] = char(flipped[pos] ^ char(1 << gen.bounded(8)));
            exercise(flipped);
        }
        QVERIFY(errors > 0);
        QCOMPARE(withoutCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestBadInput)
#include "tst_badinput.moc"
