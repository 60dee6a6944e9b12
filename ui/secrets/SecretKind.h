#pragma once

#include <QString>

namespace vf::ui {

// The two secrets a profile can hold: libpq's password, and sslpassword (the passphrase of an
// encrypted client key).
enum class SecretKind
{
    Password,
    KeyPassword,
};

inline constexpr SecretKind kSecretKinds[] = {SecretKind::Password, SecretKind::KeyPassword};

// The libpq keyword of the secret, which is also its part of the keychain key: "password",
// "sslpassword".
inline QString secretKeyword(SecretKind kind)
{
    return kind == SecretKind::Password ? QStringLiteral("password") : QStringLiteral("sslpassword");
}

} // namespace vf::ui
