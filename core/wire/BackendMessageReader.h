#pragma once

#include "common/Error.h"

#include <QByteArray>

#include <optional>

namespace vf::wire {

struct BackendMessage
{
    char type = 0;      // 'R', 'E', 'S', 'K', 'Z', 'T', 'D', 'C', 'N', 'v'…
    QByteArray payload; // without type and length
};

// Splits the server's byte stream into messages, with a length limit per message type so a hostile
// or broken server cannot make us buffer without bound. No I/O: feed() bytes, then take messages.
class BackendMessageReader final
{
public:
    void feed(QByteArrayView bytes) { m_buffer.append(bytes.data(), bytes.size()); }
    // The next complete message, nothing when more bytes are needed, or an error for an invalid length.
    Result<std::optional<BackendMessage>> next();
    qsizetype buffered() const { return m_buffer.size(); }
    // The type byte of the next message, or 0 when nothing is buffered.
    char peekType() const { return m_buffer.isEmpty() ? '\0' : m_buffer.at(0); }
    // The declared length of the next message, or -1 when fewer than 5 bytes are buffered.
    qint64 peekLength() const;
    // Everything buffered and not yet taken (for libpq's pre-3.0 error text, read up to a NUL).
    QByteArrayView bufferedBytes() const { return m_buffer; }
    void clear() { m_buffer.clear(); }

    // The largest length (including the 4 length bytes) accepted for a message type.
    static qint64 maxLength(char type);

private:
    QByteArray m_buffer;
};

// Fields of an ErrorResponse / NoticeResponse ('S' severity, 'V', 'C' SQLSTATE, 'M' message, 'D', 'H'…).
struct ServerNotice
{
    QString severity;  // localized severity
    QString severityV; // non-localized (V), e.g. "FATAL"
    QString sqlState;
    QString message;
    QString detail;
    QString hint;
};
ServerNotice parseNotice(const QByteArray& payload);

} // namespace vf::wire
