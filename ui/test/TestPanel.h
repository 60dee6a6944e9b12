#pragma once

#include "pki/Certificate.h"
#include "report/Diagnosis.h"
#include "secrets/SecretKind.h"
#include "session/ConnectionReport.h"
#include "session/ConnectionTester.h"
#include "settings/EffectiveSettings.h"
#include "settings/Environment.h"
#include "settings/ValidatedOptions.h"

#include <QList>
#include <QPointer>
#include <QThread>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

namespace Ui {
class TestPanel;
}

namespace vf::ui {

class ChainBrowser;
class TestWorker;
class TimelineView;

// The interactive connection test: Test runs the core's ConnectionTester on a worker thread (the
// GUI never waits for it), a live timeline shows each phase with its duration, Cancel stops it at
// any phase; then the verdict, the diagnosis with the fix, the TLS facts, the server's chain (sent to
// the chain browser) and, when the server's certificate is not trusted yet, "Trust this server's CA"
// with the SHA-256 fingerprint to compare.
//
// An encrypted client key's passphrase is asked for before the worker starts; a password when the
// server asks for one and none is set (then the test runs again with it, as psql does). What the person
// types is offered back with secretEntered() (unless it was what failed), never stored here.
class TestPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestPanel)

public:
    using PassphraseReply = std::function<void(std::optional<QByteArray> passphrase)>;
    // Asks for the passphrase of `keyPath` and calls `reply` (nullopt: canceled). Asynchronous: the
    // default opens a window-modal dialog with open(), never exec(). Tests answer directly.
    using PassphrasePrompt =
        std::function<void(QWidget* parent, const QString& keyPath, PassphraseReply reply)>;
    // Asks for the password of `user` the server wants (same contract as PassphrasePrompt).
    using PasswordPrompt = std::function<void(QWidget* parent, const QString& user, PassphraseReply reply)>;

    explicit TestPanel(QWidget* parent = nullptr);
    ~TestPanel() override;

    // A libpq keyword/value string or URI; resolved at each test with SettingsResolver (service file,
    // environment, defaults) and checked with OptionValidator.
    void setConnection(const QString& conninfo);
    QString connection() const { return m_conninfo; }
    void startTest();
    void cancelTest();
    bool isRunning() const { return m_state != State::Idle; }

    // The environment settings are resolved in (default: Environment::system()); for tests.
    void setEnvironment(const settings::Environment& environment);
    void setCheckOptions(const session::CheckOptions& options) { m_check = options; }
    void setPassphrasePrompt(PassphrasePrompt prompt);
    void setPasswordPrompt(PasswordPrompt prompt);
    // When set, the panel's Test button emits testRequested() instead of starting: the window gathers
    // what the test needs first (the profile's secrets from the keychain), then calls startTest().
    void setDeferStart(bool defer) { m_deferStart = defer; }
    // When set, the server's chain is shown there after each test with its verification and the
    // host-name check (after chainReceived() is emitted).
    void setChainBrowser(ChainBrowser* browser);

    TimelineView* timeline() const;
    const std::optional<session::ConnectionReport>& lastReport() const { return m_report; }
    const std::optional<report::Diagnosis>& lastDiagnosis() const { return m_diagnosis; }
    // The certificate "Trust this server's CA" would trust after the last test, if it is offered.
    const std::optional<pki::Certificate>& trustCandidate() const { return m_trustCandidate; }
    QString resultText() const;
    QString verdictText() const;

    // The client key that needs a passphrase before a test with these settings: TLS may be used, a
    // client certificate file exists, sslpassword is not set, and the key file is encrypted.
    static std::optional<QString> keyNeedingPassphrase(const settings::EffectiveSettings& settings);
    // The top of the presented chain when the server is not trusted yet and trusting it would work
    // (a self-signed certificate that libpq can use as root).
    static std::optional<pki::Certificate> trustCandidateFor(const session::ConnectionReport& report);

Q_SIGNALS:
    void testRequested(); // the Test button, with setDeferStart(true)
    void testStarted();
    void testFinished(bool success);
    void chainReceived(const QList<vf::pki::Certificate>& chain);
    void trustRequested(const vf::pki::Certificate& caCertificate);
    // A secret the person typed at test time worked (or was not what failed): the window may keep it
    // for the session (and in the keychain when the profile remembers it).
    void secretEntered(vf::ui::SecretKind kind, const QString& secret);

protected:
    void changeEvent(QEvent* event) override;

private:
    enum class State
    {
        Idle,
        AwaitingPassphrase,
        AwaitingPassword,
        Running,
    };

    void launch(const settings::EffectiveSettings& settings, const settings::ValidatedOptions& options,
                std::optional<QByteArray> passphrase);
    void onPhaseStarted(int attempt, vf::session::Phase phase, const QString& host);
    void onPhaseFinished(int attempt, vf::session::Phase phase, qint64 durationNs, bool ok);
    void onDone(const vf::session::ConnectionReport& report, const vf::report::Diagnosis& diagnosis);
    void endWithoutRun(const QString& verdict, const QString& html, bool canceled);
    void showVerdict(const QString& text, const QColor& color);
    void showTrustBox();
    void showChain();
    void updateConnectionLabel();
    void updateButtons();
    void disposeWorker();
    void askPassword();
    void forgetEnteredSecrets();

    std::unique_ptr<Ui::TestPanel> m_ui;
    QString m_conninfo;
    settings::Environment m_environment;
    session::CheckOptions m_check;
    PassphrasePrompt m_prompt;
    PasswordPrompt m_passwordPrompt;
    std::optional<QByteArray> m_enteredPassphrase; // typed for the running test
    std::optional<QString> m_enteredPassword;      // typed for the running test
    bool m_passwordAsked = false;
    bool m_retrying = false;
    bool m_deferStart = false;
    QPointer<ChainBrowser> m_chainBrowser;
    State m_state = State::Idle;
    int m_run = 0;
    QThread m_thread;
    QObject* m_anchor = nullptr;    // lives in m_thread: the context for work posted there
    TestWorker* m_worker = nullptr; // lives in m_thread while a test runs
    std::optional<session::ConnectionReport> m_report;
    std::optional<report::Diagnosis> m_diagnosis;
    std::optional<pki::Certificate> m_trustCandidate;
    QString m_verdictText;
};

} // namespace vf::ui
