#pragma once

#include "common/Error.h"

#include <QList>
#include <QString>

#include <optional>

namespace vf::settings {

struct ServiceEntry
{
    QString keyword;
    QString value;
    int line = 0; // 1-based

    friend bool operator==(const ServiceEntry&, const ServiceEntry&) = default;
};

// The [name] section of a service file, as libpq absorbs it.
struct ServiceSection
{
    QString name;
    QString path;
    int line = 0;                // line of the "[name]" header
    QList<ServiceEntry> entries; // in file order; only the first line of each keyword (libpq keeps the
                                 // first value it stores and ignores later ones)
};

// One connection service file (pg_service.conf), read exactly as libpq's parseServiceFile()
// (fe-connect.c, PG18): the file is streamed line by line through a 1024-byte buffer, so a line of
// 1023 bytes or more (newline included) is an error; leading/trailing white space is ignored; "#"
// starts a comment line; "[name]" starts a section (anything after the "]" is ignored); in the wanted
// section every line must be keyword=value with a keyword libpq knows (no spaces around "="), and
// service=/servicefile= are refused. Lines before the first section and in other sections are not
// checked. A NUL byte ends the text of its line.
class ServiceFile final
{
public:
    explicit ServiceFile(QString path)
        : m_path(std::move(path))
    {}

    const QString& path() const { return m_path; }

    // Looks for [service]. nullopt when the file has no such section (a directory reads as an empty
    // file, as libpq's fopen()/fgets() do). Errors carry libpq's messages:
    // `service file "%s" not found` (cannot be opened), `line %d too long in service file "%s"`,
    // `syntax error in service file "%s", line %d` (no "=", or unknown keyword),
    // `nested "service" specifications not supported in service file "%s", line %d`,
    // `nested "servicefile" specifications not supported in service file "%s", line %d`,
    // `invalid LDAP URL "%s": scheme must be ldap://`; an ldap:// line (libpq's LDAP lookup) is refused
    // with our own message.
    Result<std::optional<ServiceSection>> find(const QString& service) const;

private:
    QString m_path;
};

} // namespace vf::settings
