// GUI tests of vf::ui::FileField: every validation state a person meets when choosing a certificate,
// key or CRL file, driven through the real widgets (typing, Enter, buttons, drops) on the offscreen
// platform. Fixtures are generated into a QTemporaryDir with TestPki.

#include "TestPki.h"
#include "i18n/Translations.h"
#include "pki/PkiTypes.h"
#include "widgets/FileField.h"

#include <QApplication>
#include <QDir>
#include <QDropEvent>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include <memory>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using vf::pki::FileRole;
using vf::test::CertSpec;
using vf::test::KeyFormat;
using vf::test::TestCert;
using vf::test::TestPki;
using vf::ui::FileField;

namespace {

constexpr qint64 kDay = 86400;

QFileDevice::Permissions mode0644()
{
    return QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther;
}

uint modeOf(const QString& path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 0xffff;
    return uint(st.st_mode) & 07777u;
}

} // namespace

class TestFileField : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void goodCertificate();
    void expiry_data();
    void expiry();
    void keyPermissionsRestrict();
    void encryptedKeyPassword();
    void encryptedKeyExternalPassword();
    void keyMatchesCertificate();
    void pkcs12InCertificateField();
    void derToPem();
    void csrInCertificateField();
    void keyInCertificateField();
    void badInput_data();
    void badInput();
    void tildeIsExpanded();
    void dropAFile();
    void fallbackFile();
    void crlDirectoryRole();

private:
    QString write(const QString& name, const QByteArray& data, QFileDevice::Permissions perms = mode0644());
    std::unique_ptr<FileField> field(FileRole role);
    static bool settle(FileField& f);
    void typePath(FileField& f, const QString& path);

    QTemporaryDir m_dir;
    TestCert m_root;
    TestCert m_client;
};

QString TestFileField::write(const QString& name, const QByteArray& data, QFileDevice::Permissions perms)
{
    const QString path = m_dir.filePath(name);
    QFile::remove(path);
    if (!TestPki::writeFile(path, data, perms))
        qFatal("cannot write fixture %s", qPrintable(path));
    return path;
}

std::unique_ptr<FileField> TestFileField::field(FileRole role)
{
    auto f = std::make_unique<FileField>();
    f->setRole(role);
    f->resize(600, 300);
    f->show();
    return f;
}

bool TestFileField::settle(FileField& f)
{
    // The check runs on a pool thread; its result comes back through the event loop.
    return QTest::qWaitFor([&] { return f.state() != FileField::State::Checking && f.result().has_value(); },
                           10000);
}

void TestFileField::typePath(FileField& f, const QString& path)
{
    QLineEdit* edit = f.findChild<QLineEdit*>(u"pathEdit"_s);
    QVERIFY(edit);
    edit->clear();
    edit->setFocus();
    QTest::keyClicks(edit, path);
    QTest::keyClick(edit, Qt::Key_Return);
}

void TestFileField::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // The English catalogue holds the plural forms ("%n certificate(s)" → "1 certificate"), as in the app.
    QCOMPARE(vf::ui::Translations::install(u"en"_s), u"en"_s);
    qputenv("HOME", m_dir.path().toLocal8Bit()); // "~" expands here
    m_root = TestPki::makeCert(TestPki::rootSpec(u"Test Root CA"_s));
    m_client = TestPki::makeCert(TestPki::clientSpec(u"alice"_s), &m_root);
}

void TestFileField::goodCertificate()
{
    const QString path = write(u"client.crt"_s, m_client.pem());
    auto f = field(FileRole::ClientCertificate);
    QSignalSpy edited(f.get(), &FileField::pathEdited);
    typePath(*f, path);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY(edited.count() >= 1);
    QCOMPARE(edited.last().at(0).toString(), path);
    const QString text = f->statusText();
    QVERIFY2(text.contains(u"PEM text: 1 certificate"_s), qPrintable(text));
    QVERIFY2(text.contains(u"CN=alice"_s), qPrintable(text));
    QVERIFY2(text.contains(u"valid until"_s), qPrintable(text));
    QVERIFY2(text.contains(u"libpq can use this file here"_s), qPrintable(text));
    QVERIFY(!text.contains(u"Expire"_s));
    QVERIFY(f->findChild<QLabel*>(u"statusLabel"_s)->isVisible());
}

