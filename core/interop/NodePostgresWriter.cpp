#include "NodePostgresWriter.h"

#include "SourceLiteral.h"

#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

// A JavaScript number for an all-digits value that fits, else nullopt.
std::optional<qint64> integer(const QString& value)
{
    if (value.isEmpty() || value.size() > 9)
        return std::nullopt;
    for (QChar c : value) {
        if (c < u'0' || c > u'9')
            return std::nullopt;
    }
    return value.toLongLong();
}

QString js(const QString& value)
{
    return SourceLiteral::javaScript(value);
}

QString readFile(const QString& path)
{
    return u"fs.readFileSync("_s + js(path) + u')';
}

} // namespace

ExportResult NodePostgresWriter::write(const settings::ConnInfo& info)
{
    ExportResult out;
    out.suggestedFileName = u"connect.js"_s;
    auto value = [&info](QStringView keyword) { return info.value(keyword); };
    QStringList unsupported;
    bool needsOsPath = false;

    QString client;
    auto field = [&client](const QString& name, const QString& literal, int indent = 2) {
        client += QString(indent, u' ') + name + u": "_s + literal + u",\n"_s;
    };

    // Host and port: node-postgres connects to one host.
    const QStringList hosts = value(u"host").value_or(QString()).split(u',');
    const QStringList hostaddrs = value(u"hostaddr").value_or(QString()).split(u',');
    const QStringList ports = value(u"port").value_or(QString()).split(u',');
    const QString host = hosts.first();
    const QString hostaddr = hostaddrs.first();
    if (hosts.size() > 1 || hostaddrs.size() > 1) {
        out.notes
            << tr("node-postgres connects to one host: the snippet uses the first (%1); libpq would try "
                  "each in turn.")
                   .arg(hostaddr.isEmpty() ? host : hostaddr);
    }
    if (!hostaddr.isEmpty()) {
        field(u"host"_s, js(hostaddr));
        if (!host.isEmpty())
            out.notes
                << tr("node-postgres has no hostaddr: it connects to the address %1, and the TLS checks "
                      "use the name %2 (servername).")
                       .arg(hostaddr, host);
    } else if (!host.isEmpty()) {
        field(u"host"_s, js(host));
    }
    if (!ports.first().isEmpty()) {
        const auto port = integer(ports.first());
        field(u"port"_s, port ? QString::number(*port) : js(ports.first()));
    }
    if (const auto v = value(u"dbname"))
        field(u"database"_s, js(*v));
    if (const auto v = value(u"user"))
        field(u"user"_s, js(*v));
    if (const auto v = value(u"password")) {
        field(u"password"_s, js(*v));
        out.containsSecrets = true;
    }
    if (const auto v = value(u"application_name"))
        field(u"application_name"_s, js(*v));
    if (const auto v = value(u"fallback_application_name"))
        field(u"fallback_application_name"_s, js(*v));
    if (const auto v = value(u"client_encoding"))
        field(u"client_encoding"_s, js(*v));
    if (const auto v = value(u"options"))
        field(u"options"_s, js(*v));
    if (const auto v = value(u"connect_timeout")) {
        if (const auto seconds = integer(*v); seconds && *seconds > 0)
            field(u"connectionTimeoutMillis"_s, QString::number(*seconds * 1000));
        else
            unsupported << u"connect_timeout"_s;
    }
    if (const auto v = value(u"keepalives"))
        field(u"keepAlive"_s, *v == u"0" ? u"false"_s : u"true"_s);
    if (const auto v = value(u"keepalives_idle")) {
        if (const auto seconds = integer(*v))
            field(u"keepAliveInitialDelayMillis"_s, QString::number(*seconds * 1000));
        else
            unsupported << u"keepalives_idle"_s;
    }
    if (const auto v = value(u"channel_binding")) {
        if (*v == u"require") {
            field(u"enableChannelBinding"_s, u"true"_s);
            out.notes << tr("channel_binding=require: node-postgres uses SCRAM-SHA-256-PLUS when "
                            "enableChannelBinding is true, but does not refuse a server that offers no "
                            "channel binding, as libpq does.");
        } else if (*v == u"disable") {
            field(u"enableChannelBinding"_s, u"false"_s);
        }
    }

    // TLS.
    const QString sslmode = value(u"sslmode").value_or(u"prefer"_s);
    const std::optional<QString> rootcert = value(u"sslrootcert");
    const bool systemRoots = rootcert == u"system"_s;
    const bool rootFileGiven = rootcert && !rootcert->isEmpty() && !systemRoots;
    bool verifyChain = false;
    bool verifyName = false;
    bool tls = true;
    if (sslmode == u"disable") {
        tls = false;
    } else if (sslmode == u"allow") {
        tls = false;
        out.notes << tr("sslmode=allow: libpq tries without TLS first and uses TLS only when the server "
                        "insists; node-postgres never switches, so this snippet connects without TLS.");
    } else if (sslmode == u"prefer" || sslmode == u"require") {
        verifyChain = rootFileGiven;
        if (sslmode == u"prefer") {
            out.notes << tr("sslmode=prefer: node-postgres does not fall back to an unencrypted connection "
                            "when the server has no TLS; libpq does.");
        }
        if (rootFileGiven) {
            out.notes
                << tr("sslmode=%1 with a root certificate file: libpq then checks the certificate chain "
                      "(as verify-ca), and so does this snippet.")
                       .arg(sslmode);
        } else {
            out.notes
                << tr("sslmode=%1 does not check the server certificate (rejectUnauthorized: false). If "
                      "~/.postgresql/root.crt exists libpq checks the chain anyway; node-postgres does "
                      "not look there.")
                       .arg(sslmode);
        }
    } else if (sslmode == u"verify-ca") {
        verifyChain = true;
        out.notes << tr("verify-ca has no direct equivalent in node-postgres: the snippet checks the chain "
                        "(rejectUnauthorized: true) and skips the host-name check with a checkServerIdentity "
                        "that accepts every name.");
    } else if (sslmode == u"verify-full") {
        verifyChain = true;
        verifyName = true;
    } else {
        out.notes << tr("sslmode=%1 is not a value libpq accepts; the snippet does not check the server.")
                         .arg(sslmode);
    }

    if (!tls) {
        client += u"  ssl: false,\n"_s;
    } else {
        QString ssl;
        auto sslField = [&ssl](const QString& name, const QString& literal) {
            ssl += u"    "_s + name + u": "_s + literal + u",\n"_s;
        };
        if (verifyChain) {
            if (rootFileGiven) {
                sslField(u"ca"_s, readFile(*rootcert));
            } else if (systemRoots) {
                out.notes << tr(
                    "sslrootcert=system: node uses its own list of trusted CAs, not the operating "
                    "system's (start node with --use-openssl-ca to use OpenSSL's).");
            } else {
                sslField(u"ca"_s,
                         u"fs.readFileSync(path.join(os.homedir(), \".postgresql\", \"root.crt\"))"_s);
                needsOsPath = true;
                out.notes << tr(
                    "No sslrootcert: libpq reads ~/.postgresql/root.crt, and so does this snippet.");
            }
        }
        if (const auto v = value(u"sslcert"); v && !v->isEmpty())
            sslField(u"cert"_s, readFile(*v));
        if (const auto v = value(u"sslkey"); v && !v->isEmpty())
            sslField(u"key"_s, readFile(*v));
        if (!value(u"sslcert") && !value(u"sslkey")) {
            out.notes << tr("libpq sends ~/.postgresql/postgresql.crt and postgresql.key when they exist; "
                            "node-postgres sends a client certificate only when cert and key are given.");
        }
        if (const auto v = value(u"sslpassword")) {
            sslField(u"passphrase"_s, js(*v));
            out.containsSecrets = true;
        }
        if (const auto v = value(u"sslcrl"); v && !v->isEmpty())
            sslField(u"crl"_s, readFile(*v));
        if (const auto v = value(u"ssl_min_protocol_version"); v && !v->isEmpty())
            sslField(u"minVersion"_s, js(*v));
        if (const auto v = value(u"ssl_max_protocol_version"); v && !v->isEmpty())
            sslField(u"maxVersion"_s, js(*v));
        sslField(u"rejectUnauthorized"_s, verifyChain ? u"true"_s : u"false"_s);
        if (verifyChain && !verifyName) {
            sslField(u"checkServerIdentity"_s, u"() => undefined"_s);
        } else if (verifyName) {
            const bool isName = !host.isEmpty() && !host.startsWith(u'/') && !host.startsWith(u'@') &&
                                QHostAddress(host).isNull();
            if (isName)
                sslField(u"servername"_s, js(host));
        }
        client += u"  ssl: {\n"_s + ssl + u"  },\n"_s;
    }

    const QStringList notMapped = {u"service"_s,
                                   u"servicefile"_s,
                                   u"passfile"_s,
                                   u"target_session_attrs"_s,
                                   u"load_balance_hosts"_s,
                                   u"require_auth"_s,
                                   u"gssencmode"_s,
                                   u"krbsrvname"_s,
                                   u"gsslib"_s,
                                   u"gssdelegation"_s,
                                   u"requirepeer"_s,
                                   u"sslcompression"_s,
                                   u"sslcrldir"_s,
                                   u"sslsni"_s,
                                   u"sslcertmode"_s,
                                   u"sslnegotiation"_s,
                                   u"tcp_user_timeout"_s,
                                   u"keepalives_interval"_s,
                                   u"keepalives_count"_s,
                                   u"replication"_s,
                                   u"min_protocol_version"_s,
                                   u"max_protocol_version"_s,
                                   u"sslkeylogfile"_s};
    for (const QString& keyword : notMapped) {
        if (info.contains(keyword))
            unsupported << keyword;
    }
    if (info.contains(u"service")) {
        out.notes << tr("node-postgres does not read pg_service.conf: the service's settings are not in this "
                        "snippet. Export the settings themselves instead.");
    }
    if (!unsupported.isEmpty()) {
        out.notes << tr("Not used by node-postgres, left out: %1.").arg(unsupported.join(u", "_s));
    }
    if (!info.contains(u"password"))
        out.notes << tr("Without a password node-postgres reads ~/.pgpass (or PGPASSWORD), like libpq.");

    QString code;
    if (needsOsPath)
        code += u"const os = require(\"os\");\nconst path = require(\"path\");\n"_s;
    code +=
        u"const fs = require(\"fs\");\nconst { Client } = require(\"pg\");\n\nconst client = new Client({\n"_s;
    code += client;
    code += u"});\n\nclient\n  .connect()\n  .then(() => client.query(\"SELECT 1\"))\n"
            "  .then((result) => console.log(result.rows))\n"
            "  .catch((error) => console.error(error.message))\n"
            "  .finally(() => client.end());\n"_s;
    out.bytes = code.toUtf8();
    return out;
}

} // namespace vf::interop
