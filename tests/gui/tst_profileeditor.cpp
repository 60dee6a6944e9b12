// GUI tests of the profile list and editor (ui/profiles) and the main window (ui/main): filling a
// profile through the real widgets, where each effective value comes from, the Advanced rows, the
// connection string, secrets never reaching the profile file, and new/duplicate/delete with undo.

#include "TestPki.h"
#include "main/MainWindow.h"
#include "main/MessageBar.h"
#include "profiles/AdvancedOptionsModel.h"
#include "profiles/Profile.h"
#include "profiles/ProfileEditor.h"
#include "profiles/ProfileFilterProxy.h"
#include "profiles/ProfileListModel.h"
#include "profiles/ProfileListWidget.h"
#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"
#include "settings/Environment.h"
#include "widgets/FileField.h"

#include <QAbstractButton>
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>
#include <QToolButton>
#include <QUndoStack>

using namespace Qt::StringLiterals;
using vf::settings::Environment;
using vf::ui::FileField;
using vf::ui::Profile;
using vf::ui::ProfileEditor;
using vf::ui::ProfileListModel;
using vf::ui::ProfileListWidget;
using vf::ui::ProfileStore;

namespace {

template <typename T> T* child(QWidget* parent, const char* name)
{
    T* w = parent->findChild<T*>(QString::fromLatin1(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

void type(QLineEdit* edit, const QString& text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void choose(QComboBox* combo, const QString& value)
{
    const int target = combo->findData(value);
    QVERIFY2(target >= 0, qPrintable(value));
    combo->setFocus();
    while (combo->currentIndex() != target)
        QTest::keyClick(combo, combo->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
}

Profile named(const QString& name, const QString& host)
{
    Profile p = Profile::createNew(name);
    p.conninfo.setValue(u"host"_s, host);
    return p;
}

} // namespace

class TestProfileEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void newProfileStartsAtVerifyFull();
    void sslModeOffersAllSixWithMeanings();
    void fillProfile();
    void secretsNeverReachTheFile();
    void origins_data();
    void origins();
    void serviceFileOrigin();
    void defaultFileIsChecked();
    void encryptedKeyUsesKeyPassword();
    void systemRoots();
    void invalidValueIsKept();
    void connectionStringPaste();
    void keyboardAndAccessibility();
    void listFilterAndBadge();
    void duplicateAndDeleteWithUndo();
    void storeRoundTripAndCorruptFile();
    void mainWindowKeepsProfiles();
    void mainWindowWithoutKeychain();
    void mainWindowReportsSetAsideFile();
    void mainWindowNewerFileIsReadOnly();
    void twoWindowsOnOneFile();

private:
    Environment env() const;
    std::unique_ptr<ProfileEditor> editor(const Profile& p, const Environment& e);

    QTemporaryDir m_dir;
    QString m_home;
    vf::test::TestCert m_root;
    vf::test::TestCert m_client;
};

void TestProfileEditor::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    // No Secret Service here (tests/keychain has the real one): never the keychain of the person
    // running the tests.
    qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=" + QFile::encodeName(m_dir.filePath(u"no-bus"_s)));
    m_home = m_dir.filePath(u"home"_s);
    QVERIFY(QDir().mkpath(m_home + u"/.postgresql"_s));
    m_root = vf::test::TestPki::makeCert(vf::test::TestPki::rootSpec(u"Editor Root"_s));
    m_client = vf::test::TestPki::makeCert(vf::test::TestPki::clientSpec(u"carol"_s), &m_root);
}

Environment TestProfileEditor::env() const
{
    Environment e;
    e.setVariable(u"HOME"_s, m_home);
    e.setUserNameLookup([] { return std::optional(u"osuser"_s); });
    return e;
}

std::unique_ptr<ProfileEditor> TestProfileEditor::editor(const Profile& p, const Environment& e)
{
    auto ed = std::make_unique<ProfileEditor>();
    ed->setEnvironment(e);
    ed->setProfile(p);
    ed->resize(1000, 760);
    ed->show();
    if (!QTest::qWaitForWindowActive(ed.get()))
        qWarning("editor window not active");
    return ed;
}

void TestProfileEditor::newProfileStartsAtVerifyFull()
{
    const Profile p = Profile::createNew(u"fresh"_s);
    QCOMPARE(p.conninfo.value(u"sslmode"), std::optional(u"verify-full"_s));
    QVERIFY(!p.id.isNull());

    ProfileListModel model;
    ProfileListWidget list;
    list.setModel(&model);
    list.show();
    QSignalSpy created(&list, &ProfileListWidget::profileCreated);
    QTest::mouseClick(child<QPushButton>(&list, "newButton"), Qt::LeftButton);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(created.count(), 1);
    const Profile* made = model.find(created.first().at(0).toUuid());
    QVERIFY(made);
    QCOMPARE(made->sslmode(), u"verify-full"_s);
    QCOMPARE(list.currentProfileId(), made->id);

    auto ed = editor(*made, env());
    QCOMPARE(child<QComboBox>(ed.get(), "sslmodeCombo")->currentData().toString(), u"verify-full"_s);
}

void TestProfileEditor::sslModeOffersAllSixWithMeanings()
{
    auto ed = editor(Profile::createNew(u"x"_s), env());
    auto* combo = child<QComboBox>(ed.get(), "sslmodeCombo");
    auto* meaning = child<QLabel>(ed.get(), "sslmodeMeaning");
    QStringList meanings;
    for (const QString& mode :
         {u"disable"_s, u"allow"_s, u"prefer"_s, u"require"_s, u"verify-ca"_s, u"verify-full"_s}) {
        const int i = combo->findData(mode);
        QVERIFY2(i >= 0, qPrintable(mode));
        QVERIFY(combo->itemText(i).startsWith(mode));
        const QString tip = combo->itemData(i, Qt::ToolTipRole).toString();
        QVERIFY(!tip.isEmpty());
        meanings << tip;
        choose(combo, mode);
        QCOMPARE(meaning->text(), tip);
    }
    QCOMPARE(QSet<QString>(meanings.cbegin(), meanings.cend()).size(), 6);
    QVERIFY(combo->findData(QString()) >= 0); // "Not set" is a choice too
}

void TestProfileEditor::fillProfile()
{
    const QString rootPath = m_dir.filePath(u"fill-root.crt"_s);
    QVERIFY(vf::test::TestPki::writeFile(rootPath, m_root.pem()));
    auto ed = editor(Profile::createNew(u"fill"_s), env());
    QSignalSpy edited(ed.get(), &ProfileEditor::profileEdited);

    type(child<QLineEdit>(ed.get(), "profileNameEdit"), u"Billing DB"_s);
    type(child<QLineEdit>(ed.get(), "hostEdit"), u"db1.example.com,db2.example.com"_s);
    type(child<QLineEdit>(ed.get(), "portEdit"), u"5433,5434"_s);
    type(child<QLineEdit>(ed.get(), "dbnameEdit"), u"billing"_s);
    type(child<QLineEdit>(ed.get(), "userEdit"), u"carol"_s);
    type(child<QLineEdit>(ed.get(), "passwordEdit"), u"pa ss'word"_s);
    type(child<QLineEdit>(ed.get(), "connectTimeoutEdit"), u"7"_s);
    type(child<QLineEdit>(ed.get(), "applicationNameEdit"), u"billing-app"_s);
    choose(child<QComboBox>(ed.get(), "sslmodeCombo"), u"verify-ca"_s);
    auto* rootField = child<FileField>(ed.get(), "rootCertField");
    type(rootField->lineEdit(), rootPath);
    QTest::keyClick(rootField->lineEdit(), Qt::Key_Return);
    choose(child<QComboBox>(ed.get(), "minTlsCombo"), u"TLSv1.3"_s);
    choose(child<QComboBox>(ed.get(), "sniCombo"), u"0"_s);
    choose(child<QComboBox>(ed.get(), "sslnegotiationCombo"), u"direct"_s);
    choose(child<QComboBox>(ed.get(), "sslcertmodeCombo"), u"disable"_s);
    choose(child<QComboBox>(ed.get(), "channelBindingCombo"), u"require"_s);

    // Advanced: type into the value cell of keepalives_idle.
    auto* table = child<QTableView>(ed.get(), "advancedTable");
    child<QTabWidget>(ed.get(), "editorTabs")->setCurrentWidget(child<QWidget>(ed.get(), "advancedTab"));
    const int row = ed->advancedModel()->rowOf(u"keepalives_idle"_s);
    QVERIFY(row >= 0);
    QVERIFY(ed->advancedModel()->rowOf(u"sslmode"_s) < 0); // has its own field
    QVERIFY(ed->advancedModel()->rowOf(u"gssencmode"_s) >= 0);
    table->setFocus();
    table->setCurrentIndex(ed->advancedModel()->index(row, vf::ui::AdvancedOptionsModel::ValueColumn));
    QTest::keyClick(table, Qt::Key_F2);
    auto* cellEditor = table->viewport()->findChild<QLineEdit*>();
    QVERIFY(cellEditor);
    QTest::keyClicks(cellEditor, u"30"_s);
    QTest::keyClick(cellEditor, Qt::Key_Return); // the delegate commits on the next event-loop turn
    QTRY_COMPARE(ed->profile().conninfo.value(u"keepalives_idle"), std::optional(u"30"_s));

    const vf::settings::ConnInfo& ci = ed->profile().conninfo;
    QCOMPARE(ed->profile().name, u"Billing DB"_s);
    QCOMPARE(ci.value(u"host"), std::optional(u"db1.example.com,db2.example.com"_s));
    QCOMPARE(ci.value(u"port"), std::optional(u"5433,5434"_s));
    QCOMPARE(ci.value(u"dbname"), std::optional(u"billing"_s));
    QCOMPARE(ci.value(u"user"), std::optional(u"carol"_s));
    QCOMPARE(ci.value(u"password"), std::optional(u"pa ss'word"_s));
    QCOMPARE(ci.value(u"connect_timeout"), std::optional(u"7"_s));
    QCOMPARE(ci.value(u"application_name"), std::optional(u"billing-app"_s));
    QCOMPARE(ci.value(u"sslmode"), std::optional(u"verify-ca"_s));
    QCOMPARE(ci.value(u"sslrootcert"), std::optional(rootPath));
    QCOMPARE(ci.value(u"ssl_min_protocol_version"), std::optional(u"TLSv1.3"_s));
    QCOMPARE(ci.value(u"sslsni"), std::optional(u"0"_s));
    QCOMPARE(ci.value(u"sslnegotiation"), std::optional(u"direct"_s));
    QCOMPARE(ci.value(u"sslcertmode"), std::optional(u"disable"_s));
    QCOMPARE(ci.value(u"channel_binding"), std::optional(u"require"_s));
    QCOMPARE(ci.value(u"keepalives_idle"), std::optional(u"30"_s));
    QVERIFY(edited.count() >= 10);

    // The string the test panel gets carries the password; the one shown and copied does not.
    QVERIFY(ed->conninfo(true).contains(u"password='pa ss\\'word'"_s));
    QVERIFY(!ed->conninfo(false).contains(u"password"_s));
    QCOMPARE(child<QLineEdit>(ed.get(), "conninfoEdit")->text(), ed->conninfo(false));
    // The root field checked the file it was given.
    QTRY_COMPARE(rootField->state(), FileField::State::Ok);
    QVERIFY(!child<QLabel>(ed.get(), "resolveMessage")->isVisible());
}

void TestProfileEditor::secretsNeverReachTheFile()
{
    Profile p = named(u"secret"_s, u"db"_s);
    p.conninfo.setValue(u"password"_s, u"hunter2-password"_s);
    p.conninfo.setValue(u"sslpassword"_s, u"key-passphrase-42"_s);
    p.conninfo.setValue(u"oauth_client_secret"_s, u"oauth-secret-77"_s);
    p.conninfo.setValue(u"sslkey"_s, u"/keys/client.key"_s);
    const QString path = m_dir.filePath(u"secrets/profiles.json"_s);
    ProfileStore store(path);
    QVERIFY(store.save({p}).has_value());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray json = f.readAll();
    QVERIFY(!json.contains("hunter2"));
    QVERIFY(!json.contains("key-passphrase"));
    QVERIFY(!json.contains("oauth-secret"));
    QVERIFY(!json.contains("\"password\""));
    QVERIFY(json.contains("/keys/client.key")); // paths are kept
    QCOMPARE(QFileInfo(path).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());

    // A file edited by hand to hold a password does not bring it back.
    QJsonObject root = QJsonDocument::fromJson(json).object();
    QJsonArray profiles = root.value(u"profiles"_s).toArray();
    QJsonObject entry = profiles.first().toObject();
    QJsonArray options = entry.value(u"options"_s).toArray();
    options.prepend(QJsonObject{{u"keyword"_s, u"password"_s}, {u"value"_s, u"typed-in-file"_s}});
    entry.insert(u"options"_s, options);
    profiles.replace(0, entry);
    root.insert(u"profiles"_s, profiles);
    const QByteArray tampered = QJsonDocument(root).toJson();
    QVERIFY(tampered.contains("typed-in-file"));
    f.close();
    QVERIFY(vf::test::TestPki::writeFile(path, tampered));
    const auto loaded = store.load();
    QVERIFY(loaded.has_value());
    QCOMPARE(loaded->profiles.size(), 1);
    QVERIFY(!loaded->profiles.first().conninfo.contains(u"password"));
    QCOMPARE(loaded->profiles.first().conninfo.value(u"sslkey"), std::optional(u"/keys/client.key"_s));
}

void TestProfileEditor::origins_data()
{
    QTest::addColumn<QString>("variable");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("label");
    QTest::addColumn<QString>("expected");
    QTest::addRow("PGPORT") << u"PGPORT"_s << u"6543"_s << u"portOrigin"_s
                            << u"libpq uses 6543 (from PGPORT)"_s;
    QTest::addRow("PGSSLMODE") << u"PGSSLMODE"_s << u"require"_s << u"sslmodeOrigin"_s
                               << u"libpq uses require (from PGSSLMODE)"_s;
    QTest::addRow("PGHOST") << u"PGHOST"_s << u"envhost"_s << u"hostOrigin"_s << u"envhost (from PGHOST)"_s;
    QTest::addRow("PGAPPNAME") << u"PGAPPNAME"_s << u"psql-like"_s << u"applicationNameOrigin"_s
                               << u"psql-like (from PGAPPNAME)"_s;
    QTest::addRow("PGSSLMINPROTOCOLVERSION")
        << u"PGSSLMINPROTOCOLVERSION"_s << u"TLSv1.3"_s << u"minTlsOrigin"_s
        << u"TLSv1.3 (from PGSSLMINPROTOCOLVERSION)"_s;
    QTest::addRow("PGPASSWORD is masked")
        << u"PGPASSWORD"_s << u"visible-secret"_s << u"passwordOrigin"_s << u"(from PGPASSWORD)"_s;
    QTest::addRow("user defaults to the OS user")
        << QString() << QString() << u"userOrigin"_s << u"osuser (default (operating-system user name))"_s;
    QTest::addRow("compiled default")
        << QString() << QString() << u"sslnegotiationOrigin"_s << u"postgres (default)"_s;
}

void TestProfileEditor::origins()
{
    QFETCH(QString, variable);
    QFETCH(QString, value);
    QFETCH(QString, label);
    QFETCH(QString, expected);
    Environment e = env();
    if (!variable.isEmpty())
        e.setVariable(variable, value);
    Profile p = Profile::createNew(u"origins"_s);
    p.conninfo.remove(u"sslmode"); // so that PGSSLMODE applies
    auto ed = editor(p, e);
    auto* origin = child<QLabel>(ed.get(), qPrintable(label));
    QVERIFY(origin);
    QVERIFY2(!origin->isHidden(), qPrintable(label)); // its tab may not be the current one
    QVERIFY2(origin->text().contains(expected), qPrintable(origin->text()));
    QVERIFY(!origin->text().contains(u"visible-secret"_s));

    // Typed here: the origin line goes away.
    if (label == u"portOrigin") {
        type(child<QLineEdit>(ed.get(), "portEdit"), u"5432"_s);
        QTRY_VERIFY(origin->isHidden());
    }
}

void TestProfileEditor::serviceFileOrigin()
{
    const QString service = m_dir.filePath(u"pg_service.conf"_s);
    QVERIFY(vf::test::TestPki::writeFile(service,
                                         "# test services\n[billing]\nhost=svc.example.com\nport=7777\n"
                                         "sslmode=verify-ca\n"));
    Profile p = Profile::createNew(u"svc"_s);
    p.conninfo.remove(u"sslmode");
    p.conninfo.setValue(u"service"_s, u"billing"_s);
    p.conninfo.setValue(u"servicefile"_s, service);
    auto ed = editor(p, env());
    auto* port = child<QLabel>(ed.get(), "portOrigin");
    QVERIFY(!port->isHidden());
    QVERIFY2(port->text().contains(u"7777 (from service file"_s) &&
                 port->text().contains(u"[billing], line 4"_s),
             qPrintable(port->text()));
    QVERIFY(child<QLabel>(ed.get(), "sslmodeOrigin")->text().contains(u"verify-ca (from service file"_s));
    QVERIFY(!child<QLabel>(ed.get(), "sslmodeOrigin")->isHidden());
    auto* message = child<QLabel>(ed.get(), "resolveMessage");
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(u"Uses service \u201cbilling\u201d"_s), qPrintable(message->text()));
    // The risk table judges the service file's sslmode.
    QVERIFY(ed->assessment().has_value());
    QVERIFY(ed->assessment()->summary().contains(u"verify-ca"_s));

    // A service that does not exist: libpq's message, no provenance.
    type(child<QLineEdit>(ed.get(), "conninfoEdit"), u"service=nosuch servicefile="_s + service);
    QTest::mouseClick(child<QPushButton>(ed.get(), "applyConninfoButton"), Qt::LeftButton);
    QVERIFY2(message->text().contains(u"definition of service \"nosuch\" not found"_s),
             qPrintable(message->text()));
    QVERIFY(port->isHidden());
}

void TestProfileEditor::defaultFileIsChecked()
{
    // ~/.postgresql/postgresql.crt is what libpq sends when sslcert is not set: the field checks it.
    const QString home = m_dir.filePath(u"home-default"_s);
    QVERIFY(QDir().mkpath(home + u"/.postgresql"_s));
    QVERIFY(vf::test::TestPki::writeFile(home + u"/.postgresql/postgresql.crt"_s, m_client.pem()));
    Environment e;
    e.setVariable(u"HOME"_s, home);
    auto ed = editor(named(u"defaults"_s, u"db"_s), e);
    auto* cert = child<FileField>(ed.get(), "clientCertField");
    QTRY_VERIFY(cert->usesFallback() && cert->result().has_value());
    QTRY_COMPARE(cert->state(), FileField::State::Ok);
    QVERIFY2(cert->statusText().contains(u"Not set here: libpq uses"_s), qPrintable(cert->statusText()));
    QVERIFY(cert->statusText().contains(u"~/.postgresql/postgresql.crt"_s));
    QVERIFY(cert->statusText().contains(u"CN=carol"_s));
    auto* root = child<FileField>(ed.get(), "rootCertField");
    QVERIFY2(root->statusText().contains(u"~/.postgresql/root.crt, which does not exist"_s),
             qPrintable(root->statusText()));
    QCOMPARE(root->state(), FileField::State::Empty);
    // New profiles are verify-full, and without a root file libpq would refuse: the table says so.
    QVERIFY(ed->assessment().has_value());
    QCOMPARE(ed->assessment()->severity(), vf::security::Severity::WillFail);
}

void TestProfileEditor::encryptedKeyUsesKeyPassword()
{
    const QString cert = m_dir.filePath(u"enc-client.crt"_s);
    const QString key = m_dir.filePath(u"enc-client.key"_s);
    QVERIFY(vf::test::TestPki::writeFile(cert, m_client.pem()));
    QVERIFY(
        vf::test::TestPki::writeFile(key, m_client.keyBytes(vf::test::KeyFormat::Pkcs8Pem, "opensesame")));
    Profile p = named(u"enc"_s, u"db"_s);
    p.conninfo.setValue(u"sslcert"_s, cert);
    p.conninfo.setValue(u"sslkey"_s, key);
    auto ed = editor(p, env());
    auto* keyField = child<FileField>(ed.get(), "clientKeyField");
    QTRY_COMPARE(keyField->state(), FileField::State::Warning);
    QVERIFY2(keyField->statusText().contains(u"type its password in Key password"_s),
             qPrintable(keyField->statusText()));
    auto* keyPassword = child<QLineEdit>(ed.get(), "keyPasswordEdit");
    QCOMPARE(keyPassword->echoMode(), QLineEdit::Password);
    type(keyPassword, u"wrong"_s);
    QTRY_COMPARE(keyField->state(), FileField::State::Error);
    QVERIFY(keyField->statusText().contains(u"does not open"_s));
    type(keyPassword, u"opensesame"_s);
    QTRY_COMPARE(keyField->state(), FileField::State::Ok);
    QVERIFY(keyField->statusText().contains(u"The password opens this key"_s));
    QTRY_VERIFY(keyField->statusText().contains(u"Matches the client certificate (carol)"_s));
    QCOMPARE(ed->profile().conninfo.value(u"sslpassword"), std::optional(u"opensesame"_s));
    QVERIFY(!ed->profile().toJson().value(u"params"_s).toObject().contains(u"sslpassword"_s));
}

void TestProfileEditor::systemRoots()
{
    auto ed = editor(named(u"cloud"_s, u"db.example.com"_s), env());
    auto* check = child<QCheckBox>(ed.get(), "systemRootsCheck");
    auto* root = child<FileField>(ed.get(), "rootCertField");
    QVERIFY(root->isEnabled());
    QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(5, check->height() / 2));
    QVERIFY(check->isChecked());
    QVERIFY(!root->isEnabled());
    QCOMPARE(ed->profile().conninfo.value(u"sslrootcert"), std::optional(u"system"_s));
    ed->refresh();
    QVERIFY(ed->assessment()->effective().has_value());
    QVERIFY(ed->assessment()->effective()->usesSystemRoots);
}

void TestProfileEditor::invalidValueIsKept()
{
    Profile p = named(u"bad"_s, u"db"_s);
    p.conninfo.setValue(u"sslmode"_s, u"Require"_s);
    auto ed = editor(p, env());
    auto* combo = child<QComboBox>(ed.get(), "sslmodeCombo");
    QCOMPARE(combo->currentData().toString(), u"Require"_s);
    QVERIFY(combo->currentText().contains(u"not a valid value"_s));
    auto* message = child<QLabel>(ed.get(), "resolveMessage");
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(u"invalid sslmode value: \"Require\""_s), qPrintable(message->text()));
    QCOMPARE(ed->profile().conninfo.value(u"sslmode"), std::optional(u"Require"_s)); // not silently changed
}

