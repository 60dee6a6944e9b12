#pragma once

#include <QByteArray>
#include <QString>

namespace vf::tls {

// The libpq settings that shape one TLS attempt, already resolved (explicit → service → PG* →
// default), as initialize_SSL() in fe-secure-openssl.c sees them.
struct TlsConfig
{
    QString sslmode = QStringLiteral("prefer");
    QString sslnegotiation = QStringLiteral("postgres");
    // sslrootcert as given ("system", a path), or empty for the ~/.postgresql/root.crt default.
    QString sslrootcert;
    QString sslcrl;
    QString sslcrldir;
    QString sslcert;
    QString sslkey;
    QString sslcertmode = QStringLiteral("allow");
    QByteArray sslpassword; // secret
    QString minProtocol = QStringLiteral("TLSv1.2");
    QString maxProtocol;
    QString sslsni = QStringLiteral("1");
    QString sslcompression = QStringLiteral("0");
    QString host;          // connhost[i].host: used for SNI (and by the caller for verify-full)
    QString homeDirectory; // empty: no home directory could be found
};

} // namespace vf::tls
