#include "ConnectionTester.h"

#include "settings/PgPass.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QHostInfo>
#include <QLocalSocket>
#include <QTcpSocket>

namespace vf::session {

namespace {

QString portOf(const settings::HostEntry& h)
{
    return h.port.isEmpty() ? QStringLiteral("5432") : h.port;
}

Error connectError(const QString& message, const QString& explanation)
{
    return Error{QStringLiteral("session.connect"), message, explanation, {}};
}

} // namespace

ConnectionTester::ConnectionTester(settings::EffectiveSettings settings, settings::ValidatedOptions options,
                                   CheckOptions check, tls::PassphraseProvider* passphrases, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_options(std::move(options))
    , m_check(check)
    , m_passphrases(passphrases)
{
    m_deadline.setSingleShot(true);
    m_deadline.setTimerType(Qt::PreciseTimer); // a coarse timer may fire 5% before the deadline
    connect(&m_deadline, &QTimer::timeout, this, &ConnectionTester::onTimeout);
    bool ok = false;
    const int timeout = m_settings.valueOr(u"connect_timeout").toInt(&ok);
    if (ok && timeout > 0)
        m_connectTimeoutMs = std::max(timeout, 2) * 1000; // libpq's minimum is 2 s
}

ConnectionTester::~ConnectionTester()
{
    if (m_lookupId >= 0)
        QHostInfo::abortHostLookup(m_lookupId);
    closeSocket();
}

void ConnectionTester::start()
{
    if (m_running)
        return;
    m_running = true;
    m_report = ConnectionReport();
    m_clock.start();
    for (const char* kw :
         {"sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "sslcrldir", "sslnegotiation",
          "sslcertmode", "channel_binding", "require_auth", "gssencmode"}) {
        const QString keyword = QString::fromLatin1(kw);
        if (const auto* v = m_settings.find(keyword); v && v->value)
            m_report.settings << qMakePair(keyword, v->displayValue());
    }
    m_hostIndex = -1;
    // Deliver results asynchronously even when nothing can be tried.
    QTimer::singleShot(0, this, &ConnectionTester::startHost);
}

void ConnectionTester::cancel()
{
    if (!m_running)
        return;
    m_report.canceled = true;
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
    }
    if (m_attempt) {
        m_attempt->error =
            Error{QStringLiteral("session.canceled"), QStringLiteral("canceled by user"), {}, {}};
        endPhase(false);
    }
    closeSocket();
    m_machine.reset();
    m_messages << QStringLiteral("canceled by user");
    finishCheck();
}

void ConnectionTester::startHost()
{
    if (!m_running)
        return;
    ++m_hostIndex;
    if (m_hostIndex >= m_options.hosts.size()) {
        finishCheck();
        return;
    }
    const settings::HostEntry& host = m_options.hosts.at(m_hostIndex);
    m_addresses.clear();
    m_addressIndex = -1;
    if (host.type == settings::HostEntry::Type::UnixSocket) {
        m_addresses << host.host + u"/.s.PGSQL." + portOf(host);
        nextAddress();
        return;
    }
    if (host.type == settings::HostEntry::Type::Address || !host.hostaddr.isEmpty()) {
        m_addresses << host.hostaddr;
        nextAddress();
        return;
    }
    // DNS, as its own phase of a first attempt record.
    m_report.attempts << AttemptReport();
    m_attempt = &m_report.attempts.last();
    m_attempt->host = host.host;
    m_attempt->port = portOf(host).toInt();
    beginPhase(Phase::Dns);
    armDeadline();
    m_lookupId = QHostInfo::lookupHost(host.host, this, [this](const QHostInfo& info) {
        m_lookupId = -1;
        if (!m_running)
            return;
        const settings::HostEntry& h = m_options.hosts.at(m_hostIndex);
        if (info.error() != QHostInfo::NoError || info.addresses().isEmpty()) {
            endPhase(false);
            const QString reason = info.error() == QHostInfo::HostNotFound
                                       ? QStringLiteral("Name or service not known")
                                       : info.errorString();
            failAttempt(
                connectError(
                    QStringLiteral("could not translate host name \"%1\" to address: %2").arg(h.host, reason),
                    QCoreApplication::translate("vf::session::ConnectionTester",
                                                "The name %1 does not resolve here: check its spelling and "
                                                "your DNS, or use hostaddr with its IP address.")
                        .arg(h.host)),
                true, false);
            return;
        }
        endPhase(true);
        for (const QHostAddress& a : info.addresses())
            m_addresses << a.toString();
        // The DNS record belongs to the first address's attempt.
        m_attempt->hostaddr = m_addresses.first();
        m_addressIndex = -1;
        nextAddress();
    });
}

void ConnectionTester::nextAddress()
{
    ++m_addressIndex;
    if (m_addressIndex >= m_addresses.size()) {
        startHost();
        return;
    }
    const settings::HostEntry& host = m_options.hosts.at(m_hostIndex);
    // Reuse the attempt record that holds the DNS phase for the first address.
    const bool reuseDnsRecord = m_attempt && m_addressIndex == 0 && m_attempt->tries.isEmpty() &&
                                !m_attempt->error && m_attempt->hostaddr == m_addresses.first() &&
                                &m_report.attempts.last() == m_attempt;
    if (!reuseDnsRecord) {
        m_report.attempts << AttemptReport();
        m_attempt = &m_report.attempts.last();
    }
    m_attempt->host = host.host;
    m_attempt->hostaddr = m_addresses.at(m_addressIndex);
    m_attempt->port = portOf(host).toInt();
    m_attempt->unixSocket = host.type == settings::HostEntry::Type::UnixSocket;

    m_machine = std::make_unique<ProtocolMachine>(machineConfig(host), m_passphrases);
    const int attemptIndex = int(m_report.attempts.size()) - 1;
    m_machine->onPhase = [this, attemptIndex](Phase phase) {
        Q_UNUSED(attemptIndex);
        beginPhase(phase);
        armDeadline();
    };
    if (auto ok = m_machine->prepare(); !ok) {
        failAttempt(ok.error(), false);
        return;
    }
    m_addressClock.start();
    connectSocket();
}

MachineConfig ConnectionTester::machineConfig(const settings::HostEntry& host) const
{
    MachineConfig c;
    c.sslmode = m_options.sslmode;
    c.gssencmode = m_options.gssencmode;
    c.sslnegotiation = m_options.sslnegotiation;
    c.channelBinding = m_options.channelBinding;
    c.sslcertmode = m_options.sslcertmode;
    c.requireAuth = m_settings.valueOr(u"require_auth");
    c.host = host.type == settings::HostEntry::Type::UnixSocket ? QString() : host.host;
    c.unixSocket = host.type == settings::HostEntry::Type::UnixSocket;
    c.authenticate = m_check.authenticate;
    c.user = m_settings.valueOr(u"user").toUtf8();
    c.database = m_settings.valueOr(u"dbname").toUtf8();
    QString appName = m_settings.valueOr(u"application_name");
    if (appName.isEmpty())
        appName = m_settings.valueOr(u"fallback_application_name");
    if (const auto opts = m_settings.value(u"options"); opts && !opts->isEmpty())
        c.extraStartupParameters << qMakePair(QByteArray("options"), opts->toUtf8());
    if (!appName.isEmpty())
        c.extraStartupParameters << qMakePair(QByteArray("application_name"), appName.toUtf8());
    if (const auto enc = m_settings.value(u"client_encoding"); enc && !enc->isEmpty() && *enc != u"auto")
        c.extraStartupParameters << qMakePair(QByteArray("client_encoding"), enc->toUtf8());
    if (const auto repl = m_settings.value(u"replication"); repl && !repl->isEmpty())
        c.extraStartupParameters << qMakePair(QByteArray("replication"), repl->toUtf8());

    tls::TlsConfig& t = c.tls;
    t.sslmode = m_options.sslmode;
    t.sslnegotiation = m_options.sslnegotiation;
    t.sslrootcert = m_settings.valueOr(u"sslrootcert");
    t.sslcrl = m_settings.valueOr(u"sslcrl");
    t.sslcrldir = m_settings.valueOr(u"sslcrldir");
    t.sslcert = m_settings.valueOr(u"sslcert");
    t.sslkey = m_settings.valueOr(u"sslkey");
    t.sslcertmode = m_options.sslcertmode;
    t.sslpassword = m_settings.valueOr(u"sslpassword").toUtf8();
    t.minProtocol = m_options.sslMinProtocolVersion;
    t.maxProtocol = m_options.sslMaxProtocolVersion;
    t.sslsni = m_settings.valueOr(u"sslsni", QStringLiteral("1"));
    t.sslcompression = m_settings.valueOr(u"sslcompression", QStringLiteral("0"));
    t.homeDirectory = m_settings.homeDirectory().value_or(QString());
    const settings::HostEntry hostCopy = host;
    c.password = [this, hostCopy]() { return passwordFor(hostCopy); };
    return c;
}

std::optional<QByteArray> ConnectionTester::passwordFor(const settings::HostEntry& host) const
{
    if (const auto pw = m_settings.value(u"password"); pw && !pw->isEmpty())
        return pw->toUtf8();
    const auto file = m_settings.effectiveFile(u"passfile");
    if (!file || !file->value)
        return std::nullopt;
    settings::PgPassQuery q;
    q.host = host.host.isEmpty() ? host.hostaddr : host.host;
    q.port = host.port;
    q.dbname = m_settings.valueOr(u"dbname");
    q.user = m_settings.valueOr(u"user");
    const settings::PgPassResult r = settings::PgPass(*file->value).lookup(q);
    if (r.password.isEmpty())
        return std::nullopt;
    return r.password.toUtf8();
}

void ConnectionTester::connectSocket()
{
    closeSocket();
    beginPhase(Phase::TcpConnect);
    armDeadline();
    const settings::HostEntry& host = m_options.hosts.at(m_hostIndex);
    if (host.type == settings::HostEntry::Type::UnixSocket) {
        auto* s = new QLocalSocket(this);
        m_socket = s;
        connect(s, &QLocalSocket::connected, this, &ConnectionTester::onConnected);
        connect(s, &QLocalSocket::readyRead, this, &ConnectionTester::onReadyRead);
        connect(s, &QLocalSocket::disconnected, this, &ConnectionTester::onDisconnected);
        connect(s, &QLocalSocket::errorOccurred, this, &ConnectionTester::onSocketError);
        s->connectToServer(m_addresses.at(m_addressIndex));
        return;
    }
    auto* s = new QTcpSocket(this);
    m_socket = s;
    s->setReadBufferSize(1024 * 1024);
    connect(s, &QTcpSocket::connected, this, &ConnectionTester::onConnected);
    connect(s, &QTcpSocket::readyRead, this, &ConnectionTester::onReadyRead);
    connect(s, &QTcpSocket::disconnected, this, &ConnectionTester::onDisconnected);
    connect(s, &QTcpSocket::errorOccurred, this, &ConnectionTester::onSocketError);
    s->connectToHost(QHostAddress(m_addresses.at(m_addressIndex)), quint16(portOf(host).toUInt()));
}

void ConnectionTester::onConnected()
{
    if (!m_machine)
        return;
    if (auto* tcp = qobject_cast<QTcpSocket*>(m_socket))
        tcp->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    endPhase(true);
    apply(m_machine->connected());
}

void ConnectionTester::onReadyRead()
{
    if (!m_machine || !m_socket)
        return;
    // One byte at a time while the SSL answer is pending (libpq reads the 'S' and leaves the rest in
    // its buffer): we pass everything and let the machine see what came with the 'S'.
    const QByteArray data = m_socket->readAll();
    if (!data.isEmpty())
        apply(m_machine->received(data));
}

void ConnectionTester::onDisconnected()
{
    if (!m_machine || !m_socket)
        return;
    const QByteArray rest = m_socket->readAll();
    if (!rest.isEmpty()) {
        apply(m_machine->received(rest));
        if (!m_machine)
            return;
    }
    apply(m_machine->peerClosed());
}

void ConnectionTester::onSocketError()
{
    if (!m_machine || !m_socket)
        return;
    if (m_phase == Phase::TcpConnect) {
        const settings::HostEntry& host = m_options.hosts.at(m_hostIndex);
        QString reason = m_socket->errorString();
        if (auto* tcp = qobject_cast<QTcpSocket*>(m_socket)) {
            if (tcp->error() == QAbstractSocket::ConnectionRefusedError)
                reason = QStringLiteral("Connection refused");
            else if (tcp->error() == QAbstractSocket::NetworkError)
                reason = QStringLiteral("Network is unreachable");
        } else if (auto* local = qobject_cast<QLocalSocket*>(m_socket)) {
            if (local->error() == QLocalSocket::ServerNotFoundError)
                reason = QStringLiteral("No such file or directory");
            else if (local->error() == QLocalSocket::ConnectionRefusedError)
                reason = QStringLiteral("Connection refused");
        }
        const bool isUnix = host.type == settings::HostEntry::Type::UnixSocket;
        endPhase(false);
        failAttempt(
            connectError(
                reason + (isUnix ? QStringLiteral("\n\tIs the server running locally and accepting "
                                                  "connections on that socket?")
                                 : QStringLiteral("\n\tIs the server running on that host and "
                                                  "accepting TCP/IP connections?")),
                QCoreApplication::translate("vf::session::ConnectionTester",
                                            "Nothing accepted the connection: the server is down, listens on "
                                            "another port or address (listen_addresses), or a firewall "
                                            "blocks it.")),
            true);
        return;
    }
    // A reset or close during the protocol: the machine decides what libpq would say.
    if (m_socket->bytesAvailable() > 0)
        apply(m_machine->received(m_socket->readAll()));
    if (m_machine)
        apply(m_machine->peerClosed());
}

void ConnectionTester::onTimeout()
{
    if (!m_running)
        return;
    if (m_lookupId >= 0) {
        QHostInfo::abortHostLookup(m_lookupId);
        m_lookupId = -1;
        endPhase(false);
        failAttempt(connectError(QStringLiteral("timeout expired"),
                                 QCoreApplication::translate("vf::session::ConnectionTester",
                                                             "The name lookup did not finish in time.")),
                    true);
        return;
    }
    if (!m_machine)
        return;
    if (m_phase == Phase::TcpConnect && m_socket && !m_machine->report().tries.size()) {
        endPhase(false);
        failAttempt(connectError(
                        QStringLiteral("timeout expired"),
                        QCoreApplication::translate("vf::session::ConnectionTester",
                                                    "The server did not accept the TCP connection in time: a "
                                                    "firewall may be dropping packets.")),
                    true);
        return;
    }
    apply(m_machine->timedOut());
}

void ConnectionTester::apply(const ProtocolMachine::Output& out)
{
    if (!m_socket || !m_machine)
        return;
    if (!out.send.isEmpty())
        m_socket->write(out.send);
    switch (out.next) {
    case ProtocolMachine::Next::Read:
        return;
    case ProtocolMachine::Next::Reconnect:
        endPhase(false);
        if (auto* tcp = qobject_cast<QTcpSocket*>(m_socket))
            tcp->flush();
        connectSocket();
        return;
    case ProtocolMachine::Next::Finished:
        if (auto* tcp = qobject_cast<QTcpSocket*>(m_socket))
            tcp->flush();
        attemptFinished();
        return;
    }
}

void ConnectionTester::failAttempt(Error error, bool nextHost, bool withPrefix)
{
    if (m_attempt) {
        m_attempt->error = error;
        m_messages << (withPrefix ? prefixFor(*m_attempt) : QString()) + error.message;
    }
    m_report.error = error;
    closeSocket();
    m_machine.reset();
    if (nextHost)
        nextAddress();
    else
        finishCheck();
}

void ConnectionTester::attemptFinished()
{
    ProtocolMachine* machine = m_machine.get();
    const bool ok = machine->report().success;
    endPhase(ok);
    // Merge the machine's view into our record (keep our DNS/TCP phases).
    AttemptReport r = machine->report();
    r.phases = m_attempt->phases;
    r.host = m_attempt->host;
    r.hostaddr = m_attempt->hostaddr;
    r.port = m_attempt->port;
    r.unixSocket = m_attempt->unixSocket;
    *m_attempt = r;
    const bool nextHost = !ok && machine->canTryNextHost();
    const QStringList failures = machine->failures();
    closeSocket();
    m_machine.reset();
    if (ok) {
        m_report.success = true;
        m_report.error.reset();
        finishCheck();
        return;
    }
    if (m_attempt->error) {
        m_report.error = m_attempt->error;
        // libpq repeats the prefix for each connection it made (e.g. prefer: TLS, then plaintext).
        if (failures.isEmpty())
            m_messages << prefixFor(*m_attempt) + m_attempt->error->message;
        for (const QString& failure : failures)
            m_messages << prefixFor(*m_attempt) + failure;
    }
    if (nextHost)
        nextAddress();
    else
        finishCheck();
}

void ConnectionTester::finishCheck()
{
    if (!m_running)
        return;
    m_running = false;
    m_deadline.stop();
    m_report.totalNs = m_clock.nsecsElapsed();
    if (!m_report.success) {
        if (m_messages.isEmpty() && m_options.hosts.isEmpty())
            m_messages << QStringLiteral("no host to connect to");
        m_report.libpqMessage = m_messages.join(u'\n');
    }
    m_attempt = nullptr;
    Q_EMIT finished(m_report);
}

void ConnectionTester::beginPhase(Phase phase)
{
    if (!m_attempt)
        return;
    if (m_phase)
        endPhase(true);
    m_phase = phase;
    m_phaseStart = m_clock.nsecsElapsed();
    PhaseTiming t;
    t.phase = phase;
    t.startedNs = m_phaseStart;
    m_attempt->phases << t;
    Q_EMIT phaseStarted(int(m_report.attempts.size()) - 1, phase, m_attempt->host);
}

void ConnectionTester::endPhase(bool ok)
{
    if (!m_phase || !m_attempt || m_attempt->phases.isEmpty())
        return;
    PhaseTiming& t = m_attempt->phases.last();
    t.durationNs = m_clock.nsecsElapsed() - t.startedNs;
    t.ok = ok;
    const Phase phase = *m_phase;
    m_phase.reset();
    Q_EMIT phaseFinished(int(m_report.attempts.size()) - 1, phase, t.durationNs, ok);
}

void ConnectionTester::armDeadline()
{
    int ms = m_check.phaseTimeoutMs;
    if (m_connectTimeoutMs > 0 && m_addressClock.isValid())
        ms = int(std::max<qint64>(1, m_connectTimeoutMs - m_addressClock.elapsed()));
    else if (m_connectTimeoutMs > 0)
        ms = m_connectTimeoutMs;
    m_deadline.start(ms);
}

void ConnectionTester::closeSocket()
{
    if (!m_socket)
        return;
    QIODevice* s = m_socket;
    m_socket = nullptr;
    s->disconnect(this);
    if (auto* tcp = qobject_cast<QTcpSocket*>(s))
        tcp->abort();
    else if (auto* local = qobject_cast<QLocalSocket*>(s))
        local->abort();
    s->deleteLater();
}

QString ConnectionTester::prefixFor(const AttemptReport& attempt) const
{
    if (attempt.unixSocket)
        return QStringLiteral("connection to server on socket \"%1\" failed: ").arg(attempt.hostaddr);
    const settings::HostEntry* host =
        m_hostIndex >= 0 && m_hostIndex < m_options.hosts.size() ? &m_options.hosts.at(m_hostIndex) : nullptr;
    QString displayed = attempt.host;
    if (host && !host->hostaddr.isEmpty())
        displayed = host->hostaddr;
    if (!attempt.hostaddr.isEmpty() && displayed != attempt.hostaddr)
        return QStringLiteral("connection to server at \"%1\" (%2), port %3 failed: ")
            .arg(displayed, attempt.hostaddr)
            .arg(attempt.port);
    return QStringLiteral("connection to server at \"%1\", port %2 failed: ")
        .arg(displayed)
        .arg(attempt.port);
}

} // namespace vf::session
