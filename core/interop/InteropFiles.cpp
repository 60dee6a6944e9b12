#include "InteropFiles.h"

#include "pki/SafeFileReader.h"

namespace vf::interop {

Result<QByteArray> InteropFiles::read(const QString& path, qint64 maxBytes, Kind kind)
{
    Result<QByteArray> data = pki::SafeFileReader::read(path, maxBytes);
    if (data)
        return data;
    Error e = data.error();
    if (e.code == u"pki.file-empty")
        return QByteArray();
    const bool service = kind == Kind::ServiceFile;
    const int mib = int(maxBytes / (1024 * 1024));
    if (e.code == u"pki.file-too-large") {
        e.explanation = service ? tr("A service file is small text; the limit is %1 MiB. This is probably "
                                     "not the file you meant.")
                                      .arg(mib)
                                : tr("A pgAdmin server export is small JSON; the limit is %1 MiB. This is "
                                     "probably not the file you meant.")
                                      .arg(mib);
    } else if (e.code == u"pki.is-directory") {
        e.explanation = service ? tr("Choose the service file (pg_service.conf) itself, not its directory.")
                                : tr("Choose the JSON file pgAdmin exported, not its directory.");
    } else if (e.code == u"pki.not-regular-file") {
        e.explanation = tr("Only ordinary files are read; a pipe, device or socket was not opened.");
    }
    return std::unexpected(std::move(e));
}

} // namespace vf::interop
