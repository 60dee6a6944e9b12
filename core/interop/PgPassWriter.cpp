#include "PgPassWriter.h"

#include "InteropLog.h"
#include "settings/PgPass.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

QList<QByteArray> splitList(const std::optional<QByteArray>& value)
{
    if (!value)
        return {};
    return value->split(',');
}

QString errnoText(int err)
{
    return QString::fromLocal8Bit(std::strerror(err));
}

// Closes a file descriptor when it goes out of scope.
class Fd
{
public:
    explicit Fd(int fd)
        : m_fd(fd)
    {}
    ~Fd()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

bool writeAll(int fd, QByteArrayView data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, size_t(data.size() - done));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        done += n;
    }
    return true;
}

} // namespace

QByteArray PgPassWriter::escapeField(QByteArrayView value, bool isHostField)
{
    QByteArray out;
    out.reserve(value.size() + 2);
    if (value == "*")
        return QByteArrayLiteral("\\*"); // a literal "*", not the wildcard
    for (qsizetype i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (c == ':' || c == '\\' || (isHostField && i == 0 && c == '#'))
            out += '\\';
        out += c;
    }
    return out;
}

QString PgPassWriter::permissionRule()
{
    return tr("libpq uses a password file only when it is a plain file that neither the group nor others "
              "can read or write: chmod 0600 ~/.pgpass. Otherwise it prints \"WARNING: password file … has "
              "group or world access; permissions should be u=rw (0600) or less\" and ignores the file.");
}

Result<ExportResult> PgPassWriter::write(const settings::ConnInfo& info)
{
    const std::optional<QByteArray> password = info.valueBytes(u"password");
    if (!password || password->isEmpty()) {
        return makeError(u"interop.pgpass-no-password"_s, tr("there is no password to write"),
                         tr("A password-file line holds the password. Enter the profile's password and "
                            "include secrets to export it."));
    }

    const QList<QByteArray> hosts = splitList(info.valueBytes(u"host"));
    const QList<QByteArray> hostaddrs = splitList(info.valueBytes(u"hostaddr"));
    const QList<QByteArray> ports = splitList(info.valueBytes(u"port"));
    const qsizetype slots = std::max<qsizetype>({qsizetype(1), hosts.size(), hostaddrs.size()});
    const std::optional<QByteArray> dbname = info.valueBytes(u"dbname");
    const std::optional<QByteArray> user = info.valueBytes(u"user");

    ExportResult out;
    out.suggestedFileName = u".pgpass"_s;
    out.containsSecrets = true;
    bool wildcardHost = false;
    QList<QByteArray> lines;
    for (qsizetype i = 0; i < slots; ++i) {
        QByteArray host = i < hosts.size() ? hosts[i] : QByteArray();
        if (host.isEmpty() && i < hostaddrs.size())
            host = hostaddrs[i];
        QByteArray hostField;
        if (host.isEmpty() && hosts.isEmpty() && hostaddrs.isEmpty()) {
            hostField = "*";
            wildcardHost = true;
        } else {
            hostField = escapeField(settings::PgPass::matchHost(QString::fromUtf8(host)).toUtf8(), true);
        }
        QByteArray port = ports.size() == 1 ? ports[0] : (i < ports.size() ? ports[i] : QByteArray());
        const QByteArray portField =
            port.isEmpty() ? (info.contains(u"port") ? "5432" : "*") : escapeField(port);
        const QByteArray dbField = dbname && !dbname->isEmpty() ? escapeField(*dbname) : QByteArray("*");
        const QByteArray userField = user && !user->isEmpty() ? escapeField(*user) : QByteArray("*");
        const QByteArray line =
            hostField + ':' + portField + ':' + dbField + ':' + userField + ':' + escapeField(*password);
        if (line.contains('\n') || line.contains('\r')) {
            return makeError(
                u"interop.pgpass-line-break"_s, tr("a password-file line cannot hold a line break"),
                tr("The host, port, database, user name or password contains a line break, which "
                   "libpq's password file cannot represent."));
        }
        if (!lines.contains(line))
            lines.append(line);
    }
    for (const QByteArray& line : std::as_const(lines))
        out.bytes += line + '\n';

    if (wildcardHost)
        out.notes << tr("The profile sets no host: the line matches any host (\"*\").");
    if (!info.contains(u"port"))
        out.notes << tr("The profile sets no port: the line matches any port (\"*\").");
    if (!dbname || dbname->isEmpty())
        out.notes << tr("The profile sets no database: the line matches any database (\"*\").");
    if (!user || user->isEmpty())
        out.notes << tr("The profile sets no user: the line matches any user name (\"*\").");
    out.notes << tr("libpq uses the first line that matches, so put specific lines before lines with \"*\".");
    out.notes << permissionRule();
    return out;
}