void TestProfileEditor::connectionStringPaste()
{
    Profile p = Profile::createNew(u"paste"_s);
    p.conninfo.setValue(u"password"_s, u"kept-secret"_s);
    auto ed = editor(p, env());
    QSignalSpy edited(ed.get(), &ProfileEditor::profileEdited);
    auto* edit = child<QLineEdit>(ed.get(), "conninfoEdit");
    type(edit, u"postgresql://ann@pg.example.com:6000/shop?sslmode=require&keepalives=0"_s);
    QTest::keyClick(edit, Qt::Key_Return);
    QCOMPARE(child<QLineEdit>(ed.get(), "hostEdit")->text(), u"pg.example.com"_s);
    QCOMPARE(child<QLineEdit>(ed.get(), "portEdit")->text(), u"6000"_s);
    QCOMPARE(child<QLineEdit>(ed.get(), "userEdit")->text(), u"ann"_s);
    QCOMPARE(child<QComboBox>(ed.get(), "sslmodeCombo")->currentData().toString(), u"require"_s);
    QCOMPARE(ed->advancedModel()->value(u"keepalives"_s), u"0"_s);
    QCOMPARE(ed->profile().conninfo.value(u"password"), std::optional(u"kept-secret"_s));
    QCOMPARE(edited.count(), 1);

    type(edit, u"host=x bogus=1"_s);
    QTest::keyClick(edit, Qt::Key_Return);
    auto* message = child<QLabel>(ed.get(), "conninfoMessage");
    QVERIFY(!message->isHidden());
    QVERIFY2(message->text().contains(u"invalid connection option \"bogus\""_s), qPrintable(message->text()));
    QCOMPARE(child<QLineEdit>(ed.get(), "hostEdit")->text(), u"pg.example.com"_s); // unchanged
}

