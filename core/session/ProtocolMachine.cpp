#include "ProtocolMachine.h"

#include "auth/ScramClient.h"
#include "pki/HostNameMatcher.h"
#include "tls/TlsClient.h"
#include "wire/BackendMessageReader.h"
#include "wire/FrontendMessage.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QtEndian>

Q_LOGGING_CATEGORY(lcWire, "vf.wire")

namespace vf::session {

namespace {

// AuthenticationRequest codes (protocol.h).
enum AuthReq
{
    AuthOk = 0,
    AuthKrb4 = 1,
    AuthKrb5 = 2,
    AuthPassword = 3,
    AuthCrypt = 4,
    AuthMd5 = 5,
    AuthGss = 7,
    AuthGssCont = 8,
    AuthSspi = 9,
    AuthSasl = 10,
    AuthSaslCont = 11,
    AuthSaslFin = 12,
};

constexpr quint32 bit(int areq)
{
    return 1u << areq;
}
constexpr quint32 kSaslBits = bit(AuthSasl) | bit(AuthSaslCont) | bit(AuthSaslFin);

const QString kServerClosed =
    QStringLiteral("server closed the connection unexpectedly\n\tThis probably means the "
                   "server terminated abnormally\n\tbefore or while processing the request.");

Error err(const char* code, const QString& message, const QString& explanation = {})
{
    return Error{QString::fromLatin1(code), message, explanation, {}};
}

// Length limits of libpq's message parsing: MAX_ERRLEN for an ErrorResponse before authentication
// (PQconnectPoll), and pqParseInput3()'s rule that only a few message types may exceed 30000 bytes.
constexpr qint64 kMaxErrLen = 30000;
constexpr qint64 kLongMessage = 30000;
// What a hostile server can make the report hold: notices and distinct ParameterStatus names.
constexpr qsizetype kMaxNotices = 100;
constexpr qsizetype kMaxParameters = 256;

bool isLongMessageType(char type) // VALID_LONG_MESSAGE_TYPE (fe-protocol3.c)
{
    switch (type) {
    case 'T':
    case 't':
    case 'D':
    case 'd':
    case 'V':
    case 'E':
    case 'N':
    case 'A':
        return true;
    default:
        return false;
    }
}

QString typeText(char type)
{
    return QChar::fromLatin1(type).isPrint()
               ? QString(QChar::fromLatin1(type))
               : QStringLiteral("\\x%1").arg(uchar(type), 2, 16, QLatin1Char('0'));
}

// handleSyncLoss() (fe-protocol3.c): an impossible length word ends the connection.
Error syncLoss(char type, qint64 length)
{
    return err("wire.invalid-length",
               QStringLiteral("lost synchronization with server: got message type \"%1\", length %2")
                   .arg(typeText(type))
                   .arg(length),
               QCoreApplication::translate(
                   "vf::session::ProtocolMachine",
                   "The server sent a message whose length word is impossible (or larger than "
                   "VerifyFull holds): it is not a PostgreSQL server, or the stream is corrupted."));
}

// pqGetNegotiateProtocolVersion3() (PG18): we ask for protocol 3.0 with no protocol options, so any
// NegotiateProtocolVersion is a protocol violation; libpq 15 rejects the message type outright.
Error negotiationError(const QByteArray& payload)
{
    const auto e = [](const QString& why) {
        return err("wire.protocol-negotiation",
                   QStringLiteral("received invalid protocol negotiation message: ") + why,
                   QCoreApplication::translate(
                       "vf::session::ProtocolMachine",
                       "The server answered the startup message with a protocol negotiation that "
                       "makes no sense for protocol 3.0: it is not a PostgreSQL server, or a proxy "
                       "in between is broken."));
    };
    if (payload.size() < 8)
        return e(QStringLiteral("message too short"));
    const qint32 version = qFromBigEndian<qint32>(payload.constData());
    const qint32 count = qFromBigEndian<qint32>(payload.constData() + 4);
    if (version > 0x00030000)
        return e(QStringLiteral("server requested downgrade to a higher-numbered version"));
    if (version < 0x00030000)
        return e(QStringLiteral("server requested downgrade to pre-3.0 protocol version"));
    if (count < 0)
        return e(QStringLiteral("server reported negative number of unsupported parameters"));
    if (count == 0)
        return e(QStringLiteral("server negotiated but asks for no changes"));
    const QString name = QString::fromUtf8(payload.mid(8).split('\0').value(0));
    if (!name.startsWith(u"_pq_."))
        return e(
            QStringLiteral("server reported unsupported parameter name without a \"_pq_.\" prefix (\"%1\")")
                .arg(name));
    return e(
        QStringLiteral("server reported an unsupported parameter that was not requested (\"%1\")").arg(name));
}

// libpq hands notices to the notice processor and keeps none; the report keeps the first ones.
void keepNotice(QStringList& notices, const QString& text)
{
    if (notices.size() < kMaxNotices)
        notices << text;
    else if (notices.size() == kMaxNotices)
        notices << QStringLiteral("(further notices from the server were not kept)");
}

QString authReason(int areq)
{
    switch (areq) {
    case AuthPassword:
        return QStringLiteral("server requested a cleartext password");
    case AuthMd5:
        return QStringLiteral("server requested a hashed password");
    case AuthGss:
    case AuthGssCont:
        return QStringLiteral("server requested GSSAPI authentication");
    case AuthSspi:
        return QStringLiteral("server requested SSPI authentication");
    case AuthSasl:
    case AuthSaslCont:
    case AuthSaslFin:
        return QStringLiteral("server requested SASL authentication");
    default:
        return QStringLiteral("server requested an unknown authentication type");
    }
}

// The report query: one row even when pg_stat_ssl hides the backend.
const QByteArray kReportQuery =
    "SELECT version(), current_user, current_database(), pg_backend_pid(), s.ssl, s.version, s.cipher, "
    "s.bits, "
    "s.client_dn FROM (SELECT 1) AS one LEFT JOIN pg_stat_ssl s ON s.pid = pg_backend_pid()";

QList<QByteArray> parseDataRow(const QByteArray& payload, bool* ok)
{
    QList<QByteArray> out;
    *ok = false;
    if (payload.size() < 2)
        return out;
    const int count = qFromBigEndian<qint16>(payload.constData());
    qsizetype pos = 2;
    for (int i = 0; i < count; ++i) {
        if (pos + 4 > payload.size())
            return out;
        const qint32 len = qFromBigEndian<qint32>(payload.constData() + pos);
        pos += 4;
        if (len < 0) {
            out << QByteArray();
            continue;
        }
        if (pos + len > payload.size())
            return out;
        out << payload.mid(pos, len);
        pos += len;
    }
    *ok = true;
    return out;
}

} // namespace

QString methodName(EncryptionMethod method)
{
    return method == EncryptionMethod::Ssl ? QStringLiteral("SSL") : QStringLiteral("plaintext");
}

QString phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Dns:
        return QStringLiteral("DNS");
    case Phase::TcpConnect:
        return QStringLiteral("TCP connect");
    case Phase::SslNegotiation:
        return QStringLiteral("SSL negotiation");
    case Phase::TlsHandshake:
        return QStringLiteral("TLS handshake");
    case Phase::Startup:
        return QStringLiteral("startup");
    case Phase::Authentication:
        return QStringLiteral("authentication");
    case Phase::Query:
        return QStringLiteral("query");
    case Phase::Terminate:
        return QStringLiteral("terminate");
    }
    return {};
}

