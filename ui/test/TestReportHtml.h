#pragma once

#include "report/Diagnosis.h"
#include "session/ConnectionReport.h"

#include <QCoreApplication>
#include <QPalette>
#include <QString>

namespace vf::ui {

// The result of a connection test as a document for the test panel's result view: the diagnosis
// (libpq's words first, then what it means and the fix), the TLS facts, the server's certificate
// chain with each certificate's status, the server facts and the attempts. Colours come from the
// palette, so the text stays readable in light and dark themes; every value is HTML-escaped.
class TestReportHtml final
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::TestReportHtml)

public:
    TestReportHtml() = delete;

    static QString html(const session::ConnectionReport& report, const report::Diagnosis& diagnosis,
                        const QPalette& palette);
    // A failure before any network activity (the connection string or settings are invalid).
    static QString settingsErrorHtml(const Error& error, const QPalette& palette);

    static QString verdictTitle(report::Diagnosis::Verdict verdict); // "Connected", "Failed"…
    static QColor verdictColor(report::Diagnosis::Verdict verdict, const QPalette& palette);
    // The attempt whose TLS facts and chain the result shows: the last one that saw a chain, else the
    // last one. -1 if there is none.
    static int chainAttempt(const session::ConnectionReport& report);
};

} // namespace vf::ui
