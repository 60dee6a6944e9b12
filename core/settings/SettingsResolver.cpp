#include "SettingsResolver.h"

#include "settings/ConnOptions.h"
#include "settings/ServiceFile.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QLoggingCategory>

using namespace Qt::StringLiterals;

namespace vf::settings {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::settings::SettingsResolver)
};

Q_LOGGING_CATEGORY(lcResolver, "vf.settings")

// Default files under the home directory (libpq-int.h / fe-secure-openssl.c, Unix).
struct DefaultFileSpec
{
    QStringView keyword;
    QStringView relativePath;
};
constexpr DefaultFileSpec kDefaultFiles[] = {
    {u"sslrootcert", u".postgresql/root.crt"},
    {u"sslcrl", u".postgresql/root.crl"},
    {u"sslcert", u".postgresql/postgresql.crt"},
    {u"sslkey", u".postgresql/postgresql.key"},
    {u"passfile", u".pgpass"},
};

bool isEmptyOrUnset(const std::optional<QString>& v)
{
    return !v || v->isEmpty();
}

} // namespace

SettingsResolver::SettingsResolver(Environment environment)
    : m_environment(std::move(environment))
{}

Result<QString> SettingsResolver::applyService(EffectiveSettings& out, const QString& service) const
{
    const QString home = out.m_home.value_or(QString());
    QStringList searched;
    std::optional<QString> first = out.value(u"servicefile");
    if (!first)
        first = m_environment.variable(u"PGSERVICEFILE");
    if (!first && !home.isEmpty()) {
        const QString userFile = home + u"/.pg_service.conf"_s;
        if (QFileInfo::exists(userFile))
            first = userFile;
        else
            searched.append(Tr::tr("%1 (does not exist)").arg(displayPath(userFile, home)));
    } else if (!first) {
        searched.append(Tr::tr("~/.pg_service.conf (no home directory)"));
    }

    if (first) {
        auto found = applyServiceFile(out, *first, service);
        if (!found)
            return std::unexpected(found.error());
        if (*found)
            return *first;
        searched.append(Tr::tr("%1 (no [%2] section)").arg(displayPath(*first, home), service));
    }

    const QString systemFile = m_environment.sysconfDir() + u"/pg_service.conf"_s;
    if (QFileInfo::exists(systemFile)) {
        auto found = applyServiceFile(out, systemFile, service);
        if (!found)
            return std::unexpected(found.error());
        if (*found)
            return systemFile;
        searched.append(Tr::tr("%1 (no [%2] section)").arg(systemFile, service));
    } else {
        searched.append(Tr::tr("%1 (does not exist)").arg(systemFile));
    }

    return makeError(u"settings.service-not-found"_s,
                     u"definition of service \"%1\" not found"_s.arg(service),
                     Tr::tr("No service file has a [%1] section. Looked in: %2. Add the section, fix the "
                            "service name, or point PGSERVICEFILE at the right file.")
                         .arg(service, searched.join(u"; "_s)));
}

Result<bool> SettingsResolver::applyServiceFile(EffectiveSettings& out, const QString& path,
                                                const QString& service) const
{
    const QString home = out.m_home.value_or(QString());
    if (QFileInfo(path).isDir()) {
        out.m_notes.append(Tr::tr("The service file %1 is a directory; libpq reads it as an empty file.")
                               .arg(displayPath(path, home)));
    }
    auto section = ServiceFile(path).find(service);
    if (!section)
        return std::unexpected(section.error());
    if (!*section)
        return false;

    auto fromService = [&](int line) {
        ValueOrigin origin;
        origin.source = ValueSource::ServiceFile;
        origin.path = path;
        origin.displayPath = displayPath(path, home);
        origin.service = service;
        origin.line = line;
        return origin;
    };
    for (const ServiceEntry& entry : (*section)->entries) {
        EffectiveValue* v = out.findMutable(entry.keyword);
        if (v == nullptr || v->value)
            continue; // written in the connection string: the service does not override it
        v->value = entry.value;
        v->origin = fromService(entry.line);
    }
    // PG18 records the file in the "servicefile" option when it was not given.
    if (EffectiveValue* v = out.findMutable(u"servicefile"); v != nullptr && !v->value) {
        v->value = path;
        v->origin = fromService((*section)->line);
    }
    return true;
}

