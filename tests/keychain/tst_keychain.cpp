// Secrets in the real OS keychain: run by run-with-keyring.sh inside dbus-run-session with
// gnome-keyring-daemon (the Secret Service) and a private HOME, or with no session bus at all
// (VF_KEYCHAIN_EXPECT=unavailable). The secrets come from the script (VF_TEST_SECRET_*), which greps
// every file the run left behind, and its output, for them afterwards.
//
// With a keychain: SecretStore stores, reads back and deletes (and secret-tool sees the same entry
// under the app id); the real MainWindow/ProfileEditor remember a password and a key password, delete
// them with the profile and put them back on undo, copy them with a duplicate, forget them when
// "remember" is turned off; after a restart a test reads them from the keychain (no prompt), and a
// password asked for at test time is remembered. Without one: the window says so once, "remember" is
// disabled, and secrets are asked for at test time and kept for the session only.

#include "FakeServer.h"
#include "TestPki.h"
#include "common/Version.h"
#include "main/MainWindow.h"
#include "main/MessageBar.h"
#include "profiles/Profile.h"
#include "profiles/ProfileEditor.h"
#include "profiles/ProfileListModel.h"
#include "profiles/ProfileListWidget.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "test/TestPanel.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QUndoStack>

using namespace Qt::StringLiterals;
using namespace vf::test;
using vf::ui::MainWindow;
using vf::ui::Profile;
using vf::ui::ProfileEditor;
using vf::ui::ProfileStore;
using vf::ui::SecretKind;
using vf::ui::SecretStore;
using vf::ui::TestPanel;

