#pragma once

#include "Certificate.h"
#include "PrivateKey.h"

#include <QList>
#include <QString>

namespace vf::pki {

// What a PKCS#12 (.p12/.pfx) file holds once opened with its password.
struct Pkcs12Contents
{
    Certificate certificate;  // the certificate that goes with the key (null if the file has none)
    PrivateKey key;           // null if the file holds certificates only
    QList<Certificate> chain; // the other certificates (intermediates, roots), in file order
    QString friendlyName;     // the certificate's "friendlyName" attribute, if any
};

} // namespace vf::pki
