#include "FakeServer.h"

#include <QDeadlineTimer>
#include <QHostAddress>
#include <QMutex>
#include <QMutexLocker>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QWaitCondition>
#include <QtEndian>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace vf::test {

// ---------------------------------------------------------------------------------------------------
// Script building

namespace {

FakeScript::Step step(FakeScript::Kind kind)
{
    FakeScript::Step s;
    s.kind = kind;
    return s;
}

} // namespace

FakeScript& FakeScript::expectBytes(int count)
{
    Step s = step(Kind::ExpectBytes);
    s.count = count;
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::expectSslRequest()
{
    m_steps << step(Kind::ExpectSslRequest);
    return *this;
}

FakeScript& FakeScript::expectStartup()
{
    m_steps << step(Kind::ExpectStartup);
    return *this;
}

FakeScript& FakeScript::expectMessage(char type)
{
    Step s = step(Kind::ExpectMessage);
    s.type = type;
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::send(const QByteArray& bytes)
{
    Step s = step(Kind::Send);
    s.bytes = bytes;
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::sendComputed(Computed make)
{
    Step s = step(Kind::SendComputed);
    s.computed = std::move(make);
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::sendRaw(const QByteArray& bytes)
{
    Step s = step(Kind::SendRaw);
    s.bytes = bytes;
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::startTls(const FakeTlsOptions& options)
{
    Step s = step(Kind::StartTls);
    s.tls = std::make_shared<const FakeTlsOptions>(options);
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::drip(int intervalMs)
{
    Step s = step(Kind::Drip);
    s.count = intervalMs;
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::stream(const QByteArray& header, const QByteArray& unit, qint64 fillerBytes)
{
    Step s = step(Kind::Stream);
    s.bytes = header;
    s.unit = unit.isEmpty() ? QByteArray(1, '\0') : unit;
    s.count = fillerBytes;
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::pause(int ms)
{
    Step s = step(Kind::Pause);
    s.count = ms;
    m_steps << s;
    return *this;
}

FakeScript& FakeScript::close()
{
    m_steps << step(Kind::Close);
    return *this;
}

// ---------------------------------------------------------------------------------------------------
// Backend messages

namespace FakePg {

QByteArray int32(qint32 value)
{
    QByteArray out(4, '\0');
    qToBigEndian<qint32>(value, out.data());
    return out;
}

QByteArray message(char type, const QByteArray& payload)
{
    return QByteArray(1, type) + int32(qint32(payload.size() + 4)) + payload;
}

QByteArray authRequest(qint32 code, const QByteArray& data)
{
    return message('R', int32(code) + data);
}

QByteArray authOk()
{
    return authRequest(0);
}

QByteArray errorResponse(const QByteArray& sqlState, const QByteArray& text, const QByteArray& severity)
{
    QByteArray payload;
    payload += 'S' + severity + '\0';
    payload += 'V' + severity + '\0';
    payload += 'C' + sqlState + '\0';
    payload += 'M' + text + '\0';
    payload += '\0';
    return message('E', payload);
}

QByteArray notice(const QByteArray& text)
{
    return message('N', QByteArray("SNOTICE\0VNOTICE\0C00000\0M", 25) + text + QByteArray(2, '\0'));
}

QByteArray parameterStatus(const QByteArray& name, const QByteArray& value)
{
    return message('S', name + '\0' + value + '\0');
}

QByteArray readyForQuery()
{
    return message('Z', "I");
}

QByteArray trustedSession()
{
    return authOk() + parameterStatus("server_version", "15.99 (fake)") +
           message('K', int32(4242) + int32(12345678)) + readyForQuery();
}

QByteArray reportQueryResult(bool ssl)
{
    const QList<QByteArray> values = {
        "PostgreSQL 15.99 (fake)", "fakeuser", "postgres", "4242", ssl ? "t" : "f",
        ssl ? "TLSv1.3" : "",      "",         "256",      ""};
    QByteArray desc = QByteArray(2, '\0');
    qToBigEndian<qint16>(qint16(values.size()), desc.data());
    QByteArray row = desc;
    for (qsizetype i = 0; i < values.size(); ++i) {
        desc += "c" + QByteArray::number(i) + '\0';
        desc += int32(0) + QByteArray(2, '\0') + int32(25) + QByteArray("\xff\xff", 2) + int32(-1) +
                QByteArray(2, '\0');
        row += int32(qint32(values.at(i).size())) + values.at(i);
    }
    return message('T', desc) + message('D', row) + message('C', QByteArray("SELECT 1", 9)) + readyForQuery();
}

QByteArray clientNonce(const FakeConnectionLog& log)
{
    if (log.units.isEmpty())
        return {};
    const QByteArray& last = log.units.last();
    const qsizetype at = last.indexOf(",r=");
    if (at < 0)
        return {};
    return last.mid(at + 3);
}

QByteArray sslRequest()
{
    return QByteArray("\x00\x00\x00\x08\x04\xd2\x16\x2f", 8);
}

} // namespace FakePg

// ---------------------------------------------------------------------------------------------------
// The server

struct FakeServer::Shared
{
    mutable QMutex mutex;
    QWaitCondition changed;
    QList<FakeScript> scripts;
    QList<FakeConnectionLog> logs;
    quint16 port = 0;
    bool listening = false;
    bool startFailed = false;
    QString error;

    template <typename F> void update(int index, F&& change)
    {
        QMutexLocker lock(&mutex);
        change(logs[index]);
        changed.wakeAll();
    }
    FakeConnectionLog snapshot(int index) const
    {
        QMutexLocker lock(&mutex);
        return logs.value(index);
    }
};

namespace {

struct SslCtxFree
{
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree
{
    void operator()(SSL* s) const { SSL_free(s); }
};

QString opensslErrors()
{
    QStringList parts;
    while (const unsigned long e = ERR_get_error()) {
        char buf[256] = {};
        ERR_error_string_n(e, buf, sizeof buf);
        parts << QString::fromLatin1(buf);
    }
    return parts.join(u"; ");
}

int clientHelloAbort(SSL* /*ssl*/, int* alert, void* arg)
{
    *alert = *static_cast<const int*>(arg);
    return SSL_CLIENT_HELLO_ERROR;
}

int alpnSelect(SSL* /*ssl*/, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void* arg)
{
    const auto* wanted = static_cast<const QByteArray*>(arg);
    unsigned int pos = 0;
    while (pos < inlen) {
        const unsigned int len = in[pos];
        if (pos + 1 + len > inlen)
            break;
        if (QByteArrayView(reinterpret_cast<const char*>(in + pos + 1), len) == *wanted) {
            *out = in + pos + 1;
            *outlen = static_cast<unsigned char>(len);
            return SSL_TLSEXT_ERR_OK;
        }
        pos += 1 + len;
    }
    return SSL_TLSEXT_ERR_NOACK;
}

constexpr qint64 kStreamWindow = 1024 * 1024; // socket bytes kept queued while streaming

// One accepted connection playing its script, in the server thread.
class Connection final : public QObject
{
public:
    Connection(QTcpSocket* socket, FakeScript script, int index, std::shared_ptr<FakeServer::Shared> shared,
               QObject* parent)
        : QObject(parent)
        , m_socket(socket)
        , m_steps(script.steps())
        , m_index(index)
        , m_shared(std::move(shared))
    {
        m_socket->setParent(this);
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        m_drip.setSingleShot(false);
        connect(&m_drip, &QTimer::timeout, this, &Connection::dripOne);
        connect(m_socket, &QTcpSocket::readyRead, this, &Connection::onReadyRead);
        connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
            if (current() == FakeScript::Kind::Stream)
                advance();
        });
        connect(m_socket, &QTcpSocket::disconnected, this, &Connection::onGone);
        connect(m_socket, &QTcpSocket::errorOccurred, this, &Connection::onGone);
        advance();
    }

private:
    std::optional<FakeScript::Kind> current() const
    {
        if (m_dead || m_step >= m_steps.size())
            return std::nullopt;
        return m_steps.at(m_step).kind;
    }

    void log(const std::function<void(FakeConnectionLog&)>& change) { m_shared->update(m_index, change); }

    void problem(const QString& what)
    {
        log([&](FakeConnectionLog& l) { l.problems << what; });
        closeConnection();
    }

    void onGone()
    {
        if (m_gone)
            return;
        m_gone = true;
        m_dead = true;
        m_drip.stop();
        log([](FakeConnectionLog& l) { l.clientClosed = true; });
    }

    void onReadyRead()
    {
        const QByteArray data = m_socket->readAll();
        if (data.isEmpty())
            return;
        log([&](FakeConnectionLog& l) { l.rawIn += data; });
        if (m_ssl) {
            BIO_write(m_rbio, data.constData(), int(data.size()));
            if (m_tlsUp)
                readTls();
        } else {
            m_in += data;
            log([&](FakeConnectionLog& l) { l.plainIn += data; });
        }
        advance();
    }

    void readTls()
    {
        char buf[16384];
        QByteArray plain;
        for (;;) {
            size_t got = 0;
            const int r = SSL_read_ex(m_ssl.get(), buf, sizeof buf, &got);
            if (r > 0) {
                plain.append(buf, qsizetype(got));
                continue;
            }
            const int e = SSL_get_error(m_ssl.get(), r);
            if (e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
                const QString why = QStringLiteral("TLS read failed (%1): %2").arg(e).arg(opensslErrors());
                log([&](FakeConnectionLog& l) { l.tlsError = why; });
                m_dead = true;
            }
            break;
        }
        flushTls();
        if (!plain.isEmpty()) {
            m_in += plain;
            log([&](FakeConnectionLog& l) { l.plainIn += plain; });
        }
    }

    void writeRaw(const QByteArray& bytes)
    {
        if (bytes.isEmpty() || m_gone)
            return;
        if (m_dripMs > 0) {
            m_dripQueue += bytes;
            if (!m_drip.isActive())
                m_drip.start(m_dripMs);
            return;
        }
        m_socket->write(bytes);
        log([&](FakeConnectionLog& l) { l.bytesOut += bytes.size(); });
    }

    void dripOne()
    {
        if (m_dripQueue.isEmpty() || m_gone) {
            m_drip.stop();
            return;
        }
        m_socket->write(m_dripQueue.left(1));
        m_dripQueue.remove(0, 1);
        log([](FakeConnectionLog& l) { l.bytesOut += 1; });
        if (m_dripQueue.isEmpty()) {
            m_drip.stop();
            if (m_closeAfterDrip)
                m_socket->disconnectFromHost();
        }
    }

    void flushTls()
    {
        if (!m_wbio)
            return;
        char* data = nullptr;
        const long len = BIO_get_mem_data(m_wbio, &data);
        if (len > 0) {
            const QByteArray out(data, qsizetype(len));
            (void)BIO_reset(m_wbio);
            writeRaw(out);
        }
    }

    void writeApp(const QByteArray& bytes)
    {
        if (!m_tlsUp) {
            writeRaw(bytes);
            return;
        }
        size_t written = 0;
        if (!bytes.isEmpty() &&
            SSL_write_ex(m_ssl.get(), bytes.constData(), size_t(bytes.size()), &written) != 1)
            log([&](FakeConnectionLog& l) {
                l.tlsError = QStringLiteral("TLS write failed: ") + opensslErrors();
            });
        flushTls();
    }

    void closeConnection()
    {
        m_dead = true;
        if (m_gone)
            return;
        if (!m_dripQueue.isEmpty()) {
            m_closeAfterDrip = true;
            return;
        }
        m_socket->disconnectFromHost();
    }

    // Builds the TLS session; false (and the connection closed) when the material is unusable.
    bool setUpTls(const FakeTlsOptions& o)
    {
        ERR_clear_error();
        m_ctx.reset(SSL_CTX_new(TLS_server_method()));
        if (!m_ctx)
            return false;
        SSL_CTX* ctx = m_ctx.get();
        SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
        BIO* chainBio = BIO_new_mem_buf(o.certChainPem.constData(), int(o.certChainPem.size()));
        bool first = true;
        while (X509* cert = PEM_read_bio_X509(chainBio, nullptr, nullptr, nullptr)) {
            if (first)
                SSL_CTX_use_certificate(ctx, cert);
            else
                SSL_CTX_add1_chain_cert(ctx, cert);
            first = false;
            X509_free(cert);
        }
        BIO_free(chainBio);
        ERR_clear_error(); // the PEM loop ends with "no start line"
        BIO* keyBio = BIO_new_mem_buf(o.keyPem.constData(), int(o.keyPem.size()));
        EVP_PKEY* key = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
        BIO_free(keyBio);
        const bool keyOk = key && SSL_CTX_use_PrivateKey(ctx, key) == 1;
        EVP_PKEY_free(key);
        if (first || !keyOk)
            return false;
        if (o.abortWithAlert >= 0) {
            m_alert = o.abortWithAlert;
            SSL_CTX_set_client_hello_cb(ctx, clientHelloAbort, &m_alert);
        }
        if (!o.alpn.isEmpty()) {
            m_alpn = o.alpn;
            SSL_CTX_set_alpn_select_cb(ctx, alpnSelect, &m_alpn);
        }
        if (!o.clientCaPem.isEmpty()) {
            X509_STORE* store = SSL_CTX_get_cert_store(ctx);
            BIO* caBio = BIO_new_mem_buf(o.clientCaPem.constData(), int(o.clientCaPem.size()));
            while (X509* ca = PEM_read_bio_X509(caBio, nullptr, nullptr, nullptr)) {
                X509_STORE_add_cert(store, ca);
                X509_free(ca);
            }
            BIO_free(caBio);
            ERR_clear_error();
            SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        }
        m_ssl.reset(SSL_new(ctx));
        if (!m_ssl)
            return false;
        m_rbio = BIO_new(BIO_s_mem());
        m_wbio = BIO_new(BIO_s_mem());
        BIO_set_mem_eof_return(m_rbio, -1);
        SSL_set_bio(m_ssl.get(), m_rbio, m_wbio);
        SSL_set_accept_state(m_ssl.get());
        if (!m_in.isEmpty()) { // the client sent its ClientHello before we got here
            BIO_write(m_rbio, m_in.constData(), int(m_in.size()));
            m_in.clear();
        }
        log([](FakeConnectionLog& l) { l.tlsStarted = true; });
        return true;
    }

    // One handshake step: true once established.
    bool stepTls(const FakeScript::Step& s)
    {
        if (!m_ssl && !setUpTls(*s.tls)) {
            problem(QStringLiteral("unusable TLS material: ") + opensslErrors());
            return false;
        }
        ERR_clear_error();
        const int r = SSL_do_handshake(m_ssl.get());
        if (r == 1) {
            flushTls();
            m_tlsUp = true;
            log([](FakeConnectionLog& l) { l.tlsEstablished = true; });
            readTls(); // application data that came with the client's Finished
            return true;
        }
        const int e = SSL_get_error(m_ssl.get(), r);
        if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
            flushTls();
            return false;
        }
        const QString why = QStringLiteral("handshake failed (%1): %2").arg(e).arg(opensslErrors());
        flushTls(); // the alert
        log([&](FakeConnectionLog& l) { l.tlsError = why; });
        closeConnection();
        return false;
    }

    // Writes more of a stream; true once all of it is queued.
    bool pumpStream(const FakeScript::Step& s)
    {
        if (!m_streaming) {
            m_streaming = true;
            m_streamLeft = s.count;
            writeApp(s.bytes);
        }
        while (m_streamLeft > 0 && !m_gone && m_socket->bytesToWrite() < kStreamWindow) {
            const QByteArray chunk = m_streamLeft >= s.unit.size() ? s.unit : s.unit.left(m_streamLeft);
            writeApp(chunk);
            m_streamLeft -= chunk.size();
        }
        if (m_streamLeft > 0)
            return false;
        m_streaming = false;
        return true;
    }

    // Consumes one expected unit from m_in; false when more bytes are needed (or it failed).
    bool expect(const FakeScript::Step& s)
    {
        QByteArray unit;
        switch (s.kind) {
        case FakeScript::Kind::ExpectBytes:
            if (m_in.size() < s.count)
                return false;
            unit = m_in.left(s.count);
            break;
        case FakeScript::Kind::ExpectSslRequest:
            if (m_in.size() < 8)
                return false;
            unit = m_in.left(8);
            if (unit != FakePg::sslRequest()) {
                problem(
                    QStringLiteral("expected an SSLRequest, got %1").arg(QString::fromLatin1(unit.toHex())));
                return false;
            }
            break;
        case FakeScript::Kind::ExpectStartup: {
            if (m_in.size() < 4)
                return false;
            const qint32 len = qFromBigEndian<qint32>(m_in.constData());
            if (len < 8 || len > 10000) {
                problem(QStringLiteral("expected a StartupMessage, got length %1").arg(len));
                return false;
            }
            if (m_in.size() < len)
                return false;
            unit = m_in.left(len);
            if (qFromBigEndian<qint32>(unit.constData() + 4) != 0x00030000) {
                problem(QStringLiteral("expected a StartupMessage, got %1")
                            .arg(QString::fromLatin1(unit.left(8).toHex())));
                return false;
            }
            break;
        }
        case FakeScript::Kind::ExpectMessage: {
            if (m_in.size() < 5)
                return false;
            const qint32 len = qFromBigEndian<qint32>(m_in.constData() + 1);
            if (len < 4 || len > 1024 * 1024) {
                problem(QStringLiteral("message with invalid length %1").arg(len));
                return false;
            }
            if (m_in.size() < 1 + len)
                return false;
            unit = m_in.left(1 + len);
            if (s.type && unit.at(0) != s.type) {
                problem(QStringLiteral("expected message '%1', got '%2'")
                            .arg(QChar::fromLatin1(s.type))
                            .arg(QChar::fromLatin1(unit.at(0))));
                return false;
            }
            break;
        }
        default:
            return true;
        }
        m_in.remove(0, unit.size());
        log([&](FakeConnectionLog& l) {
            l.units << unit;
            if (s.kind == FakeScript::Kind::ExpectSslRequest)
                l.sslRequest = true;
            if (s.kind == FakeScript::Kind::ExpectStartup) {
                l.startup = true;
                const QList<QByteArray> parts = unit.mid(8).split('\0');
                for (qsizetype i = 0; i + 1 < parts.size(); i += 2) {
                    if (parts.at(i).isEmpty())
                        break;
                    l.startupParameters.insert(parts.at(i), parts.at(i + 1));
                }
            }
        });
        return true;
    }

    void advance()
    {
        while (!m_dead && !m_waiting && m_step < m_steps.size()) {
            const FakeScript::Step& s = m_steps.at(m_step);
            switch (s.kind) {
            case FakeScript::Kind::ExpectBytes:
            case FakeScript::Kind::ExpectSslRequest:
            case FakeScript::Kind::ExpectStartup:
            case FakeScript::Kind::ExpectMessage:
                if (!expect(s))
                    return;
                break;
            case FakeScript::Kind::Send:
                writeApp(s.bytes);
                break;
            case FakeScript::Kind::SendComputed:
                writeApp(s.computed(m_shared->snapshot(m_index)));
                break;
            case FakeScript::Kind::SendRaw:
                writeRaw(s.bytes);
                break;
            case FakeScript::Kind::StartTls:
                if (!stepTls(s))
                    return;
                break;
            case FakeScript::Kind::Drip:
                m_dripMs = int(s.count);
                break;
            case FakeScript::Kind::Stream:
                if (!pumpStream(s))
                    return;
                break;
            case FakeScript::Kind::Pause:
                if (!m_paused) {
                    m_waiting = true;
                    QTimer::singleShot(int(s.count), this, [this] {
                        m_waiting = false;
                        m_paused = true;
                        advance();
                    });
                    return;
                }
                m_paused = false;
                break;
            case FakeScript::Kind::Close:
                ++m_step;
                log([](FakeConnectionLog& l) { l.scriptFinished = true; });
                closeConnection();
                return;
            }
            ++m_step;
        }
        if (!m_dead && m_step == m_steps.size() && !m_finishedLogged) {
            m_finishedLogged = true;
            log([](FakeConnectionLog& l) { l.scriptFinished = true; });
        }
    }

    QTcpSocket* m_socket;
    QList<FakeScript::Step> m_steps;
    int m_index;
    std::shared_ptr<FakeServer::Shared> m_shared;
    qsizetype m_step = 0;
    QByteArray m_in; // plaintext not consumed by an expect step yet
    bool m_dead = false;
    bool m_gone = false;
    bool m_waiting = false;
    bool m_paused = false;
    bool m_finishedLogged = false;
    // TLS
    std::unique_ptr<SSL_CTX, SslCtxFree> m_ctx;
    std::unique_ptr<SSL, SslFree> m_ssl;
    BIO* m_rbio = nullptr; // owned by m_ssl
    BIO* m_wbio = nullptr;
    bool m_tlsUp = false;
    int m_alert = -1;
    QByteArray m_alpn;
    // drip
    int m_dripMs = 0;
    QByteArray m_dripQueue;
    QTimer m_drip;
    bool m_closeAfterDrip = false;
    // stream
    bool m_streaming = false;
    qint64 m_streamLeft = 0;
};

} // namespace

class FakeServer::Thread final : public QThread
{
public:
    explicit Thread(std::shared_ptr<Shared> shared)
        : m_shared(std::move(shared))
    {}

protected:
    void run() override
    {
        QObject root;
        QTcpServer server;
        const bool ok = server.listen(QHostAddress::LocalHost, 0);
        {
            QMutexLocker lock(&m_shared->mutex);
            m_shared->listening = ok;
            m_shared->startFailed = !ok;
            m_shared->port = ok ? server.serverPort() : 0;
            m_shared->error = ok ? QString() : server.errorString();
            m_shared->changed.wakeAll();
        }
        if (!ok)
            return;
        QObject::connect(&server, &QTcpServer::newConnection, &root, [&] {
            while (QTcpSocket* socket = server.nextPendingConnection()) {
                int index = 0;
                FakeScript script;
                {
                    QMutexLocker lock(&m_shared->mutex);
                    index = int(m_shared->logs.size());
                    m_shared->logs << FakeConnectionLog();
                    if (!m_shared->scripts.isEmpty())
                        script =
                            m_shared->scripts.at(std::min<qsizetype>(index, m_shared->scripts.size() - 1));
                    else
                        script.close();
                    m_shared->changed.wakeAll();
                }
                new Connection(socket, script, index, m_shared, &root);
            }
        });
        exec();
        server.close();
        // `root` deletes the connections (their sockets abort) before the thread ends.
    }

private:
    std::shared_ptr<Shared> m_shared;
};

FakeServer::FakeServer()
    : m_shared(std::make_shared<Shared>())
{}

FakeServer::~FakeServer()
{
    if (m_thread) {
        m_thread->quit();
        m_thread->wait();
    }
    for (const int fd : m_stalledFds)
        ::close(fd);
}

bool FakeServer::start(const QList<FakeScript>& scripts, QString* error)
{
    if (m_thread || !m_stalledFds.isEmpty())
        return false;
    {
        QMutexLocker lock(&m_shared->mutex);
        m_shared->scripts = scripts;
    }
    m_thread = std::make_unique<Thread>(m_shared);
    m_thread->start();
    QMutexLocker lock(&m_shared->mutex);
    while (!m_shared->listening && !m_shared->startFailed)
        m_shared->changed.wait(&m_shared->mutex);
    if (m_shared->startFailed && error)
        *error = m_shared->error;
    return m_shared->listening;
}

bool FakeServer::startStalled(QString* error)
{
    if (m_thread || !m_stalledFds.isEmpty())
        return false;
    auto fail = [&](const char* what) {
        if (error)
            *error = QStringLiteral("%1: %2").arg(QLatin1StringView(what),
                                                  QString::fromLocal8Bit(strerror(errno)));
        return false;
    };
    const int listener = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (listener < 0)
        return fail("socket");
    m_stalledFds << listener;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listener, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0)
        return fail("bind");
    if (::listen(listener, 0) != 0)
        return fail("listen");
    socklen_t len = sizeof addr;
    if (::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
        return fail("getsockname");
    // Fill the accept queue (backlog 0 holds one connection); further SYNs are dropped.
    for (int i = 0; i < 2; ++i) {
        const int filler = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        if (filler < 0)
            return fail("socket");
        m_stalledFds << filler;
        if (::connect(filler, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 &&
            errno != EINPROGRESS)
            return fail("connect");
        QThread::msleep(50); // let the kernel finish (or drop) that handshake
    }
    QMutexLocker lock(&m_shared->mutex);
    m_shared->port = ntohs(addr.sin_port);
    return true;
}

quint16 FakeServer::port() const
{
    QMutexLocker lock(&m_shared->mutex);
    return m_shared->port;
}

int FakeServer::connectionCount() const
{
    QMutexLocker lock(&m_shared->mutex);
    return int(m_shared->logs.size());
}

FakeConnectionLog FakeServer::connection(int index) const
{
    return m_shared->snapshot(index);
}

bool FakeServer::waitForClientClose(int index, int timeoutMs) const
{
    QDeadlineTimer deadline(timeoutMs);
    QMutexLocker lock(&m_shared->mutex);
    while (!(index < m_shared->logs.size() && m_shared->logs.at(index).clientClosed)) {
        if (!m_shared->changed.wait(&m_shared->mutex, deadline))
            return index < m_shared->logs.size() && m_shared->logs.at(index).clientClosed;
    }
    return true;
}

} // namespace vf::test