QString phaseDisplayName(Phase phase)
{
    static const char* const names[] = {
        QT_TRANSLATE_NOOP("vf::session::Phase", "DNS"),
        QT_TRANSLATE_NOOP("vf::session::Phase", "TCP connect"),
        QT_TRANSLATE_NOOP("vf::session::Phase", "SSL negotiation"),
        QT_TRANSLATE_NOOP("vf::session::Phase", "TLS handshake"),
        QT_TRANSLATE_NOOP("vf::session::Phase", "startup"),
        QT_TRANSLATE_NOOP("vf::session::Phase", "authentication"),
        QT_TRANSLATE_NOOP("vf::session::Phase", "query"),
        QT_TRANSLATE_NOOP("vf::session::Phase", "terminate"),
    };
    const auto index = std::size_t(phase);
    return index < std::size(names) ? QCoreApplication::translate("vf::session::Phase", names[index])
                                    : phaseName(phase);
}

ProtocolMachine::ProtocolMachine(MachineConfig config, tls::PassphraseProvider* passphrases)
    : m_config(std::move(config))
    , m_passphrases(passphrases)
{
    m_report.host = m_config.host;
    m_report.unixSocket = m_config.unixSocket;
}

ProtocolMachine::~ProtocolMachine() = default;

Result<void> ProtocolMachine::prepare()
{
    // init_allowed_encryption_methods(): this build has no GSSAPI.
    if (m_config.gssencmode == u"require")
        return makeError(
            QStringLiteral("settings.gssencmode"),
            m_config.unixSocket
                ? QStringLiteral("GSSAPI encryption required but it is not supported over a local socket")
                : QStringLiteral("GSSAPI encryption required but no credential cache"),
            QStringLiteral("gssencmode=require needs Kerberos credentials; VerifyFull tests TLS only. "
                           "Use gssencmode=prefer or disable."));
    const QString& mode = m_config.sslmode;
    const bool sslAllowed = !m_config.unixSocket && mode != u"disable";
    const bool plainAllowed = mode == u"disable" || mode == u"allow" || mode == u"prefer";
    m_methods.clear();
    if (mode == u"allow") {
        m_methods << EncryptionMethod::Plaintext;
        if (sslAllowed)
            m_methods << EncryptionMethod::Ssl;
    } else {
        if (sslAllowed)
            m_methods << EncryptionMethod::Ssl;
        if (plainAllowed || m_config.unixSocket)
            m_methods << EncryptionMethod::Plaintext;
    }

    // require_auth: libpq's allowed_auth_methods / auth_required (pqConnectOptions2).
    if (!m_config.requireAuth.isEmpty()) {
        const QStringList methods = m_config.requireAuth.split(u',');
        const bool negated = methods.first().startsWith(u'!');
        m_allowedAuth = negated ? 0xFFFFFFFFu : 0u;
        m_authRequired = !negated;
        for (QString m : methods) {
            if (m.startsWith(u'!'))
                m.remove(0, 1);
            quint32 bits = 0;
            if (m == u"password")
                bits = bit(AuthPassword);
            else if (m == u"md5")
                bits = bit(AuthMd5);
            else if (m == u"gss")
                bits = bit(AuthGss) | bit(AuthGssCont);
            else if (m == u"sspi")
                bits = bit(AuthSspi) | bit(AuthGssCont);
            else if (m == u"scram-sha-256")
                bits = kSaslBits;
            else if (m == u"none") {
                m_authRequired = negated;
                continue;
            }
            if (negated)
                m_allowedAuth &= ~bits;
            else
                m_allowedAuth |= bits;
        }
    }
    return {};
}

