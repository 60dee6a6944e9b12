#include "PgServer.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QThread>

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vf::test {

namespace {

int freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

// Runs in the child between fork and exec: drop to the server user, die with the test.
void setupChild(int uid, int gid)
{
    if (gid >= 0) {
        const gid_t g = gid_t(gid);
        if (setgroups(1, &g) != 0 || setgid(g) != 0)
            _exit(126);
    }
    if (uid >= 0 && setuid(uid_t(uid)) != 0)
        _exit(126);
    // After the uid change, which would clear it.
    prctl(PR_SET_PDEATHSIG, SIGINT);
}

} // namespace

QString PgServer::binDir()
{
    return QStringLiteral("/usr/lib/postgresql/15/bin");
}

bool PgServer::available()
{
    return QFileInfo(binDir() + u"/postgres").isExecutable() &&
           QFileInfo(binDir() + u"/initdb").isExecutable();
}

PgServer::~PgServer()
{
    stop();
}

void PgServer::stop()
{
    if (m_process && m_process->state() != QProcess::NotRunning) {
        ::kill(pid_t(m_process->processId()), SIGINT); // fast shutdown
        if (!m_process->waitForFinished(10000)) {
            ::kill(pid_t(m_process->processId()), SIGQUIT);
            m_process->waitForFinished(5000);
        }
    }
    m_process.reset();
}

bool PgServer::writeOwned(const QString& path, const QByteArray& data, int mode) const
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(data) != data.size())
        return false;
    f.close();
    const QByteArray native = QFile::encodeName(path);
    if (::chmod(native.constData(), mode_t(mode)) != 0)
        return false;
    if (m_uid >= 0 && ::chown(native.constData(), uid_t(m_uid), gid_t(m_gid)) != 0)
        return false;
    return true;
}

std::unique_ptr<PgServer> PgServer::start(const Options& options, QString* error)
{
    auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return std::unique_ptr<PgServer>();
    };
    if (!available())
        return fail(QStringLiteral("PostgreSQL 15 server binaries not found in %1").arg(binDir()));

    std::unique_ptr<PgServer> s(new PgServer);
    s->m_superuser = options.superuser;
    if (geteuid() == 0) {
        const passwd* pw = getpwnam("postgres");
        if (!pw)
            return fail(
                QStringLiteral("running as root and there is no 'postgres' user to run the server as"));
        s->m_uid = int(pw->pw_uid);
        s->m_gid = int(pw->pw_gid);
    }
    s->m_tmp = std::make_unique<QTemporaryDir>(QDir::tempPath() + u"/vf-pg-XXXXXX");
    if (!s->m_tmp->isValid())
        return fail(QStringLiteral("cannot create a temporary directory"));
    const QString root = s->m_tmp->path();
    s->m_dataDir = root + u"/data";
    s->m_socketDir = root + u"/sock";
    s->m_logFile = root + u"/server.log";
    QDir().mkpath(s->m_socketDir);
    const QByteArray rootNative = QFile::encodeName(root);
    ::chmod(rootNative.constData(), 0755);
    if (s->m_uid >= 0) {
        ::chown(rootNative.constData(), uid_t(s->m_uid), gid_t(s->m_gid));
        ::chown(QFile::encodeName(s->m_socketDir).constData(), uid_t(s->m_uid), gid_t(s->m_gid));
    }

    const int uid = s->m_uid;
    const int gid = s->m_gid;
    auto asServerUser = [uid, gid](QProcess& p) {
        p.setChildProcessModifier([uid, gid] { setupChild(uid, gid); });
        p.setWorkingDirectory(QDir::tempPath());
    };

    {
        QProcess initdb;
        asServerUser(initdb);
        initdb.setProcessChannelMode(QProcess::MergedChannels);
        initdb.start(binDir() + u"/initdb",
                     {QStringLiteral("-D"), s->m_dataDir, QStringLiteral("-U"), options.superuser,
                      QStringLiteral("-A"), QStringLiteral("trust"), QStringLiteral("--no-sync"),
                      QStringLiteral("-E"), QStringLiteral("UTF8"), QStringLiteral("--locale=C")});
        if (!initdb.waitForFinished(120000) || initdb.exitCode() != 0)
            return fail(QStringLiteral("initdb failed: ") + QString::fromLocal8Bit(initdb.readAll()));
    }

    s->m_port = freePort();
    if (s->m_port == 0)
        return fail(QStringLiteral("no free TCP port on 127.0.0.1"));

    QStringList conf;
    conf << QStringLiteral("listen_addresses = '127.0.0.1'") << QStringLiteral("port = %1").arg(s->m_port)
         << QStringLiteral("unix_socket_directories = '%1'").arg(s->m_socketDir)
         << QStringLiteral("fsync = off") << QStringLiteral("max_connections = 100")
         << QStringLiteral("shared_buffers = 16MB") << QStringLiteral("log_connections = on")
         << QStringLiteral("logging_collector = off");
    if (options.ssl) {
        if (!s->writeOwned(s->m_dataDir + u"/server.crt", options.serverCertChainPem, 0644) ||
            !s->writeOwned(s->m_dataDir + u"/server.key", options.serverKeyPem, 0600))
            return fail(QStringLiteral("cannot write the server certificate or key"));
        conf << QStringLiteral("ssl = on") << QStringLiteral("ssl_cert_file = 'server.crt'")
             << QStringLiteral("ssl_key_file = 'server.key'");
        if (!options.clientCaPem.isEmpty()) {
            if (!s->writeOwned(s->m_dataDir + u"/root.crt", options.clientCaPem, 0644))
                return fail(QStringLiteral("cannot write ssl_ca_file"));
            conf << QStringLiteral("ssl_ca_file = 'root.crt'");
        }
        if (!options.crlPem.isEmpty()) {
            if (!s->writeOwned(s->m_dataDir + u"/root.crl", options.crlPem, 0644))
                return fail(QStringLiteral("cannot write ssl_crl_file"));
            conf << QStringLiteral("ssl_crl_file = 'root.crl'");
        }
    } else {
        conf << QStringLiteral("ssl = off");
    }
    conf << options.extraConfig;
    {
        QFile f(s->m_dataDir + u"/postgresql.conf");
        if (!f.open(QIODevice::Append))
            return fail(QStringLiteral("cannot write postgresql.conf"));
        f.write(QByteArray("\n") + conf.join(u'\n').toUtf8() + '\n');
    }
    QStringList hba = options.hbaLines;
    if (hba.isEmpty())
        hba << QStringLiteral("local all all trust") << QStringLiteral("host all all 127.0.0.1/32 trust");
    else
        hba.prepend(QStringLiteral("local all %1 trust").arg(options.superuser));
    if (!s->writeOwned(s->m_dataDir + u"/pg_hba.conf", hba.join(u'\n').toUtf8() + '\n', 0600))
        return fail(QStringLiteral("cannot write pg_hba.conf"));

    s->m_process = std::make_unique<QProcess>();
    asServerUser(*s->m_process);
    s->m_process->setStandardOutputFile(s->m_logFile);
    s->m_process->setStandardErrorFile(s->m_logFile, QIODevice::Append);
    s->m_process->start(binDir() + u"/postgres", {QStringLiteral("-D"), s->m_dataDir});
    QString why;
    if (!s->waitReady(&why))
        return fail(why + u"\n--- server log ---\n" + s->log());
    return s;
}

