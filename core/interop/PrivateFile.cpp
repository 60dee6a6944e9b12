#include "PrivateFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace vf::interop {

Result<void> PrivateFile::write(const QString& path, const QByteArray& data, int mode)
{
    auto failed = [&path](int err) {
        return makeError(
            u"interop.write-failed"_s,
            tr("could not write \"%1\": %2").arg(path, QString::fromLocal8Bit(std::strerror(err))),
            tr("Check that the folder exists and that you may write to it."));
    };
    if (path.isEmpty())
        return failed(ENOENT);
    if (QFileInfo(path).isDir()) {
        return makeError(u"pki.is-directory"_s, tr("\"%1\" is a directory, not a file").arg(path),
                         tr("Choose a file name inside the folder."));
    }

    const QFileInfo target(path);
    QByteArray tmpl = QFile::encodeName(target.absolutePath() + u"/."_s + target.fileName() + u".XXXXXX"_s);
    const int fd = ::mkostemp(tmpl.data(), O_CLOEXEC); // mode 0600
    if (fd < 0)
        return failed(errno);
    auto cleanup = [&tmpl, fd](int err) {
        ::close(fd);
        ::unlink(tmpl.constData());
        return err;
    };

    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return failed(cleanup(errno));
        }
        done += n;
    }
    if (::fchmod(fd, mode_t(mode)) != 0 || ::fsync(fd) != 0)
        return failed(cleanup(errno));
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmpl.constData());
        return failed(err);
    }
    if (::rename(tmpl.constData(), QFile::encodeName(path).constData()) != 0) {
        const int err = errno;
        ::unlink(tmpl.constData());
        return failed(err);
    }
    return {};
}

} // namespace vf::interop
