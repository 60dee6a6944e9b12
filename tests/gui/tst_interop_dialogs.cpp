// The Import and Export dialogs (ui/interop), driven through their widgets: live detection of pasted
// strings with libpq's messages, service-file sections ticked with the keyboard, a pgAdmin export read
// off the GUI thread with per-server checkboxes, the environment; export formats picked from the combo
// box, secrets only after the checkbox (with its warning), .pgpass appended with 0600, the key
// converted to PKCS#8 through the passphrase prompt, and no clipped text at the size the dialogs open
// with. With VF_SCREENSHOT_DIR set, each state is also saved as a PNG there.

#include "TestPki.h"
#include "interop/ExportDialog.h"
#include "interop/ImportDialog.h"
#include "settings/ConnInfo.h"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QTreeWidget>

#include <sys/stat.h>

using namespace Qt::StringLiterals;
using namespace vf::ui;
using vf::settings::ConnInfo;
using vf::settings::Environment;
using vf::test::TestPki;

namespace {

template <typename T> T* child(QWidget* parent, const char* name)
{
    T* w = parent->findChild<T*>(QString::fromLatin1(name));
    if (!w)
        qWarning("no child %s", name);
    return w;
}

mode_t modeOf(const QString& path)
{
    struct stat st
    {
    };
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return 07777;
    return st.st_mode & 07777;
}

// Lets pending layout requests run (a label's new text grows it on the next layout pass).
void settle()
{
    for (int i = 0; i < 3; ++i) {
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        QCoreApplication::processEvents();
    }
}

// Every visible label shows all its text, and every visible button its whole caption.
QStringList clipped(QWidget* root)
{
    settle();
    QStringList out;
    const QList<QLabel*> labels = root->findChildren<QLabel*>();
    for (QLabel* l : labels) {
        if (!l->isVisibleTo(root) || l->text().isEmpty())
            continue;
        if (l->wordWrap() ? l->height() < l->heightForWidth(l->width()) : l->width() < l->sizeHint().width())
            out << u"label "_s + l->objectName();
    }
    const QList<QAbstractButton*> buttons = root->findChildren<QAbstractButton*>();
    for (QAbstractButton* b : buttons) {
        if (b->isVisibleTo(root) && !b->text().isEmpty() && b->width() < b->sizeHint().width())
            out << u"button "_s + b->objectName() + u" ("_s + b->text() + u')';
    }
    return out;
}

void screenshot(QWidget* w, const QString& name)
{
    const QString dir = qEnvironmentVariable("VF_SCREENSHOT_DIR");
    settle();
    if (!dir.isEmpty())
        w->grab().save(dir + u'/' + name + u".png"_s);
}

} // namespace

