#include "ServiceFileImport.h"

#include "InteropFiles.h"
#include "InteropLog.h"
#include "settings/ServiceFile.h"

#include <QFileInfo>
#include <QSet>

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

// isspace() in the C locale, as libpq trims service-file lines.
bool isCSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

QByteArrayView trimmedLine(QByteArrayView line)
{
    // strlen(): a NUL byte ends the line's text, as in libpq.
    if (const qsizetype nul = line.indexOf('\0'); nul >= 0)
        line = line.first(nul);
    qsizetype start = 0;
    qsizetype end = line.size();
    while (start < end && isCSpace(line[start]))
        ++start;
    while (end > start && isCSpace(line[end - 1]))
        --end;
    return line.sliced(start, end - start);
}

} // namespace

QStringList ServiceFileImport::sectionNames(const QByteArray& content)
{
    QStringList names;
    QSet<QString> seen;
    qsizetype pos = 0;
    while (pos < content.size()) {
        qsizetype end = content.indexOf('\n', pos);
        if (end < 0)
            end = content.size();
        const QByteArrayView line = trimmedLine(QByteArrayView(content).sliced(pos, end - pos));
        pos = end + 1;
        if (!line.startsWith('['))
            continue;
        const qsizetype close = line.indexOf(']');
        if (close <= 1)
            continue; // no "]" (matches no service) or "[]"
        const QString name = QString::fromUtf8(line.sliced(1, close - 1));
        if (seen.contains(name))
            continue;
        seen.insert(name);
        names.append(name);
    }
    return names;
}

ServiceFileListing ServiceFileImport::read(const QString& path, ServiceFileListing::Scope scope,
                                           const std::optional<QString>& home)
{
    ServiceFileListing listing;
    listing.scope = scope;
    listing.path = path;
    listing.displayPath = settings::displayPath(path, home.value_or(QString()));
    const QFileInfo info(path);
    listing.exists = info.exists();

    Result<QByteArray> content = InteropFiles::read(path, kMaxFileSize, InteropFiles::Kind::ServiceFile);
    if (!content) {
        listing.error = content.error();
        if (listing.error->code == u"pki.file-missing") {
            // libpq's wording (parseServiceFile()).
            listing.error->code = u"settings.service-file-missing"_s;
            listing.error->message = u"service file \"%1\" not found"_s.arg(path);
        }
        return listing;
    }

    QStringList names = sectionNames(*content);
    if (names.size() > kMaxSections) {
        Error e{u"interop.service-too-many-sections"_s,
                tr("the service file has %n sections", nullptr, int(names.size())),
                tr("Only the first %n sections are listed.", nullptr, kMaxSections),
                {}};
        names.resize(kMaxSections);
        listing.error = e;
    }

    const settings::ServiceFile file(path);
    for (const QString& name : std::as_const(names)) {
        ImportedProfile p;
        p.key = name;
        p.suggestedName = name;
        p.source = tr("service file %1 [%2]").arg(listing.displayPath, name);
        Result<std::optional<settings::ServiceSection>> section = file.find(name);
        if (!section) {
            p.error = section.error();
        } else if (!*section) {
            p.error = Error{u"interop.service-section-unreadable"_s,
                            u"definition of service \"%1\" not found"_s.arg(name),
                            tr("libpq cannot look this section up by its name (the name is not valid "
                               "UTF-8, or the file changed while it was read)."),
                            {}};
        } else {
            for (const settings::ServiceEntry& entry : std::as_const((*section)->entries)) {
                if (!p.conninfo.setValue(entry.keyword, entry.value))
                    continue; // ServiceFile accepts only libpq keywords; nothing else can get here
                settings::ValueOrigin origin;
                origin.source = settings::ValueSource::ServiceFile;
                origin.path = path;
                origin.displayPath = listing.displayPath;
                origin.service = name;
                origin.line = entry.line;
                p.origins.append(ImportedValue{entry.keyword, origin});
            }
            if (p.conninfo.isEmpty())
                p.notes << tr("The section is empty: a profile from it has only libpq's defaults.");
            if (p.hasSecrets())
                p.notes << tr("The section holds a password or another secret.");
        }
        listing.sections.append(std::move(p));
    }
    qCDebug(lcInterop) << "service file listed:" << listing.sections.size() << "sections";
    return listing;
}

QList<ServiceFileListing> ServiceFileImport::listAll(const settings::Environment& environment)
{
    QList<ServiceFileListing> out;
    const std::optional<QString> home = environment.homeDirectory();

    ServiceFileListing user;
    if (const std::optional<QString> variable = environment.variable(u"PGSERVICEFILE")) {
        user = read(*variable, ServiceFileListing::Scope::User, home);
        user.chosenBy = tr("PGSERVICEFILE");
    } else if (home && !home->isEmpty()) {
        const QString path = *home + u"/.pg_service.conf"_s;
        if (QFileInfo::exists(path)) {
            user = read(path, ServiceFileListing::Scope::User, home);
        } else {
            user.scope = ServiceFileListing::Scope::User;
            user.path = path;
            user.displayPath = u"~/.pg_service.conf"_s;
        }
        user.chosenBy = tr("the user's service file");
    } else {
        user.scope = ServiceFileListing::Scope::User;
        user.displayPath = u"~/.pg_service.conf"_s;
        user.chosenBy = tr("no home directory");
    }
    out.append(std::move(user));

    const QString systemPath = environment.sysconfDir() + u"/pg_service.conf"_s;
    ServiceFileListing system;
    if (QFileInfo::exists(systemPath)) {
        system = read(systemPath, ServiceFileListing::Scope::System, home);
    } else {
        system.scope = ServiceFileListing::Scope::System;
        system.path = systemPath;
        system.displayPath = systemPath;
    }
    system.chosenBy =
        environment.variable(u"PGSYSCONFDIR") ? tr("PGSYSCONFDIR") : tr("the system service file");
    out.append(std::move(system));
    return out;
}

ImportedProfile ServiceFileImport::referenceTo(const ImportedProfile& section)
{
    ImportedProfile p;
    p.key = section.key;
    p.suggestedName = section.suggestedName;
    p.source = section.source;
    p.conninfo.setValue(u"service"_s, section.key);
    p.notes << tr("The profile names the service only: libpq reads its settings from the service file each "
                  "time, so changes to the file apply. It searches PGSERVICEFILE or ~/.pg_service.conf, "
                  "then the system pg_service.conf.");
    return p;
}

} // namespace vf::interop
