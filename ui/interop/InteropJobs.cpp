#include "InteropJobs.h"

#include "common/OpenSslThread.h"
#include "interop/EnvironmentImport.h"

#include <QCoreApplication>
#include <QPointer>
#include <QPromise>
#include <QThreadPool>

#include <memory>

namespace vf::ui {

namespace {

// Owned by the application object, so its threads end before the process does. GUI thread only.
QThreadPool* pool()
{
    static QPointer<QThreadPool> instance;
    if (!instance) {
        instance = new QThreadPool(QCoreApplication::instance());
        instance->setObjectName(QStringLiteral("vf.ui.interopJobs"));
        instance->setMaxThreadCount(1);
    }
    return instance;
}

template <typename T, typename Work> QFuture<T> start(Work work)
{
    auto promise = std::make_shared<QPromise<T>>();
    QFuture<T> future = promise->future();
    promise->start();
    pool()->start([promise, work = std::move(work)] {
        promise->addResult(work());
        promise->finish();
        ossl::releaseThreadState();
    });
    return future;
}

} // namespace

QFuture<Result<interop::PgAdminExport>> InteropJobs::readPgAdmin(const QString& path)
{
    return start<Result<interop::PgAdminExport>>([path] { return interop::PgAdminImport::readFile(path); });
}

QFuture<QList<interop::ServiceFileListing>>
InteropJobs::listServiceFiles(const settings::Environment& environment)
{
    return start<QList<interop::ServiceFileListing>>(
        [environment] { return interop::ServiceFileImport::listAll(environment); });
}

QFuture<interop::ImportedProfile> InteropJobs::fromEnvironment(const settings::Environment& environment)
{
    return start<interop::ImportedProfile>(
        [environment] { return interop::EnvironmentImport::fromEnvironment(environment); });
}

} // namespace vf::ui