void TestProfileEditor::keyboardAndAccessibility()
{
    auto ed = editor(named(u"keys"_s, u"db"_s), env());
    // Tab walks the Connection tab in reading order.
    const QStringList order{u"hostEdit"_s,           u"portEdit"_s,           u"dbnameEdit"_s,
                            u"userEdit"_s,           u"passwordEdit"_s,       u"rememberPasswordCheck"_s,
                            u"connectTimeoutEdit"_s, u"applicationNameEdit"_s};
    QWidget* first = child<QWidget>(ed.get(), "hostEdit");
    first->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), first);
    for (qsizetype i = 1; i < order.size(); ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget()->objectName(), order.at(i));
    }
    // Alt+L opens the SSL tab, Alt+M then goes to the sslmode box.
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_L, Qt::AltModifier);
    QCOMPARE(child<QTabWidget>(ed.get(), "editorTabs")->currentWidget()->objectName(), u"sslTab"_s);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_M, Qt::AltModifier);
    QCOMPARE(QApplication::focusWidget()->objectName(), u"sslmodeCombo"_s);

    // Every interactive widget has a name a screen reader can say: its own accessible name, its text,
    // or a label pointing at it.
    QSet<const QWidget*> labelled;
    for (const QLabel* l : ed->findChildren<QLabel*>()) {
        if (l->buddy())
            labelled.insert(l->buddy());
    }
    const QList<QWidget*> widgets = ed->findChildren<QWidget*>();
    int checked = 0;
    for (const QWidget* w : widgets) {
        const bool interactive = qobject_cast<const QLineEdit*>(w) || qobject_cast<const QComboBox*>(w) ||
                                 qobject_cast<const QAbstractButton*>(w) ||
                                 qobject_cast<const QAbstractItemView*>(w);
        if (!interactive || w->objectName().startsWith(u"qt_"_s) || w->objectName().isEmpty())
            continue;
        const auto* button = qobject_cast<const QAbstractButton*>(w);
        const bool named = !w->accessibleName().isEmpty() || (button && !button->text().isEmpty()) ||
                           labelled.contains(w) ||
                           (w->parentWidget() && labelled.contains(w->parentWidget()));
        QVERIFY2(named, qPrintable(w->objectName()));
        ++checked;
    }
    QVERIFY(checked > 30);
}