void ProtocolMachine::setPhase(Phase phase)
{
    if (m_phase == phase)
        return;
    m_phase = phase;
    if (onPhase)
        onPhase(phase);
}

ProtocolMachine::Output ProtocolMachine::connected()
{
    if (m_reuseSocket) {
        m_reuseSocket = false;
        return startMethod();
    }
    m_tls.reset();
    m_reader.clear();
    return startMethod();
}

ProtocolMachine::Output ProtocolMachine::startMethod()
{
    if (m_methods.isEmpty())
        return finish();
    m_current = m_methods.takeFirst();
    MethodTry t;
    t.method = *m_current;
    t.newConnection = !m_lastWasReuse;
    m_report.tries << t;
    m_lastWasReuse = false;
    m_unencryptedAfterS = false;
    m_scram.reset();
    m_clientFinishedAuth = false;
    if (*m_current == EncryptionMethod::Ssl) {
        if (m_config.sslnegotiation == u"direct") {
            setPhase(Phase::TlsHandshake);
            m_state = State::TlsHandshake;
            return continueHandshake({});
        }
        setPhase(Phase::SslNegotiation);
        m_state = State::AwaitSslResponse;
        return Output{wire::FrontendMessage::sslRequest(), Next::Read};
    }
    return startupMessage();
}

ProtocolMachine::Output ProtocolMachine::startupMessage()
{
    if (!m_config.authenticate) {
        // inspect: we only wanted the TLS facts.
        m_report.success = m_report.tls.has_value() && m_tls != nullptr;
        if (!m_report.success && !m_report.error)
            m_report.error = err("session.no-tls", QStringLiteral("the server did not agree to TLS"));
        return finish();
    }
    setPhase(Phase::Startup);
    m_state = State::AwaitAuth;
    QList<QPair<QByteArray, QByteArray>> params;
    params << qMakePair(QByteArray("user"), m_config.user);
    if (!m_config.database.isEmpty())
        params << qMakePair(QByteArray("database"), m_config.database);
    params << m_config.extraStartupParameters;
    return sendToServer(wire::FrontendMessage::startup(params));
}

ProtocolMachine::Output ProtocolMachine::sendToServer(const QByteArray& bytes, Next next)
{
    if (m_tls) {
        if (auto w = m_tls->write(bytes); !w)
            return hardFail(w.error());
        return Output{m_tls->takeToNetwork(), next};
    }
    return Output{bytes, next};
}

ProtocolMachine::Output ProtocolMachine::received(QByteArrayView bytes)
{
    switch (m_state) {
    case State::AwaitSslResponse:
        return onSslResponse(bytes);
    case State::TlsHandshake:
        return continueHandshake(bytes);
    case State::AwaitAuth:
    case State::Authenticated:
    case State::AwaitQuery:
        return onPlain(bytes);
    case State::Idle:
    case State::Finished:
        break;
    }
    return Output{{}, m_state == State::Finished ? Next::Finished : Next::Read};
}

