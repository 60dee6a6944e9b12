#pragma once

#include "common/Error.h"
#include "interop/PgAdminImport.h"
#include "interop/ServiceFileImport.h"
#include "settings/Environment.h"

#include <QFuture>
#include <QList>
#include <QString>

namespace vf::ui {

// The import dialog's file reading, off the GUI thread (a QThreadPool of its own, joined when the
// application ends). Continue on the GUI thread with a QFutureWatcher owned by the widget.
class InteropJobs final
{
public:
    InteropJobs() = delete;

    static QFuture<Result<interop::PgAdminExport>> readPgAdmin(const QString& path);
    static QFuture<QList<interop::ServiceFileListing>>
    listServiceFiles(const settings::Environment& environment);
    // The environment's profile: resolving it may read service files (PGSERVICE).
    static QFuture<interop::ImportedProfile> fromEnvironment(const settings::Environment& environment);
};

} // namespace vf::ui