void TestProfileEditor::listFilterAndBadge()
{
    ProfileListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    Profile a = named(u"Alpha"_s, u"alpha.example.com"_s);
    a.lastResult = Profile::TestResult::Passed;
    Profile b = named(u"Beta"_s, u"beta.internal"_s);
    b.lastResult = Profile::TestResult::Failed;
    Profile c = named(u"Gamma"_s, u"gamma.example.com"_s);
    model.setProfiles({c, a, b});
    ProfileListWidget list;
    list.setModel(&model);
    list.resize(300, 500);
    list.show();
    auto* view = child<QListView>(&list, "profileView");
    QCOMPARE(view->model()->rowCount(), 3);
    QCOMPARE(view->model()->index(0, 0).data().toString(), u"Alpha"_s); // sorted by name
    QCOMPARE(view->model()->index(0, 0).data(ProfileListModel::ResultRole).toInt(),
             int(Profile::TestResult::Passed));
    QVERIFY(view->model()->index(1, 0).data(Qt::ToolTipRole).toString().contains(u"Last test: failed"_s));
    QVERIFY(
        view->model()->index(0, 0).data(Qt::AccessibleTextRole).toString().contains(u"last test passed"_s));

    auto* filter = child<QLineEdit>(&list, "filterEdit");
    QTest::keyClicks(filter, u"EXAMPLE.com"_s);
    QCOMPARE(view->model()->rowCount(), 2);
    QTest::keyClicks(filter, u"x"_s);
    QCOMPARE(view->model()->rowCount(), 0);
    filter->clear();
    QTest::keyClicks(filter, u"internal"_s);
    QCOMPARE(view->model()->rowCount(), 1);
    QCOMPARE(list.currentProfileId(), b.id); // the only match is selected

    model.setTestResult(b.id, Profile::TestResult::Passed, QDateTime::currentDateTimeUtc());
    QCOMPARE(view->model()->index(0, 0).data(ProfileListModel::ResultRole).toInt(),
             int(Profile::TestResult::Passed));
}