namespace {

constexpr int kWaitMs = 15000;

template <typename T> T* child(QWidget* parent, const char* name)
{
    T* w = parent->findChild<T*>(QString::fromLatin1(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

// Types like a keyboard would, characters beyond ASCII included (QTest::keyClicks takes Latin-1 only).
void type(QLineEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    for (const QChar c : text) {
        if (c.unicode() < 128)
            QTest::keyClick(edit, char(c.unicode()));
        else
            QTest::sendKeyEvent(QTest::Click, edit, Qt::Key_unknown, QString(c), Qt::NoModifier);
    }
}

void click(QAbstractButton* button)
{
    QTest::mouseClick(button, Qt::LeftButton, {}, QPoint(8, button->height() / 2));
}

// One keychain operation, waited for (the event loop runs meanwhile).
SecretStore::Reply readSecret(const QUuid& id, SecretKind kind)
{
    SecretStore store;
    QObject context;
    std::optional<SecretStore::Reply> reply;
    store.read(id, kind, &context, [&reply](const SecretStore::Reply& r) { reply = r; });
    if (!QTest::qWaitFor([&reply] { return reply.has_value(); }, kWaitMs))
        return {SecretStore::Status::Failed, {}, u"timed out"_s};
    return *reply;
}

// What secret-tool (libsecret's own command line tool) finds for the key: the entry really is in the
// Secret Service, under the app id.
std::optional<QByteArray> secretTool(const QUuid& id, SecretKind kind)
{
    const QString tool = QStandardPaths::findExecutable(u"secret-tool"_s);
    if (tool.isEmpty())
        return std::nullopt;
    QProcess p;
    p.start(tool, {u"lookup"_s, u"user"_s, SecretStore::keyFor(id, kind), u"server"_s,
                   QString::fromLatin1(vf::kAppId)});
    if (!p.waitForFinished(kWaitMs))
        return QByteArray("(secret-tool timed out)");
    return p.readAllStandardOutput();
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString envSecret(const char* name)
{
    return qEnvironmentVariable(name);
}

// A server that wants a cleartext password: the first connection gets none (libpq gives up with
// "fe_sendauth: no password supplied"), every later one completes a session.
QList<FakeScript> passwordScripts(const std::optional<FakeTlsOptions>& tls)
{
    auto start = [&tls] {
        FakeScript s;
        if (tls)
            s.expectSslRequest().send("S").startTls(*tls);
        return s.expectStartup().send(FakePg::authRequest(3));
    };
    FakeScript session = start();
    session.expectMessage('p')
        .send(FakePg::trustedSession())
        .expectMessage('Q')
        .send(FakePg::reportQueryResult(tls.has_value()))
        .expectMessage('X')
        .close();
    return {start(), session};
}

// Fills a new profile in the window the way a person does.
QUuid newProfile(MainWindow& w, const QMap<QString, QString>& values)
{
    w.profileList()->newAction()->trigger();
    ProfileEditor* ed = w.profileEditor();
    for (auto it = values.cbegin(); it != values.cend(); ++it)
        ed->setValue(it.key(), it.value());
    return w.profileList()->currentProfileId();
}

} // namespace

// A keychain is there (gnome-keyring on a private session bus).
class TestKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void secretStoreRoundTrip();
    void windowRemembersSecrets();
    void restartReadsKeychainAtTestTime();
    void passwordAskedAtTestTimeIsRemembered();

private:
    void startWindow(std::unique_ptr<MainWindow>& w);

    QString m_password;
    QString m_keyPassword;
    QString m_otherPassword;
    QTemporaryDir m_dir;
};

void TestKeychain::initTestCase()
{
    m_password = envSecret("VF_TEST_SECRET_PASSWORD");
    m_keyPassword = envSecret("VF_TEST_SECRET_KEYPASS");
    m_otherPassword = envSecret("VF_TEST_SECRET_OTHER");
    if (m_password.isEmpty() || m_keyPassword.isEmpty() || m_otherPassword.isEmpty())
        QSKIP("run through tests/keychain/run-with-keyring.sh (it provides the secrets and the keyring)");
    QVERIFY(m_dir.isValid());
    QVERIFY(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"));
}

void TestKeychain::startWindow(std::unique_ptr<MainWindow>& w)
{
    w = std::make_unique<MainWindow>();
    w->resize(1280, 800);
    w->show();
    QVERIFY(QTest::qWaitForWindowExposed(w.get()));
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->availability(), SecretStore::Availability::Available,
                              kWaitMs);
    QVERIFY(!w->messageBar()->hasMessage(u"keychainMessage"_s));
}

void TestKeychain::secretStoreRoundTrip()
{
    SecretStore store;
    QCOMPARE(store.service(), u"io.github.verifyfull.VerifyFull"_s);
    QSignalSpy availability(&store, &SecretStore::availabilityChanged);
    store.checkAvailability();
    QTRY_COMPARE_WITH_TIMEOUT(store.availability(), SecretStore::Availability::Available, kWaitMs);

    const QUuid id = QUuid::createUuid();
    QCOMPARE(SecretStore::keyFor(id, SecretKind::Password),
             id.toString(QUuid::WithoutBraces) + u"/password"_s);
    QCOMPARE(SecretStore::keyFor(id, SecretKind::KeyPassword),
             id.toString(QUuid::WithoutBraces) + u"/sslpassword"_s);
    QCOMPARE(readSecret(id, SecretKind::Password).status, SecretStore::Status::NotFound);

    // Write and read back at once: operations run in the order they were asked for.
    QObject context;
    QList<SecretStore::Status> done;
    std::optional<SecretStore::Reply> readBack;
    store.write(id, SecretKind::Password, m_password, &context,
                [&done](const SecretStore::Reply& r) { done << r.status; });
    store.write(id, SecretKind::KeyPassword, m_keyPassword, &context,
                [&done](const SecretStore::Reply& r) { done << r.status; });
    store.read(id, SecretKind::Password, &context,
               [&readBack](const SecretStore::Reply& r) { readBack = r; });
    QCOMPARE(store.pendingCount(), 3);
    QSignalSpy idle(&store, &SecretStore::idle);
    QTRY_COMPARE_WITH_TIMEOUT(idle.count(), 1, kWaitMs);
    QCOMPARE(done, (QList<SecretStore::Status>{SecretStore::Status::Ok, SecretStore::Status::Ok}));
    QVERIFY(readBack && readBack->ok());
    QVERIFY(readBack->secret == m_password); // (QVERIFY: a failure must not print the secret)
    QVERIFY(readSecret(id, SecretKind::KeyPassword).secret == m_keyPassword);
    if (const auto tool = secretTool(id, SecretKind::Password))
        QVERIFY2(*tool == m_password.toUtf8(), "secret-tool finds another value under the app id");
    else
        qInfo("secret-tool is not installed: the cross-check with libsecret's own tool is skipped");

    // Replace, then delete: the other kind stays.
    store.write(id, SecretKind::Password, m_otherPassword, &context);
    QVERIFY(readSecret(id, SecretKind::Password).secret == m_otherPassword);
    std::optional<SecretStore::Reply> removed;
    store.remove(id, SecretKind::Password, &context,
                 [&removed](const SecretStore::Reply& r) { removed = r; });
    QTRY_VERIFY_WITH_TIMEOUT(removed.has_value(), kWaitMs);
    QCOMPARE(removed->status, SecretStore::Status::Ok);
    QCOMPARE(readSecret(id, SecretKind::Password).status, SecretStore::Status::NotFound);
    QVERIFY(readSecret(id, SecretKind::KeyPassword).secret == m_keyPassword);
    if (const auto tool = secretTool(id, SecretKind::Password))
        QVERIFY(tool->isEmpty());

    // A reply whose context is gone is dropped, not delivered to a dead object.
    bool called = false;
    {
        QObject shortLived;
        store.remove(id, SecretKind::KeyPassword, &shortLived,
                     [&called](const SecretStore::Reply&) { called = true; });
    }
    QTRY_COMPARE_WITH_TIMEOUT(store.pendingCount(), 0, kWaitMs);
    QVERIFY(!called);
    QCOMPARE(readSecret(id, SecretKind::KeyPassword).status, SecretStore::Status::NotFound);
}

void TestKeychain::windowRemembersSecrets()
{
    QFile::remove(ProfileStore::defaultPath());
    std::unique_ptr<MainWindow> w;
    startWindow(w);
    if (QTest::currentTestFailed())
        return;
    ProfileEditor* ed = w->profileEditor();
    auto* rememberPassword = child<QCheckBox>(ed, "rememberPasswordCheck");
    auto* rememberKeyPassword = child<QCheckBox>(ed, "rememberKeyPasswordCheck");
    auto* passwordEdit = child<QLineEdit>(ed, "passwordEdit");
    auto* keyPasswordEdit = child<QLineEdit>(ed, "keyPasswordEdit");

    const QUuid id = newProfile(*w, {{u"host"_s, u"db.example.com"_s}});
    QVERIFY(rememberPassword->isEnabled());
    QVERIFY(!rememberPassword->isChecked()); // not remembered unless asked
    QVERIFY(!rememberKeyPassword->isChecked());

    // Typed, not remembered: kept for the session, nothing in the keychain.
    ed->showSetting(u"password"_s);
    type(passwordEdit, m_password);
    QVERIFY(w->saveProfiles());
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QCOMPARE(readSecret(id, SecretKind::Password).status, SecretStore::Status::NotFound);

    // Remembered: both go to the keychain.
    click(rememberPassword);
    QVERIFY(rememberPassword->isChecked());
    QCOMPARE(passwordEdit->placeholderText(), u"From the keychain when needed"_s);
    ed->showSetting(u"sslpassword"_s);
    type(keyPasswordEdit, m_keyPassword);
    click(rememberKeyPassword);
    QVERIFY(rememberKeyPassword->isChecked());
    QVERIFY(w->saveProfiles());
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QVERIFY(readSecret(id, SecretKind::Password).secret == m_password);
    QVERIFY(readSecret(id, SecretKind::KeyPassword).secret == m_keyPassword);
    if (const auto tool = secretTool(id, SecretKind::KeyPassword))
        QVERIFY(*tool == m_keyPassword.toUtf8());
    const QByteArray file = fileBytes(ProfileStore::defaultPath());
    QVERIFY(file.contains("\"sslpassword\""));    // the choice is in the file…
    QVERIFY(!file.contains(m_password.toUtf8())); // …the secrets are not
    QVERIFY(!file.contains(m_keyPassword.toUtf8()));
    QVERIFY(!w->messageBar()->hasMessage(u"keychainErrorMessage"_s));

    // Deleted with the profile, back with undo.
    w->profileList()->deleteAction()->trigger();
    QVERIFY(!w->profileModel()->find(id));
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QCOMPARE(readSecret(id, SecretKind::Password).status, SecretStore::Status::NotFound);
    QCOMPARE(readSecret(id, SecretKind::KeyPassword).status, SecretStore::Status::NotFound);
    click(child<QPushButton>(w->profileList(), "undoButton"));
    QVERIFY(w->profileModel()->find(id));
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QVERIFY(readSecret(id, SecretKind::Password).secret == m_password);
    QVERIFY(readSecret(id, SecretKind::KeyPassword).secret == m_keyPassword);

    // Undo right after the delete, while the keychain is still busy, works too.
    w->profileList()->selectProfile(id);
    w->profileList()->deleteAction()->trigger();
    w->profileList()->undoStack()->undo();
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QVERIFY(readSecret(id, SecretKind::Password).secret == m_password);

    // "Remember" off: removed from the keychain, still there for this session.
    w->profileList()->selectProfile(id);
    ed->showSetting(u"password"_s);
    QVERIFY(rememberPassword->isChecked());
    click(rememberPassword);
    QVERIFY(!rememberPassword->isChecked());
    QVERIFY(w->saveProfiles());
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QCOMPARE(readSecret(id, SecretKind::Password).status, SecretStore::Status::NotFound);
    QVERIFY(readSecret(id, SecretKind::KeyPassword).secret == m_keyPassword);
    QVERIFY(passwordEdit->text() == m_password);

    // A duplicate gets its own copy of what is remembered.
    w->profileList()->duplicateAction()->trigger();
    const QUuid copy = w->profileList()->currentProfileId();
    QVERIFY(copy != id);
    QVERIFY(w->saveProfiles());
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QVERIFY(readSecret(copy, SecretKind::KeyPassword).secret == m_keyPassword);
    QCOMPARE(readSecret(copy, SecretKind::Password).status, SecretStore::Status::NotFound);

    // Clearing a remembered field removes it from the keychain (the original keeps its own).
    ed->showSetting(u"sslpassword"_s);
    type(keyPasswordEdit, {});
    QVERIFY(w->saveProfiles());
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QCOMPARE(readSecret(copy, SecretKind::KeyPassword).status, SecretStore::Status::NotFound);
    QVERIFY(readSecret(id, SecretKind::KeyPassword).secret == m_keyPassword);

    // Delete for good (the undo stack goes with the window): its entries are gone.
    w->profileList()->selectProfile(id);
    w->profileList()->deleteAction()->trigger();
    w->profileList()->selectProfile(copy);
    w->profileList()->deleteAction()->trigger();
    w->close();
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QCOMPARE(readSecret(id, SecretKind::KeyPassword).status, SecretStore::Status::NotFound);
    QVERIFY(w->profileModel()->profiles().isEmpty());
}

void TestKeychain::restartReadsKeychainAtTestTime()
{
    QFile::remove(ProfileStore::defaultPath());
    const TestCert root = TestPki::makeCert(TestPki::rootSpec(u"Keychain Root"_s));
    const TestCert server = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &root);
    const TestCert client = TestPki::makeCert(TestPki::clientSpec(u"kc"_s), &root);
    const QString certFile = m_dir.filePath(u"client.crt"_s);
    const QString keyFile = m_dir.filePath(u"client.key"_s);
    QVERIFY(TestPki::writeFile(certFile, client.pem()));
    QVERIFY(TestPki::writeFile(keyFile, client.keyBytes(KeyFormat::Pkcs8Pem, m_keyPassword.toUtf8())));
    FakeTlsOptions tls;
    tls.certChainPem = server.pem();
    tls.keyPem = server.keyBytes();
    FakeServer fake;
    QString error;
    QVERIFY2(fake.start({passwordScripts(tls).last()}, &error), qPrintable(error));

    QUuid id;
    {
        std::unique_ptr<MainWindow> w;
        startWindow(w);
        if (QTest::currentTestFailed())
            return;
        ProfileEditor* ed = w->profileEditor();
        id = newProfile(*w, {{u"host"_s, u"127.0.0.1"_s},
                             {u"port"_s, QString::number(fake.port())},
                             {u"user"_s, u"kc"_s},
                             {u"dbname"_s, u"app"_s},
                             {u"sslmode"_s, u"require"_s},
                             {u"sslcert"_s, certFile},
                             {u"sslkey"_s, keyFile}});
        ed->showSetting(u"password"_s);
        type(child<QLineEdit>(ed, "passwordEdit"), m_password);
        click(child<QCheckBox>(ed, "rememberPasswordCheck"));
        ed->showSetting(u"sslpassword"_s);
        type(child<QLineEdit>(ed, "keyPasswordEdit"), m_keyPassword);
        click(child<QCheckBox>(ed, "rememberKeyPasswordCheck"));
        w->close(); // saves, and waits for the keychain
        QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
        QTRY_VERIFY(!w->isVisible());
    }
    QVERIFY(readSecret(id, SecretKind::Password).secret == m_password);

    // A new session: the fields are empty until a test needs them; no prompt, the keychain answers.
    std::unique_ptr<MainWindow> w;
    startWindow(w);
    if (QTest::currentTestFailed())
        return;
    ProfileEditor* ed = w->profileEditor();
    QCOMPARE(w->profileList()->currentProfileId(), id);
    QVERIFY(child<QLineEdit>(ed, "passwordEdit")->text().isEmpty());
    QCOMPARE(child<QLineEdit>(ed, "passwordEdit")->placeholderText(), u"From the keychain when needed"_s);
    QVERIFY(child<QCheckBox>(ed, "rememberKeyPasswordCheck")->isChecked());
    int prompts = 0;
    w->testPanel()->setPasswordPrompt([&prompts](QWidget*, const QString&, TestPanel::PassphraseReply reply) {
        ++prompts;
        reply(std::nullopt);
    });
    w->testPanel()->setPassphrasePrompt(
        [&prompts](QWidget*, const QString&, TestPanel::PassphraseReply reply) {
            ++prompts;
            reply(std::nullopt);
        });
    QSignalSpy finished(w->testPanel(), &TestPanel::testFinished);
    click(child<QPushButton>(ed, "testButton"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QVERIFY2(finished.first().first().toBool(), qPrintable(w->testPanel()->verdictText()));
    QCOMPARE(prompts, 0);
    QVERIFY(child<QLineEdit>(ed, "passwordEdit")->text() == m_password);
    QVERIFY(child<QLineEdit>(ed, "keyPasswordEdit")->text() == m_keyPassword);
    QVERIFY(fake.connection(0).tlsEstablished);
    QVERIFY(fake.connection(0).plainIn.contains(m_password.toUtf8())); // the server got it
    QCOMPARE(w->profileModel()->find(id)->lastResult, Profile::TestResult::Passed);
    w->close();
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QVERIFY(!fileBytes(ProfileStore::defaultPath()).contains(m_password.toUtf8()));
}

void TestKeychain::passwordAskedAtTestTimeIsRemembered()
{
    QFile::remove(ProfileStore::defaultPath());
    FakeServer fake;
    QString error;
    QVERIFY2(fake.start(passwordScripts(std::nullopt), &error), qPrintable(error));
    std::unique_ptr<MainWindow> w;
    startWindow(w);
    if (QTest::currentTestFailed())
        return;
    ProfileEditor* ed = w->profileEditor();
    const QUuid id = newProfile(*w, {{u"host"_s, u"127.0.0.1"_s},
                                     {u"port"_s, QString::number(fake.port())},
                                     {u"user"_s, u"asked"_s},
                                     {u"dbname"_s, u"app"_s},
                                     {u"sslmode"_s, u"disable"_s}});
    ed->showSetting(u"password"_s);
    click(child<QCheckBox>(ed, "rememberPasswordCheck")); // remembered, but not known yet
    int prompts = 0;
    QString askedUser;
    w->testPanel()->setPasswordPrompt([&](QWidget*, const QString& user, TestPanel::PassphraseReply reply) {
        ++prompts;
        askedUser = user;
        reply(m_otherPassword.toUtf8());
    });
    QSignalSpy finished(w->testPanel(), &TestPanel::testFinished);
    click(child<QPushButton>(ed, "testButton"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QVERIFY2(finished.first().first().toBool(), qPrintable(w->testPanel()->verdictText()));
    QCOMPARE(prompts, 1);
    QCOMPARE(askedUser, u"asked"_s);
    QCOMPARE(fake.connectionCount(), 2); // without, then with the password (as psql does)
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
    QVERIFY(readSecret(id, SecretKind::Password).secret == m_otherPassword);

    // The session has it now: the next test asks nobody.
    click(child<QPushButton>(ed, "testButton"));
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kWaitMs);
    QVERIFY(finished.last().first().toBool());
    QCOMPARE(prompts, 1);
    w->close();
    QTRY_COMPARE_WITH_TIMEOUT(w->secretStore()->pendingCount(), 0, kWaitMs);
}

// No Secret Service (the session bus address points nowhere).
class TestNoKeychain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void storeSaysUnavailable();
    void windowAsksAtTestTime();

private:
    QString m_password;
    QString m_keyPassword;
    QTemporaryDir m_dir;
};

void TestNoKeychain::initTestCase()
{
    m_password = envSecret("VF_TEST_SECRET_PASSWORD");
    m_keyPassword = envSecret("VF_TEST_SECRET_KEYPASS");
    if (m_password.isEmpty() || m_keyPassword.isEmpty())
        QSKIP("run through tests/keychain/run-with-keyring.sh (it provides the secrets)");
    QVERIFY(m_dir.isValid());
}

void TestNoKeychain::storeSaysUnavailable()
{
    SecretStore store;
    store.checkAvailability();
    QTRY_COMPARE_WITH_TIMEOUT(store.availability(), SecretStore::Availability::Unavailable, kWaitMs);
    QObject context;
    std::optional<SecretStore::Reply> written;
    store.write(QUuid::createUuid(), SecretKind::Password, m_password, &context,
                [&written](const SecretStore::Reply& r) { written = r; });
    QTRY_VERIFY_WITH_TIMEOUT(written.has_value(), kWaitMs);
    QVERIFY(!written->ok()); // and no plain-text fallback: the script finds the secret nowhere
    QVERIFY(!written->error.contains(m_password));
    QCOMPARE(store.availability(), SecretStore::Availability::Unavailable);
}

void TestNoKeychain::windowAsksAtTestTime()
{
    QFile::remove(ProfileStore::defaultPath());
    const TestCert root = TestPki::makeCert(TestPki::rootSpec(u"No Keychain Root"_s));
    const TestCert server = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &root);
    const TestCert client = TestPki::makeCert(TestPki::clientSpec(u"nk"_s), &root);
    const QString certFile = m_dir.filePath(u"client.crt"_s);
    const QString keyFile = m_dir.filePath(u"client.key"_s);
    QVERIFY(TestPki::writeFile(certFile, client.pem()));
    QVERIFY(TestPki::writeFile(keyFile, client.keyBytes(KeyFormat::Pkcs8Pem, m_keyPassword.toUtf8())));
    FakeTlsOptions tls;
    tls.certChainPem = server.pem();
    tls.keyPem = server.keyBytes();
    FakeServer fake;
    QString error;
    QVERIFY2(fake.start(passwordScripts(tls), &error), qPrintable(error));

    MainWindow w;
    w.resize(1280, 800);
    w.show();
    QVERIFY(QTest::qWaitForWindowExposed(&w));
    QTRY_COMPARE_WITH_TIMEOUT(w.secretStore()->availability(), SecretStore::Availability::Unavailable,
                              kWaitMs);
    QTRY_VERIFY(w.messageBar()->hasMessage(u"keychainMessage"_s));
    QVERIFY(w.messageBar()->isVisible());
    QVERIFY(w.messageBar()->messageText(u"keychainMessage"_s).contains(u"No keychain"_s));

    ProfileEditor* ed = w.profileEditor();
    const QUuid id = newProfile(w, {{u"host"_s, u"127.0.0.1"_s},
                                    {u"port"_s, QString::number(fake.port())},
                                    {u"user"_s, u"nk"_s},
                                    {u"dbname"_s, u"app"_s},
                                    {u"sslmode"_s, u"require"_s},
                                    {u"sslcert"_s, certFile},
                                    {u"sslkey"_s, keyFile}});
    QVERIFY(!child<QCheckBox>(ed, "rememberPasswordCheck")->isEnabled());
    QVERIFY(!child<QCheckBox>(ed, "rememberKeyPasswordCheck")->isEnabled());
    QCOMPARE(child<QLineEdit>(ed, "passwordEdit")->placeholderText(), u"Asked when needed"_s);

    int passwordPrompts = 0;
    int passphrasePrompts = 0;
    bool refusePassword = true;
    w.testPanel()->setPasswordPrompt([&](QWidget*, const QString&, TestPanel::PassphraseReply reply) {
        ++passwordPrompts;
        reply(refusePassword ? std::nullopt : std::optional(m_password.toUtf8()));
    });
    w.testPanel()->setPassphrasePrompt([&](QWidget*, const QString&, TestPanel::PassphraseReply reply) {
        ++passphrasePrompts;
        reply(m_keyPassword.toUtf8());
    });
    QSignalSpy finished(w.testPanel(), &TestPanel::testFinished);
    auto* testButton = child<QPushButton>(ed, "testButton");

    // The key's passphrase is asked before the test, the password when the server wants one. No
    // password given: the test fails, and only the passphrase (which worked) is kept for the session.
    click(testButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, kWaitMs);
    QCOMPARE(finished.first().first().toBool(), false);
    QCOMPARE(passphrasePrompts, 1);
    QCOMPARE(passwordPrompts, 1);
    QVERIFY(child<QLineEdit>(ed, "keyPasswordEdit")->text() == m_keyPassword);
    QVERIFY(child<QLineEdit>(ed, "passwordEdit")->text().isEmpty());

    // Given: the test connects again with it, as psql does.
    refusePassword = false;
    click(testButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, kWaitMs);
    QVERIFY2(finished.last().first().toBool(), qPrintable(w.testPanel()->verdictText()));
    QCOMPARE(passphrasePrompts, 1);
    QCOMPARE(passwordPrompts, 2);
    // Kept for the session: shown (masked) in the fields, and the next test asks nobody.
    QVERIFY(child<QLineEdit>(ed, "passwordEdit")->text() == m_password);
    QCOMPARE(w.profileModel()->find(id)->secret(SecretKind::Password).size(), m_password.size());
    click(testButton);
    QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 3, kWaitMs);
    QVERIFY(finished.last().first().toBool());
    QCOMPARE(passphrasePrompts, 1);
    QCOMPARE(passwordPrompts, 2);

    // Said once: a dismissed notice does not come back.
    click(child<QAbstractButton>(w.messageBar(), "keychainMessageDismiss"));
    QVERIFY(!w.messageBar()->hasMessage(u"keychainMessage"_s));
    w.secretStore()->checkAvailability();
    QTRY_COMPARE_WITH_TIMEOUT(w.secretStore()->availability(), SecretStore::Availability::Unavailable,
                              kWaitMs);
    QVERIFY(!w.messageBar()->hasMessage(u"keychainMessage"_s));
    QVERIFY(!w.messageBar()->hasMessage(u"keychainErrorMessage"_s));

    QVERIFY(w.saveProfiles());
    const QByteArray file = fileBytes(ProfileStore::defaultPath());
    QVERIFY(file.contains(id.toString(QUuid::WithoutBraces).toUtf8()));
    QVERIFY(!file.contains(m_password.toUtf8()));
    QVERIFY(!file.contains(m_keyPassword.toUtf8()));
    w.close();
}

int main(int argc, char* argv[])
{
    int result = 0;
    {
        QApplication app(argc, argv);
        QApplication::setApplicationName(u"VerifyFull"_s);
        QApplication::setOrganizationName(u"VerifyFull"_s);
        QTEST_SET_MAIN_SOURCE_PATH
        if (qEnvironmentVariable("VF_KEYCHAIN_EXPECT") == u"unavailable") {
            TestNoKeychain test;
            result = QTest::qExec(&test, argc, argv);
        } else {
            TestKeychain test;
            result = QTest::qExec(&test, argc, argv);
        }
    }
    // QThread::wait() returns before a thread's pthread destructors ran, and OpenSSL frees a thread's
    // error state in one: threads joined just now (the chain loader, the file checks, the test worker)
    // get a moment to finish, so that LeakSanitizer does not count their state as leaked at exit.
    QThread::msleep(300);
    return result;
}

#include "tst_keychain.moc"
