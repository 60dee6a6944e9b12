#include "MainWindow.h"

#include "MessageBar.h"
#include "chain/ChainBrowser.h"
#include "common/Version.h"
#include "i18n/LanguageMenu.h"
#include "interop/ExportDialog.h"
#include "interop/ImportDialog.h"
#include "pki/Certificate.h"
#include "profiles/ProfileEditor.h"
#include "profiles/ProfileFilterProxy.h"
#include "profiles/ProfileListModel.h"
#include "profiles/ProfileListWidget.h"
#include "risk/RiskTable.h"
#include "test/TestPanel.h"
#include "ui_MainWindow.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemWatcher>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>
#include <QUrl>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

constexpr int kSaveDelayMs = 400;
constexpr int kSyncDelayMs = 250;
constexpr int kStatusMs = 8000;
constexpr int kCloseWaitMs = 5000;

const QString kKeychainMessage = u"keychainMessage"_s;
const QString kKeychainErrorMessage = u"keychainErrorMessage"_s;
const QString kProfilesMessage = u"profilesMessage"_s;
const QString kConflictMessage = u"conflictMessage"_s;
const QString kSaveErrorMessage = u"saveErrorMessage"_s;

QString fileNameFor(const QString& name)
{
    QString out;
    for (const QChar c : name) {
        if (c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.')
            out += c;
        else if (!out.endsWith(u'-'))
            out += u'-';
    }
    return out.isEmpty() ? u"profile"_s : out;
}

} // namespace

MainWindow::MainWindow(QWidget* parent)
    : MainWindow(ProfileStore(), parent)
{}

MainWindow::MainWindow(const ProfileStore& store, QWidget* parent)
    : QMainWindow(parent)
    , m_ui(std::make_unique<Ui::MainWindow>())
    , m_store(store)
    , m_model(new ProfileListModel(this))
    , m_chainBrowser(new ChainBrowser(this))
    , m_saveTimer(new QTimer(this))
    , m_syncTimer(new QTimer(this))
    , m_watcher(new QFileSystemWatcher(this))
    , m_secrets(new SecretStore(this))
{
    m_ui->setupUi(this);
    m_ui->certificatesLayout->addWidget(m_chainBrowser);
    m_chainBrowser->setObjectName(u"chainBrowser"_s);
    m_ui->mainSplitter->setStretchFactor(0, 0);
    m_ui->mainSplitter->setStretchFactor(1, 1);
    m_ui->mainSplitter->setSizes({280, 1000});
    m_ui->profileList->setModel(m_model);
    m_saveTimer->setSingleShot(true);
    m_saveTimer->setInterval(kSaveDelayMs);
    m_syncTimer->setSingleShot(true);
    m_syncTimer->setInterval(kSyncDelayMs);

    setupTestPanel();
    setupMenus();

    connect(m_model, &ProfileListModel::modified, m_saveTimer, qOverload<>(&QTimer::start));
    connect(m_saveTimer, &QTimer::timeout, this, &MainWindow::saveProfiles);
    connect(m_ui->profileList, &ProfileListWidget::currentProfileChanged, this, &MainWindow::showProfile);
    connect(m_ui->profileList, &ProfileListWidget::profileCreated, this,
            [this] { m_ui->profileEditor->focusName(); });
    connect(m_ui->profileList, &ProfileListWidget::testRequested, this, [this](const QUuid& id) {
        m_ui->profileList->selectProfile(id);
        runTest();
    });
    connect(m_ui->profileEditor, &ProfileEditor::profileEdited, this, &MainWindow::onProfileEdited);
    connect(m_ui->profileEditor, &ProfileEditor::testRequested, this, &MainWindow::runTest);
    connect(m_ui->emptyNewButton, &QPushButton::clicked, m_ui->profileList->newAction(), &QAction::trigger);
    connect(m_ui->emptyOpenButton, &QPushButton::clicked, m_ui->actionOpenCertificate, &QAction::trigger);

    m_ui->emptyText->installEventFilter(this); // wrapped text: its height follows its width
    connect(m_watcher, &QFileSystemWatcher::fileChanged, m_syncTimer, qOverload<>(&QTimer::start));
    connect(m_watcher, &QFileSystemWatcher::directoryChanged, m_syncTimer, qOverload<>(&QTimer::start));
    connect(m_syncTimer, &QTimer::timeout, this, &MainWindow::syncProfiles);

    connect(m_secrets, &SecretStore::availabilityChanged, this, &MainWindow::onKeychainAvailability);
    connect(m_ui->profileList, &ProfileListWidget::profileDeleted, this, &MainWindow::onProfileDeleted);
    connect(m_ui->profileList, &ProfileListWidget::profileRestored, this, &MainWindow::onProfileRestored);
    connect(m_ui->profileList, &ProfileListWidget::profileDuplicated, this, &MainWindow::copySecrets);
    connect(m_testPanel, &TestPanel::secretEntered, this, &MainWindow::onSecretEntered);
    m_secrets->checkAvailability();

    loadProfiles();
}