void TestFileField::expiry_data()
{
    QTest::addColumn<qint64>("notAfterOffset");
    QTest::addColumn<int>("state");
    QTest::addColumn<QString>("expected");
    QTest::addRow("expired yesterday") << -kDay << int(FileField::State::Error) << u"Expired on"_s;
    QTest::addRow("expired long ago") << -400 * kDay << int(FileField::State::Error) << u"days ago"_s;
    QTest::addRow("expires in 10 days")
        << 10 * kDay + 3600 << int(FileField::State::Warning) << u"in 10 days"_s;
    QTest::addRow("expires in 30 days")
        << 30 * kDay + 3600 << int(FileField::State::Warning) << u"in 30 days"_s;
    QTest::addRow("expires in 31 days") << 31 * kDay + 3600 << int(FileField::State::Ok) << u"valid until"_s;
}

void TestFileField::expiry()
{
    QFETCH(qint64, notAfterOffset);
    QFETCH(int, state);
    QFETCH(QString, expected);
    CertSpec spec = TestPki::clientSpec(u"bob"_s);
    spec.notBeforeOffset = -500 * kDay;
    spec.notAfterOffset = notAfterOffset;
    const TestCert cert = TestPki::makeCert(spec, &m_root);
    auto f = field(FileRole::ClientCertificate);
    typePath(*f, write(u"expiry.crt"_s, cert.pem()));
    QVERIFY(settle(*f));
    QCOMPARE(int(f->state()), state);
    QVERIFY2(f->statusText().contains(expected), qPrintable(f->statusText()));
    if (state == int(FileField::State::Ok))
        QVERIFY(!f->statusText().contains(u"Expire"_s));
}

void TestFileField::keyPermissionsRestrict()
{
    const QString path = write(u"open.key"_s, m_client.keyBytes(), mode0644());
    auto f = field(FileRole::ClientKey);
    typePath(*f, path);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Error);
    QVERIFY2(f->statusText().contains(u"has group or world access"_s), qPrintable(f->statusText()));
    auto* restrict = f->findChild<QPushButton*>(u"restrictButton"_s);
    QVERIFY(restrict);
    QVERIFY(restrict->isVisible());
    QCOMPARE(restrict->text(), u"Restrict to owner (0600)"_s);

    QTest::mouseClick(restrict, Qt::LeftButton);
    QVERIFY(settle(*f));
    QCOMPARE(modeOf(path), 0600u);
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY(!restrict->isVisible());
    QVERIFY2(f->statusText().contains(u"Restricted to its owner (0600)"_s), qPrintable(f->statusText()));
}

void TestFileField::encryptedKeyPassword()
{
    const QString path = write(u"enc.key"_s, m_client.keyBytes(KeyFormat::Pkcs8Pem, "right horse"),
                               QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto f = field(FileRole::ClientKey);
    typePath(*f, path);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Warning);
    QVERIFY2(f->statusText().contains(u"This key is encrypted: enter its password below"_s),
             qPrintable(f->statusText()));
    QWidget* row = f->findChild<QWidget*>(u"passphraseRow"_s);
    auto* pass = f->findChild<QLineEdit*>(u"passphraseEdit"_s);
    auto* unlock = f->findChild<QPushButton*>(u"unlockButton"_s);
    QVERIFY(row && pass && unlock);
    QVERIFY(row->isVisible());
    QCOMPARE(pass->echoMode(), QLineEdit::Password);

    QTest::keyClicks(pass, u"wrong"_s);
    QTest::mouseClick(unlock, Qt::LeftButton);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Error);
    QVERIFY2(f->statusText().contains(u"The password does not open this key"_s), qPrintable(f->statusText()));
    QVERIFY(row->isVisible());

    pass->clear();
    QTest::keyClicks(pass, u"right horse"_s);
    QTest::keyClick(pass, Qt::Key_Return);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY2(f->statusText().contains(u"The password opens this key"_s), qPrintable(f->statusText()));
    QVERIFY(!row->isVisible());
}