class TestInteropDialogs : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    Environment m_env;

    QString write(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        QDir().mkpath(QFileInfo(path).path());
        TestPki::writeFile(path, data);
        return path;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        write(u"home/.pg_service.conf"_s,
              "[prod]\nhost=db.example.com\nport=5432\ndbname=app\nsslmode=verify-full\n"
              "[broken]\nnot a line\n[staging]\nhost=staging.example.com\n");
        write(u"sysconf/pg_service.conf"_s, "[shared]\nhost=shared.example.com\n");
        m_env.setVariable(u"HOME"_s, m_dir.filePath(u"home"_s));
        m_env.setVariable(u"PGSYSCONFDIR"_s, m_dir.filePath(u"sysconf"_s));
        m_env.setVariable(u"PGHOST"_s, u"env.example.com"_s);
        m_env.setVariable(u"PGSSLMODE"_s, u"verify-full"_s);
    }

    void pasteDetectsLive()
    {
        ImportDialog dialog(m_env);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* edit = child<QPlainTextEdit>(&dialog, "pasteEdit");
        auto* status = child<QLabel>(&dialog, "pasteStatusLabel");
        auto* name = child<QLineEdit>(&dialog, "pasteNameEdit");
        auto* preview = child<QTreeWidget>(&dialog, "pastePreview");
        auto* importButton = child<QPushButton>(&dialog, "importButton");
        QVERIFY(edit && status && name && preview && importButton);
        QVERIFY(!importButton->isEnabled());

        edit->setFocus();
        QTest::keyClicks(edit, u"host=db.example.com dbname=app sslmode=verify-full"_s);
        QVERIFY2(status->text().contains(u"keyword/value string"), qPrintable(status->text()));
        QCOMPARE(name->text(), u"app on db.example.com"_s);
        QCOMPARE(preview->topLevelItemCount(), 3);
        QVERIFY(importButton->isEnabled());
        screenshot(&dialog, u"import-paste"_s);

        edit->clear();
        QTest::keyClicks(edit, u"postgresql://alice:pw@db/app?sslmode=require"_s);
        QVERIFY(status->text().contains(u"URI"));
        QVERIFY(status->text().contains(u"password"));
        // The password is masked in the preview.
        bool masked = false;
        for (int i = 0; i < preview->topLevelItemCount(); ++i) {
            if (preview->topLevelItem(i)->text(0) == u"password") {
                masked = !preview->topLevelItem(i)->text(1).contains(u"pw");
            }
        }
        QVERIFY(masked);

        // A name the person typed is kept while the text changes.
        name->clear();
        QTest::keyClicks(name, u"My DB"_s);
        QTest::keyClicks(edit, u"&application_name=x"_s);
        QCOMPARE(name->text(), u"My DB"_s);
        QList<vf::interop::ImportedProfile> selected = dialog.selectedProfiles();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().suggestedName, u"My DB"_s);
        QCOMPARE(selected.first().conninfo.value(u"application_name"), std::optional<QString>(u"x"_s));

        // libpq's message when it does not parse; Import is off.
        edit->clear();
        QTest::keyClicks(edit, u"host=db bogus"_s);
        QVERIFY2(status->text().contains(
                     u"missing &quot;=&quot; after &quot;bogus&quot; in connection info string"),
                 qPrintable(status->text()));
        QVERIFY(!importButton->isEnabled());
        QVERIFY(dialog.selectedProfiles().isEmpty());
        screenshot(&dialog, u"import-paste-error"_s);
        QVERIFY2(clipped(&dialog).isEmpty(), qPrintable(clipped(&dialog).join(u", "_s)));
    }

    void serviceFiles()
    {
        ImportDialog dialog(m_env);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy loaded(&dialog, &ImportDialog::serviceFilesLoaded);
        dialog.setSource(ImportDialog::Source::ServiceFiles);
        QVERIFY(loaded.wait(10000));
        auto* tree = child<QTreeWidget>(&dialog, "serviceTree");
        auto* details = child<QTreeWidget>(&dialog, "serviceDetails");
        auto* importButton = child<QPushButton>(&dialog, "importButton");
        QCOMPARE(tree->topLevelItemCount(), 2);
        QTreeWidgetItem* user = tree->topLevelItem(0);
        QVERIFY2(user->text(0).startsWith(u"~/.pg_service.conf — 3 section"), qPrintable(user->text(0)));
        QCOMPARE(user->childCount(), 3);
        QCOMPARE(tree->topLevelItem(1)->childCount(), 1);
        // The broken section says why and cannot be ticked.
        QTreeWidgetItem* broken = user->child(1);
        QVERIFY(!broken->flags().testFlag(Qt::ItemIsUserCheckable));
        QVERIFY(broken->text(1).contains(u"syntax error in service file"));
        // The first usable section is current; its settings are shown with their lines.
        QCOMPARE(tree->currentItem(), user->child(0));
        QCOMPARE(details->topLevelItemCount(), 4);
        const QList<QTreeWidgetItem*> hostRow = details->findItems(u"host"_s, Qt::MatchExactly, 0);
        QCOMPARE(hostRow.size(), 1);
        QCOMPARE(hostRow.first()->text(2), u"line 2"_s);
        QVERIFY(hostRow.first()->toolTip(2).endsWith(u"[prod], line 2"));
        QVERIFY(!importButton->isEnabled());

        // Tick [prod] and [shared] with the keyboard.
        tree->setFocus();
        QTest::keyClick(tree, Qt::Key_Space);
        tree->setCurrentItem(tree->topLevelItem(1)->child(0));
        QTest::keyClick(tree, Qt::Key_Space);
        QList<vf::interop::ImportedProfile> selected = dialog.selectedProfiles();
        QCOMPARE(selected.size(), 2);
        QCOMPARE(selected.at(0).conninfo,
                 *ConnInfo::parse(u"host=db.example.com port=5432 dbname=app sslmode=verify-full"_s));
        QCOMPARE(selected.at(1).suggestedName, u"shared"_s);
        QVERIFY(importButton->isEnabled());
        QVERIFY(importButton->text().contains(u'2'));
        screenshot(&dialog, u"import-services"_s);

        QTest::mouseClick(child<QCheckBox>(&dialog, "serviceReferenceCheck"), Qt::LeftButton);
        selected = dialog.selectedProfiles();
        QCOMPARE(selected.at(0).conninfo, *ConnInfo::parse(u"service=prod"_s));
        QVERIFY2(clipped(&dialog).isEmpty(), qPrintable(clipped(&dialog).join(u", "_s)));

        QSignalSpy accepted(&dialog, &QDialog::accepted);
        QTest::mouseClick(importButton, Qt::LeftButton);
        QCOMPARE(accepted.size(), 1);
    }

    void pgAdmin()
    {
        const QString file = write(u"servers.json"_s, R"({"Servers": {
            "1": {"Name": "Production", "Group": "Servers", "Host": "prod.example.com", "Port": 5432,
                  "MaintenanceDB": "postgres", "Username": "admin", "SSLMode": "verify-full",
                  "SSLRootCert": "/certs/root.crt", "UseSSHTunnel": 1, "TunnelHost": "bastion"},
            "2": {"Name": 42},
            "3": {"Name": "Staging", "Group": "Test", "Host": "staging", "Port": 5433, "MaintenanceDB": "app",
                  "Username": "dev", "ConnectionParameters": {"sslmode": "require", "connect_timeout": 10}}
        }})");
        ImportDialog dialog(m_env);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        dialog.setSource(ImportDialog::Source::PgAdmin);
        QSignalSpy loaded(&dialog, &ImportDialog::pgAdminFileLoaded);
        auto* path = child<QLineEdit>(&dialog, "pgAdminPathEdit");
        path->setFocus();
        QTest::keyClicks(path, file);
        QTest::keyClick(path, Qt::Key_Return);
        QVERIFY(loaded.wait(10000));

        auto* tree = child<QTreeWidget>(&dialog, "pgAdminTree");
        auto* status = child<QLabel>(&dialog, "pgAdminStatusLabel");
        auto* notes = child<QLabel>(&dialog, "pgAdminNotesLabel");
        auto* importButton = child<QPushButton>(&dialog, "importButton");
        QCOMPARE(tree->topLevelItemCount(), 3);
        QVERIFY2(status->text().contains(u"3 server"), qPrintable(status->text()));
        QVERIFY(status->text().contains(u"1 cannot be imported"));
        QCOMPARE(tree->topLevelItem(0)->checkState(0), Qt::Checked);
        QVERIFY(!tree->topLevelItem(1)->flags().testFlag(Qt::ItemIsUserCheckable));
        QVERIFY(notes->text().contains(u"SSH tunnel"));
        QCOMPARE(dialog.selectedProfiles().size(), 2);
        QVERIFY(importButton->text().contains(u'2'));
        screenshot(&dialog, u"import-pgadmin"_s);
        QVERIFY2(clipped(&dialog).isEmpty(), qPrintable(clipped(&dialog).join(u", "_s)));

        tree->setCurrentItem(tree->topLevelItem(1));
        QVERIFY(notes->text().contains(u"must be a string"));

        QTest::mouseClick(child<QPushButton>(&dialog, "pgAdminSelectNoneButton"), Qt::LeftButton);
        QVERIFY(dialog.selectedProfiles().isEmpty());
        QVERIFY(!importButton->isEnabled());
        QTest::mouseClick(child<QPushButton>(&dialog, "pgAdminSelectAllButton"), Qt::LeftButton);
        const QList<vf::interop::ImportedProfile> selected = dialog.selectedProfiles();
        QCOMPARE(selected.size(), 2);
        QCOMPARE(selected.at(1).conninfo, *ConnInfo::parse(u"host=staging port=5433 dbname=app user=dev "
                                                           u"sslmode=require connect_timeout=10"_s));

        // A broken file: the error, no rows, nothing to import.
        dialog.openPgAdminFile(write(u"broken.json"_s, R"({"Servers": {"1": {"Name": )"));
        QVERIFY(loaded.wait(10000));
        QCOMPARE(tree->topLevelItemCount(), 0);
        QVERIFY2(status->text().contains(u"not valid JSON"), qPrintable(status->text()));
        QVERIFY(!importButton->isEnabled());
        screenshot(&dialog, u"import-pgadmin-error"_s);
    }

    void environment()
    {
        ImportDialog dialog(m_env);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* tabs = child<QTabWidget>(&dialog, "sourceTabs");
        QSignalSpy loaded(&dialog, &ImportDialog::environmentLoaded);
        tabs->setCurrentWidget(child<QWidget>(&dialog, "environmentPage"));
        QVERIFY(loaded.wait(10000));
        auto* tree = child<QTreeWidget>(&dialog, "environmentTree");
        QCOMPARE(tree->topLevelItemCount(), 2);
        QCOMPARE(tree->topLevelItem(0)->text(2), u"from PGHOST"_s);
        const QList<vf::interop::ImportedProfile> selected = dialog.selectedProfiles();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().conninfo, *ConnInfo::parse(u"host=env.example.com sslmode=verify-full"_s));
        screenshot(&dialog, u"import-environment"_s);
        QVERIFY2(clipped(&dialog).isEmpty(), qPrintable(clipped(&dialog).join(u", "_s)));
    }

    void accessibility()
    {
        ImportDialog import(m_env);
        ExportDialog exportDialog(*ConnInfo::parse(u"host=h password=pw"_s), u"P"_s, m_env);
        for (QWidget* dialog : {static_cast<QWidget*>(&import), static_cast<QWidget*>(&exportDialog)}) {
            const QList<QWidget*> widgets = dialog->findChildren<QWidget*>();
            for (QWidget* w : widgets) {
                const bool interactive = qobject_cast<QAbstractButton*>(w) || qobject_cast<QLineEdit*>(w) ||
                                         qobject_cast<QComboBox*>(w) || qobject_cast<QPlainTextEdit*>(w) ||
                                         qobject_cast<QTreeWidget*>(w);
                // Parts Qt builds inside its widgets (a line edit's clear button…) are not ours to name.
                if (!interactive || w->objectName().startsWith(u"qt_") ||
                    w->parent()->objectName().startsWith(u"qt_") ||
                    qobject_cast<QLineEdit*>(w->parentWidget()))
                    continue;
                QVERIFY2(!w->objectName().isEmpty(), w->metaObject()->className());
                const bool described = !w->toolTip().isEmpty() || !w->accessibleName().isEmpty() ||
                                       (qobject_cast<QAbstractButton*>(w) &&
                                        !qobject_cast<QAbstractButton*>(w)->text().isEmpty());
                QVERIFY2(described, qPrintable(w->objectName()));
            }
        }
    }

    void exportFormats()
    {
        const ConnInfo info =
            *ConnInfo::parse(u"host=db.example.com port=5432 dbname=app user=alice "
                             u"password=TOPSECRET sslmode=verify-full sslrootcert=/r.crt"_s);
        ExportDialog dialog(info, u"Production"_s, m_env);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* combo = child<QComboBox>(&dialog, "formatCombo");
        auto* output = child<QPlainTextEdit>(&dialog, "outputView");
        auto* secrets = child<QCheckBox>(&dialog, "includeSecretsCheck");
        auto* warning = child<QLabel>(&dialog, "secretsWarningLabel");
        auto* notes = child<QTextBrowser>(&dialog, "notesView");
        QVERIFY(combo && output && secrets && warning && notes);
        QCOMPARE(combo->count(), 8);
        QVERIFY(output->isReadOnly());
        QVERIFY(output->font().fixedPitch() || output->font().styleHint() == QFont::TypeWriter ||
                QFontInfo(output->font()).fixedPitch());

        // Secrets stay out by default, and come in only with the checkbox and its warning.
        QCOMPARE(dialog.text(), u"user=alice dbname=app host=db.example.com port=5432 sslmode=verify-full "
                                u"sslrootcert=/r.crt"_s);
        QVERIFY(notes->toPlainText().contains(u"Not included: password"));
        QVERIFY(!warning->isVisible());
        screenshot(&dialog, u"export-keyword-value"_s);
        QTest::mouseClick(secrets, Qt::LeftButton);
        QVERIFY(secrets->isChecked());
        QVERIFY(warning->isVisible());
        QVERIFY(dialog.text().contains(u"password=TOPSECRET"));
        screenshot(&dialog, u"export-secrets"_s);
        QVERIFY2(clipped(&dialog).isEmpty(), qPrintable(clipped(&dialog).join(u", "_s)));
        QTest::mouseClick(secrets, Qt::LeftButton);
        QVERIFY(!dialog.text().contains(u"TOPSECRET"));

        // Every format, picked with the keyboard.
        combo->setFocus();
        for (int i = 1; i < combo->count(); ++i) {
            QTest::keyClick(combo, Qt::Key_Down);
            QCOMPARE(combo->currentIndex(), i);
            const bool pgpass = combo->currentData().toString() == u"pgpass";
            QCOMPARE(dialog.text().isEmpty(), pgpass); // .pgpass needs the password
            QCOMPARE(dialog.errorText().isEmpty(), !pgpass);
            QVERIFY(!dialog.text().contains(u"TOPSECRET"));
            screenshot(&dialog, u"export-"_s + combo->currentData().toString());
            QVERIFY2(clipped(&dialog).isEmpty(),
                     qPrintable(combo->currentData().toString() + u": "_s + clipped(&dialog).join(u", "_s)));
        }

        // Service section: the name is asked for and checked.
        combo->setCurrentIndex(combo->findData(u"service"_s));
        auto* serviceName = child<QLineEdit>(&dialog, "serviceNameEdit");
        QVERIFY(serviceName->isVisible());
        QCOMPARE(serviceName->text(), u"production"_s);
        QVERIFY2(dialog.text().startsWith(u"[production]\nuser=alice\n"), qPrintable(dialog.text()));
        QTest::keyClicks(serviceName, u"]"_s);
        QVERIFY(dialog.text().isEmpty());
        QVERIFY(dialog.errorText().contains(u"cannot be a service name"));

        // Copy.
        combo->setCurrentIndex(combo->findData(u"uri"_s));
        QTest::mouseClick(child<QPushButton>(&dialog, "copyButton"), Qt::LeftButton);
        QCOMPARE(QGuiApplication::clipboard()->text(), dialog.text());
        QVERIFY(child<QLabel>(&dialog, "statusLabel")->text().contains(u"Copied"));
    }

    void exportFiles()
    {
        const QString key =
            write(u"keys/client.key"_s, TestPki::makeCert(TestPki::clientSpec(u"c"_s))
                                            .keyBytes(vf::test::KeyFormat::Pkcs8Pem, "key-pass"));
        ConnInfo info =
            *ConnInfo::parse(u"host=db port=5432 dbname=app user=alice password=pw sslmode=verify-full"_s);
        info.setValue(u"sslkey"_s, key);
        ExportDialog dialog(info, u"P"_s, m_env);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto* combo = child<QComboBox>(&dialog, "formatCombo");

        // Saving: 0644 without secrets, 0600 with.
        const QString plain = m_dir.filePath(u"out/plain.txt"_s);
        QDir().mkpath(m_dir.filePath(u"out"_s));
        QVERIFY(dialog.saveTo(plain));
        QCOMPARE(modeOf(plain), mode_t(0644));
        QTest::mouseClick(child<QCheckBox>(&dialog, "includeSecretsCheck"), Qt::LeftButton);
        const QString secret = m_dir.filePath(u"out/secret.txt"_s);
        QVERIFY(dialog.saveTo(secret));
        QCOMPARE(modeOf(secret), mode_t(0600));
        QFile f(secret);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("password=pw"));

        // .pgpass: the button appends to the password file, created 0600.
        combo->setCurrentIndex(combo->findData(u"pgpass"_s));
        auto* append = child<QPushButton>(&dialog, "appendPgPassButton");
        QVERIFY(append->isVisible());
        QVERIFY(append->text().contains(u"~/.pgpass"));
        QCOMPARE(dialog.pgPassPath(), m_dir.filePath(u"home/.pgpass"_s));
        QTest::mouseClick(append, Qt::LeftButton);
        QCOMPARE(modeOf(dialog.pgPassPath()), mode_t(0600));
        QFile pgpass(dialog.pgPassPath());
        QVERIFY(pgpass.open(QIODevice::ReadOnly));
        QCOMPARE(pgpass.readAll(), QByteArray("db:5432:app:alice:pw\n"));
        QVERIFY(child<QLabel>(&dialog, "statusLabel")->text().contains(u"0600"));
        screenshot(&dialog, u"export-pgpass"_s);

        // JDBC: the key is converted to PKCS#8; the passphrase is asked for.
        combo->setCurrentIndex(combo->findData(u"jdbc"_s));
        auto* convert = child<QPushButton>(&dialog, "convertKeyButton");
        QVERIFY(convert->isVisible());
        QVERIFY(dialog.text().contains(u"sslkey="_s + m_dir.filePath(u"keys/client.pk8"_s)));
        const QString out = m_dir.filePath(u"keys/client.pk8"_s);
        QVERIFY(!dialog.convertKeyTo(out));
        auto* prompt = dialog.findChild<QInputDialog*>(u"passphraseDialog"_s);
        QVERIFY(prompt);
        QTRY_VERIFY(prompt->isVisible());
        screenshot(prompt, u"export-passphrase"_s);
        prompt->setTextValue(u"key-pass"_s);
        prompt->accept();
        QTRY_VERIFY(QFile::exists(out));
        QCOMPARE(modeOf(out), mode_t(0600));
        QVERIFY(child<QLabel>(&dialog, "statusLabel")->text().contains(u"PKCS#8"));
        QVERIFY(prompt->textValue().isEmpty());
        screenshot(&dialog, u"export-jdbc"_s);
        QVERIFY2(clipped(&dialog).isEmpty(), qPrintable(clipped(&dialog).join(u", "_s)));
    }

    // At the smallest screen we support (1024x700) the dialogs fit.
    void fitsSmallScreen()
    {
        ImportDialog import(m_env);
        ExportDialog exportDialog(*ConnInfo::parse(u"host=h"_s), u"P"_s, m_env);
        for (QDialog* d : {static_cast<QDialog*>(&import), static_cast<QDialog*>(&exportDialog)}) {
            d->show();
            QVERIFY(QTest::qWaitForWindowExposed(d));
            QVERIFY(d->width() <= 1024 && d->height() <= 700);
            QVERIFY(d->minimumSizeHint().width() <= 1024 && d->minimumSizeHint().height() <= 700);
        }
    }
};

QTEST_MAIN(TestInteropDialogs)
#include "tst_interop_dialogs.moc"
