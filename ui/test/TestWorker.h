#pragma once

#include "FixedPassphraseProvider.h"
#include "report/Diagnosis.h"
#include "session/ConnectionReport.h"
#include "session/ConnectionTester.h"
#include "settings/EffectiveSettings.h"
#include "settings/ValidatedOptions.h"

#include <QObject>

#include <memory>
#include <optional>

namespace vf::ui {

// One connection test on the test panel's worker thread: owns the core's ConnectionTester (created
// in start(), so that its sockets and timers live on this thread), relays its phases, and when it
// ends diagnoses the report there too (the diagnosis re-reads root files and CRLs). Everything
// reaches the GUI through queued signals.
class TestWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestWorker)

public:
    TestWorker(settings::EffectiveSettings settings, settings::ValidatedOptions options,
               session::CheckOptions check, std::optional<QByteArray> passphrase);
    ~TestWorker() override;

    // Both run on the worker thread (queued invocations).
    void start();
    void cancel();

Q_SIGNALS:
    void phaseStarted(int attempt, vf::session::Phase phase, const QString& host);
    void phaseFinished(int attempt, vf::session::Phase phase, qint64 durationNs, bool ok);
    void done(const vf::session::ConnectionReport& report, const vf::report::Diagnosis& diagnosis);

private:
    void onFinished(const session::ConnectionReport& report);

    settings::EffectiveSettings m_settings;
    settings::ValidatedOptions m_options;
    session::CheckOptions m_check;
    FixedPassphraseProvider m_passphrases;
    std::unique_ptr<session::ConnectionTester> m_tester;
    bool m_done = false;
};

} // namespace vf::ui
