#pragma once

#include "profiles/ProfileStore.h"

#include <QMainWindow>
#include <QUuid>

#include <memory>

class QSettings;
class QTimer;

namespace Ui {
class MainWindow;
}

namespace vf::pki {
class Certificate;
}

namespace vf::ui {

class ChainBrowser;
class ProfileEditor;
class ProfileListModel;
class ProfileListWidget;
class TestPanel;

// The application window: the saved profiles beside the editor of the selected one (its tabs
// Connection, SSL, Advanced, Protection and Test), and the certificate browser.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget* parent = nullptr);
    // Profiles from (and saved to) `store`.
    explicit MainWindow(const ProfileStore& store, QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens a certificate (or bundle, CRL, key) file in the certificate browser and shows it.
    void openFile(const QString& path);

    // Window geometry, splitter and current page.
    void saveLayout(QSettings& settings) const;
    void restoreLayout(const QSettings& settings);

    ProfileListModel* profileModel() const { return m_model; }
    ProfileListWidget* profileList() const;
    ProfileEditor* profileEditor() const;
    ChainBrowser* chainBrowser() const { return m_chainBrowser; }
    TestPanel* testPanel() const { return m_testPanel; }
    // Writes the profiles now (normally shortly after each change).
    bool saveProfiles();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void setupMenus();
    void setupTestPanel();
    void loadProfiles();
    void showProfile(const QUuid& id);
    void onProfileEdited();
    void runTest();
    void onTestFinished(bool success);
    void trustCertificate(const pki::Certificate& caCertificate);
    void showAbout();

    std::unique_ptr<Ui::MainWindow> m_ui;
    ProfileStore m_store;
    ProfileListModel* m_model = nullptr;
    ChainBrowser* m_chainBrowser = nullptr;
    TestPanel* m_testPanel = nullptr;
    QTimer* m_saveTimer = nullptr;
    QUuid m_testingId;
    bool m_storeBroken = false;
};

} // namespace vf::ui
