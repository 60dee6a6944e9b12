#pragma once

#include "SecretKind.h"

#include <QObject>
#include <QString>
#include <QUuid>

#include <functional>

namespace vf::ui {

// Passwords and key passphrases of the profiles, in the OS keychain through QtKeychain (the Secret
// Service on Linux: GNOME Keyring, KWallet…). One entry per profile and kind, under the service name
// `vf::kAppId` and the key "<profile uuid>/<kind>" ("…/password", "…/sslpassword").
//
// Every operation is asynchronous (the GUI never waits for the keychain) and runs in the order it was
// asked for: a write, then a read of the same key, reads what was written. There is no fallback: when
// no keychain is available the operations fail with Status::Unavailable, and nothing is written
// anywhere else (QtKeychain's insecure QSettings fallback stays off). Secrets are never logged.
class SecretStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretStore)

public:
    enum class Availability
    {
        Unknown,     // not checked yet
        Checking,    // checkAvailability() is running
        Available,   // a keychain answered
        Unavailable, // no keychain service (no Secret Service on the session bus, no D-Bus at all)
    };
    Q_ENUM(Availability)

    enum class Status
    {
        Ok,
        NotFound,    // read or remove: nothing stored under that key
        Unavailable, // no keychain service
        Denied,      // the keychain is locked and stayed locked, or the person refused access
        Failed,      // any other error (Reply::error says what the backend said)
    };
    Q_ENUM(Status)

    struct Reply
    {
        Status status = Status::Failed;
        QString secret; // read: the stored secret (only when status is Ok)
        QString error;  // the backend's message when status is not Ok (never contains the secret)
        bool ok() const { return status == Status::Ok; }
    };
    using Callback = std::function<void(const Reply& reply)>;

    // The application's keychain entries (service name vf::kAppId).
    explicit SecretStore(QObject* parent = nullptr);
    // Entries under another service name (tests).
    explicit SecretStore(const QString& service, QObject* parent = nullptr);
    ~SecretStore() override;

    const QString& service() const { return m_service; }
    static QString keyFor(const QUuid& profile, SecretKind kind);

    Availability availability() const { return m_availability; }
    bool isAvailable() const { return m_availability == Availability::Available; }
    // Asks the keychain whether it is there (a read of a key that is never written), then emits
    // availabilityChanged(); no answer in 10 s counts as none. Operations that find no keychain also
    // set Unavailable.
    void checkAvailability();

    // `done` is called once, on the GUI thread, unless `context` was destroyed meanwhile.
    void read(const QUuid& profile, SecretKind kind, QObject* context, Callback done);
    void write(const QUuid& profile, SecretKind kind, const QString& secret, QObject* context,
               Callback done = {});
    void remove(const QUuid& profile, SecretKind kind, QObject* context, Callback done = {});

    // Operations asked for and not finished yet.
    int pendingCount() const { return m_pending; }

    static QString statusName(Status status); // "ok", "not-found", … (stable, for logs and tests)

Q_SIGNALS:
    void availabilityChanged(vf::ui::SecretStore::Availability availability);
    // The last pending operation finished.
    void idle();

private:
    enum class Operation
    {
        Read,
        Write,
        Remove,
        Probe,
    };
    void start(Operation operation, const QString& key, const QString& secret, QObject* context,
               Callback done);
    void setAvailability(Availability availability);

    QString m_service;
    Availability m_availability = Availability::Unknown;
    int m_pending = 0;
    int m_probes = 0;
};

} // namespace vf::ui
