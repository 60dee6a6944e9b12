#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace vf::tls {

// How the core asks a person for the passphrase of an encrypted private key. The GUI shows a dialog,
// the CLI reads the terminal, tests answer from a script. Called at most once per connection attempt
// (the answer is reused if OpenSSL asks again), and only when sslpassword is not set.
class PassphraseProvider
{
public:
    virtual ~PassphraseProvider() = default;
    // keyPath: the key file. Return nothing to cancel (the key then fails to load, as with an empty
    // passphrase in libpq).
    virtual std::optional<QByteArray> passphraseFor(const QString& keyPath) = 0;
};

} // namespace vf::tls
