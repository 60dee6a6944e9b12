#include "CheckBatch.h"

#include "session/ConnectionTester.h"
#include "settings/ConnInfo.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

#include <QTimer>

namespace vf::bench {

CheckBatch::CheckBatch(QString conninfo, settings::Environment environment, int total, int inFlight,
                       QObject* parent)
    : QObject(parent)
    , m_conninfo(std::move(conninfo))
    , m_environment(std::move(environment))
    , m_total(total)
    , m_inFlight(std::max(1, inFlight))
{}

void CheckBatch::start()
{
    m_clock.start();
    fill();
}

void CheckBatch::fill()
{
    while (m_running < m_inFlight && m_started < m_total)
        launchOne();
    if (m_done == m_total && m_running == 0) {
        m_result.totalNs = m_clock.nsecsElapsed();
        // Queued, so that the caller's event loop is running when it arrives.
        QTimer::singleShot(0, this, &CheckBatch::finished);
    }
}

void CheckBatch::fail(const QString& message)
{
    ++m_result.failures;
    if (m_result.firstFailure.isEmpty())
        m_result.firstFailure = message;
}

void CheckBatch::launchOne()
{
    ++m_started;
    auto info = settings::ConnInfo::parse(m_conninfo);
    auto resolved = info ? settings::SettingsResolver(m_environment).resolve(*info)
                         : Result<settings::EffectiveSettings>(std::unexpected(info.error()));
    auto validated = resolved ? settings::OptionValidator::validate(*resolved)
                              : Result<settings::ValidatedOptions>(std::unexpected(resolved.error()));
    if (!validated) {
        fail(validated.error().message);
        ++m_done;
        return;
    }
    auto* tester = new session::ConnectionTester(*resolved, *validated, {}, nullptr, this);
    connect(tester, &session::ConnectionTester::finished, this,
            [this, tester](const session::ConnectionReport& report) { checkDone(tester, report); });
    ++m_running;
    tester->start();
}

void CheckBatch::checkDone(session::ConnectionTester* tester, const session::ConnectionReport& report)
{
    tester->deleteLater();
    --m_running;
    ++m_done;
    m_result.checkMs << double(report.totalNs) / 1e6;
    if (!report.success) {
        fail(report.libpqMessage);
    } else if (const session::AttemptReport* a = report.finalAttempt()) {
        for (const session::PhaseTiming& t : a->phases)
            m_result.phaseMs[t.phase] << double(t.durationNs) / 1e6;
    }
    fill();
}

} // namespace vf::bench