MainWindow::~MainWindow()
{
    // Children destroyed with the widget (a line edit losing focus, the undo stack clearing) must not
    // call back into a half-destroyed object.
    const QList<QObject*> children = findChildren<QObject*>();
    for (QObject* child : children)
        child->disconnect(this);
}

ProfileListWidget* MainWindow::profileList() const
{
    return m_ui->profileList;
}

ProfileEditor* MainWindow::profileEditor() const
{
    return m_ui->profileEditor;
}

MessageBar* MainWindow::messageBar() const
{
    return m_ui->messageBar;
}

void MainWindow::setupMenus()
{
    ProfileListWidget* list = m_ui->profileList;
    m_ui->menuFile->insertAction(m_ui->actionOpenCertificate, list->newAction());
    QUndoStack* undo = list->undoStack();
    QAction* undoAction = undo->createUndoAction(this, tr("&Undo"));
    undoAction->setObjectName(u"actionUndo"_s);
    undoAction->setShortcut(QKeySequence::Undo);
    undoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut); // text fields keep their own Ctrl+Z
    list->addAction(undoAction);
    QAction* redoAction = undo->createRedoAction(this, tr("&Redo"));
    redoAction->setObjectName(u"actionRedo"_s);
    redoAction->setShortcut(QKeySequence::Redo);
    redoAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    list->addAction(redoAction);
    m_ui->menuEdit->addAction(undoAction);
    m_ui->menuEdit->addAction(redoAction);
    m_ui->menuEdit->addSeparator();
    m_ui->menuEdit->addAction(list->duplicateAction());
    m_ui->menuEdit->addAction(list->deleteAction());
    m_ui->menuEdit->addAction(list->testAction());
    m_ui->menuEdit->addSeparator();
    m_ui->menuEdit->addAction(list->filterAction());

    connect(m_ui->actionQuit, &QAction::triggered, this, &QWidget::close);
    connect(m_ui->actionOpenCertificate, &QAction::triggered, this, [this] {
        m_ui->mainTabs->setCurrentWidget(m_ui->certificatesPage);
        m_chainBrowser->chooseFile();
    });
    connect(m_ui->actionShowConnections, &QAction::triggered, this,
            [this] { m_ui->mainTabs->setCurrentWidget(m_ui->connectionsPage); });
    connect(m_ui->actionShowCertificates, &QAction::triggered, this,
            [this] { m_ui->mainTabs->setCurrentWidget(m_ui->certificatesPage); });
    auto showProtection = [this] {
        m_ui->mainTabs->setCurrentWidget(m_ui->connectionsPage);
        if (m_ui->editorStack->currentWidget() != m_ui->profileEditor) {
            statusBar()->showMessage(
                tr("Select or create a profile to see what its sslmode protects against."), kStatusMs);
            return;
        }
        m_ui->profileEditor->showPage(m_ui->profileEditor->riskTable()->parentWidget());
        m_ui->profileEditor->riskTable()->setFocus(Qt::ShortcutFocusReason);
    };
    connect(m_ui->actionShowProtection, &QAction::triggered, this, showProtection);
    connect(m_ui->actionSslModes, &QAction::triggered, this, showProtection);
    connect(m_ui->actionShowProfileList, &QAction::toggled, m_ui->profileList, &QWidget::setVisible);
    connect(m_ui->actionAbout, &QAction::triggered, this, &MainWindow::showAbout);
    connect(m_ui->actionAboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);

    // Import and export (ui/interop), beside the other File actions.
    auto* importAction = new QAction(tr("&Import Connections…"), this);
    importAction->setObjectName(u"actionImport"_s);
    importAction->setToolTip(tr("New profiles from a connection string or URI, pg_service.conf, pgAdmin's "
                                "servers.json or your environment"));
    auto* exportAction = new QAction(tr("&Export Connection…"), this);
    exportAction->setObjectName(u"actionExport"_s);
    exportAction->setToolTip(tr("The selected profile as a connection string, URI, service section, .pgpass "
                                "line, psql command, or psycopg, node-postgres and JDBC code"));
    m_ui->menuFile->insertAction(m_ui->actionOpenCertificate, importAction);
    m_ui->menuFile->insertAction(m_ui->actionOpenCertificate, exportAction);
    m_ui->menuFile->insertSeparator(m_ui->actionOpenCertificate);
    connect(importAction, &QAction::triggered, this, &MainWindow::importConnections);
    connect(exportAction, &QAction::triggered, this, &MainWindow::exportConnection);

    // View → Language (ui/i18n): saved, applied at the next start (offers to restart now).
    m_ui->menuView->addSeparator();
    m_ui->menuView->addMenu(new LanguageMenu(m_ui->menuView));
}