void TestProfileEditor::duplicateAndDeleteWithUndo()
{
    ProfileListModel model;
    Profile a = named(u"Alpha"_s, u"a"_s);
    Profile b = named(u"Beta"_s, u"b"_s);
    b.conninfo.setValue(u"password"_s, u"session-only"_s);
    Profile c = named(u"Gamma"_s, u"c"_s);
    model.setProfiles({a, b, c});
    ProfileListWidget list;
    list.setModel(&model);
    list.resize(300, 500);
    list.show();
    QVERIFY(QTest::qWaitForWindowActive(&list)); // shortcuts need an active window
    auto* view = child<QListView>(&list, "profileView");
    list.selectProfile(b.id);
    QCOMPARE(list.currentProfileId(), b.id);

    // Duplicate (Ctrl+D): a copy under a new name, selected.
    QSignalSpy created(&list, &ProfileListWidget::profileCreated);
    view->setFocus();
    QTest::keyClick(view, Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(created.count(), 1);
    QCOMPARE(model.rowCount(), 4);
    const Profile* copy = model.find(created.first().at(0).toUuid());
    QVERIFY(copy);
    QCOMPARE(copy->name, u"Beta (copy)"_s);
    QCOMPARE(copy->conninfo.value(u"host"), std::optional(u"b"_s));
    QCOMPARE(list.currentProfileId(), copy->id);

    // Delete with the Delete key; the undo bar appears; Undo brings it back at its place.
    list.selectProfile(b.id);
    QWidget* bar = child<QWidget>(&list, "undoBar");
    QVERIFY(!bar->isVisible());
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Delete);
    QCOMPARE(model.rowCount(), 3);
    QVERIFY(!model.find(b.id));
    QVERIFY(bar->isVisible());
    QVERIFY(child<QLabel>(&list, "undoLabel")->text().contains(u"Beta"_s));
    QVERIFY(list.currentProfileId() != b.id);
    QVERIFY(!list.currentProfileId().isNull()); // a neighbour is selected

    QTest::mouseClick(child<QPushButton>(&list, "undoButton"), Qt::LeftButton);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.rowOf(b.id), 1);
    QCOMPARE(model.find(b.id)->conninfo.value(u"password"), std::optional(u"session-only"_s));
    QCOMPARE(list.currentProfileId(), b.id);
    QVERIFY(!bar->isVisible());

    // Redo and undo through the stack (the Edit menu's actions).
    list.undoStack()->redo();
    QCOMPARE(model.rowCount(), 3);
    list.undoStack()->undo();
    QCOMPARE(model.rowOf(b.id), 1);

    // The context menu offers the same actions.
    QVERIFY(list.deleteAction()->isEnabled());
    list.selectProfile({});
}