void TestFileField::encryptedKeyExternalPassword()
{
    const QString path = write(u"enc2.key"_s, m_client.keyBytes(KeyFormat::Pkcs8Pem, "pw"),
                               QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto f = field(FileRole::ClientKey);
    f->setExternalPassphrase(true, u"Key password"_s);
    typePath(*f, path);
    QVERIFY(settle(*f));
    QVERIFY2(f->statusText().contains(u"type its password in Key password"_s), qPrintable(f->statusText()));
    QVERIFY(!f->findChild<QWidget*>(u"passphraseRow"_s)->isVisible());
    f->setPassphrase("nope");
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Error);
    f->setPassphrase("pw");
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY(f->statusText().contains(u"The password opens this key"_s));
}

void TestFileField::keyMatchesCertificate()
{
    const QString path =
        write(u"match.key"_s, m_client.keyBytes(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    auto f = field(FileRole::ClientKey);
    f->setMatchCertificate(m_client.x509() ? vf::pki::Certificate::fromDer(m_client.der())
                                           : vf::pki::Certificate(),
                           u"the client certificate"_s);
    typePath(*f, path);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY2(f->statusText().contains(u"Matches the client certificate (alice)"_s),
             qPrintable(f->statusText()));

    const TestCert other = TestPki::makeCert(TestPki::clientSpec(u"mallory"_s), &m_root);
    f->setMatchCertificate(vf::pki::Certificate::fromDer(other.der()), u"the client certificate"_s);
    QCOMPARE(f->state(), FileField::State::Error);
    QVERIFY2(f->statusText().contains(u"Does not belong to the client certificate (mallory)"_s),
             qPrintable(f->statusText()));
}

void TestFileField::pkcs12InCertificateField()
{
    const QString p12 = write(u"bundle.p12"_s, TestPki::pkcs12(m_client, {m_root}, "p12 pass"));
    const QString certTarget = m_dir.filePath(u"bundle.crt"_s);
    const QString keyTarget = m_dir.filePath(u"bundle.key"_s);
    write(u"bundle.crt"_s, "old certificate file\n");
    QFile::remove(keyTarget);

    auto f = field(FileRole::ClientCertificate);
    QStringList questions;
    bool answer = false;
    f->setConfirmHandler([&](const QString& q, std::function<void(bool)> reply) {
        questions << q;
        reply(answer);
    });
    QSignalSpy converted(f.get(), &FileField::converted);
    typePath(*f, p12);
    QVERIFY(settle(*f));
    QVERIFY2(f->statusText().contains(u"PKCS#12 bundle"_s), qPrintable(f->statusText()));
    QVERIFY2(f->statusText().contains(u"password-protected"_s), qPrintable(f->statusText()));
    QVERIFY(f->state() == FileField::State::Error || f->state() == FileField::State::Warning);
    auto* pass = f->findChild<QLineEdit*>(u"passphraseEdit"_s);
    auto* convert = f->findChild<QPushButton*>(u"convertButton"_s);
    QVERIFY(pass->isVisible());
    QVERIFY(!convert->isVisible()); // nothing to convert until it is opened

    QTest::keyClicks(pass, u"p12 pass"_s);
    QTest::keyClick(pass, Qt::Key_Return);
    QVERIFY(settle(*f));
    QVERIFY2(f->statusText().contains(u"libpq cannot read PKCS#12"_s) ||
                 f->statusText().contains(u"could not read certificate file"_s),
             qPrintable(f->statusText()));
    QVERIFY(convert->isVisible());
    QCOMPARE(convert->text(), u"Extract PEM certificate and key\u2026"_s);

    // bundle.crt exists: the person is asked, and "No" leaves everything as it was.
    QTest::mouseClick(convert, Qt::LeftButton);
    QCOMPARE(questions.size(), 1);
    QVERIFY(questions.first().contains(certTarget));
    QCOMPARE(f->path(), p12);
    QFile old(certTarget);
    QVERIFY(old.open(QIODevice::ReadOnly));
    QCOMPARE(old.readAll(), QByteArray("old certificate file\n"));
    old.close();
    QVERIFY(!QFileInfo::exists(keyTarget));
    QCOMPARE(converted.count(), 0);

    answer = true;
    QTest::mouseClick(convert, Qt::LeftButton);
    QCOMPARE(questions.size(), 2);
    QCOMPARE(converted.count(), 1);
    QCOMPARE(converted.first().at(0).toString(), certTarget);
    QCOMPARE(converted.first().at(1).toString(), keyTarget);
    QCOMPARE(f->path(), certTarget);
    QCOMPARE(modeOf(keyTarget), 0600u);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY2(f->statusText().contains(u"Wrote"_s), qPrintable(f->statusText()));
    QFile crt(certTarget);
    QVERIFY(crt.open(QIODevice::ReadOnly));
    const QByteArray pem = crt.readAll();
    QVERIFY(pem.startsWith("-----BEGIN CERTIFICATE-----"));
    QCOMPARE(pem.count("BEGIN CERTIFICATE"), 1); // the self-signed root stays out of the client chain

    // The extracted key opens without a password and belongs to the certificate.
    auto key = field(FileRole::ClientKey);
    key->setMatchCertificate(vf::pki::Certificate::fromDer(m_client.der()), u"the client certificate"_s);
    typePath(*key, keyTarget);
    QVERIFY(settle(*key));
    QCOMPARE(key->state(), FileField::State::Ok);
    QVERIFY(key->statusText().contains(u"Matches"_s));
}

void TestFileField::derToPem()
{
    const QString der = write(u"root.der"_s, m_root.der());
    QFile::remove(m_dir.filePath(u"root.pem"_s));
    auto f = field(FileRole::RootCertificates);
    typePath(*f, der);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Error);
    QVERIFY2(f->statusText().contains(u"Binary (DER)"_s), qPrintable(f->statusText()));
    auto* convert = f->findChild<QPushButton*>(u"convertButton"_s);
    QVERIFY(convert->isVisible());
    QCOMPARE(convert->text(), u"Convert to PEM\u2026"_s);
    QTest::mouseClick(convert, Qt::LeftButton); // no file to replace: no question
    QCOMPARE(f->path(), m_dir.filePath(u"root.pem"_s));
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY(!convert->isVisible());
}

void TestFileField::csrInCertificateField()
{
    auto f = field(FileRole::ClientCertificate);
    typePath(*f, write(u"request.csr"_s, m_client.csrPem()));
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Error);
    QVERIFY2(f->statusText().contains(u"certificate signing request"_s), qPrintable(f->statusText()));
    QVERIFY2(f->statusText().contains(u"CN=alice"_s), qPrintable(f->statusText()));
    QVERIFY(!f->findChild<QPushButton*>(u"convertButton"_s)->isVisible()); // a CSR cannot be converted
}

