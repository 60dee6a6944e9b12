#pragma once

#include "ExportResult.h"
#include "common/Error.h"
#include "settings/ConnInfo.h"

#include <QCoreApplication>
#include <QString>

namespace vf::interop {

// A pg_service.conf section ("[name]" then one keyword=value line per setting) that libpq's
// parseServiceFile() reads back as exactly these settings. A service file has no quoting, so a value
// that libpq would read differently is refused with the reason: a newline, white space at either end
// (libpq trims lines), or a line of 1023 bytes or more (libpq's line buffer). service= and
// servicefile= cannot be written into a section (libpq refuses nested services); they are left out
// with a note.
class ServiceSectionWriter final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::ServiceSectionWriter)

public:
    ServiceSectionWriter() = delete;

    // Errors: interop.service-name (see checkServiceName()), interop.service-value.
    static Result<ExportResult> write(const settings::ConnInfo& info, const QString& serviceName);

    // A name libpq can find: not empty, no "]", no line break or NUL, no white space at either end.
    static Result<void> checkServiceName(const QString& name);
    // A name from a profile name: lower case letters, digits, "-" and "_" ("Prod DB (EU)" → "prod-db-eu").
    static QString suggestServiceName(const QString& profileName);
};

} // namespace vf::interop
