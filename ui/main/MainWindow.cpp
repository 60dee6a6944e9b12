#include "MainWindow.h"

#include "chain/ChainBrowser.h"
#include "common/Version.h"
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
#include <QDir>
#include <QMessageBox>
#include <QMimeData>
#include <QSaveFile>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QUndoStack>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

constexpr int kSaveDelayMs = 400;
constexpr int kStatusMs = 8000;

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
    m_ui->profileEditor->addPage(m_testPanel, tr("Test")); // Ctrl+T runs it; "&Test" is the panel's button
}

void MainWindow::loadProfiles()
{
    const auto loaded = m_store.load();
    if (!loaded) {
        const Error& e = loaded.error();
        m_storeBroken = e.code == u"profiles.unreadable";
        auto* box = new QMessageBox(QMessageBox::Warning, tr("Profiles not loaded"), e.message,
                                    QMessageBox::Ok, this);
        box->setInformativeText(e.explanation);
        box->setAttribute(Qt::WA_DeleteOnClose);
        QTimer::singleShot(0, box, [box] { box->open(); });
        statusBar()->showMessage(e.message);
        return;
    }
    m_model->setProfiles(*loaded);
    if (!loaded->isEmpty())
        m_ui->profileList->selectProfile(
            m_ui->profileList->proxy()->index(0, 0).data(ProfileListModel::IdRole).toUuid());
    else
        showProfile({});
}

bool MainWindow::saveProfiles()
{
    m_saveTimer->stop();
    if (m_storeBroken) {
        statusBar()->showMessage(tr("Profiles are not saved: %1 could not be read, and is left as it is.")
                                     .arg(QDir::toNativeSeparators(m_store.path())));
        return false;
    }
    const auto saved = m_store.save(m_model->profiles());
    if (!saved) {
        statusBar()->showMessage(saved.error().message + u" \u2014 "_s + saved.error().explanation);
        return false;
    }
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
    if (m_testPanel->isRunning())
        return; // the panel's own Cancel stops it
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
    if (m_saveTimer->isActive())
        saveProfiles();
    event->accept();
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
