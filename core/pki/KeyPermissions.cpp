#include "KeyPermissions.h"

#include <QCoreApplication>
#include <QFile>

#include <cerrno>
#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace vf::pki {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::pki::KeyPermissions)
};

QString octal(uint mode)
{
    return u"0"_s + QString::number(mode & 07777u, 8).rightJustified(3, u'0');
}

QString errnoText(int error)
{
    return qt_error_string(error);
}

QString statExplanation(const QString& path, int error)
{
    if (path.isEmpty())
        return Tr::tr("No private key file path was given.");
    switch (error) {
    case ENOENT:
        return Tr::tr("The file does not exist. Check the path of the private key (sslkey), or remove the "
                      "client certificate setting if you do not want to use a client certificate.");
    case ENOTDIR:
        return Tr::tr("A part of the path that should be a directory is a file.");
    case ELOOP:
        return Tr::tr("The path runs into a loop of symbolic links.");
    case EACCES:
        return Tr::tr("A directory on the way to the file cannot be searched by this user.");
    case ENAMETOOLONG:
        return Tr::tr("The path is too long.");
    default:
        return Tr::tr("The operating system could not report on the file.");
    }
}

QString fixExplanation(const QString& path, const KeyFileStat& st, bool groupReadAllowed)
{
    const QString rule =
        groupReadAllowed
            ? Tr::tr("owned by root, so it may allow its owner read and write and its group read (0640), "
                     "nothing more")
            : Tr::tr("owned by user id %1, so only its owner may read or write it (0600)").arg(st.ownerUid);
    return Tr::tr("The file has permissions %1 and is %2. Run: chmod %3 \"%4\"")
        .arg(octal(st.mode), rule, groupReadAllowed ? u"0640"_s : u"0600"_s, path);
}

} // namespace

KeyPermissions::KeyPermissions(StatFunction statFunction)
    : KeyPermissions(std::move(statFunction), uint(::geteuid()))
{}

KeyPermissions::KeyPermissions(StatFunction statFunction, uint effectiveUid)
    : m_stat(std::move(statFunction))
    , m_effectiveUid(effectiveUid)
{}

std::expected<KeyFileStat, int> KeyPermissions::statFile(const QString& path)
{
    struct stat buf = {};
    const QByteArray name = QFile::encodeName(path);
    if (name.contains('\0'))
        return std::unexpected(ENOENT); // a C string would end there; no such file by that name
    if (::stat(name.constData(), &buf) != 0)
        return std::unexpected(errno);
    return KeyFileStat{S_ISREG(buf.st_mode), uint(buf.st_uid), uint(buf.st_mode) & 07777u};
}

std::expected<KeyFileStat, int> KeyPermissions::stat(const QString& path) const
{
    return m_stat ? m_stat(path) : statFile(path);
}

bool KeyPermissions::clientModeAllowed(uint ownerUid, uint mode)
{
    // fe-secure-openssl.c: root-owned files may be group-readable (u=rw,g=r), others only u=rw.
    const uint forbidden = ownerUid == 0 ? uint(S_IWGRP | S_IXGRP | S_IRWXO) : uint(S_IRWXG | S_IRWXO);
    return (mode & forbidden) == 0;
}

bool KeyPermissions::serverOwnerAllowed(uint ownerUid, uint databaseUid)
{
    return ownerUid == databaseUid || ownerUid == 0;
}

bool KeyPermissions::serverModeAllowed(uint ownerUid, uint mode, uint databaseUid)
{
    // be-secure-common.c checks the database-user case first, so a root-run check of a root-owned
    // file uses the strict rule.
    if (ownerUid == databaseUid && (mode & uint(S_IRWXG | S_IRWXO)))
        return false;
    if (ownerUid == 0 && (mode & uint(S_IWGRP | S_IXGRP | S_IRWXO)))
        return false;
    return true;
}

QString KeyPermissions::clientPermissionsMessage(const QString& path)
{
    return u"private key file \"%1\" has group or world access; file must have permissions u=rw (0600) or "
           u"less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root"_s
               .arg(path);
}

QString KeyPermissions::serverPermissionsDetail()
{
    return u"File must have permissions u=rw (0600) or less if owned by the database user, or permissions "
           u"u=rw,g=r (0640) or less if owned by root."_s;
}

Result<KeyFileStat> KeyPermissions::checkClientKeyFile(const QString& path) const
{
    const auto st = stat(path);
    if (!st) {
        const int error = st.error();
        if (error == ENOENT)
            return makeError(u"pki.key-missing"_s,
                             u"certificate present, but not private key file \"%1\""_s.arg(path),
                             statExplanation(path, error));
        return makeError(u"pki.key-stat-failed"_s,
                         u"could not stat private key file \"%1\": %2"_s.arg(path, errnoText(error)),
                         statExplanation(path, error), {errnoText(error)});
    }
    if (!st->isRegularFile)
        return makeError(u"pki.key-not-regular"_s,
                         u"private key file \"%1\" is not a regular file"_s.arg(path),
                         Tr::tr("The path names a directory or a special file, not a key file."));
    if (!clientModeAllowed(st->ownerUid, st->mode))
        return makeError(u"pki.key-permissions"_s, clientPermissionsMessage(path),
                         fixExplanation(path, *st, st->ownerUid == 0));
    return *st;
}

Result<KeyFileStat> KeyPermissions::checkServerKeyFile(const QString& path) const
{
    const auto st = stat(path);
    if (!st) {
        const int error = st.error();
        return makeError(u"pki.key-stat-failed"_s,
                         u"could not access private key file \"%1\": %2"_s.arg(path, errnoText(error)),
                         statExplanation(path, error), {errnoText(error)});
    }
    if (!st->isRegularFile)
        return makeError(u"pki.key-not-regular"_s,
                         u"private key file \"%1\" is not a regular file"_s.arg(path),
                         Tr::tr("The path names a directory or a special file, not a key file."));
    if (!serverOwnerAllowed(st->ownerUid, m_effectiveUid))
        return makeError(u"pki.key-owner"_s,
                         u"private key file \"%1\" must be owned by the database user or root"_s.arg(path),
                         Tr::tr("The file belongs to user id %1; the server runs as user id %2. Give the "
                                "file to the database user or to root (chown).")
                             .arg(st->ownerUid)
                             .arg(m_effectiveUid));
    if (!serverModeAllowed(st->ownerUid, st->mode, m_effectiveUid))
        return makeError(
            u"pki.key-permissions"_s, u"private key file \"%1\" has group or world access"_s.arg(path),
            fixExplanation(path, *st, st->ownerUid == 0 && m_effectiveUid != 0), {serverPermissionsDetail()});
    return *st;
}

} // namespace vf::pki
