#pragma once

#include "settings/ValueOrigin.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <optional>

namespace vf::settings {

// One libpq option after resolution, with where its value came from.
struct EffectiveValue
{
    QString keyword;
    std::optional<QString> value; // nullopt: libpq leaves the option NULL
    ValueOrigin origin;
    bool secret = false; // password, sslpassword…: never log or print value

    // The value as it may be shown or logged: secrets are masked, unset shows as "(not set)".
    QString displayValue() const;
};

// The settings libpq would connect with: the result of conninfo_add_defaults() (service file,
// environment, compiled defaults, sslrootcert=system raising sslmode) plus the defaults
// pqConnectOptions2() and initialize_SSL() fill in later (dbname = user, ~/.postgresql/… files,
// ~/.pgpass). Built by SettingsResolver; checked by OptionValidator.
class EffectiveSettings final
{
public:
    EffectiveSettings() = default;

    // One entry per libpq keyword, in libpq's option-table order.
    const QList<EffectiveValue>& values() const { return m_values; }
    const EffectiveValue* find(QStringView keyword) const;
    std::optional<QString> value(QStringView keyword) const;
    // The value, or `fallback` when the option is unset.
    QString valueOr(QStringView keyword, const QString& fallback = {}) const;
    ValueOrigin origin(QStringView keyword) const;

    // The file libpq will use for sslrootcert, sslcrl, sslcert, sslkey and passfile: the setting when it
    // is non-empty (sslrootcert may then be the literal "system"), else the default file under the home
    // directory with origin DefaultFile (~/.postgresql/root.crt, root.crl, postgresql.crt,
    // postgresql.key, ~/.pgpass). nullopt when neither applies: no home directory, or for sslcrl when
    // sslcrldir is set. libpq reads ~/.pgpass only when no password is set.
    std::optional<EffectiveValue> effectiveFile(QStringView keyword) const;

    // pqGetHomeDirectory() as seen during resolution.
    const std::optional<QString>& homeDirectory() const { return m_home; }

    // The service that was looked up (service= or PGSERVICE); empty name and Unset origin when none.
    const QString& serviceName() const { return m_serviceName; }
    const ValueOrigin& serviceNameOrigin() const { return m_serviceNameOrigin; }
    // The file the service section was read from (empty when no service).
    const QString& serviceFile() const { return m_serviceFile; }

    // Things a person should know that are not errors (e.g. "~/.pg_service.conf is a directory").
    const QStringList& notes() const { return m_notes; }

private:
    friend class SettingsResolver;

    EffectiveValue* findMutable(QStringView keyword);

    QList<EffectiveValue> m_values;
    QList<EffectiveValue> m_defaultFiles; // keyword = the option the file stands in for
    std::optional<QString> m_home;
    QString m_serviceName;
    ValueOrigin m_serviceNameOrigin;
    QString m_serviceFile;
    QStringList m_notes;
};

} // namespace vf::settings