void TestFileField::keyInCertificateField()
{
    auto f = field(FileRole::ClientCertificate);
    typePath(*f,
             write(u"swapped.pem"_s, m_client.keyBytes(), QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Error);
    QVERIFY2(f->statusText().contains(u"private key"_s), qPrintable(f->statusText()));
}

void TestFileField::badInput_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("content");
    QTest::addRow("missing") << u"missing.crt"_s << QByteArray();
    QTest::addRow("empty") << u"empty.crt"_s << QByteArray("");
    QTest::addRow("garbage") << u"garbage.crt"_s << QByteArray("this is not a certificate\n");
    QTest::addRow("binary") << u"binary.crt"_s << QByteArray("\x00\x01\x02\xff\xfe", 5);
    QTest::addRow("truncated pem") << u"truncated.crt"_s << m_client.pem().left(100);
    QTest::addRow("directory") << u"adir"_s << QByteArray();
    QTest::addRow("symlink loop") << u"loop.crt"_s << QByteArray();
    QTest::addRow("huge") << u"huge.crt"_s << QByteArray();
    QTest::addRow("unreadable") << u"unreadable.crt"_s << QByteArray();
}

void TestFileField::badInput()
{
    QFETCH(QString, name);
    QFETCH(QByteArray, content);
    const QString path = m_dir.filePath(name);
    if (name == u"unreadable.crt" && ::geteuid() == 0)
        QSKIP("root reads files whatever their mode; the unreadable case cannot happen here");
    if (name == u"adir") {
        QVERIFY(QDir().mkpath(path));
    } else if (name == u"huge.crt") {
        // Sparse, so the test stays fast: larger than any PKI file PkiLoader accepts.
        QFile huge(path);
        QVERIFY(huge.open(QIODevice::WriteOnly));
        QVERIFY(huge.resize(vf::pki::kMaxPkiFileSize + 1));
    } else if (name == u"unreadable.crt") {
        write(name, m_client.pem());
        QVERIFY(TestPki::chmod(path, 0));
    } else if (name == u"loop.crt") {
        QVERIFY(QFileInfo(path).isSymLink() || QFile::link(path, path));
    } else if (name != u"missing.crt") {
        write(name, content);
    }
    auto f = field(FileRole::ClientCertificate);
    typePath(*f, path);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Error);
    QVERIFY(!f->statusText().isEmpty());
    QVERIFY(!f->findChild<QPushButton*>(u"convertButton"_s)->isVisible());
}

