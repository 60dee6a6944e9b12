// End to end through the real main window, as a person uses it: New profile from the profile list,
// type the connection into the editor, pick the root file, press Test, and see the verdict, the
// badge in the list and the server's chain in the certificate browser. Then the same profile with a
// root file that does not fit: the test fails with libpq's wording and a diagnosis naming the fix.
// Against a real PostgreSQL 15 with TLS (tests/support PgServer), offscreen.

#include "PgServer.h"
#include "TestPki.h"
#include "chain/ChainBrowser.h"
#include "main/MainWindow.h"
#include "profiles/Profile.h"
#include "profiles/ProfileEditor.h"
#include "profiles/ProfileListModel.h"
#include "profiles/ProfileStore.h"
#include "test/TestPanel.h"
#include "widgets/FileField.h"

#include <QAction>
#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace vf::test;
using vf::ui::MainWindow;

class TestMainWindowEndToEnd : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PgServer> m_pg;
    TestCert m_root, m_inter, m_server, m_otherRoot;
    QString m_rootFile, m_otherRootFile;

    template <typename T> static T* child(QObject& parent, const char* name)
    {
        T* w = parent.findChild<T*>(QString::fromLatin1(name));
        if (!w)
            qWarning("no child %s", name);
        return w;
    }

    static void typeInto(QLineEdit* edit, const QString& text)
    {
        edit->setFocus();
        edit->selectAll();
        QTest::keyClick(edit, Qt::Key_Backspace);
        QTest::keyClicks(edit, text);
        QTest::keyClick(edit, Qt::Key_Tab); // leave the field, as a person does
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The window's QSettings and keychain stay out of the person's real configuration.
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_dir.filePath(u"config"_s)));
        qputenv("HOME", QFile::encodeName(m_dir.filePath(u"home"_s)));
        QDir().mkpath(m_dir.filePath(u"home"_s));
        for (const char* v : {"PGHOST", "PGPORT", "PGUSER", "PGSSLMODE", "PGSSLROOTCERT", "PGSERVICE"})
            qunsetenv(v);
        if (!PgServer::available())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
        m_root = TestPki::makeCert(TestPki::rootSpec(u"E2E Root"_s));
        m_inter = TestPki::makeCert(TestPki::intermediateSpec(u"E2E Issuing CA"_s), &m_root);
        m_server = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &m_inter);
        m_otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Some Other Root"_s));
        m_rootFile = m_dir.filePath(u"root.crt"_s);
        m_otherRootFile = m_dir.filePath(u"other-root.crt"_s);
        TestPki::writeFile(m_rootFile, m_root.pem());
        TestPki::writeFile(m_otherRootFile, m_otherRoot.pem());

        PgServer::Options o;
        o.serverCertChainPem = m_server.pem() + m_inter.pem();
        o.serverKeyPem = m_server.keyBytes();
        o.hbaLines = {u"hostssl all scramuser 127.0.0.1/32 scram-sha-256"_s};
        QString error;
        m_pg = PgServer::start(o, &error);
        QVERIFY2(m_pg, qPrintable(error));
        QString sqlError;
        QVERIFY2(!m_pg->psql(u"create role scramuser login password 'e2e-pw'"_s, &sqlError).isNull(),
                 qPrintable(sqlError));
    }

    void newProfileTestAndChain()
    {
        const QString storePath = m_dir.filePath(u"profiles.json"_s);
        MainWindow window{vf::ui::ProfileStore(storePath)};
        window.resize(1280, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // New profile, from the list's action (Ctrl+N in the list).
        QAction* newAction = child<QAction>(window, "actionNewProfile");
        QVERIFY(newAction);
        const int before = window.profileModel()->rowCount();
        newAction->trigger();
        QTRY_COMPARE(window.profileModel()->rowCount(), before + 1);

        vf::ui::ProfileEditor* editor = window.profileEditor();
        QVERIFY(editor);
        QComboBox* sslmode = child<QComboBox>(*editor, "sslmodeCombo");
        QVERIFY(sslmode);
        QCOMPARE(sslmode->currentData().toString(), u"verify-full"_s); // new profiles start safe

        auto* name = child<QLineEdit>(*editor, "profileNameEdit");
        auto* host = child<QLineEdit>(*editor, "hostEdit");
        auto* port = child<QLineEdit>(*editor, "portEdit");
        auto* dbname = child<QLineEdit>(*editor, "dbnameEdit");
        auto* user = child<QLineEdit>(*editor, "userEdit");
        auto* password = child<QLineEdit>(*editor, "passwordEdit");
        QVERIFY(name && host && port && dbname && user && password);
        typeInto(name, u"Local TLS server"_s);
        typeInto(host, u"localhost"_s);
        typeInto(port, QString::number(m_pg->port()));
        typeInto(dbname, u"postgres"_s);
        typeInto(user, u"scramuser"_s);
        typeInto(password, u"e2e-pw"_s);

        auto* rootField = child<vf::ui::FileField>(*editor, "rootCertField");
        QVERIFY(rootField);
        auto* rootPath = child<QLineEdit>(*rootField, "pathEdit");
        QVERIFY(rootPath);
        QSignalSpy inspected(rootField, &vf::ui::FileField::inspectionFinished);
        typeInto(rootPath, m_rootFile);
        QTRY_VERIFY_WITH_TIMEOUT(!inspected.isEmpty(), 10000);

        // Test (the editor's button), then the result in the panel, the badge and the chain.
        vf::ui::TestPanel* panel = window.testPanel();
        QVERIFY(panel);
        QSignalSpy finished(panel, &vf::ui::TestPanel::testFinished);
        QPushButton* test = child<QPushButton>(*editor, "testButton");
        QVERIFY(test);
        QTest::mouseClick(test, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QVERIFY2(finished.first().first().toBool(),
                 qPrintable(panel->verdictText() + u"\n"_s + panel->resultText()));
        QVERIFY2(panel->verdictText().startsWith(u"Connected"_s), qPrintable(panel->verdictText()));

        const QModelIndex row = window.profileModel()->index(window.profileModel()->rowCount() - 1, 0);
        QTRY_VERIFY(
            window.profileModel()->data(row, Qt::DisplayRole).toString().contains(u"Local TLS server"_s));
        QList<vf::ui::Profile> saved;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const auto loaded = vf::ui::ProfileStore(storePath).load();
                if (!loaded)
                    return false;
                saved = loaded->profiles;
                return !saved.isEmpty() && saved.last().lastResult == vf::ui::Profile::TestResult::Passed;
            }(),
            10000);
        QCOMPARE(saved.last().name, u"Local TLS server"_s);
        QCOMPARE(saved.last().conninfo.value(u"sslrootcert").value_or(QString()), m_rootFile);
        // The password was typed, not remembered: it is not in the file.
        QFile file(storePath);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("e2e-pw"));

        // The server's chain, in the certificate browser: leaf, intermediate and the root from the file.
        vf::ui::ChainBrowser* browser = window.chainBrowser();
        QVERIFY(browser);
        QTRY_VERIFY_WITH_TIMEOUT(browser->certificateCount() >= 2, 5000);
        QVERIFY2(browser->title().contains(u"localhost"_s), qPrintable(browser->title()));
        browser->selectVisibleRow(0);
        QTRY_VERIFY(browser->currentCertificate().has_value());
        QCOMPARE(browser->currentCertificate()->commonName(), u"localhost"_s);

        // The same profile against a root file that does not fit: libpq's words and the fix.
        finished.clear();
        typeInto(rootPath, m_otherRootFile);
        QTest::mouseClick(test, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.first().first().toBool(), false);
        const QString result = panel->resultText();
        QVERIFY2(result.contains(u"certificate verify failed"_s), qPrintable(result));
        QVERIFY2(result.contains(u"E2E Root"_s) || result.contains(u"E2E Issuing CA"_s), qPrintable(result));
    }
};

QTEST_MAIN(TestMainWindowEndToEnd)
#include "tst_mainwindow_e2e.moc"