void MainWindow::importConnections()
{
    auto* dialog = new ImportDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        QUuid last;
        for (const interop::ImportedProfile& imported : dialog->selectedProfiles()) {
            Profile p = Profile::createNew(m_model->uniqueName(imported.suggestedName));
            p.conninfo = imported.conninfo; // as imported (no sslmode added); secrets stay in this session
            m_model->insertProfile(m_model->rowCount(), p);
            last = p.id;
        }
        if (!last.isNull()) {
            m_ui->mainTabs->setCurrentWidget(m_ui->connectionsPage);
            m_ui->profileList->selectProfile(last);
        }
    });
    dialog->open();
}

void MainWindow::exportConnection()
{
    const Profile* p = m_model->find(m_ui->profileList->currentProfileId());
    if (!p) {
        statusBar()->showMessage(tr("Select a profile to export."), kStatusMs);
        return;
    }
    auto* dialog = new ExportDialog(p->conninfo, p->name, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::setupTestPanel()
{
    m_testPanel = new TestPanel(this);
    m_testPanel->setObjectName(u"testPanel"_s);
    // The panel shows the server's chain in the browser itself, with its verification.
    m_testPanel->setChainBrowser(m_chainBrowser);
    connect(m_testPanel, &TestPanel::testFinished, this, &MainWindow::onTestFinished);
    connect(m_testPanel, &TestPanel::chainReceived, this, [this](const QList<pki::Certificate>& chain) {
        if (!chain.isEmpty())
            statusBar()->showMessage(
                tr("The server's certificate chain is in the Certificates tab (Ctrl+2)."), kStatusMs);
    });
    connect(m_testPanel, &TestPanel::trustRequested, this, &MainWindow::trustCertificate);
    // Its own Test button too goes through runTest(), which first reads remembered secrets.
    m_testPanel->setDeferStart(true);
    connect(m_testPanel, &TestPanel::testRequested, this, &MainWindow::runTest);
    m_ui->profileEditor->addPage(m_testPanel, tr("Test")); // Ctrl+T runs it; "&Test" is the panel's button
}

void MainWindow::loadProfiles()
{
    const auto loaded = m_store.load();
    if (!loaded) {
        const Error& e = loaded.error();
        m_ui->messageBar->showMessage(
            kProfilesMessage, StatusLevel::Error,
            tr("The profiles could not be loaded: %1. %2").arg(e.message, e.explanation));
        showProfile({});
        return;
    }
    m_model->setProfiles(loaded->profiles);
    applyOutcome(*loaded);
    if (loaded->migratedFrom > 0)
        statusBar()->showMessage(
            tr("The profile file was upgraded to the current format; the old one is kept "
               "next to it as %1.")
                .arg(QFileInfo(loaded->backupPath).fileName()),
            kStatusMs);
    if (!loaded->profiles.isEmpty())
        m_ui->profileList->selectProfile(
            m_ui->profileList->proxy()->index(0, 0).data(ProfileListModel::IdRole).toUuid());
    else
        showProfile({});
    watchProfileFile();
}

void MainWindow::applyOutcome(const ProfileStore::Outcome& outcome)
{
    if (!outcome.setAsidePath.isEmpty()) {
        const QString folder = QFileInfo(outcome.setAsidePath).absolutePath();
        m_ui->messageBar->showMessage(
            kProfilesMessage, StatusLevel::Warning,
            tr("The profile file could not be used: %1. It was kept as %2, and the profiles start again from "
               "what could be read from it.")
                .arg(outcome.problem, QDir::toNativeSeparators(outcome.setAsidePath)),
            tr("Open Folder"), [folder] { QDesktopServices::openUrl(QUrl::fromLocalFile(folder)); });
    } else if (outcome.readOnly) {
        m_ui->messageBar->showMessage(
            kProfilesMessage, StatusLevel::Warning,
            tr("The profile file %1 is open read-only: %2. Changes made here are not "
               "saved.")
                .arg(QDir::toNativeSeparators(m_store.path()), outcome.problem));
    }
    for (const ProfileStore::Conflict& c : outcome.conflicts) {
        const Profile* mine = m_model->find(c.original);
        const QString name = mine ? mine->name : c.copyName;
        m_ui->messageBar->showMessage(
            kConflictMessage, StatusLevel::Warning,
            tr("\u201c%1\u201d was changed here and in another VerifyFull at the same "
               "time. Both versions are kept: the other one as \u201c%2\u201d.")
                .arg(name, c.copyName));
    }

    // The list follows the file; the editor too, unless it shows what is being typed.
    const QUuid shown = m_ui->editorStack->currentWidget() == m_ui->profileEditor
                            ? m_ui->profileEditor->profile().id
                            : QUuid();
    m_model->mergeProfiles(outcome.profiles);
    for (const ProfileStore::Conflict& c : outcome.conflicts)
        copySecrets(c.original, c.copy);
    if (!shown.isNull()) {
        if (const Profile* p = m_model->find(shown); p && !p->sameSettings(m_ui->profileEditor->profile())) {
            m_ui->profileEditor->setProfile(*p);
            m_testPanel->setConnection(m_ui->profileEditor->conninfo(true));
        }
    }
    if (outcome.changedElsewhere && outcome.conflicts.isEmpty())
        statusBar()->showMessage(tr("Profiles changed by another VerifyFull were loaded."), kStatusMs);
}

void MainWindow::watchProfileFile()
{
    const QString file = m_store.path();
    const QString dir = QFileInfo(file).absolutePath();
    QDir().mkpath(dir); // watched before the first profile is saved there (maybe by another instance)
    if (QFileInfo(dir).isDir() && !m_watcher->directories().contains(dir))
        m_watcher->addPath(dir);
    if (QFileInfo(file).isFile() && !m_watcher->files().contains(file))
        m_watcher->addPath(file);
}

void MainWindow::syncProfiles()
{
    if (m_saveTimer->isActive())
        return; // the save merges anyway
    const auto synced = m_store.sync(m_model->profiles());
    if (synced) {
        applyOutcome(*synced);
        if (synced->needsSave)
            m_saveTimer->start();
    }
    watchProfileFile();
}

bool MainWindow::saveProfiles()
{
    m_saveTimer->stop();
    flushSecrets();
    if (m_store.isReadOnly())
        return false; // said once, when it was opened
    const auto saved = m_store.save(m_model->profiles());
    if (!saved) {
        const Error& e = saved.error();
        if (m_ui->messageBar->messageText(kSaveErrorMessage).isEmpty() ||
            !m_ui->messageBar->messageText(kSaveErrorMessage).startsWith(e.message))
            m_ui->messageBar->showMessage(kSaveErrorMessage, StatusLevel::Error,
                                          e.explanation.isEmpty() ? e.message
                                                                  : e.message + u". "_s + e.explanation);
        if (e.code == u"profiles.locked")
            m_saveTimer->start(); // another instance is writing: try again
        return false;
    }
    m_ui->messageBar->hideMessage(kSaveErrorMessage);
    applyOutcome(*saved);
    watchProfileFile();
    return true;
}

void MainWindow::showProfile(const QUuid& id)
{
    const Profile* p = m_model->find(id);
    if (!p) {
        m_ui->editorStack->setCurrentWidget(m_ui->emptyPage);
        return;
    }
    m_ui->profileEditor->setProfile(*p);
    m_ui->editorStack->setCurrentWidget(m_ui->profileEditor);
    if (!m_testPanel->isRunning())
        m_testingId = id; // what the panel tests from now on
    m_testPanel->setConnection(m_ui->profileEditor->conninfo(true));
}

void MainWindow::onProfileEdited()
{
    const Profile& edited = m_ui->profileEditor->profile();
    const Profile* stored = m_model->find(edited.id);
    if (!stored)
        return;
    Profile merged = *stored; // the test result stays the list's
    merged.name = edited.name;
    merged.conninfo = edited.conninfo;
    merged.rememberPassword = edited.rememberPassword;
    merged.rememberKeyPassword = edited.rememberKeyPassword;
    queueSecretChanges(*stored, merged);
    m_model->updateProfile(merged);
    m_testPanel->setConnection(m_ui->profileEditor->conninfo(true));
}

void MainWindow::runTest()
{
    const QUuid id = m_ui->profileList->currentProfileId();
    if (id.isNull())
        return;
    m_ui->mainTabs->setCurrentWidget(m_ui->connectionsPage);
    m_ui->profileEditor->showPage(m_testPanel);
    if (m_testPanel->isRunning() || !m_readingFor.isNull())
        return; // the panel's own Cancel stops it
    const Profile* p = m_model->find(id);
    if (!p)
        return;

    // Remembered secrets come from the keychain now, once per session.
    QList<SecretKind> wanted;
    if (m_secrets->availability() != SecretStore::Availability::Unavailable) {
        for (const SecretKind kind : kSecretKinds) {
            if (p->remembers(kind) && p->secret(kind).isEmpty())
                wanted << kind;
        }
    }
    if (wanted.isEmpty()) {
        startTestOf(id);
        return;
    }
    flushSecrets();
    m_readingFor = id;
    statusBar()->showMessage(tr("Reading the keychain\u2026"));
    auto remaining = std::make_shared<int>(int(wanted.size()));
    for (const SecretKind kind : std::as_const(wanted)) {
        m_secrets->read(id, kind, this, [this, id, kind, remaining](const SecretStore::Reply& reply) {
            if (reply.ok() && !reply.secret.isEmpty())
                setSessionSecret(id, kind, reply.secret);
            else if (reply.status != SecretStore::Status::NotFound &&
                     reply.status != SecretStore::Status::Unavailable) // unavailable: said once already
                reportKeychainFailure(m_model->find(id) ? m_model->find(id)->name : QString(), kind, reply);
            if (--*remaining > 0)
                return;
            m_readingFor = {};
            statusBar()->clearMessage();
            if (m_ui->profileList->currentProfileId() == id)
                startTestOf(id); // what the keychain did not have is asked for by the test
        });
    }
}

void MainWindow::startTestOf(const QUuid& id)
{
    if (m_testPanel->isRunning())
        return;
    m_testingId = id;
    m_testPanel->setConnection(m_ui->profileEditor->conninfo(true));
    m_testPanel->startTest();
}

void MainWindow::onTestFinished(bool success)
{
    m_model->setTestResult(m_testingId, success ? Profile::TestResult::Passed : Profile::TestResult::Failed,
                           QDateTime::currentDateTimeUtc());
}

void MainWindow::trustCertificate(const pki::Certificate& caCertificate)
{
    const Profile* p = m_model->find(m_testingId);
    if (!p || caCertificate.isNull())
        return;
    const QString dir =
        QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(u"roots"_s);
    const QString fingerprint = QString::fromLatin1(caCertificate.sha256Fingerprint().toHex().left(16));
    const QString path = QDir(dir).filePath(fileNameFor(p->name) + u'-' + fingerprint + u".crt"_s);
    QSaveFile file(path);
    if (!QDir().mkpath(dir) || !file.open(QIODevice::WriteOnly) || file.write(caCertificate.toPem()) < 0 ||
        !file.commit()) {
        statusBar()->showMessage(tr("Could not save the CA certificate to %1: %2")
                                     .arg(QDir::toNativeSeparators(path), file.errorString()));
        return;
    }
    m_ui->profileList->selectProfile(m_testingId);
    m_ui->profileEditor->setValue(u"sslrootcert"_s, path);
    m_ui->profileEditor->setValue(u"sslmode"_s, u"verify-full"_s);
    statusBar()->showMessage(tr("Saved the CA certificate as %1; the profile now uses verify-full.")
                                 .arg(QDir::toNativeSeparators(path)),
                             kStatusMs);
    runTest();
}

void MainWindow::openFile(const QString& path)
{
    m_ui->mainTabs->setCurrentWidget(m_ui->certificatesPage);
    m_chainBrowser->openFile(path);
}

void MainWindow::saveLayout(QSettings& settings) const
{
    settings.setValue(u"mainWindow/geometry"_s, saveGeometry());
    settings.setValue(u"mainWindow/state"_s, saveState());
    settings.setValue(u"mainWindow/splitter"_s, m_ui->mainSplitter->saveState());
    settings.setValue(u"mainWindow/page"_s, m_ui->mainTabs->currentIndex());
    settings.setValue(u"mainWindow/profileList"_s, m_ui->actionShowProfileList->isChecked());
}

void MainWindow::restoreLayout(const QSettings& settings)
{
    if (!restoreGeometry(settings.value(u"mainWindow/geometry"_s).toByteArray())) {
        // First start: the default size, but never larger than the screen.
        if (const QScreen* s = screen()) {
            const QSize room = s->availableSize();
            resize(std::min(width(), room.width()), std::min(height(), room.height()));
        }
    }
    restoreState(settings.value(u"mainWindow/state"_s).toByteArray());
    m_ui->mainSplitter->restoreState(settings.value(u"mainWindow/splitter"_s).toByteArray());
    m_ui->mainTabs->setCurrentIndex(settings.value(u"mainWindow/page"_s, 0).toInt());
    m_ui->actionShowProfileList->setChecked(settings.value(u"mainWindow/profileList"_s, true).toBool());
}

void MainWindow::showAbout()
{
    auto* box = new QMessageBox(QMessageBox::Information, tr("About VerifyFull"),
                                tr("<b>VerifyFull %1</b><p>Get PostgreSQL TLS connections right: settings, "
                                   "certificates and a clear diagnosis, the way libpq does it.</p>")
                                    .arg(QString::fromLatin1(vf::kVersion)),
                                QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_saveTimer->isActive() || !m_pendingSecrets.isEmpty())
        saveProfiles();
    if (m_secrets->pendingCount() > 0 && !m_closeAnyway) {
        // The keychain is still busy: close when it is done (or after a while, whatever it says).
        event->ignore();
        if (!std::exchange(m_closeWhenIdle, true)) {
            statusBar()->showMessage(tr("Saving to the keychain\u2026"));
            connect(m_secrets, &SecretStore::idle, this, &QWidget::close, Qt::QueuedConnection);
            QTimer::singleShot(kCloseWaitMs, this, [this] {
                m_closeAnyway = true;
                close();
            });
        }
        return;
    }
    event->accept();
}

void MainWindow::onKeychainAvailability(SecretStore::Availability availability)
{
    if (availability == SecretStore::Availability::Available) {
        m_ui->profileEditor->setKeychainAvailable(true);
        flushSecrets();
        return;
    }
    if (availability != SecretStore::Availability::Unavailable)
        return;
    m_ui->profileEditor->setKeychainAvailable(false);
    m_pendingSecrets.clear(); // never kept anywhere else
    if (std::exchange(m_keychainNoticeShown, true))
        return;
    m_ui->messageBar->showMessage(
        kKeychainMessage, StatusLevel::Info,
        tr("No keychain is available (no Secret Service is running), so passwords cannot be remembered. They "
           "are asked for when a test needs them and kept only until VerifyFull closes; they are never "
           "written "
           "to disk."));
}

void MainWindow::queueSecretChanges(const Profile& before, const Profile& after)
{
    if (m_secrets->availability() == SecretStore::Availability::Unavailable)
        return;
    for (const SecretKind kind : kSecretKinds) {
        const QString key = SecretStore::keyFor(after.id, kind);
        const bool wasRemembered = before.remembers(kind);
        const bool remember = after.remembers(kind);
        const QString old = before.secret(kind);
        const QString now = after.secret(kind);
        if (remember && !now.isEmpty() && (!wasRemembered || now != old))
            m_pendingSecrets.insert(key, {after.id, kind, now}); // typed, or newly remembered
        else if (wasRemembered && !remember)
            m_pendingSecrets.insert(key, {after.id, kind, std::nullopt}); // no longer remembered
        else if (remember && wasRemembered && now.isEmpty() && !old.isEmpty())
            m_pendingSecrets.insert(key, {after.id, kind, std::nullopt}); // cleared
        else if (remember && !wasRemembered)
            m_pendingSecrets.remove(key); // remembered again before the removal was handed over
    }
    if (!m_pendingSecrets.isEmpty())
        m_saveTimer->start();
}

void MainWindow::flushSecrets()
{
    if (m_pendingSecrets.isEmpty() || m_secrets->availability() != SecretStore::Availability::Available)
        return;
    const auto pending = std::exchange(m_pendingSecrets, {});
    for (const PendingSecret& change : pending) {
        const Profile* p = m_model->find(change.id);
        const QString name = p ? p->name : QString();
        auto done = [this, name, kind = change.kind](const SecretStore::Reply& reply) {
            if (!reply.ok() && reply.status != SecretStore::Status::NotFound)
                reportKeychainFailure(name, kind, reply);
        };
        if (change.value)
            m_secrets->write(change.id, change.kind, *change.value, this, done);
        else
            m_secrets->remove(change.id, change.kind, this, done);
    }
}

void MainWindow::reportKeychainFailure(const QString& profileName, SecretKind kind,
                                       const SecretStore::Reply& reply)
{
    if (reply.status == SecretStore::Status::Unavailable)
        return; // onKeychainAvailability() says it once
    const QString what = kind == SecretKind::Password ? tr("the password") : tr("the key password");
    const QString why = reply.status == SecretStore::Status::Denied
                            ? tr("the keychain is locked or refused access")
                            : reply.error;
    m_ui->messageBar->showMessage(
        kKeychainErrorMessage, StatusLevel::Warning,
        tr("The keychain could not handle %1 of \u201c%2\u201d: %3. It is asked for "
           "when a test needs it.")
            .arg(what, profileName, why));
}

void MainWindow::setSessionSecret(const QUuid& id, SecretKind kind, const QString& secret)
{
    const Profile* stored = m_model->find(id);
    if (!stored || stored->secret(kind) == secret)
        return;
    Profile p = *stored;
    p.setSecret(kind, secret);
    m_model->updateProfile(p);
    if (m_ui->editorStack->currentWidget() == m_ui->profileEditor &&
        m_ui->profileEditor->profile().id == id) {
        m_ui->profileEditor->setSecret(kind, secret);
        m_testPanel->setConnection(m_ui->profileEditor->conninfo(true));
    }
}

void MainWindow::onSecretEntered(SecretKind kind, const QString& secret)
{
    const QUuid id = m_testingId;
    const Profile* p = m_model->find(id);
    if (!p)
        return;
    const Profile before = *p;
    setSessionSecret(id, kind, secret);
    if (const Profile* after = m_model->find(id)) {
        queueSecretChanges(before, *after);
        flushSecrets();
    }
}

void MainWindow::copySecrets(const QUuid& from, const QUuid& to)
{
    const Profile* target = m_model->find(to);
    if (!target || m_secrets->availability() == SecretStore::Availability::Unavailable)
        return;
    for (const SecretKind kind : kSecretKinds) {
        if (!target->remembers(kind))
            continue;
        if (const QString session = target->secret(kind); !session.isEmpty()) {
            m_pendingSecrets.insert(SecretStore::keyFor(to, kind), {to, kind, session});
            continue;
        }
        m_secrets->read(from, kind, this, [this, to, kind](const SecretStore::Reply& reply) {
            if (reply.ok() && m_model->find(to))
                m_secrets->write(to, kind, reply.secret, this);
        });
    }
    flushSecrets();
}

void MainWindow::onProfileDeleted(const Profile& profile)
{
    if (m_secrets->availability() == SecretStore::Availability::Unavailable)
        return;
    // The keychain entries go with the profile; what they held stays in memory while undo can bring the
    // profile back.
    for (const SecretKind kind : kSecretKinds) {
        const QString key = SecretStore::keyFor(profile.id, kind);
        const bool pendingRemoval = m_pendingSecrets.contains(key) && !m_pendingSecrets.value(key).value;
        m_pendingSecrets.remove(key);
        if (!profile.remembers(kind)) {
            if (pendingRemoval)
                m_secrets->remove(profile.id, kind, this);
            continue;
        }
        if (const QString session = profile.secret(kind); !session.isEmpty()) {
            m_deletedSecrets.insert(key, session);
        } else {
            m_deletedReads.insert(key);
            m_secrets->read(profile.id, kind, this,
                            [this, key, id = profile.id, kind](const SecretStore::Reply& reply) {
                                m_deletedReads.remove(key);
                                if (!reply.ok())
                                    return;
                                if (m_restoreWanted.remove(key))
                                    m_secrets->write(id, kind, reply.secret, this); // after the removal below
                                else
                                    m_deletedSecrets.insert(key, reply.secret);
                            });
        }
        m_secrets->remove(profile.id, kind, this);
    }
}

void MainWindow::onProfileRestored(const Profile& profile)
{
    for (const SecretKind kind : kSecretKinds) {
        const QString key = SecretStore::keyFor(profile.id, kind);
        if (m_deletedReads.contains(key)) {
            m_restoreWanted.insert(key);
        } else if (m_deletedSecrets.contains(key)) {
            m_secrets->write(profile.id, kind, m_deletedSecrets.take(key), this);
        }
    }
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_ui->emptyText && event->type() == QEvent::Resize) {
        const int height = m_ui->emptyText->heightForWidth(m_ui->emptyText->width());
        if (height > 0 && m_ui->emptyText->minimumHeight() != height)
            m_ui->emptyText->setMinimumHeight(height);
    }
    return QMainWindow::eventFilter(watched, event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (!mime->hasUrls() || mime->urls().isEmpty() || !mime->urls().first().isLocalFile())
        return;
    event->acceptProposedAction();
    openFile(mime->urls().first().toLocalFile());
}

} // namespace vf::ui