void TestProfileEditor::storeRoundTripAndCorruptFile()
{
    // tests/gui/tst_profilestore.cpp covers the store in depth; here what the window relies on.
    const QString path = m_dir.filePath(u"store/profiles.json"_s);
    ProfileStore store(path);
    const auto empty = store.load();
    QVERIFY(empty.has_value());
    QVERIFY(empty->profiles.isEmpty());

    Profile a = named(u"Alpha"_s, u"alpha"_s);
    a.conninfo.setValue(u"sslrootcert"_s, u"/etc/ssl/ca.pem"_s);
    a.lastResult = Profile::TestResult::Failed;
    a.lastTestedAt = QDateTime(QDate(2025, 1, 2), QTime(3, 4, 5), QTimeZone::utc());
    Profile b = named(u"Beta \u00e9"_s, u"beta"_s);
    QVERIFY(store.save({a, b}).has_value());
    const auto loaded = store.load();
    QVERIFY(loaded.has_value());
    QCOMPARE(loaded->profiles.size(), 2);
    QCOMPARE(loaded->profiles.at(0), a);
    QCOMPARE(loaded->profiles.at(1), b);

    // A corrupt file is renamed aside before anything could overwrite it.
    QVERIFY(vf::test::TestPki::writeFile(path, "{\"format\": \"verifyfull-profiles\", \"profiles\": [ {"));
    const auto broken = store.load();
    QVERIFY(broken.has_value());
    QVERIFY(broken->profiles.isEmpty());
    const QStringList backups = QDir(m_dir.filePath(u"store"_s)).entryList({u"profiles.json.corrupt-*"_s});
    QCOMPARE(backups.size(), 1);
    QCOMPARE(broken->setAsidePath, m_dir.filePath(u"store/"_s + backups.first()));
    QFile backup(broken->setAsidePath);
    QVERIFY(backup.open(QIODevice::ReadOnly));
    QVERIFY(backup.readAll().startsWith("{\"format\""));
    QVERIFY(!QFile::exists(path));

    QVERIFY(vf::test::TestPki::writeFile(path, "[]"));
    QVERIFY(!store.load()->setAsidePath.isEmpty()); // not our format
    QVERIFY(vf::test::TestPki::writeFile(
        path, "{\"format\":\"verifyfull-profiles\",\"version\":99,\"profiles\":[]}"));
    const auto newer = store.load();
    QVERIFY(newer.has_value());
    QVERIFY(newer->readOnly);
    QVERIFY(newer->problem.contains(u"newer"_s));
}