ProtocolMachine::Output ProtocolMachine::onSslResponse(QByteArrayView bytes)
{
    if (bytes.isEmpty())
        return Output{};
    const char c = bytes.at(0);
    switch (c) {
    case 'S':
        // CVE-2021-23222: bytes after the 'S' are not TLS; libpq notices them after the handshake.
        m_unencryptedAfterS = bytes.size() > 1;
        setPhase(Phase::TlsHandshake);
        m_state = State::TlsHandshake;
        return continueHandshake({});
    case 'N':
        // Same socket, next method (unless it is direct SSL, which needs a fresh connection).
        if (!m_methods.isEmpty()) {
            m_report.tries.last().failure =
                QStringLiteral("server does not support SSL, but SSL was required");
            m_lastWasReuse = true;
            return startMethod();
        }
        return hardFail(err("negotiation.no-ssl",
                            QStringLiteral("server does not support SSL, but SSL was required"),
                            QCoreApplication::translate(
                                "vf::session::ProtocolMachine",
                                "The server answered 'N' to the SSL request: ssl is off on the server, "
                                "or a proxy in between does not speak TLS.")));
    case 'E':
        return hardFail(err(
            "negotiation.error-response", QStringLiteral("server sent an error response during SSL exchange"),
            QCoreApplication::translate("vf::session::ProtocolMachine",
                                        "The server refused the SSL request with an error before TLS started "
                                        "(often too many connections, or the server is starting up). libpq "
                                        "does not show that error's text, since it is not authenticated.")));
    default:
        return hardFail(err(
            "negotiation.invalid-response",
            QStringLiteral("received invalid response to SSL negotiation: %1").arg(QChar::fromLatin1(c)),
            QCoreApplication::translate("vf::session::ProtocolMachine",
                                        "Whatever answered is not a PostgreSQL server, or something between "
                                        "you is not passing the PostgreSQL protocol through.")));
    }
}

ProtocolMachine::Output ProtocolMachine::continueHandshake(QByteArrayView bytes)
{
    if (!m_tls) {
        tls::TlsConfig cfg = m_config.tls;
        cfg.host = m_config.host;
        auto client = tls::TlsClient::create(cfg, m_passphrases);
        if (!client)
            return methodFailed(client.error(), true);
        m_tls = std::move(*client);
    }
    m_tls->feedFromNetwork(bytes);
    const tls::TlsClient::Step step = m_tls->handshake();
    m_report.tls = m_tls->facts();
    switch (step) {
    case tls::TlsClient::Step::NeedIO:
        return Output{m_tls->takeToNetwork(), Next::Read};
    case tls::TlsClient::Step::Failed: {
        Output out = methodFailed(m_tls->error(), true);
        return out;
    }
    case tls::TlsClient::Step::Done:
        break;
    }
    QByteArray pending = m_tls->takeToNetwork();
    Output out = afterHandshake();
    out.send.prepend(pending);
    return out;
}

ProtocolMachine::Output ProtocolMachine::afterHandshake()
{
    const tls::TlsFacts& facts = m_tls->facts();
    if (!facts.presentedChain.isEmpty()) {
        m_report.hostName = pki::HostNameMatcher::match(facts.presentedChain.first(), m_config.host);
        if (m_config.sslmode == u"verify-full" && !m_report.hostName->isMatched())
            return methodFailed(m_report.hostName->toError(), true);
    }
    if (m_unencryptedAfterS)
        return hardFail(err("negotiation.unencrypted-data",
                            QStringLiteral("received unencrypted data after SSL response"),
                            QCoreApplication::translate(
                                "vf::session::ProtocolMachine",
                                "Bytes arrived right after the server's 'S' answer, outside TLS. This is "
                                "how a man-in-the-middle injects data (CVE-2021-23222); libpq refuses "
                                "the connection.")));
    m_report.finalMethod = EncryptionMethod::Ssl;
    return startupMessage();
}

ProtocolMachine::Output ProtocolMachine::onPlain(QByteArrayView bytes)
{
    if (m_tls) {
        m_tls->feedFromNetwork(bytes);
        auto plain = m_tls->read();
        if (!plain)
            return hardFail(plain.error());
        m_reader.feed(*plain);
    } else {
        m_reader.feed(bytes);
    }
    Output out = handleMessages();
    if (m_tls && m_state != State::Finished && out.next == Next::Read) {
        const QByteArray more = m_tls->takeToNetwork();
        if (!more.isEmpty())
            out.send.append(more);
    }
    return out;
}