void TestFileField::tildeIsExpanded()
{
    write(u"home.crt"_s, m_client.pem());
    auto f = field(FileRole::ClientCertificate);
    QSignalSpy edited(f.get(), &FileField::pathEdited);
    typePath(*f, u"~/home.crt"_s);
    QCOMPARE(f->lineEdit()->text(), QDir::homePath() + u"/home.crt"_s);
    QCOMPARE(f->path(), m_dir.filePath(u"home.crt"_s));
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY(edited.count() >= 1);
}

void TestFileField::dropAFile()
{
    const QString path = write(u"dropped.crt"_s, m_root.pem());
    auto f = field(FileRole::RootCertificates);
    QSignalSpy edited(f.get(), &FileField::pathEdited);
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    const QPoint at = f->lineEdit()->geometry().center();
    QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(f.get(), &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(f.get(), &drop);
    QCOMPARE(f->path(), path);
    QCOMPARE(edited.count(), 1);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);

    QMimeData text;
    text.setText(u"not a file"_s);
    QDragEnterEvent refused(at, Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(f.get(), &refused);
    QVERIFY(!refused.isAccepted());
}

void TestFileField::fallbackFile()
{
    const QString path = write(u"default-root.crt"_s, m_root.pem());
    auto f = field(FileRole::RootCertificates);
    f->setFallback(path, u"default file ~/.postgresql/root.crt (exists)"_s);
    QVERIFY(settle(*f));
    QVERIFY(f->usesFallback());
    QCOMPARE(f->effectivePath(), path);
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY2(f->statusText().contains(u"Not set here: libpq uses"_s), qPrintable(f->statusText()));
    QVERIFY(f->statusText().contains(u"Test Root CA"_s));

    // A description without a file only says so.
    f->setFallback({}, u"Not set here: libpq would use ~/.postgresql/root.crt, which does not exist"_s);
    QVERIFY(QTest::qWaitFor([&] { return f->state() == FileField::State::Empty; }, 5000));
    QVERIFY(f->statusText().contains(u"does not exist"_s));
}

void TestFileField::crlDirectoryRole()
{
    const QString dir = m_dir.filePath(u"crls"_s);
    QVERIFY(QDir().mkpath(dir));
    write(u"crls/"_s + TestPki::crlHashName(m_root), TestPki::crlPem(m_root, {}));
    auto f = field(FileRole::CrlDirectory);
    typePath(*f, dir);
    QVERIFY(settle(*f));
    QCOMPARE(f->state(), FileField::State::Ok);
    QVERIFY2(f->statusText().contains(u"Directory with 1 CRL"_s), qPrintable(f->statusText()));

    auto file = field(FileRole::CrlDirectory);
    typePath(*file, write(u"single.crl"_s, TestPki::crlPem(m_root, {})));
    QVERIFY(settle(*file));
    QCOMPARE(file->state(), FileField::State::Error);
    QVERIFY(file->statusText().contains(u"not a directory"_s));
}

QTEST_MAIN(TestFileField)
#include "tst_filefield.moc"
