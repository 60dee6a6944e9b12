#pragma once

#include "ImportedProfile.h"
#include "common/Error.h"
#include "settings/Environment.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vf::interop {

// One service file and the sections libpq would find in it.
struct ServiceFileListing
{
    enum class Scope
    {
        User,   // PGSERVICEFILE, else ~/.pg_service.conf
        System, // $PGSYSCONFDIR/pg_service.conf, else SYSCONFDIR's
    };

    Scope scope = Scope::User;
    QString path;
    QString displayPath; // with "~" for the home directory
    QString chosenBy; // why this file: "PGSERVICEFILE", "~/.pg_service.conf", "PGSYSCONFDIR"… (translated)
    bool exists = false;
    std::optional<Error> error;      // the file could not be read (or only partly: too many sections)
    QList<ImportedProfile> sections; // one per [name], in file order; a section libpq would refuse
                                     // carries its error
};

// Reads the connection service files libpq consults (pg_service.conf), listing every section with
// its settings. Each section is read by settings::ServiceFile::find(), exactly as libpq reads it when
// that service is asked for, so a section is offered only when libpq would accept it; otherwise it
// carries libpq's message. Values are copied into the profile (with their file and line as origin).
class ServiceFileImport final
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::ServiceFileImport)

public:
    // Service files are refused above this size (libpq has no limit, but no real one comes near it).
    static constexpr qint64 kMaxFileSize = 1024LL * 1024;
    // At most this many sections are listed per file (each is read back as libpq reads it, which
    // costs a pass over the file up to the section).
    static constexpr int kMaxSections = 500;

    ServiceFileImport() = delete;

    // The user file then the system file, as libpq's parseServiceInfo() picks them: PGSERVICEFILE
    // (which must exist) or ~/.pg_service.conf; then $PGSYSCONFDIR/pg_service.conf or the compiled-in
    // SYSCONFDIR's. A file that does not exist is listed with exists == false and no sections.
    static QList<ServiceFileListing> listAll(const settings::Environment& environment);

    // One file. `home` is used for display paths only.
    static ServiceFileListing read(const QString& path, ServiceFileListing::Scope scope,
                                   const std::optional<QString>& home = std::nullopt);

    // The section names of a service file's text, in order, first occurrence only (libpq uses the
    // first section of a name): a trimmed line "[name]…" names the text up to the first "]".
    static QStringList sectionNames(const QByteArray& content);

    // A profile that refers to the section (service=NAME) instead of copying its settings. libpq finds
    // the section again only in the file it would search (see listAll()); a note says so.
    static ImportedProfile referenceTo(const ImportedProfile& section);
};

} // namespace vf::interop
