#pragma once

#include "common/Error.h"
#include "pki/FileInspection.h"
#include "pki/PkiTypes.h"

#include <QByteArray>
#include <QFuture>
#include <QString>

#include <optional>

namespace vf::ui {

// What FileCheckJob found out about one file.
struct FileCheckResult
{
    QString path;
    pki::FileRole role = pki::FileRole::Any;
    bool passphraseGiven = false;
    Result<pki::FileInspection> inspection;
    // ClientKey role: libpq's permission rule (KeyPermissions::checkClientKeyFile), when it fails.
    std::optional<Error> permissionProblem;
};

// Inspects a file off the GUI thread (a QThreadPool of its own): PkiLoader::inspectFile, plus libpq's
// key-file permission rule for client keys. Continue on the GUI thread with a QFutureWatcher owned by the
// widget (Qt 6.4's QFuture::then(context, …) asserts when the context dies first).
class FileCheckJob final
{
public:
    FileCheckJob() = delete;

    static QFuture<FileCheckResult> start(const QString& path, pki::FileRole role,
                                          const QByteArray& passphrase);
    // The same work, on the calling thread.
    static FileCheckResult run(const QString& path, pki::FileRole role, const QByteArray& passphrase);
};

} // namespace vf::ui
