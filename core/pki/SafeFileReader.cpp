#include "SafeFileReader.h"

#include "PkiLog.h"

#include <QCoreApplication>
#include <QFile>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vf::pki {

using namespace Qt::StringLiterals;

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::pki::SafeFileReader)
};

QString errnoText(int error)
{
    return qt_error_string(error);
}

// The Error for a failed stat()/open() of path.
Error statError(const QString& path, int error)
{
    const QByteArray native = QFile::encodeName(path);
    switch (error) {
    case ENOENT: {
        struct stat link = {};
        if (::lstat(native.constData(), &link) == 0 && S_ISLNK(link.st_mode))
            return Error{u"pki.file-missing"_s,
                         Tr::tr("file \"%1\" does not exist").arg(path),
                         Tr::tr("It is a symbolic link whose target does not exist. Point it at the real "
                                "file or choose the file itself."),
                         {errnoText(error)}};
        return Error{u"pki.file-missing"_s,
                     Tr::tr("file \"%1\" does not exist").arg(path),
                     Tr::tr("Check the path. A relative path is resolved against the current directory."),
                     {errnoText(error)}};
    }
    case ENOTDIR:
        return Error{u"pki.file-missing"_s,
                     Tr::tr("file \"%1\" does not exist").arg(path),
                     Tr::tr("A part of the path that should be a directory is a file."),
                     {errnoText(error)}};
    case ELOOP:
        return Error{u"pki.symlink-loop"_s,
                     Tr::tr("file \"%1\" is a symbolic link loop").arg(path),
                     Tr::tr("The path follows symbolic links that point back to each other and never reach a "
                            "file. Fix the links or choose the real file."),
                     {errnoText(error)}};
    case EACCES:
    case EPERM:
        return Error{u"pki.file-unreadable"_s,
                     Tr::tr("could not open file \"%1\": %2").arg(path, errnoText(error)),
                     Tr::tr("This user may not read the file or one of the directories above it. Change the "
                            "permissions or copy the file somewhere readable."),
                     {errnoText(error)}};
    default:
        return Error{u"pki.file-unreadable"_s,
                     Tr::tr("could not open file \"%1\": %2").arg(path, errnoText(error)),
                     Tr::tr("The file could not be opened."),
                     {errnoText(error)}};
    }
}

std::optional<Error> typeError(const QString& path, mode_t mode)
{
    if (S_ISREG(mode))
        return std::nullopt;
    if (S_ISDIR(mode))
        return Error{u"pki.is-directory"_s,
                     Tr::tr("\"%1\" is a directory, not a file").arg(path),
                     Tr::tr("Choose a file inside the directory. (Only the CRL directory setting, sslcrldir, "
                            "takes a directory.)"),
                     {}};
    QString what = Tr::tr("special file");
    if (S_ISFIFO(mode))
        what = Tr::tr("named pipe (FIFO)");
    else if (S_ISCHR(mode) || S_ISBLK(mode))
        what = Tr::tr("device");
    else if (S_ISSOCK(mode))
        what = Tr::tr("socket");
    return Error{
        u"pki.not-regular-file"_s,
        Tr::tr("\"%1\" is not a regular file").arg(path),
        Tr::tr("It is a %1. Certificates, keys and CRLs must be ordinary files; it was not read.").arg(what),
        {}};
}

Error tooLargeError(const QString& path, qint64 size, qint64 maxBytes)
{
    const QString sizeText =
        size >= 0 ? Tr::tr("%1 bytes").arg(size) : Tr::tr("more than %1 bytes").arg(maxBytes);
    return Error{u"pki.file-too-large"_s,
                 Tr::tr("file \"%1\" is too large (%2)").arg(path, sizeText),
                 Tr::tr("Certificate, key and CRL files are small; the limit is %1 MiB. This is probably not "
                        "the file you meant.")
                     .arg(maxBytes / (1024 * 1024)),
                 {}};
}

class FdGuard final
{
public:
    explicit FdGuard(int fd)
        : m_fd(fd)
    {}
    ~FdGuard()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Q_DISABLE_COPY_MOVE(FdGuard)
    int get() const { return m_fd; }

private:
    int m_fd;
};

} // namespace

Result<QByteArray> SafeFileReader::read(const QString& path, qint64 maxBytes)
{
    if (path.isEmpty())
        return makeError(u"pki.no-file-name"_s, Tr::tr("no file name given"), Tr::tr("Choose a file."));
    const QByteArray native = QFile::encodeName(path);

    // The type first: opening a FIFO for reading would block until a writer appears.
    struct stat st = {};
    if (::stat(native.constData(), &st) != 0)
        return std::unexpected(statError(path, errno));
    if (auto e = typeError(path, st.st_mode))
        return std::unexpected(*e);
    if (st.st_size > maxBytes)
        return std::unexpected(tooLargeError(path, qint64(st.st_size), maxBytes));

    // O_NONBLOCK: should the path be swapped for a FIFO between stat() and open(), open() still returns.
    const int fd = ::open(native.constData(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return std::unexpected(statError(path, errno));
    FdGuard guard(fd);
    struct stat opened = {};
    if (::fstat(fd, &opened) != 0)
        return std::unexpected(statError(path, errno));
    if (auto e = typeError(path, opened.st_mode))
        return std::unexpected(*e);
    if (opened.st_size > maxBytes)
        return std::unexpected(tooLargeError(path, qint64(opened.st_size), maxBytes));

    // Read to the end rather than trusting st_size (files in /proc report 0), but never past the cap.
    QByteArray data;
    data.reserve(qsizetype(std::min<qint64>(opened.st_size, maxBytes) + 1));
    char buf[64 * 1024];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return std::unexpected(statError(path, errno));
        }
        if (n == 0)
            break;
        if (data.size() + n > maxBytes)
            return std::unexpected(tooLargeError(path, -1, maxBytes));
        data.append(buf, qsizetype(n));
    }
    if (data.isEmpty())
        return makeError(u"pki.file-empty"_s, Tr::tr("file \"%1\" is empty").arg(path),
                         Tr::tr("The file has no content. It may not have been written completely, or the "
                                "wrong file was chosen."));
    qCDebug(lcPki) << "read" << path << data.size() << "bytes";
    return data;
}

Result<void> SafeFileReader::checkDirectory(const QString& path)
{
    if (path.isEmpty())
        return makeError(u"pki.no-file-name"_s, Tr::tr("no directory name given"),
                         Tr::tr("Choose a directory."));
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0) {
        Error e = statError(path, errno);
        if (e.code == u"pki.file-missing")
            e.message = Tr::tr("directory \"%1\" does not exist").arg(path);
        return std::unexpected(e);
    }
    if (!S_ISDIR(st.st_mode))
        return makeError(
            u"pki.not-a-directory"_s, Tr::tr("\"%1\" is not a directory").arg(path),
            Tr::tr("This setting takes a directory of CRL files named by issuer hash (as \"openssl rehash\" "
                   "creates). A single CRL file belongs in the CRL file setting (sslcrl)."));
    if (::access(QFile::encodeName(path).constData(), R_OK | X_OK) != 0)
        return std::unexpected(statError(path, errno));
    return {};
}

} // namespace vf::pki
