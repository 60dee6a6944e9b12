#include "Environment.h"

#include <QFile>
#include <QProcessEnvironment>

#include <array>
#include <pwd.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace vf::settings {

namespace {

// The passwd entry of the effective user, as libpq looks it up (getpwuid_r on geteuid()).
template <typename Field> std::optional<QString> passwdField(Field field)
{
    struct passwd pwbuf
    {
    };
    struct passwd* pw = nullptr;
    std::array<char, 4096> buffer{};
    if (getpwuid_r(geteuid(), &pwbuf, buffer.data(), buffer.size(), &pw) != 0 || pw == nullptr)
        return std::nullopt;
    const char* value = field(*pw);
    if (value == nullptr)
        return std::nullopt;
    return QFile::decodeName(value);
}

} // namespace

Environment Environment::system()
{
    Environment env;
    const QProcessEnvironment process = QProcessEnvironment::systemEnvironment();
    const QStringList keys = process.keys();
    for (const QString& key : keys)
        env.m_variables.insert(key, process.value(key));
    env.m_passwdHome = [] { return passwdField([](const struct passwd& p) { return p.pw_dir; }); };
    env.m_userName = [] { return passwdField([](const struct passwd& p) { return p.pw_name; }); };
    return env;
}

std::optional<QString> Environment::variable(QStringView name) const
{
    const auto it = m_variables.constFind(name.toString());
    if (it == m_variables.constEnd())
        return std::nullopt;
    return it.value();
}

std::optional<QString> Environment::homeDirectory() const
{
    const std::optional<QString> home = variable(u"HOME");
    if (home && !home->isEmpty())
        return home;
    if (m_passwdHome)
        return m_passwdHome();
    return std::nullopt;
}

std::optional<QString> Environment::osUserName() const
{
    if (m_userName)
        return m_userName();
    return std::nullopt;
}

QString Environment::sysconfDir() const
{
    if (const std::optional<QString> dir = variable(u"PGSYSCONFDIR"))
        return *dir;
    return m_sysconfDir;
}

} // namespace vf::settings
