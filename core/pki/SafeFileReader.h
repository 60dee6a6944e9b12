#pragma once

#include "PkiTypes.h"
#include "common/Error.h"

#include <QByteArray>
#include <QString>

namespace vf::pki {

// Reads certificate, key and CRL files defensively: the file type is checked before the file is
// opened (a FIFO would block, a device never ends), the size is checked before reading, and every
// failure is an Error with a stable code:
//   pki.no-file-name, pki.file-missing, pki.symlink-loop, pki.file-unreadable, pki.is-directory,
//   pki.not-regular-file, pki.file-too-large, pki.file-empty, pki.not-a-directory.
class SafeFileReader final
{
public:
    SafeFileReader() = delete;

    // The whole content of a regular file (symbolic links are followed) of at most maxBytes.
    static Result<QByteArray> read(const QString& path, qint64 maxBytes = kMaxPkiFileSize);

    // Checks that path names an existing, searchable directory (symbolic links are followed).
    static Result<void> checkDirectory(const QString& path);
};

} // namespace vf::pki