ProtocolMachine::Output ProtocolMachine::handleMessages()
{
    Output total;
    const auto failWith = [this, &total](Error error) {
        Output fail = hardFail(std::move(error));
        fail.send.prepend(total.send);
        return fail;
    };
    for (;;) {
        if (m_reader.buffered() > 0) {
            // libpq checks the type byte first, then the length word, before it buffers a message.
            const char type = m_reader.peekType();
            const bool haveLength = m_reader.buffered() >= 5;
            const qint64 len = haveLength ? m_reader.peekLength() : 0;
            if (m_state == State::AwaitAuth) { // PQconnectPoll, CONNECTION_AWAITING_RESPONSE
                if (type != 'R' && type != 'E' && type != 'v')
                    return failWith(
                        err("wire.unexpected",
                            QStringLiteral("expected authentication request from server, but received %1")
                                .arg(typeText(type)),
                            QStringLiteral(
                                "The server's answer to the startup message is not PostgreSQL protocol.")));
                if (haveLength && type == 'R' && (len < 8 || len > 2000))
                    return failWith(err(
                        "wire.invalid-auth", QStringLiteral("received invalid authentication request"),
                        QCoreApplication::translate("vf::session::ProtocolMachine",
                                                    "The server's authentication request has an impossible "
                                                    "length: it is not a PostgreSQL server, or the stream is "
                                                    "corrupted.")));
                if (haveLength && type == 'v' && (len < 8 || len > 2000))
                    return failWith(err(
                        "wire.protocol-negotiation",
                        QStringLiteral("received invalid protocol negotiation message"),
                        QCoreApplication::translate("vf::session::ProtocolMachine",
                                                    "The server's protocol negotiation message has an "
                                                    "impossible length: it is not a PostgreSQL server.")));
                if (haveLength && type == 'E' && (len < 8 || len > kMaxErrLen)) {
                    // libpq takes this for a pre-3.0 server's error: NUL-terminated text after the 'E'.
                    const QByteArrayView bytes = m_reader.bufferedBytes();
                    const qsizetype nul = bytes.indexOf('\0', 1);
                    if (nul < 0) {
                        if (bytes.size() - 1 > kMaxErrLen)
                            return failWith(err("wire.invalid-error",
                                                QStringLiteral("received invalid error message"),
                                                QCoreApplication::translate(
                                                    "vf::session::ProtocolMachine",
                                                    "The server sent an error message without an end: "
                                                    "it is not a PostgreSQL server.")));
                        break; // wait for the rest of the text
                    }
                    QString text = QString::fromUtf8(bytes.sliced(1, nul - 1));
                    if (text.endsWith(u'\n'))
                        text.chop(1);
                    return failWith(err("server.error-v2", text,
                                        QCoreApplication::translate(
                                            "vf::session::ProtocolMachine",
                                            "The server answered with an error in the pre-7.4 protocol "
                                            "(or a corrupt error message); libpq shows its raw text.")));
                }
            } else if (haveLength && (len < 4 || (len > kLongMessage && !isLongMessageType(type)))) {
                return failWith(syncLoss(type, len)); // pqParseInput3()
            }
        }
        auto next = m_reader.next();
        if (!next) { // longer than we hold for this type: libpq's words for a message it cannot take
            Error e = syncLoss(m_reader.peekType(), m_reader.peekLength());
            e.detail << next.error().message;
            return failWith(e);
        }
        if (!next->has_value())
            break;
        const wire::BackendMessage msg = std::move(**next);
        Output out;
        if (m_state == State::AwaitAuth) {
            if (msg.type == 'R') {
                out = handleAuthRequest(msg.payload);
            } else if (msg.type == 'E') {
                const wire::ServerNotice n = wire::parseNotice(msg.payload);
                Error e = err("server.error", n.severity + u":  " + n.message);
                if (!n.detail.isEmpty())
                    e.detail << QStringLiteral("DETAIL:  ") + n.detail;
                if (!n.hint.isEmpty())
                    e.detail << QStringLiteral("HINT:  ") + n.hint;
                e.explanation = n.sqlState;   // the diagnosis maps SQLSTATEs to explanations
                if (n.sqlState == u"57P03") { // cannot connect now: libpq tries the next host
                    m_tryNextHost = true;
                    out = hardFail(e);
                } else {
                    out = methodFailed(e, true);
                }
            } else { // 'v': NegotiateProtocolVersion, never valid for our 3.0 request without options
                out = hardFail(negotiationError(msg.payload));
            }
        } else {
            out = handleQueryMessage(msg.type, msg.payload);
        }
        total.send.append(out.send);
        total.next = out.next;
        if (out.next != Next::Read || m_state == State::Finished)
            return total;
    }
    if (m_reader.buffered() > kMaxBuffered)
        return hardFail(
            err("wire.too-much-data", QStringLiteral("server sent more data than any message may hold")));
    return total;
}

