#pragma once

#include "ConnectionReport.h"
#include "ProtocolMachine.h"
#include "settings/EffectiveSettings.h"
#include "settings/ValidatedOptions.h"
#include "tls/PassphraseProvider.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>

class QAbstractSocket;
class QLocalSocket;
class QIODevice;

namespace vf::session {

struct CheckOptions
{
    // Deadline for each phase when connect_timeout is not set (libpq would wait forever).
    int phaseTimeoutMs = 30000;
    // false: stop after the TLS handshake (inspect), never authenticate.
    bool authenticate = true;
};

// Runs one connection check asynchronously on the thread it lives in (Qt event loop, QTcpSocket or
// QLocalSocket, QHostInfo): host list, DNS, TCP, then ProtocolMachine per address, with libpq's rule
// that only connection-level failures move on to the next address or host. Never blocks; cancel()
// works at any moment; every phase has a deadline.
class ConnectionTester final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionTester)

public:
    ConnectionTester(settings::EffectiveSettings settings, settings::ValidatedOptions options,
                     CheckOptions check, tls::PassphraseProvider* passphrases, QObject* parent = nullptr);
    ~ConnectionTester() override;

    void start();
    void cancel();
    bool isRunning() const { return m_running; }
    const ConnectionReport& report() const { return m_report; }

Q_SIGNALS:
    // A phase of attempt `attempt` began (the timeline's live feed).
    void phaseStarted(int attempt, vf::session::Phase phase, const QString& host);
    void phaseFinished(int attempt, vf::session::Phase phase, qint64 durationNs, bool ok);
    void finished(const vf::session::ConnectionReport& report);

private:
    void nextAddress();
    void startHost();
    void connectSocket();
    void onConnected();
    void onReadyRead();
    void onDisconnected();
    void onSocketError();
    void onTimeout();
    void apply(const ProtocolMachine::Output& out);
    void attemptFinished();
    void finishCheck();
    void beginPhase(Phase phase);
    void endPhase(bool ok);
    void armDeadline();
    void closeSocket();
    QString prefixFor(const AttemptReport& attempt) const;
    MachineConfig machineConfig(const settings::HostEntry& host) const;
    std::optional<QByteArray> passwordFor(const settings::HostEntry& host) const;
    // withPrefix: libpq prints "connection to server at …" only once it has an address to name.
    void failAttempt(Error error, bool nextHost, bool withPrefix = true);

    settings::EffectiveSettings m_settings;
    settings::ValidatedOptions m_options;
    CheckOptions m_check;
    tls::PassphraseProvider* m_passphrases;
    ConnectionReport m_report;
    QElapsedTimer m_clock;
    QTimer m_deadline;
    bool m_running = false;
    int m_hostIndex = -1;
    QStringList m_addresses; // resolved addresses of the current host
    int m_addressIndex = -1;
    int m_lookupId = -1;
    QIODevice* m_socket = nullptr;
    std::unique_ptr<ProtocolMachine> m_machine;
    AttemptReport* m_attempt = nullptr;
    std::optional<Phase> m_phase;
    qint64 m_phaseStart = 0;
    int m_connectTimeoutMs = 0; // libpq's connect_timeout, per address; 0 = none
    QElapsedTimer m_addressClock;
    QStringList m_messages; // libpq's accumulated messages, with prefixes
};

} // namespace vf::session
