#include "OpenSslError.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <array>
#include <cstring>

namespace vf::ossl {

QString reasonString(unsigned long code)
{
    if (code == 0)
        return QStringLiteral("no SSL error reported");
    // libssl's reason strings are registered only once libssl is initialised (idempotent and cheap).
    OPENSSL_init_ssl(OPENSSL_INIT_LOAD_SSL_STRINGS, nullptr);
    if (ERR_GET_LIB(code) == ERR_LIB_SSL &&
        ERR_GET_REASON(code) == SSL_AD_REASON_OFFSET + SSL_AD_NO_APPLICATION_PROTOCOL)
        return QStringLiteral("no application protocol");
    // OpenSSL 3 packs errno into system errors; libpq shows strerror() for them.
    if (ERR_SYSTEM_ERROR(code))
        return QString::fromLocal8Bit(std::strerror(int(ERR_GET_REASON(code))));
    if (const char* reason = ERR_reason_error_string(code))
        return QString::fromUtf8(reason);
    return QStringLiteral("SSL error code %1").arg(code);
}

QStringList drainErrors()
{
    QStringList out;
    const char* file = nullptr;
    int line = 0;
    const char* data = nullptr;
    int flags = 0;
    while (unsigned long code = ERR_get_error_all(&file, &line, nullptr, &data, &flags)) {
        std::array<char, 256> buf{};
        ERR_error_string_n(code, buf.data(), buf.size());
        QString entry = QString::fromUtf8(buf.data());
        if (data && (flags & ERR_TXT_STRING) && *data)
            entry += u" (" + QString::fromUtf8(data) + u')';
        out << entry;
    }
    return out;
}

QString firstReason()
{
    return reasonString(ERR_peek_error());
}

QString lastReason()
{
    return reasonString(ERR_peek_last_error());
}

Error makeError(QString code, QString message, QString explanation)
{
    return Error{std::move(code), std::move(message), std::move(explanation), drainErrors()};
}

void clearErrors()
{
    ERR_clear_error();
}

} // namespace vf::ossl
