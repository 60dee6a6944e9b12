#pragma once

#include "common/Error.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QString>

namespace vf::interop {

// Writes a file that may hold a secret (a key, a password): a temporary file is created next to the
// target with mode 0600 (readable by the owner only from the first moment), written, flushed to disk,
// given its final mode and renamed over the target, so a reader never sees half a file and an
// existing file is replaced whole.
class PrivateFile final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::PrivateFile)

public:
    PrivateFile() = delete;

    // Errors: interop.write-failed (errno text in the message), pki.is-directory (the target is a
    // directory).
    static Result<void> write(const QString& path, const QByteArray& data, int mode = 0600);
};

} // namespace vf::interop
