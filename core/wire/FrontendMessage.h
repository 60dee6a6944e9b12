#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace vf::wire {

// The client's side of the PostgreSQL protocol, byte for byte as libpq writes it
// (pqcomm.h, fe-protocol3.c build_startup_packet(), fe-auth.c).
namespace FrontendMessage {

inline constexpr quint32 kSslRequestCode = 80877103; // PG_PROTOCOL(1234, 5679)
inline constexpr quint32 kGssEncRequestCode = 80877104;
inline constexpr quint32 kProtocol3 = 0x00030000;

QByteArray sslRequest();    // 00 00 00 08 04 d2 16 2f
QByteArray gssEncRequest(); // 00 00 00 08 04 d2 16 30
// StartupMessage with the given parameters in order (user, database, application_name…).
QByteArray startup(const QList<QPair<QByteArray, QByteArray>>& parameters);
QByteArray password(const QByteArray& passwordOrHash); // 'p', NUL-terminated
QByteArray saslInitialResponse(const QByteArray& mechanism, const QByteArray& data);
QByteArray saslResponse(const QByteArray& data);
QByteArray query(const QByteArray& sql); // simple query 'Q'
QByteArray terminate();                  // 'X'

// "md5" + md5(md5(password + user) + salt), as libpq's pg_md5_encrypt() twice.
QByteArray md5Password(const QByteArray& password, const QByteArray& user, const QByteArray& salt);

} // namespace FrontendMessage
} // namespace vf::wire
