#pragma once

#include "pki/Certificate.h"
#include "report/ChainCheck.h"
#include "report/ConnectionCheck.h"
#include "report/Diagnosis.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

namespace vf::report {

// The reports as compact human-readable text (the CLI's stdout, the GUI's "copy report"): the phases
// with timings, the TLS facts, the chain the server presented, the verdict and the diagnosis.
class ReportText final
{
    Q_DECLARE_TR_FUNCTIONS(vf::report::ReportText)

public:
    ReportText() = delete;

    struct Options
    {
        bool diagnosis = true;          // append the findings
        bool certificateDetails = true; // subject, issuer, validity, names, fingerprint of each certificate
    };

    static QString check(const CheckResult& result, const Options& options);
    static QString check(const CheckResult& result) { return check(result, Options()); }
    static QString chain(const ChainCheckResult& result, const Options& options);
    static QString chain(const ChainCheckResult& result) { return chain(result, Options()); }

    // The findings, indented, each with libpq's message, explanation, fixes and evidence.
    // minimum: leave out findings less severe than this.
    static QString findings(const QList<Finding>& findings,
                            Finding::Severity minimum = Finding::Severity::Info);
    // One certificate: a title line and, with details, the fields a person compares.
    static QString certificate(const pki::Certificate& certificate, const QString& indent,
                               bool details = true);
};

} // namespace vf::report
