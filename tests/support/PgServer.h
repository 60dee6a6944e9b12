#pragma once

// A real PostgreSQL 15 server for integration tests: initdb into a temporary directory, loopback only,
// a free port, TLS material written by the test. initdb/postgres refuse to run as root, so when the
// tests run as root (CI, the README commands) the server runs as the unprivileged `postgres` system
// user, which owns the data directory. The server dies with the test process (parent-death signal)
// and the directory is removed by the destructor, even when a test fails.

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <memory>

namespace vf::test {

class PgServer final
{
public:
    struct Options
    {
        bool ssl = true;
        QByteArray serverCertChainPem; // leaf first, then intermediates (ssl_cert_file)
        QByteArray serverKeyPem;       // ssl_key_file
        QByteArray clientCaPem;        // ssl_ca_file (empty: no client certificate requests)
        QByteArray crlPem;             // ssl_crl_file
        // pg_hba.conf lines; the default trusts everything on loopback and the local socket.
        QStringList hbaLines;
        QStringList extraConfig; // postgresql.conf lines, e.g. "password_encryption = md5"
        QString superuser = QStringLiteral("postgres");
    };

    ~PgServer();

    // Starts a server; on failure returns null and puts the reason (with the server log) in *error.
    static std::unique_ptr<PgServer> start(const Options& options, QString* error);

    // True when a PostgreSQL 15 server binary is installed.
    static bool available();
    static QString binDir();

    int port() const { return m_port; }
    QString socketDir() const { return m_socketDir; }
    QString dataDir() const { return m_dataDir; }
    QString log() const;

    // Runs SQL as the superuser over the Unix socket with the real psql; returns psql's stdout, or a
    // null QString on failure (error in *error).
    QString psql(const QString& sql, QString* error = nullptr) const;

    // Writes a new pg_hba.conf and reloads the server.
    bool setHba(const QStringList& lines, QString* error = nullptr);

private:
    PgServer() = default;
    bool writeOwned(const QString& path, const QByteArray& data, int mode) const;
    bool waitReady(QString* error);
    void stop();

    std::unique_ptr<QTemporaryDir> m_tmp;
    QString m_dataDir;
    QString m_socketDir;
    QString m_logFile;
    QString m_superuser;
    int m_port = 0;
    int m_uid = -1; // uid/gid the server runs as (-1: ours)
    int m_gid = -1;
    std::unique_ptr<QProcess> m_process;
};

} // namespace vf::test