std::optional<Error> ProtocolMachine::checkExpectedAreq(int areq)
{
    const QString cbExplain = QStringLiteral(
        "channel_binding=require makes libpq insist on SCRAM-SHA-256-PLUS, which proves the server holds the "
        "certificate's key. Use scram-sha-256 on the server (password_encryption) over TLS, or relax "
        "channel_binding.");
    if (m_config.sslcertmode.startsWith(u'r') && areq == AuthOk) {
        const tls::TlsFacts* f = m_tls ? &m_tls->facts() : nullptr;
        if (!f || !f->clientCertificateRequested)
            return err(
                "auth.cert-not-requested", QStringLiteral("server did not request an SSL certificate"),
                QStringLiteral("sslcertmode=require, but the server never asked for a client certificate: "
                               "it has no ssl_ca_file, so it cannot check one."));
        if (!f->clientCertificateSent)
            return err(
                "auth.cert-not-sent",
                QStringLiteral("server accepted connection without a valid SSL certificate"),
                QStringLiteral("sslcertmode=require, but no client certificate was sent: set sslcert and "
                               "sslkey (or ~/.postgresql/postgresql.crt and .key)."));
    }
    if (!m_config.requireAuth.isEmpty()) {
        QString reason;
        if (areq == AuthOk) {
            if (m_authRequired && !m_clientFinishedAuth)
                reason = QStringLiteral("server did not complete authentication");
        } else if (!(m_allowedAuth & bit(areq))) {
            reason = authReason(areq);
        }
        if (!reason.isEmpty())
            return err("auth.require-auth",
                       QStringLiteral("authentication method requirement \"%1\" failed: %2")
                           .arg(m_config.requireAuth, reason),
                       QStringLiteral("require_auth=%1 does not allow what the server asked for. Change the "
                                      "server's pg_hba.conf method or your require_auth.")
                           .arg(m_config.requireAuth));
    }
    if (m_config.channelBinding.startsWith(u'r')) {
        switch (areq) {
        case AuthSasl:
        case AuthSaslCont:
        case AuthSaslFin:
            break;
        case AuthOk:
            if (!m_scram || !m_scram->channelBound())
                return err("auth.channel-binding",
                           QStringLiteral(
                               "channel binding required, but server authenticated client without channel "
                               "binding"),
                           cbExplain);
            break;
        default:
            return err("auth.channel-binding",
                       QStringLiteral(
                           "channel binding required but not supported by server's authentication request"),
                       cbExplain);
        }
    }
    return std::nullopt;
}

Result<void> ProtocolMachine::selectSaslMechanism(const QByteArray& payload, QByteArray* mechanism)
{
    const bool sslInUse = m_tls != nullptr;
    if (m_config.channelBinding.startsWith(u'r') && !sslInUse)
        return std::unexpected(
            err("auth.channel-binding", QStringLiteral("channel binding required, but SSL not in use"),
                QStringLiteral("channel_binding=require needs TLS: use sslmode=require or stronger.")));
    mechanism->clear();
    for (const QByteArray& mech : payload.split('\0')) {
        if (mech.isEmpty())
            break;
        if (mech == "SCRAM-SHA-256-PLUS") {
            if (!sslInUse)
                return std::unexpected(
                    err("auth.plus-without-ssl",
                        QStringLiteral(
                            "server offered SCRAM-SHA-256-PLUS authentication over a non-SSL connection"),
                        QStringLiteral(
                            "A server only offers channel binding over TLS; offering it over plaintext "
                            "suggests someone stripped TLS from this connection.")));
            if (!m_config.channelBinding.startsWith(u'd'))
                *mechanism = mech;
        } else if (mech == "SCRAM-SHA-256" && mechanism->isEmpty()) {
            *mechanism = mech;
        }
    }
    if (mechanism->isEmpty())
        return std::unexpected(
            err("auth.no-sasl-mechanism",
                QStringLiteral("none of the server's SASL authentication mechanisms are supported")));
    if (m_config.channelBinding.startsWith(u'r') && *mechanism != "SCRAM-SHA-256-PLUS")
        return std::unexpected(err("auth.channel-binding",
                                   QStringLiteral("channel binding is required, but server did not offer an "
                                                  "authentication method that supports channel binding")));
    return {};
}

