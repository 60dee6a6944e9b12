#pragma once

#include "AttemptReport.h"

#include <QList>
#include <QString>

namespace vf::session {

// Everything one check saw: every attempt (host/address), and the verdict in libpq's words.
struct ConnectionReport
{
    bool success = false;
    bool canceled = false;
    QList<AttemptReport> attempts;
    qint64 totalNs = 0;
    // What libpq (psql) prints for the same failure, with its "connection to server at …" prefixes.
    QString libpqMessage;
    // The error of the attempt that ended the check (without prefix), if it failed.
    std::optional<Error> error;
    // The effective settings that mattered, for the report ("sslmode" → "verify-full (from PGSSLMODE)").
    QList<QPair<QString, QString>> settings;

    const AttemptReport* finalAttempt() const { return attempts.isEmpty() ? nullptr : &attempts.last(); }
};

} // namespace vf::session
