#pragma once

// Internal to vf_core: reading the files an import looks at (service files, pgAdmin exports) with a
// size cap, with errors that speak about that kind of file.

#include "common/Error.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace vf::interop {

class InteropFiles final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::InteropFiles)

public:
    enum class Kind
    {
        ServiceFile,
        PgAdminExport,
    };

    InteropFiles() = delete;

    // The whole file (symbolic links followed) if it is a regular file of at most maxBytes. An empty
    // file reads as an empty QByteArray. Errors: SafeFileReader's codes (pki.file-missing,
    // pki.symlink-loop, pki.file-unreadable, pki.is-directory, pki.not-regular-file,
    // pki.file-too-large) with an explanation about this kind of file.
    static Result<QByteArray> read(const QString& path, qint64 maxBytes, Kind kind);
};

} // namespace vf::interop
