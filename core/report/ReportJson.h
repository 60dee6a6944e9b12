#pragma once

#include "common/Error.h"
#include "pki/Certificate.h"
#include "pki/ChainVerifier.h"
#include "report/ChainCheck.h"
#include "report/ConnectionCheck.h"
#include "report/Diagnosis.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace vf::report {

// The reports as JSON, the schema documented field by field in docs/REPORT-JSON.md. The schema is
// stable: fields are only added (schemaVersion stays), a removal or a change of meaning raises
// schemaVersion. Secrets never appear: password and sslpassword show as "********" (or "" when set
// empty), and the connection string leaves them out.
class ReportJson final
{
public:
    ReportJson() = delete;

    static constexpr int kSchemaVersion = 1;

    // verifyfull-cli check / inspect.
    static QJsonObject check(const CheckResult& result);
    // verifyfull-cli chain.
    static QJsonObject chain(const ChainCheckResult& result);
    // An input error before anything ran (bad connection string, invalid option value, unreadable
    // file): command is "check", "inspect" or "chain".
    static QJsonObject inputError(const QString& command, const Error& error);

    static QJsonObject certificate(const pki::Certificate& certificate);
    static QJsonObject chainVerification(const pki::ChainVerification& verification,
                                         const TrustSource& trust);
    static QJsonObject finding(const Finding& finding);
    static QJsonObject error(const Error& error);

    // Indented UTF-8, ending with a newline.
    static QByteArray toBytes(const QJsonObject& object);
};

} // namespace vf::report