ProtocolMachine::Output ProtocolMachine::handleAuthRequest(const QByteArray& payload)
{
    if (payload.size() < 4)
        return hardFail(err("wire.invalid-auth", QStringLiteral("received invalid authentication request")));
    const int areq = qFromBigEndian<qint32>(payload.constData());
    const QByteArray data = payload.mid(4);
    if (areq != AuthOk)
        setPhase(Phase::Authentication);
    if (auto e = checkExpectedAreq(areq))
        return hardFail(*e);

    auto needPassword = [this]() -> std::optional<QByteArray> {
        if (!m_config.password)
            return std::nullopt;
        return m_config.password();
    };
    const Error noPassword =
        err("auth.no-password", QStringLiteral("fe_sendauth: no password supplied"),
            QCoreApplication::translate("vf::session::ProtocolMachine",
                                        "The server asks for a password and none was given: set it in the "
                                        "profile, PGPASSWORD or ~/.pgpass."));

    switch (areq) {
    case AuthOk:
        if (m_report.authMethod.isEmpty())
            m_report.authMethod = QStringLiteral("none requested (trust or certificate)");
        m_state = State::Authenticated;
        setPhase(Phase::Query);
        return Output{};
    case AuthPassword: {
        const auto pw = needPassword();
        if (!pw || pw->isEmpty())
            return hardFail(noPassword);
        m_report.authMethod = QStringLiteral("password");
        m_clientFinishedAuth = true;
        return sendToServer(wire::FrontendMessage::password(*pw));
    }
    case AuthMd5: {
        if (data.size() < 4)
            return hardFail(
                err("wire.invalid-auth", QStringLiteral("received invalid authentication request")));
        const auto pw = needPassword();
        if (!pw || pw->isEmpty())
            return hardFail(noPassword);
        m_report.authMethod = QStringLiteral("md5");
        m_clientFinishedAuth = true;
        return sendToServer(wire::FrontendMessage::password(
            wire::FrontendMessage::md5Password(*pw, m_config.user, data.left(4))));
    }
    case AuthSasl: {
        QByteArray mech;
        if (auto sel = selectSaslMechanism(data, &mech); !sel)
            return hardFail(sel.error());
        const auto pw = needPassword();
        if (!pw || pw->isEmpty())
            return hardFail(noPassword);
        auth::ScramClient::Binding binding = auth::ScramClient::Binding::None;
        QByteArray cbind;
        if (mech == "SCRAM-SHA-256-PLUS") {
            auto hash = m_tls->serverEndPointHash();
            if (!hash)
                return hardFail(hash.error());
            cbind = *hash;
            binding = auth::ScramClient::Binding::TlsServerEndPoint;
        } else if (m_tls && !m_config.channelBinding.startsWith(u'd')) {
            binding = auth::ScramClient::Binding::ClientSupportsOnly;
        }
        m_scram = std::make_unique<auth::ScramClient>(*pw, binding, cbind);
        m_report.authMethod = QString::fromLatin1(mech);
        return sendToServer(wire::FrontendMessage::saslInitialResponse(mech, m_scram->clientFirstMessage()));
    }
    case AuthSaslCont: {
        if (!m_scram)
            return hardFail(err("auth.sasl-state", QStringLiteral("invalid SASL authentication request")));
        auto final = m_scram->handleServerFirst(data);
        if (!final)
            return hardFail(final.error());
        return sendToServer(wire::FrontendMessage::saslResponse(*final));
    }
    case AuthSaslFin: {
        if (!m_scram)
            return hardFail(err("auth.sasl-state", QStringLiteral("invalid SASL authentication request")));
        if (auto ok = m_scram->handleServerFinal(data); !ok)
            return hardFail(ok.error());
        m_clientFinishedAuth = true;
        m_report.channelBound = m_scram->channelBound();
        return Output{};
    }
    case AuthGss:
    case AuthGssCont:
        return hardFail(err("auth.gss", QStringLiteral("GSSAPI authentication not supported"),
                            QCoreApplication::translate(
                                "vf::session::ProtocolMachine",
                                "The server wants Kerberos (gss) authentication, which VerifyFull does "
                                "not perform.")));
    case AuthSspi:
        return hardFail(err("auth.sspi", QStringLiteral("SSPI authentication not supported")));
    case AuthKrb4:
    case AuthKrb5:
        return hardFail(
            err("auth.krb",
                QStringLiteral("Kerberos %1 authentication not supported").arg(areq == AuthKrb4 ? 4 : 5)));
    case AuthCrypt:
        return hardFail(err("auth.crypt", QStringLiteral("Crypt authentication not supported")));
    default:
        return hardFail(
            err("auth.unknown", QStringLiteral("authentication method %1 not supported").arg(areq)));
    }
}

