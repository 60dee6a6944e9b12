#pragma once

#include "common/Error.h"

#include <QString>

#include <expected>
#include <functional>

namespace vf::pki {

// What stat() reports about a private key file: the parts the permission rules look at.
struct KeyFileStat
{
    bool isRegularFile = false;
    uint ownerUid = 0;
    uint mode = 0; // permission bits only (st_mode & 07777)

    friend bool operator==(const KeyFileStat&, const KeyFileStat&) = default;
};

// The private-key file permission rules of libpq (client, spec §6.1) and of the PostgreSQL server's
// ssl_key_file (spec §6.2), with their exact messages.
//
// Both follow symbolic links (stat(), as libpq does). On success they return what stat() said.
// stat() is injectable: the tests run as root and also need files owned by other users.
class KeyPermissions final
{
public:
    // Returns the stat of `path`, or the errno of the failed call.
    using StatFunction = std::function<std::expected<KeyFileStat, int>(const QString& path)>;

    // statFunction empty: the real stat(). effectiveUid: the user the server runs as (the "database
    // user" of §6.2); the default is this process's geteuid().
    explicit KeyPermissions(StatFunction statFunction = {});
    KeyPermissions(StatFunction statFunction, uint effectiveUid);

    // libpq's check in initialize_SSL() for sslkey (file keys only; not engine "name:id" keys):
    //   missing ⇒ `certificate present, but not private key file "%s"`
    //   other stat error ⇒ `could not stat private key file "%s": %m`
    //   not a regular file ⇒ `private key file "%s" is not a regular file`
    //   too open ⇒ `private key file "%s" has group or world access; file must have permissions u=rw
    //              (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less
    //              if owned by root`
    // libpq does not look at the owner beyond "root or not".
    Result<KeyFileStat> checkClientKeyFile(const QString& path) const;

    // check_ssl_key_file_permissions() of the server (be-secure-common.c):
    //   stat error ⇒ `could not access private key file "%s": %m`
    //   not a regular file ⇒ `private key file "%s" is not a regular file`
    //   owner neither the database user nor root ⇒ `private key file "%s" must be owned by the database
    //              user or root`
    //   too open ⇒ `private key file "%s" has group or world access`, with the server's DETAIL line
    //              (serverPermissionsDetail()) in Error::detail.
    Result<KeyFileStat> checkServerKeyFile(const QString& path) const;

    // The bare rules on a stat result.
    static bool clientModeAllowed(uint ownerUid, uint mode);
    static bool serverOwnerAllowed(uint ownerUid, uint databaseUid);
    static bool serverModeAllowed(uint ownerUid, uint mode, uint databaseUid);

    // The real stat() (follows symbolic links).
    static std::expected<KeyFileStat, int> statFile(const QString& path);

    static QString clientPermissionsMessage(const QString& path);
    static QString serverPermissionsDetail();

private:
    std::expected<KeyFileStat, int> stat(const QString& path) const;

    StatFunction m_stat;
    uint m_effectiveUid;
};

} // namespace vf::pki
