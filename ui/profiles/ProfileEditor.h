#pragma once

#include "Profile.h"
#include "security/SslModeAssessment.h"
#include "settings/EffectiveSettings.h"
#include "settings/Environment.h"

#include <QHash>
#include <QString>
#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QTabWidget;
class QTimer;

namespace Ui {
class ProfileEditor;
}

namespace vf::ui {

class AdvancedOptionsModel;
class FileField;
class RiskTable;

// The editor of one connection profile: tabs Connection (host, port, database, user, password,
// connect_timeout, application_name), SSL (sslmode with the meaning of each mode, root certificate or
// the system's roots, CRL file and directory, client certificate and key with the key's password, SNI,
// TLS versions, sslnegotiation, sslcertmode, channel_binding), Advanced (every other libpq parameter,
// and the whole profile as a connection string) and Protection (the sslmode risk table).
//
// Every value that is not typed here shows what libpq will use instead and where that comes from
// (environment variable, service file, ~/.postgresql/ default file), resolved with SettingsResolver on
// the profile's settings. Passwords are kept in the profile for the session only (Profile::toJson()
// never writes them); "Remember in keychain" next to Password and Key password marks them for the OS
// keychain (the main window keeps the keychain in step). Without a keychain those choices are disabled.
class ProfileEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProfileEditor)

public:
    explicit ProfileEditor(QWidget* parent = nullptr);
    ~ProfileEditor() override;

    // What libpq reads from the machine (tests pass their own); Environment::system() by default.
    void setEnvironment(const settings::Environment& environment);

    void setProfile(const Profile& profile);
    const Profile& profile() const { return m_profile; }
    // The profile's connection string, as libpq keyword/value text.
    QString conninfo(bool includeSecrets) const;

    // Whether a keychain is there to remember secrets in (default: true). False disables the
    // "Remember in keychain" choices (the profile keeps them for when a keychain is back).
    void setKeychainAvailable(bool available);
    bool isKeychainAvailable() const { return m_keychainAvailable; }
    // Fills in a secret that came from elsewhere (the keychain, a prompt at test time) for this session;
    // emits no profileEdited().
    void setSecret(SecretKind kind, const QString& value);

    // Sets one libpq parameter as if the person had (an "Apply" of the risk table, a trusted CA…).
    void setValue(const QString& keyword, const QString& value);
    // Shows the field of a libpq parameter and gives it the focus.
    void showSetting(const QString& keyword);
    void focusName();

    // Further pages next to the editor's tabs (the test panel).
    void addPage(QWidget* page, const QString& title);
    void showPage(QWidget* page);
    QTabWidget* tabs() const;

    RiskTable* riskTable() const;
    FileField* fileField(const QString& keyword) const;
    AdvancedOptionsModel* advancedModel() const { return m_advanced; }
    const std::optional<settings::EffectiveSettings>& effectiveSettings() const { return m_effective; }
    const std::optional<security::SslModeAssessment>& assessment() const { return m_assessment; }

    // Resolves the settings again now (normally done shortly after each edit).
    void refresh();

Q_SIGNALS:
    // The person changed the profile.
    void profileEdited(const Profile& profile);
    void testRequested();
    // The settings were resolved and assessed again.
    void refreshed();

protected:
    void changeEvent(QEvent* event) override;

private:
    void setupCombos();
    void setupFields();
    void loadFields();
    void collect();
    void onEdited();
    void scheduleRefresh();
    void updateOrigins();
    void updateFileFallbacks();
    void updateAssessment();
    void updateModeMeaning();
    void applyConninfoText();
    void selectComboValue(QComboBox* combo, const QString& value);
    void updateSecretFields();

    std::unique_ptr<Ui::ProfileEditor> m_ui;
    AdvancedOptionsModel* m_advanced = nullptr;
    QTimer* m_refreshTimer = nullptr;
    QTimer* m_passphraseTimer = nullptr;
    settings::Environment m_environment;
    Profile m_profile;
    bool m_loading = false;
    bool m_keychainAvailable = true;
    std::optional<settings::EffectiveSettings> m_effective;
    std::optional<security::SslModeAssessment> m_assessment;

    QHash<QString, QLineEdit*> m_lineFields;
    QHash<QString, QComboBox*> m_combos;
    QHash<QString, FileField*> m_files;
    QHash<QString, QLabel*> m_origins;
};

} // namespace vf::ui