bool PgServer::waitReady(QString* error)
{
    if (!m_process->waitForStarted(10000)) {
        *error = QStringLiteral("postgres did not start: ") + m_process->errorString();
        return false;
    }
    const QDeadlineTimer deadline(60000);
    while (!deadline.hasExpired()) {
        if (m_process->state() == QProcess::NotRunning) {
            *error = QStringLiteral("postgres exited during start-up");
            return false;
        }
        QProcess ready;
        ready.start(binDir() + u"/pg_isready",
                    {QStringLiteral("-h"), m_socketDir, QStringLiteral("-p"), QString::number(m_port),
                     QStringLiteral("-U"), m_superuser, QStringLiteral("-q")});
        if (ready.waitForFinished(5000) && ready.exitCode() == 0)
            return true;
        QThread::msleep(100);
    }
    *error = QStringLiteral("postgres did not accept connections within 60 s");
    return false;
}

QString PgServer::log() const
{
    QFile f(m_logFile);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromLocal8Bit(f.readAll());
}

QString PgServer::psql(const QString& sql, QString* error) const
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString& key : env.keys()) {
        if (key.startsWith(u"PG"))
            env.remove(key);
    }
    p.setProcessEnvironment(env);
    p.start(binDir() + u"/psql",
            {QStringLiteral("-X"), QStringLiteral("-A"), QStringLiteral("-t"), QStringLiteral("-v"),
             QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-h"), m_socketDir, QStringLiteral("-p"),
             QString::number(m_port), QStringLiteral("-U"), m_superuser, QStringLiteral("-d"),
             QStringLiteral("postgres"), QStringLiteral("-c"), sql});
    if (!p.waitForFinished(30000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error)
            *error = QString::fromLocal8Bit(p.readAllStandardError());
        return QString();
    }
    return QString::fromLocal8Bit(p.readAllStandardOutput()).trimmed();
}

bool PgServer::setHba(const QStringList& lines, QString* error)
{
    QStringList hba = lines;
    hba.prepend(QStringLiteral("local all %1 trust").arg(m_superuser));
    if (!writeOwned(m_dataDir + u"/pg_hba.conf", hba.join(u'\n').toUtf8() + '\n', 0600)) {
        if (error)
            *error = QStringLiteral("cannot write pg_hba.conf");
        return false;
    }
    return !psql(QStringLiteral("select pg_reload_conf()"), error).isNull();
}

} // namespace vf::test
