#pragma once

#include <QHash>
#include <QString>
#include <QStringView>

#include <functional>
#include <optional>

namespace vf::settings {

// What libpq reads from the machine when it resolves settings: environment variables, the home
// directory (pqGetHomeDirectory(): $HOME if non-empty, else the passwd entry of the effective user),
// the operating-system user name (pg_fe_getauthname()) and the compiled-in system configuration
// directory (SYSCONFDIR, where pg_service.conf lives). Tests build one by hand so they never depend on
// the real machine; the application uses Environment::system().
class Environment final
{
public:
    using Lookup = std::function<std::optional<QString>()>;

    // Debian's libpq is built with --sysconfdir=/etc/postgresql-common.
    static constexpr QStringView kDebianSysconfDir = u"/etc/postgresql-common";

    // No variables, no passwd entry, no user name; SYSCONFDIR is Debian's.
    Environment() = default;

    // A snapshot of the real process environment; passwd home and user name come from
    // getpwuid_r(geteuid()).
    static Environment system();

    // A variable that is set (possibly to the empty string), or nullopt when it is not set.
    // libpq tells the two apart: PGSSLMODE= (empty) is the invalid value "", not "unset".
    std::optional<QString> variable(QStringView name) const;
    void setVariable(const QString& name, const QString& value) { m_variables.insert(name, value); }
    void unsetVariable(const QString& name) { m_variables.remove(name); }
    const QHash<QString, QString>& variables() const { return m_variables; }

    // Home directory of the passwd entry, asked only when HOME is unset or empty.
    void setPasswdHomeLookup(Lookup lookup) { m_passwdHome = std::move(lookup); }
    // Operating-system user name (libpq's default for "user").
    void setUserNameLookup(Lookup lookup) { m_userName = std::move(lookup); }
    void setCompiledSysconfDir(QString dir) { m_sysconfDir = std::move(dir); }

    // pqGetHomeDirectory(): HOME when set and non-empty, else the passwd home; nullopt when neither.
    std::optional<QString> homeDirectory() const;
    std::optional<QString> osUserName() const;
    // The directory of the system-wide pg_service.conf: PGSYSCONFDIR when set (even empty, as libpq),
    // else the compiled-in SYSCONFDIR.
    QString sysconfDir() const;

private:
    QHash<QString, QString> m_variables;
    Lookup m_passwdHome;
    Lookup m_userName;
    QString m_sysconfDir = kDebianSysconfDir.toString();
};

} // namespace vf::settings
