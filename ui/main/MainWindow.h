#pragma once

#include "profiles/ProfileStore.h"
#include "secrets/SecretStore.h"

#include <QHash>
#include <QMainWindow>
#include <QSet>
#include <QUuid>

#include <functional>
#include <memory>

class QFileSystemWatcher;
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
class MessageBar;
class ProfileEditor;
class ProfileListModel;
class ProfileListWidget;
class TestPanel;

// The application window: the saved profiles beside the editor of the selected one (its tabs
// Connection, SSL, Advanced, Protection and Test), and the certificate browser.
//
// Profiles are saved shortly after each change (ProfileStore: atomic, locked, merged with what another
// running VerifyFull wrote; the file is watched and such changes are merged in as they happen). What
// went wrong with the file (set aside, newer format, conflicting edits) is said in the message bar at
// the top. Secrets the profile remembers go to the OS keychain (SecretStore) and are read from it only
// when a test needs them; they follow the profile's deletion (and its undo), duplication and conflict
// copies. Without a keychain the window says so once, and secrets are asked for at test time and kept
// in memory until it closes.
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
    MessageBar* messageBar() const;
    SecretStore* secretStore() const { return m_secrets; }
    const ProfileStore& profileStore() const { return m_store; }
    // Writes the profiles now (normally shortly after each change), and hands pending secret changes
    // to the keychain.
    bool saveProfiles();
    // Merges what another instance wrote to the profile file (normally when the file changes).
    void syncProfiles();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void setupMenus();
    void setupTestPanel();
    void loadProfiles();
    void applyOutcome(const ProfileStore::Outcome& outcome);
    void watchProfileFile();
    void showProfile(const QUuid& id);
    void onProfileEdited();
    void runTest();
    void startTestOf(const QUuid& id);

    // Secrets
    void onKeychainAvailability(SecretStore::Availability availability);
    void queueSecretChanges(const Profile& before, const Profile& after);
    void flushSecrets();
    void setSessionSecret(const QUuid& id, SecretKind kind, const QString& secret);
    void onSecretEntered(SecretKind kind, const QString& secret);
    void copySecrets(const QUuid& from, const QUuid& to);
    void onProfileDeleted(const Profile& profile);
    void onProfileRestored(const Profile& profile);
    void reportKeychainFailure(const QString& profileName, SecretKind kind, const SecretStore::Reply& reply);
    void onTestFinished(bool success);
    void trustCertificate(const pki::Certificate& caCertificate);
    void showAbout();
    void importConnections();
    void exportConnection();

    std::unique_ptr<Ui::MainWindow> m_ui;
    ProfileStore m_store;
    ProfileListModel* m_model = nullptr;
    ChainBrowser* m_chainBrowser = nullptr;
    TestPanel* m_testPanel = nullptr;
    QTimer* m_saveTimer = nullptr;
    QTimer* m_syncTimer = nullptr;
    QFileSystemWatcher* m_watcher = nullptr;
    SecretStore* m_secrets = nullptr;
    QUuid m_testingId;
    QUuid m_readingFor; // a test waits for the keychain to hand over this profile's secrets

    struct PendingSecret
    {
        QUuid id;
        SecretKind kind = SecretKind::Password;
        std::optional<QString> value; // nullopt: remove
    };
    QHash<QString, PendingSecret> m_pendingSecrets; // by keychain key, handed over on save
    QHash<QString, QString> m_deletedSecrets;       // by keychain key: what undo of a delete puts back
    QSet<QString> m_deletedReads;                   // keychain reads of deleted profiles still running
    QSet<QString> m_restoreWanted;                  // undo came before those reads finished
    bool m_keychainNoticeShown = false;
    bool m_closeWhenIdle = false;
    bool m_closeAnyway = false;
};

} // namespace vf::ui
