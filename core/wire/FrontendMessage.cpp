#include "FrontendMessage.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace vf::wire::FrontendMessage {

namespace {

void appendInt32(QByteArray& out, quint32 value)
{
    char buf[4];
    qToBigEndian(value, buf);
    out.append(buf, 4);
}

// A typed message: type byte, Int32 length (including itself), body.
QByteArray typed(char type, const QByteArray& body)
{
    QByteArray out;
    out.reserve(body.size() + 5);
    out.append(type);
    appendInt32(out, quint32(body.size() + 4));
    out.append(body);
    return out;
}

QByteArray untyped(const QByteArray& body)
{
    QByteArray out;
    appendInt32(out, quint32(body.size() + 4));
    out.append(body);
    return out;
}

QByteArray code(quint32 c)
{
    QByteArray body;
    appendInt32(body, c);
    return untyped(body);
}

} // namespace

QByteArray sslRequest()
{
    return code(kSslRequestCode);
}

QByteArray gssEncRequest()
{
    return code(kGssEncRequestCode);
}

QByteArray startup(const QList<QPair<QByteArray, QByteArray>>& parameters)
{
    QByteArray body;
    appendInt32(body, kProtocol3);
    for (const auto& [name, value] : parameters) {
        body.append(name).append('\0');
        body.append(value).append('\0');
    }
    body.append('\0');
    return untyped(body);
}

QByteArray password(const QByteArray& passwordOrHash)
{
    return typed('p', passwordOrHash + '\0');
}

QByteArray saslInitialResponse(const QByteArray& mechanism, const QByteArray& data)
{
    QByteArray body = mechanism + '\0';
    appendInt32(body, quint32(data.size()));
    body.append(data);
    return typed('p', body);
}

QByteArray saslResponse(const QByteArray& data)
{
    return typed('p', data);
}

QByteArray query(const QByteArray& sql)
{
    return typed('Q', sql + '\0');
}

QByteArray terminate()
{
    return typed('X', {});
}

QByteArray md5Password(const QByteArray& password, const QByteArray& user, const QByteArray& salt)
{
    const QByteArray inner =
        QCryptographicHash::hash(QByteArray(password + user), QCryptographicHash::Md5).toHex();
    return "md5" + QCryptographicHash::hash(QByteArray(inner + salt), QCryptographicHash::Md5).toHex();
}

} // namespace vf::wire::FrontendMessage
