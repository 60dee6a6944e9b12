// The PKCS#8 DER conversion for pgJDBC: every key type and source format, encrypted or not, comes out
// as DER that the openssl command reads back (and whose public key is the certificate's), in a file
// only its owner can read; bad inputs fail with a clear error and never hang.

#include "TestPki.h"
#include "interop/Pkcs8Converter.h"
#include "interop/PrivateFile.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace vf::interop;
using namespace vf::test;

namespace {

mode_t modeOf(const QString& path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 07777;
    return st.st_mode & 07777;
}

struct OpenSslRun
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

OpenSslRun openssl(const QStringList& args)
{
    QProcess p;
    p.start(u"openssl"_s, args);
    OpenSslRun r;
    if (!p.waitForStarted(10000) || !p.waitForFinished(30000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

} // namespace

class TestInteropPkcs8 : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    bool m_haveOpenssl = false;

    QString write(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_haveOpenssl = !QStandardPaths::findExecutable(u"openssl"_s).isEmpty();
    }

    void suggestedPath()
    {
        QCOMPARE(Pkcs8Converter::suggestedPath(u"/a/b/client.key"_s), u"/a/b/client.pk8"_s);
        QCOMPARE(Pkcs8Converter::suggestedPath(u"/a/b/client"_s), u"/a/b/client.pk8"_s);
        QCOMPARE(Pkcs8Converter::suggestedPath(u"/a/b.d/client.key.pem"_s), u"/a/b.d/client.key.pk8"_s);
        QCOMPARE(Pkcs8Converter::suggestedPath(u"client.key"_s), u"client.pk8"_s);
        QCOMPARE(Pkcs8Converter::suggestedPath(u"/a/.hidden"_s), u"/a/.hidden.pk8"_s);
    }

    void convert_data()
    {
        QTest::addColumn<int>("keyType");
        QTest::addColumn<int>("format");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::addColumn<QByteArray>("outputPassphrase");

        const QList<QPair<const char*, KeyType>> types = {
            {"rsa", KeyType::Rsa2048}, {"ec", KeyType::EcP256}, {"ed25519", KeyType::Ed25519}};
        const QList<QPair<const char*, KeyFormat>> formats = {{"pkcs8-pem", KeyFormat::Pkcs8Pem},
                                                              {"traditional-pem", KeyFormat::TraditionalPem},
                                                              {"pkcs8-der", KeyFormat::Pkcs8Der}};
        for (const auto& [typeName, type] : types) {
            for (const auto& [formatName, format] : formats) {
                if (type == KeyType::Ed25519 && format == KeyFormat::TraditionalPem)
                    continue; // Ed25519 has no traditional form
                QTest::addRow("%s %s", typeName, formatName)
                    << int(type) << int(format) << QByteArray() << QByteArray();
                QTest::addRow("%s %s encrypted", typeName, formatName)
                    << int(type) << int(format) << QByteArray("pa'ss \"phrase\" $x") << QByteArray();
            }
            QTest::addRow("%s to encrypted pk8", typeName)
                << int(type) << int(KeyFormat::Pkcs8Pem) << QByteArray() << QByteArray("out-pass");
        }
    }

    void convert()
    {
        QFETCH(int, keyType);
        QFETCH(int, format);
        QFETCH(QByteArray, passphrase);
        QFETCH(QByteArray, outputPassphrase);
        CertSpec spec = TestPki::clientSpec(u"certuser"_s);
        spec.keyType = KeyType(keyType);
        const TestCert cert = TestPki::makeCert(spec);
        const QString key =
            write(u"%1.key"_s.arg(QString::fromLatin1(QTest::currentDataTag()).replace(u' ', u'_')),
                  cert.keyBytes(KeyFormat(format), passphrase));
        const QString out = Pkcs8Converter::suggestedPath(key);

        const auto r = Pkcs8Converter::convertFile(key, out, passphrase, outputPassphrase);
        QVERIFY2(r.has_value(), r ? "" : qPrintable(r.error().message));
        QCOMPARE(modeOf(out), mode_t(0600));
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray der = f.readAll();
        QVERIFY(der.size() > 30);
        QCOMPARE(uchar(der.at(0)), uchar(0x30)); // a DER SEQUENCE, not PEM text
        QVERIFY(!der.contains("-----BEGIN"));
        // The directory holds no temporary file afterwards.
        const QStringList leftovers =
            QDir(m_dir.path()).entryList({u".*.pk8.*"_s}, QDir::Files | QDir::Hidden);
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(u' ')));

        if (!m_haveOpenssl)
            QSKIP("the openssl command is not installed");
        QStringList args = {u"pkey"_s, u"-inform"_s, u"DER"_s, u"-in"_s, out, u"-pubout"_s};
        if (!outputPassphrase.isEmpty()) {
            // Encrypted: openssl needs the passphrase, and fails without it.
            const OpenSslRun without = openssl(args + QStringList{u"-passin"_s, u"pass:"_s});
            QVERIFY(without.exitCode != 0);
            args << u"-passin"_s << u"pass:"_s + QString::fromLatin1(outputPassphrase);
        }
        const OpenSslRun run = openssl(args);
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QCOMPARE(run.out, cert.publicKeyPem());
    }

