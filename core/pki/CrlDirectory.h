#pragma once

#include "Crl.h"
#include "common/Error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace vf::pki {

// One "<hash>.r<n>" file of a hashed CRL directory (the layout "openssl rehash" creates).
struct CrlDirectoryEntry
{
    QString fileName;             // "1a2b3c4d.r0"
    QList<Crl> crls;              // what the file holds (PEM or DER)
    std::optional<Error> problem; // unreadable, not a CRL, not PEM, named for another issuer…
    bool usedByOpenSsl = false;   // OpenSSL's (and so libpq's) lookup finds and loads it
};

// What a CRL directory (sslcrldir) holds and what OpenSSL's hashed lookup will make of it.
struct CrlDirectory
{
    QString path;
    QList<CrlDirectoryEntry> entries; // hashed-name files, sorted by name
    QStringList otherFiles;           // files OpenSSL never reads here (no "<hash>.r<n>" name)
    QList<Error> warnings;

    QList<Crl> usableCrls() const // the CRLs libpq will actually find
    {
        QList<Crl> out;
        for (const CrlDirectoryEntry& e : entries) {
            if (e.usedByOpenSsl)
                out += e.crls;
        }
        return out;
    }
};

} // namespace vf::pki