ProtocolMachine::Output ProtocolMachine::handleQueryMessage(char type, const QByteArray& payload)
{
    switch (type) {
    case 'S': { // ParameterStatus
        const QList<QByteArray> kv = payload.split('\0');
        if (kv.size() >= 2 && (m_report.server.parameters.size() < kMaxParameters ||
                               m_report.server.parameters.contains(QString::fromUtf8(kv.at(0))))) {
            m_report.server.parameters.insert(QString::fromUtf8(kv.at(0)), QString::fromUtf8(kv.at(1)));
            if (kv.at(0) == "server_version")
                m_report.server.serverVersion = QString::fromUtf8(kv.at(1));
        }
        return Output{};
    }
    case 'K':
        if (payload.size() >= 4)
            m_report.server.backendPid = qFromBigEndian<qint32>(payload.constData());
        return Output{};
    case 'N':
        keepNotice(m_report.notices, wire::parseNotice(payload).message);
        return Output{};
    case 'E': {
        const wire::ServerNotice n = wire::parseNotice(payload);
        if (m_state == State::Authenticated) {
            if (n.sqlState == u"57P03")
                m_tryNextHost = true;
            return hardFail(err("server.error", n.severity + u":  " + n.message));
        }
        keepNotice(m_report.notices,
                   n.severity + u":  " + n.message); // the report query failed; still connected
        return Output{};
    }
    case 'Z':
        if (m_state == State::Authenticated) {
            m_state = State::AwaitQuery;
            return sendToServer(wire::FrontendMessage::query(kReportQuery));
        }
        if (m_state == State::AwaitQuery) {
            m_report.success = true;
            m_report.error.reset(); // an earlier method's failure is in tries, not the verdict
            m_report.finalMethod = m_tls ? EncryptionMethod::Ssl : EncryptionMethod::Plaintext;
            m_report.tries.last().succeeded = true;
            setPhase(Phase::Terminate);
            Output out = sendToServer(wire::FrontendMessage::terminate(), Next::Finished);
            m_state = State::Finished;
            return out;
        }
        return Output{};
    case 'D': {
        bool ok = false;
        const QList<QByteArray> row = parseDataRow(payload, &ok);
        if (ok && row.size() >= 9) {
            ServerFacts& s = m_report.server;
            s.version = QString::fromUtf8(row.at(0));
            s.currentUser = QString::fromUtf8(row.at(1));
            s.database = QString::fromUtf8(row.at(2));
            s.sslInUse = row.at(4) == "t";
            s.sslVersion = QString::fromUtf8(row.at(5));
            s.sslCipher = QString::fromUtf8(row.at(6));
            s.sslBits = row.at(7).toInt();
            s.clientDn = QString::fromUtf8(row.at(8));
        }
        return Output{};
    }
    default: // 'T', 'C', 'I' and others carry nothing we need
        return Output{};
    }
}

ProtocolMachine::Output ProtocolMachine::methodFailed(Error error, bool reconnect)
{
    if (!m_report.tries.isEmpty())
        m_report.tries.last().failure = error.message;
    m_failures << error.message;
    m_report.error = error;
    m_tls.reset();
    m_reader.clear();
    if (!m_methods.isEmpty()) {
        Q_UNUSED(reconnect);
        m_state = State::Idle;
        // The driver closes the failed phase and times the new TCP connection itself.
        m_phase = Phase::TcpConnect;
        return Output{{}, Next::Reconnect};
    }
    return finish();
}

ProtocolMachine::Output ProtocolMachine::hardFail(Error error)
{
    if (!m_report.tries.isEmpty())
        m_report.tries.last().failure = error.message;
    m_failures << error.message;
    m_report.error = error;
    m_methods.clear();
    return finish();
}

ProtocolMachine::Output ProtocolMachine::finish()
{
    m_state = State::Finished;
    if (!m_report.success && m_failures.size() > 1 && m_report.error) {
        // libpq accumulates the messages of every method it tried.
        m_report.error->message = m_failures.join(u'\n');
    }
    return Output{{}, Next::Finished};
}

ProtocolMachine::Output ProtocolMachine::peerClosed()
{
    switch (m_state) {
    case State::TlsHandshake:
        if (m_tls) {
            m_tls->networkClosed();
            return continueHandshake({});
        }
        return methodFailed(err("tls.eof", QStringLiteral("SSL SYSCALL error: EOF detected")), true);
    case State::AwaitSslResponse:
    case State::AwaitAuth:
    case State::Authenticated:
    case State::AwaitQuery:
        if (m_tls)
            return hardFail(err("tls.eof", QStringLiteral("SSL SYSCALL error: EOF detected"),
                                QCoreApplication::translate("vf::session::ProtocolMachine",
                                                            "The server closed the connection.")));
        return hardFail(err("server.closed", kServerClosed));
    case State::Idle:
    case State::Finished:
        break;
    }
    return finish();
}

ProtocolMachine::Output ProtocolMachine::timedOut()
{
    m_tryNextHost = true;
    return hardFail(err("session.timeout", QStringLiteral("timeout expired"),
                        QCoreApplication::translate("vf::session::ProtocolMachine",
                                                    "The server did not answer in time during %1.")
                            .arg(phaseDisplayName(m_phase))));
}

} // namespace vf::session