    void passphraseErrors()
    {
        const TestCert cert = TestPki::makeCert(TestPki::clientSpec(u"c"_s));
        const QByteArray secret = "VerySecretPassphrase";
        const QString key = write(u"enc.key"_s, cert.keyBytes(KeyFormat::Pkcs8Pem, secret));
        const QString out = m_dir.filePath(u"enc.pk8"_s);

        const auto missing = Pkcs8Converter::convertFile(key, out);
        QVERIFY(!missing.has_value());
        QCOMPARE(missing.error().code, u"pki.passphrase-required"_s);
        const auto wrong = Pkcs8Converter::convertFile(key, out, "nope");
        QVERIFY(!wrong.has_value());
        QCOMPARE(wrong.error().code, u"pki.wrong-passphrase"_s);
        QVERIFY(!QFile::exists(out));
        // Passphrases are never part of an error.
        const auto wrongSecret = Pkcs8Converter::convertFile(key, out, secret + "x");
        QVERIFY(!wrongSecret.has_value());
        const vf::Error& e = wrongSecret.error();
        const QString all = e.message + e.explanation + e.detail.join(u' ');
        QVERIFY(!all.contains(QString::fromLatin1(secret)));
    }

    void badInputs()
    {
        const TestCert cert = TestPki::makeCert(TestPki::clientSpec(u"c"_s));
        const QString out = m_dir.filePath(u"bad.pk8"_s);
        auto failsWith = [&out](const QString& input, const QString& code) {
            const auto r = Pkcs8Converter::convertFile(input, out);
            if (r.has_value()) {
                qWarning() << input << "converted";
                return false;
            }
            if (r.error().code != code)
                qWarning() << input << r.error().code << r.error().message;
            return r.error().code == code && !r.error().message.isEmpty() && !QFile::exists(out);
        };
        QVERIFY(failsWith(m_dir.filePath(u"missing.key"_s), u"pki.file-missing"_s));
        QVERIFY(failsWith(m_dir.path(), u"pki.is-directory"_s));
        QVERIFY(failsWith(write(u"empty.key"_s, {}), u"pki.file-empty"_s));
        QVERIFY(failsWith(write(u"garbage.key"_s, QByteArray(5000, '\x07')), u"pki.unrecognized-format"_s));
        QVERIFY(failsWith(write(u"truncated.key"_s, cert.keyBytes().left(60)), u"pki.truncated-pem"_s));
        const QString certFile = write(u"cert.crt"_s, cert.pem());
        const auto r = Pkcs8Converter::convertFile(certFile, out);
        QVERIFY(!r.has_value());
        QVERIFY2(r.error().code == u"pki.wrong-file-kind" || r.error().code == u"pki.no-private-key",
                 qPrintable(r.error().code));

        const QString fifo = m_dir.filePath(u"fifo.key"_s);
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        QVERIFY(failsWith(fifo, u"pki.not-regular-file"_s)); // returns at once, does not block

        const QString huge = m_dir.filePath(u"huge.key"_s);
        {
            QFile f(huge);
            QVERIFY(f.open(QIODevice::WriteOnly));
            QVERIFY(f.resize(100LL * 1024 * 1024)); // sparse
        }
        QVERIFY(failsWith(huge, u"pki.file-too-large"_s));

        const QString loop = m_dir.filePath(u"loop.key"_s);
        QVERIFY(QFile::link(loop, loop));
        QVERIFY(failsWith(loop, u"pki.symlink-loop"_s));
    }

    void outputs()
    {
        const TestCert cert = TestPki::makeCert(TestPki::clientSpec(u"c"_s));
        const QString key = write(u"out.key"_s, cert.keyBytes());

        const auto same = Pkcs8Converter::convertFile(key, key);
        QVERIFY(!same.has_value());
        QCOMPARE(same.error().code, u"interop.pkcs8-same-file"_s);
        QFile original(key);
        QVERIFY(original.open(QIODevice::ReadOnly));
        QCOMPARE(original.readAll(), cert.keyBytes());

        const auto noDir = Pkcs8Converter::convertFile(key, m_dir.filePath(u"no/such/dir/x.pk8"_s));
        QVERIFY(!noDir.has_value());
        QCOMPARE(noDir.error().code, u"interop.write-failed"_s);
        const auto toDir = Pkcs8Converter::convertFile(key, m_dir.path());
        QVERIFY(!toDir.has_value());
        QCOMPARE(toDir.error().code, u"pki.is-directory"_s);

        // An existing, world-readable target is replaced by a 0600 file.
        const QString target = m_dir.filePath(u"existing.pk8"_s);
        QVERIFY(TestPki::writeFile(
            target, "old", QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadOther));
        QVERIFY(Pkcs8Converter::convertFile(key, target).has_value());
        QCOMPARE(modeOf(target), mode_t(0600));
        QFile f(target);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll() != "old");
    }

    void privateFile()
    {
        const QString path = m_dir.filePath(u"private.txt"_s);
        QVERIFY(PrivateFile::write(path, "secret\n").has_value());
        QCOMPARE(modeOf(path), mode_t(0600));
        QVERIFY(PrivateFile::write(path, "other\n", 0640).has_value());
        QCOMPARE(modeOf(path), mode_t(0640));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), QByteArray("other\n"));
        QVERIFY(!PrivateFile::write({}, "x").has_value());
    }
};

QTEST_GUILESS_MAIN(TestInteropPkcs8)
#include "tst_interop_pkcs8.moc"
