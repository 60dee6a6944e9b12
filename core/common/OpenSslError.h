#pragma once

#include "Error.h"

#include <QString>
#include <QStringList>

namespace vf::ossl {

// The bridge from OpenSSL's thread-local error queue to our Error type.

// One entry of the queue, as OpenSSL prints it ("error:0480006C:PEM routines::no start line").
// Drains the whole queue: after the call it is empty.
QStringList drainErrors();

// The reason string of the earliest queued error, as libpq's SSLerrmessage() shows it
// ("certificate verify failed", "bad decrypt"), or "no SSL error reported" when the queue is empty.
// Does not drain the queue.
QString firstReason();

// The reason of the most recent queued error (what SSL_get_error()/ERR_get_error() callers see
// first in libpq is the earliest one; some OpenSSL calls put the useful reason last).
QString lastReason();

// libpq's SSLerrmessage() for one error code: the reason string, "no application protocol" for the
// ALPN alert, strerror() text for system errors, "SSL error code N" when OpenSSL has no text, and
// "no SSL error reported" for 0.
QString reasonString(unsigned long code);

// Builds an Error whose detail is the whole drained queue. The queue is empty afterwards.
Error makeError(QString code, QString message, QString explanation = {});

// Clears the queue without reporting (libpq's ERR_clear_error()).
void clearErrors();

} // namespace vf::ossl
