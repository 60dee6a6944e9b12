#pragma once

#include <QString>
#include <QStringList>

#include <expected>

namespace vf {

// An error a core call reports: a stable code (for programs and tests), libpq's wording when libpq
// has one (people search for it, so it stays untranslated), our explanation in plain language, and
// the low-level detail (for example the whole OpenSSL error queue).
struct Error
{
    QString code;        // stable identifier, e.g. "pki.wrong-passphrase"
    QString message;     // the libpq-worded (or our own, when libpq has none) one-line message
    QString explanation; // what it means and what to change
    QStringList detail;  // OpenSSL error queue, errno text, …

    // "message: explanation", for a log line or a CLI error.
    QString toString() const;
};

template <typename T> using Result = std::expected<T, Error>;

inline std::unexpected<Error> makeError(QString code, QString message, QString explanation = {},
                                        QStringList detail = {})
{
    return std::unexpected<Error>(
        Error{std::move(code), std::move(message), std::move(explanation), std::move(detail)});
}

} // namespace vf