void TestProfileEditor::mainWindowKeepsProfiles()
{
    const QString path = m_dir.filePath(u"main/profiles.json"_s);
    {
        vf::ui::MainWindow window{ProfileStore(path)};
        window.resize(1280, 800);
        window.show();
        QStackedWidget* stack = child<QStackedWidget>(&window, "editorStack");
        QCOMPARE(stack->currentWidget()->objectName(), u"emptyPage"_s);
        window.profileList()->newAction()->trigger();
        QCOMPARE(window.profileModel()->rowCount(), 1);
        QCOMPARE(stack->currentWidget(), window.profileEditor());
        ProfileEditor* ed = window.profileEditor();
        QCOMPARE(child<QComboBox>(ed, "sslmodeCombo")->currentData().toString(), u"verify-full"_s);
        type(child<QLineEdit>(ed, "hostEdit"), u"kept.example.com"_s);
        type(child<QLineEdit>(ed, "passwordEdit"), u"not-in-the-file"_s);
        QTRY_VERIFY(QFile::exists(path));
        QTRY_VERIFY([&] {
            QFile f(path);
            return f.open(QIODevice::ReadOnly) && f.readAll().contains("kept.example.com");
        }());
        QCOMPARE(window.profileModel()->profiles().first().conninfo.value(u"host"),
                 std::optional(u"kept.example.com"_s));
        // Selecting another profile and back keeps the session's password.
        window.profileList()->newAction()->trigger();
        window.profileList()->selectProfile(window.profileModel()->profiles().first().id);
        QCOMPARE(child<QLineEdit>(ed, "passwordEdit")->text(), u"not-in-the-file"_s);
        QVERIFY(window.saveProfiles());
        // The editor has the test page next to its own tabs.
        QVERIFY(child<QTabWidget>(ed, "editorTabs")->count() >= 5);
    }
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(!f.readAll().contains("not-in-the-file"));
    vf::ui::MainWindow again{ProfileStore(path)};
    QCOMPARE(again.profileModel()->rowCount(), 2);
    QCOMPARE(again.profileEditor()->profile().conninfo.value(u"host"), std::optional(u"kept.example.com"_s));
}

void TestProfileEditor::mainWindowWithoutKeychain()
{
    vf::ui::MainWindow window{ProfileStore(m_dir.filePath(u"nokeychain/profiles.json"_s))};
    window.resize(1280, 800);
    window.show();
    QTRY_COMPARE(window.secretStore()->availability(), vf::ui::SecretStore::Availability::Unavailable);
    QTRY_VERIFY(window.messageBar()->hasMessage(u"keychainMessage"_s));
    QCOMPARE(window.messageBar()->messageIds(), QStringList{u"keychainMessage"_s}); // once
    window.profileList()->newAction()->trigger();
    ProfileEditor* ed = window.profileEditor();
    auto* remember = child<QCheckBox>(ed, "rememberPasswordCheck");
    QVERIFY(!remember->isEnabled());
    QVERIFY(!child<QCheckBox>(ed, "rememberKeyPasswordCheck")->isEnabled());
    QVERIFY(remember->toolTip().contains(u"No keychain"_s));
    QCOMPARE(child<QLineEdit>(ed, "passwordEdit")->placeholderText(), u"Asked when needed"_s);
    // Asking again finds no keychain again, and says nothing more.
    window.secretStore()->checkAvailability();
    QTRY_COMPARE(window.secretStore()->availability(), vf::ui::SecretStore::Availability::Unavailable);
    QCOMPARE(window.messageBar()->messageIds(), QStringList{u"keychainMessage"_s});
}

