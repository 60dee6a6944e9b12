#include "TestWorker.h"

namespace vf::ui {

TestWorker::TestWorker(settings::EffectiveSettings settings, settings::ValidatedOptions options,
                       session::CheckOptions check, std::optional<QByteArray> passphrase)
    : m_settings(std::move(settings))
    , m_options(std::move(options))
    , m_check(check)
    , m_passphrases(std::move(passphrase))
{}

TestWorker::~TestWorker()
{
    if (m_tester) {
        m_tester->disconnect(this);
        m_tester->cancel();
    }
}

void TestWorker::start()
{
    m_tester = std::make_unique<session::ConnectionTester>(m_settings, m_options, m_check, &m_passphrases);
    connect(m_tester.get(), &session::ConnectionTester::phaseStarted, this, &TestWorker::phaseStarted);
    connect(m_tester.get(), &session::ConnectionTester::phaseFinished, this, &TestWorker::phaseFinished);
    connect(m_tester.get(), &session::ConnectionTester::finished, this, &TestWorker::onFinished);
    m_tester->start();
}

void TestWorker::cancel()
{
    if (m_tester && !m_done)
        m_tester->cancel();
}

void TestWorker::onFinished(const session::ConnectionReport& report)
{
    if (m_done)
        return;
    m_done = true;
    report::DiagnosisContext context;
    context.settings = &m_settings;
    context.options = &m_options;
    const report::Diagnosis diagnosis = report::Diagnosis::diagnose(report, context);
    Q_EMIT done(report, diagnosis);
}

} // namespace vf::ui
