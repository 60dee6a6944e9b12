#pragma once

#include "common/Error.h"
#include "report/Diagnosis.h"
#include "session/ConnectionReport.h"
#include "session/ConnectionTester.h"
#include "settings/ConnInfo.h"
#include "settings/EffectiveSettings.h"
#include "settings/Environment.h"
#include "settings/ValidatedOptions.h"
#include "tls/PassphraseProvider.h"

#include <QDateTime>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace vf::report {

// A connection string made ready to connect, as libpq does before it touches the network: parsed,
// completed from the service file, the PG* variables, the defaults and the ~/.postgresql/ files,
// and validated.
struct PreparedCheck
{
    settings::ConnInfo conninfo;
    settings::EffectiveSettings settings;
    settings::ValidatedOptions options;
};

// A finished check with everything its report shows.
struct CheckResult
{
    enum class Kind
    {
        Check,   // connect and authenticate
        Inspect, // only negotiate TLS
    };
    Kind kind = Kind::Check;
    QString conninfo; // what was given, secrets left out (ConnInfo::toKeywordValue())
    std::optional<settings::EffectiveSettings> settings;
    std::optional<settings::ValidatedOptions> options;
    session::ConnectionReport report;
    Diagnosis diagnosis;
    QDateTime startedAt; // UTC

    static QString kindName(Kind kind); // "check", "inspect"
};

// One connection check from a connection string to its diagnosed report: prepare() does libpq's work
// before connecting (its errors are the person's input errors), start() runs a
// session::ConnectionTester and finished() delivers the CheckResult. Asynchronous, like the tester.
class ConnectionCheck final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionCheck)

public:
    // `conninfo`: a keyword/value string or a postgresql:// URI (empty: everything from the environment
    // and the defaults). Errors carry libpq's message: `invalid sslmode value: "bogus"`,
    // `missing "=" after "x" in connection info string`, `definition of service "x" not found`…
    static Result<PreparedCheck> prepare(QStringView conninfo, const settings::Environment& environment);

    ConnectionCheck(PreparedCheck prepared, CheckResult::Kind kind, session::CheckOptions options,
                    tls::PassphraseProvider* passphrases, QObject* parent = nullptr);
    ~ConnectionCheck() override;

    void start();
    void cancel();
    bool isRunning() const;
    const CheckResult& result() const { return m_result; }

Q_SIGNALS:
    void phaseStarted(int attempt, vf::session::Phase phase, const QString& host);
    void phaseFinished(int attempt, vf::session::Phase phase, qint64 durationNs, bool ok);
    void finished(const vf::report::CheckResult& result);

private:
    void onFinished(const session::ConnectionReport& report);

    PreparedCheck m_prepared;
    CheckResult m_result;
    std::unique_ptr<session::ConnectionTester> m_tester;
};

} // namespace vf::report
