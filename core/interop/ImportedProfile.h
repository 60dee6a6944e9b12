#pragma once

#include "common/Error.h"
#include "settings/ConnInfo.h"
#include "settings/ValueOrigin.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vf::interop {

// Where one imported value came from (a PG* variable, a default file, a service-file line…).
struct ImportedValue
{
    QString keyword;
    settings::ValueOrigin origin;

    friend bool operator==(const ImportedValue&, const ImportedValue&) = default;
};

// One connection found by an import, ready to become a profile: a suggested name, the libpq settings
// and what the person should know about them. A candidate that could not be read carries an error
// instead (the other candidates of the same file are still usable).
//
// The settings may hold secrets (a password typed into a pasted string, a service section with
// password=): hasSecrets() says so; never log conninfo.
struct ImportedProfile
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::ImportedProfile)

public:
    QString suggestedName;
    QString key;     // what identifies it in its source: the service section name, the pgAdmin server id
    QString source;  // where it was found: "service file ~/.pg_service.conf [prod]", "pgAdmin server 3"
    QString group;   // pgAdmin's server group; empty otherwise
    QString comment; // pgAdmin's comment; empty otherwise
    settings::ConnInfo conninfo;
    QList<ImportedValue> origins; // per keyword, when known (environment, service files)
    QStringList notes;            // what was not carried over, what to check (translated)
    std::optional<Error> error;   // set when this candidate could not be imported

    bool isValid() const { return !error.has_value(); }
    // True when conninfo holds a password or another secret (ConnOptionInfo::isSecret()).
    bool hasSecrets() const;
    const settings::ValueOrigin* originOf(QStringView keyword) const;

    // A short name for settings: "app on db.example.com", "alice@db.example.com", "db.example.com",
    // "local socket" … (translated).
    static QString nameFor(const settings::ConnInfo& info);
};

} // namespace vf::interop
