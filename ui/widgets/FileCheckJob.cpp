#include "FileCheckJob.h"

#include "common/OpenSslThread.h"
#include "pki/KeyPermissions.h"
#include "pki/PkiLoader.h"

#include <QCoreApplication>
#include <QPointer>
#include <QPromise>
#include <QThreadPool>

#include <memory>

namespace vf::ui {

namespace {

// The checks' own pool, owned by the application object: it is joined when the application ends, so
// its threads exit (and OpenSSL frees their per-thread state) before the process does. Used from the
// GUI thread only.
QThreadPool* checkPool()
{
    static QPointer<QThreadPool> pool;
    if (!pool) {
        pool = new QThreadPool(QCoreApplication::instance());
        pool->setObjectName(QStringLiteral("vf.ui.fileChecks"));
        pool->setMaxThreadCount(2);
    }
    return pool;
}

} // namespace

FileCheckResult FileCheckJob::run(const QString& path, pki::FileRole role, const QByteArray& passphrase)
{
    FileCheckResult r;
    r.path = path;
    r.role = role;
    r.passphraseGiven = !passphrase.isEmpty();
    r.inspection = pki::PkiLoader::inspectFile(path, role, passphrase);
    if (role == pki::FileRole::ClientKey) {
        const auto permissions = pki::KeyPermissions().checkClientKeyFile(path);
        if (!permissions)
            r.permissionProblem = permissions.error();
    }
    return r;
}

QFuture<FileCheckResult> FileCheckJob::start(const QString& path, pki::FileRole role,
                                             const QByteArray& passphrase)
{
    auto promise = std::make_shared<QPromise<FileCheckResult>>();
    QFuture<FileCheckResult> future = promise->future();
    promise->start();
    checkPool()->start([promise, path, role, passphrase] {
        promise->addResult(run(path, role, passphrase));
        promise->finish();
        ossl::releaseThreadState();
    });
    return future;
}

} // namespace vf::ui