void TestProfileEditor::mainWindowReportsSetAsideFile()
{
    const QString path = m_dir.filePath(u"aside/profiles.json"_s);
    QVERIFY(QDir().mkpath(m_dir.filePath(u"aside"_s)));
    QVERIFY(vf::test::TestPki::writeFile(path, "{\"format\":\"verifyfull-profiles\",\"version\":2,"
                                               "\"profiles\":[{\"id\":\"RAW-CONTENT-MARKER"));
    vf::ui::MainWindow window{ProfileStore(path)};
    window.resize(1280, 800);
    window.show();
    QVERIFY(window.messageBar()->hasMessage(u"profilesMessage"_s));
    const QString text = window.messageBar()->messageText(u"profilesMessage"_s);
    const QStringList aside = QDir(m_dir.filePath(u"aside"_s)).entryList({u"profiles.json.corrupt-*"_s});
    QCOMPARE(aside.size(), 1);
    QVERIFY2(text.contains(QDir::toNativeSeparators(m_dir.filePath(u"aside/"_s + aside.first()))),
             qPrintable(text));
    QVERIFY(!text.contains(u"RAW-CONTENT-MARKER"_s)); // the path, never the content
    QVERIFY(window.messageBar()->isVisible());
    QVERIFY(child<QPushButton>(window.messageBar(), "profilesMessageAction"));
    QVERIFY(window.findChildren<QMessageBox*>().isEmpty()); // not modal
    QCOMPARE(child<QStackedWidget>(&window, "editorStack")->currentWidget()->objectName(), u"emptyPage"_s);

    // Work goes on: a new profile is saved in a new file; the one set aside is untouched.
    window.profileList()->newAction()->trigger();
    QVERIFY(window.saveProfiles());
    QVERIFY(QFile::exists(path));
    QFile kept(m_dir.filePath(u"aside/"_s + aside.first()));
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QVERIFY(kept.readAll().endsWith("RAW-CONTENT-MARKER"));
    // Dismissed, it stays away.
    QTest::mouseClick(child<QToolButton>(window.messageBar(), "profilesMessageDismiss"), Qt::LeftButton);
    QVERIFY(!window.messageBar()->hasMessage(u"profilesMessage"_s));
}

void TestProfileEditor::mainWindowNewerFileIsReadOnly()
{
    const QString path = m_dir.filePath(u"newer/profiles.json"_s);
    QVERIFY(QDir().mkpath(m_dir.filePath(u"newer"_s)));
    const QByteArray newer = "{\"format\":\"verifyfull-profiles\",\"version\":5,\"profiles\":[{\"id\":\"" +
                             QUuid::createUuid().toByteArray(QUuid::WithoutBraces) +
                             "\",\"name\":\"Future\",\"options\":[{\"keyword\":\"host\",\"value\":\"f\"}]}]}";
    QVERIFY(vf::test::TestPki::writeFile(path, newer));
    vf::ui::MainWindow window{ProfileStore(path)};
    window.resize(1280, 800);
    window.show();
    QCOMPARE(window.profileModel()->rowCount(), 1);
    const QString text = window.messageBar()->messageText(u"profilesMessage"_s);
    QVERIFY2(text.contains(u"read-only"_s) && text.contains(u"newer"_s), qPrintable(text));
    type(child<QLineEdit>(window.profileEditor(), "profileNameEdit"), u"Changed here"_s);
    QVERIFY(!window.saveProfiles());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), newer);
}

void TestProfileEditor::twoWindowsOnOneFile()
{
    const QString path = m_dir.filePath(u"shared/profiles.json"_s);
    vf::ui::MainWindow one{ProfileStore(path)};
    vf::ui::MainWindow two{ProfileStore(path)};
    one.show();
    two.show();

    // Created in one, it appears in the other (the file is watched).
    one.profileList()->newAction()->trigger();
    type(child<QLineEdit>(one.profileEditor(), "hostEdit"), u"shared.example.com"_s);
    QVERIFY(one.saveProfiles());
    QTRY_COMPARE(two.profileModel()->rowCount(), 1);
    const QUuid id = one.profileModel()->profiles().first().id;
    QCOMPARE(two.profileModel()->profiles().first().conninfo.value(u"host"),
             std::optional(u"shared.example.com"_s));

    // Edited in two, one follows, editor included.
    two.profileList()->selectProfile(id);
    type(child<QLineEdit>(two.profileEditor(), "portEdit"), u"6543"_s);
    QVERIFY(two.saveProfiles());
    QTRY_COMPARE(one.profileModel()->find(id)->conninfo.value(u"port"), std::optional(u"6543"_s));
    QTRY_COMPARE(child<QLineEdit>(one.profileEditor(), "portEdit")->text(), u"6543"_s);

    // Edited in both at once: both versions are kept, and the window that saved last says so.
    type(child<QLineEdit>(one.profileEditor(), "dbnameEdit"), u"from_one"_s);
    type(child<QLineEdit>(two.profileEditor(), "dbnameEdit"), u"from_two"_s);
    QVERIFY(two.saveProfiles());
    QVERIFY(one.saveProfiles());
    QCOMPARE(one.profileModel()->rowCount(), 2);
    QVERIFY(one.messageBar()->hasMessage(u"conflictMessage"_s));
    QVERIFY(one.messageBar()->messageText(u"conflictMessage"_s).contains(u"(conflict)"_s));
    QCOMPARE(one.profileModel()->find(id)->conninfo.value(u"dbname"), std::optional(u"from_one"_s));
    QTRY_COMPARE(two.profileModel()->rowCount(), 2);
    QTRY_COMPARE(two.profileModel()->find(id)->conninfo.value(u"dbname"), std::optional(u"from_one"_s));
    bool copyFromTwo = false;
    for (const Profile& p : two.profileModel()->profiles())
        copyFromTwo |=
            p.id != id && p.conninfo.value(u"dbname") == u"from_two"_s && p.name.endsWith(u"(conflict)"_s);
    QVERIFY(copyFromTwo);
}

QTEST_MAIN(TestProfileEditor)
#include "tst_profileeditor.moc"