Result<PgPassWriter::AppendResult> PgPassWriter::append(const QString& path, const QList<QByteArray>& lines)
{
    AppendResult result;
    const QByteArray encoded = QFile::encodeName(path);
    auto writeError = [&](int err) {
        return makeError(u"interop.pgpass-write"_s,
                         tr("could not write password file \"%1\": %2").arg(path, errnoText(err)),
                         tr("Check that the directory exists and that you may write to the file."));
    };

    struct stat st
    {
    };
    if (::stat(encoded.constData(), &st) == 0) {
        if (!S_ISREG(st.st_mode)) {
            return makeError(u"pki.not-regular-file"_s, tr("\"%1\" is not a regular file").arg(path),
                             tr("libpq reads a password file only when it is a plain file."));
        }
    } else if (errno != ENOENT) {
        return writeError(errno);
    } else {
        result.created = true;
    }

    // O_CREAT with mode 0600: a new file is never readable by others. O_NOFOLLOW is not used: a
    // symbolic link ~/.pgpass → elsewhere is followed, as libpq follows it.
    Fd fd(::open(encoded.constData(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
    if (fd.get() < 0)
        return writeError(errno);
    if (::fstat(fd.get(), &st) != 0)
        return writeError(errno);
    if (!S_ISREG(st.st_mode)) {
        return makeError(u"pki.not-regular-file"_s, tr("\"%1\" is not a regular file").arg(path),
                         tr("libpq reads a password file only when it is a plain file."));
    }
    if ((st.st_mode & 077) != 0) {
        if (::fchmod(fd.get(), 0600) != 0)
            return writeError(errno);
        result.permissionsTightened = true;
    }

    // The current content: to skip lines that are there already and to end it with a newline.
    constexpr qint64 kMaxExisting = 16LL * 1024 * 1024;
    QByteArray existing;
    if (st.st_size > kMaxExisting) {
        return makeError(
            u"interop.pgpass-write"_s, tr("password file \"%1\" is too large").arg(path),
            tr("The file is larger than %1 MiB; it was not changed.").arg(kMaxExisting / (1024 * 1024)));
    }
    existing.resize(qsizetype(st.st_size));
    qsizetype got = 0;
    while (got < existing.size()) {
        const ssize_t n = ::pread(fd.get(), existing.data() + got, size_t(existing.size() - got), got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += n;
    }
    existing.truncate(got);
    const QList<QByteArray> present = existing.split('\n');

    QByteArray toWrite;
    if (!existing.isEmpty() && !existing.endsWith('\n'))
        toWrite += '\n';
    for (const QByteArray& line : lines) {
        QByteArray bare = line;
        while (bare.endsWith('\n') || bare.endsWith('\r'))
            bare.chop(1);
        if (present.contains(bare) || present.contains(bare + '\r')) {
            ++result.alreadyPresent;
            continue;
        }
        toWrite += bare + '\n';
        ++result.added;
    }
    if (result.added > 0 && !writeAll(fd.get(), toWrite))
        return writeError(errno);
    if (result.added > 0 && ::fsync(fd.get()) != 0)
        return writeError(errno);
    qCDebug(lcInterop) << "password file: added" << result.added << "lines, kept" << result.alreadyPresent;
    return result;
}

} // namespace vf::interop