Result<EffectiveSettings> SettingsResolver::resolve(const ConnInfo& info) const
{
    EffectiveSettings out;
    out.m_home = m_environment.homeDirectory();
    const QString home = out.m_home.value_or(QString());

    // 1. Written values.
    const ValueSource written = info.syntax() == ConnInfoSyntax::Uri ? ValueSource::Uri : ValueSource::Typed;
    for (const ConnOptionInfo& option : connOptions()) {
        EffectiveValue v;
        v.keyword = option.keywordString();
        v.secret = option.isSecret();
        if (std::optional<QString> value = info.value(v.keyword)) {
            v.value = std::move(value);
            v.origin.source = written;
        }
        out.m_values.append(std::move(v));
    }

    // 2. The service file.
    std::optional<QString> service = out.value(u"service");
    ValueOrigin serviceOrigin = out.origin(u"service");
    if (!service) {
        service = m_environment.variable(u"PGSERVICE");
        serviceOrigin = ValueOrigin{};
        serviceOrigin.source = ValueSource::Environment;
        serviceOrigin.variable = u"PGSERVICE"_s;
    }
    if (service) {
        auto file = applyService(out, *service);
        if (!file)
            return std::unexpected(file.error());
        out.m_serviceName = *service;
        out.m_serviceNameOrigin = serviceOrigin;
        out.m_serviceFile = *file;
    }

    // 3./4. Environment variables and compiled-in defaults.
    bool sslmodeDefaulted = false;
    for (EffectiveValue& v : out.m_values) {
        if (v.value)
            continue;
        const ConnOptionInfo* option = findConnOption(v.keyword);
        if (option == nullptr)
            continue;
        if (option->envVar != nullptr) {
            const QString variable = QString::fromLatin1(option->envVar);
            if (std::optional<QString> value = m_environment.variable(variable)) {
                v.value = std::move(value);
                v.origin.source = ValueSource::Environment;
                v.origin.variable = variable;
                continue;
            }
        }
        if (v.keyword == u"sslmode") {
            const std::optional<QString> requireSsl = m_environment.variable(u"PGREQUIRESSL");
            if (requireSsl && requireSsl->startsWith(u'1')) {
                v.value = u"require"_s;
                v.origin.source = ValueSource::RequireSslEnv;
                v.origin.variable = u"PGREQUIRESSL"_s;
                continue;
            }
            sslmodeDefaulted = true;
        }
        if (option->compiledDefault != nullptr) {
            v.value = QString::fromLatin1(option->compiledDefault);
            v.origin.source = ValueSource::CompiledDefault;
            continue;
        }
        if (v.keyword == u"user") {
            if (std::optional<QString> user = m_environment.osUserName()) {
                v.value = std::move(user);
                v.origin.source = ValueSource::OsUser;
            }
        }
    }

    // 5. sslrootcert=system strengthens a defaulted sslmode.
    if (sslmodeDefaulted && out.value(u"sslrootcert") == u"system"_s) {
        if (EffectiveValue* v = out.findMutable(u"sslmode")) {
            v->value = u"verify-full"_s;
            v->origin.source = ValueSource::SystemRoots;
        }
    }

    // pqConnectOptions2(): an empty user is looked up again, an empty dbname becomes the user name.
    if (EffectiveValue* user = out.findMutable(u"user"); user && isEmptyOrUnset(user->value)) {
        if (std::optional<QString> osUser = m_environment.osUserName()) {
            user->value = std::move(osUser);
            user->origin = ValueOrigin{};
            user->origin.source = ValueSource::OsUser;
        }
    }
    if (EffectiveValue* dbname = out.findMutable(u"dbname"); dbname && isEmptyOrUnset(dbname->value)) {
        if (const std::optional<QString> user = out.value(u"user"); user && !user->isEmpty()) {
            dbname->value = *user;
            dbname->origin = ValueOrigin{};
            dbname->origin.source = ValueSource::SameAsUser;
        }
    }

    // Files libpq falls back to when the option is empty.
    if (out.m_home) {
        const bool crlConfigured =
            !isEmptyOrUnset(out.value(u"sslcrl")) || !isEmptyOrUnset(out.value(u"sslcrldir"));
        for (const DefaultFileSpec& spec : kDefaultFiles) {
            if (spec.keyword == u"sslcrl" && crlConfigured)
                continue;
            EffectiveValue f;
            f.keyword = spec.keyword.toString();
            f.value = home + u'/' + spec.relativePath;
            f.origin.source = ValueSource::DefaultFile;
            f.origin.path = *f.value;
            f.origin.displayPath = u"~/"_s + spec.relativePath;
            f.origin.fileExists = QFileInfo::exists(*f.value);
            out.m_defaultFiles.append(std::move(f));
        }
    } else {
        out.m_notes.append(Tr::tr("No home directory (HOME is empty and the user has no passwd entry): libpq "
                                  "uses no ~/.postgresql/ files, no ~/.pgpass and no ~/.pg_service.conf."));
    }

    if (lcResolver().isDebugEnabled()) {
        QStringList sources; // keywords only: values may be secrets
        for (const EffectiveValue& v : std::as_const(out.m_values)) {
            if (v.origin.source != ValueSource::Unset && v.origin.source != ValueSource::CompiledDefault)
                sources.append(v.keyword + u" ("_s + v.origin.label() + u')');
        }
        qCDebug(lcResolver).noquote() << "resolved:" << sources.join(u", "_s);
    }
    return out;
}

} // namespace vf::settings
