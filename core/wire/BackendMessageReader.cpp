#include "BackendMessageReader.h"

#include <QCoreApplication>
#include <QtEndian>

namespace vf::wire {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::wire::BackendMessageReader)
};

} // namespace

qint64 BackendMessageReader::maxLength(char type)
{
    switch (type) {
    case 'R': // authentication requests; SASL data is small
        return 8192;
    case 'E':
    case 'N':
        return 30000; // libpq's limit for error and notice messages before it gives up
    case 'D':
    case 'T':
    case 'A':
        return 16 * 1024 * 1024;
    default:
        return 64 * 1024;
    }
}

qint64 BackendMessageReader::peekLength() const
{
    if (m_buffer.size() < 5)
        return -1;
    return qFromBigEndian<qint32>(m_buffer.constData() + 1);
}

Result<std::optional<BackendMessage>> BackendMessageReader::next()
{
    if (m_buffer.size() < 5)
        return std::optional<BackendMessage>();
    const char type = m_buffer.at(0);
    const qint32 length = qFromBigEndian<qint32>(m_buffer.constData() + 1);
    if (length < 4 || length > maxLength(type))
        return makeError(QStringLiteral("wire.invalid-length"),
                         Tr::tr("invalid message length %1 for message type \"%2\"")
                             .arg(length)
                             .arg(QChar::fromLatin1(type).isPrint()
                                      ? QString(QChar::fromLatin1(type))
                                      : QStringLiteral("\\x%1").arg(uchar(type), 2, 16, QLatin1Char('0'))),
                         Tr::tr("The server sent a message whose length is impossible: this is not a "
                                "PostgreSQL server, or the stream is corrupted."));
    if (m_buffer.size() < 1 + length)
        return std::optional<BackendMessage>();
    BackendMessage msg{type, m_buffer.mid(5, length - 4)};
    m_buffer.remove(0, 1 + length);
    return std::optional<BackendMessage>(std::move(msg));
}

ServerNotice parseNotice(const QByteArray& payload)
{
    ServerNotice n;
    qsizetype pos = 0;
    while (pos < payload.size() && payload.at(pos) != '\0') {
        const char field = payload.at(pos++);
        const qsizetype end = payload.indexOf('\0', pos);
        const qsizetype stop = end < 0 ? payload.size() : end;
        const QString value = QString::fromUtf8(payload.constData() + pos, stop - pos);
        pos = stop + 1;
        switch (field) {
        case 'S':
            n.severity = value;
            break;
        case 'V':
            n.severityV = value;
            break;
        case 'C':
            n.sqlState = value;
            break;
        case 'M':
            n.message = value;
            break;
        case 'D':
            n.detail = value;
            break;
        case 'H':
            n.hint = value;
            break;
        default:
            break;
        }
    }
    return n;
}

} // namespace vf::wire
