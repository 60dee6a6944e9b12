#include "ConnectionCheck.h"

#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"

using namespace Qt::StringLiterals;

namespace vf::report {

QString CheckResult::kindName(Kind kind)
{
    return kind == Kind::Inspect ? u"inspect"_s : u"check"_s;
}

Result<PreparedCheck> ConnectionCheck::prepare(QStringView conninfo, const settings::Environment& environment)
{
    // libpq treats an empty string as "no options given" (PQconnectdb("")).
    const QString text = conninfo.trimmed().toString();
    settings::ConnInfo info;
    if (!text.isEmpty()) {
        auto parsed = settings::ConnInfo::parse(conninfo);
        if (!parsed)
            return std::unexpected(parsed.error());
        info = std::move(*parsed);
    }
    auto resolved = settings::SettingsResolver(environment).resolve(info);
    if (!resolved)
        return std::unexpected(resolved.error());
    auto validated = settings::OptionValidator::validate(*resolved);
    if (!validated)
        return std::unexpected(validated.error());
    return PreparedCheck{std::move(info), std::move(*resolved), std::move(*validated)};
}

ConnectionCheck::ConnectionCheck(PreparedCheck prepared, CheckResult::Kind kind,
                                 session::CheckOptions options, tls::PassphraseProvider* passphrases,
                                 QObject* parent)
    : QObject(parent)
    , m_prepared(std::move(prepared))
{
    m_result.kind = kind;
    m_result.conninfo = m_prepared.conninfo.toKeywordValue(false);
    m_result.settings = m_prepared.settings;
    m_result.options = m_prepared.options;
    options.authenticate = kind == CheckResult::Kind::Check;
    m_tester = std::make_unique<session::ConnectionTester>(m_prepared.settings, m_prepared.options, options,
                                                           passphrases);
    connect(m_tester.get(), &session::ConnectionTester::phaseStarted, this, &ConnectionCheck::phaseStarted);
    connect(m_tester.get(), &session::ConnectionTester::phaseFinished, this, &ConnectionCheck::phaseFinished);
    connect(m_tester.get(), &session::ConnectionTester::finished, this, &ConnectionCheck::onFinished);
}

ConnectionCheck::~ConnectionCheck() = default;

void ConnectionCheck::start()
{
    m_result.startedAt = QDateTime::currentDateTimeUtc();
    m_tester->start();
}

void ConnectionCheck::cancel()
{
    m_tester->cancel();
}

bool ConnectionCheck::isRunning() const
{
    return m_tester->isRunning();
}

void ConnectionCheck::onFinished(const session::ConnectionReport& report)
{
    m_result.report = report;
    DiagnosisContext context;
    context.settings = &m_prepared.settings;
    context.options = &m_prepared.options;
    context.inspectOnly = m_result.kind == CheckResult::Kind::Inspect;
    m_result.diagnosis = Diagnosis::diagnose(report, context);
    Q_EMIT finished(m_result);
}

} // namespace vf::report
