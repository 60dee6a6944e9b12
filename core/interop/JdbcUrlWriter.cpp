#include "JdbcUrlWriter.h"

#include "Pkcs8Converter.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

// RFC 3986 percent-encoding of the UTF-8 bytes, unreserved characters and `keep` left as they are.
QByteArray encoded(const QString& value, QByteArrayView keep = "/")
{
    return value.toUtf8().toPercentEncoding(keep.toByteArray());
}

bool looksLikeIpv6(const QString& host)
{
    return host.contains(u':');
}

} // namespace

bool JdbcUrlWriter::keyUsableByPgJdbc(const QString& keyPath)
{
    return keyPath.endsWith(u".pk8", Qt::CaseInsensitive) || keyPath.endsWith(u".p12", Qt::CaseInsensitive) ||
           keyPath.endsWith(u".pfx", Qt::CaseInsensitive) || keyPath.endsWith(u".der", Qt::CaseInsensitive);
}

ExportResult JdbcUrlWriter::write(const settings::ConnInfo& info)
{
    ExportResult out;
    out.suggestedFileName = u"jdbc-url.txt"_s;
    auto value = [&info](QStringView keyword) { return info.value(keyword); };
    QStringList unsupported;

    // Hosts and ports.
    const QStringList hosts = value(u"host").value_or(QString()).split(u',');
    const QStringList hostaddrs = value(u"hostaddr").value_or(QString()).split(u',');
    const QStringList ports = value(u"port").value_or(QString()).split(u',');
    const qsizetype slots = std::max(hosts.size(), hostaddrs.size());
    QByteArray netloc;
    bool socketNoted = false;
    for (qsizetype i = 0; i < slots; ++i) {
        QString host = i < hosts.size() ? hosts[i] : QString();
        if (host.isEmpty() && i < hostaddrs.size())
            host = hostaddrs[i];
        if (host.startsWith(u'/') || host.startsWith(u'@')) {
            if (!socketNoted)
                out.notes << tr("pgJDBC connects over TCP only: the Unix socket %1 is written as localhost.")
                                 .arg(host);
            socketNoted = true;
            host = u"localhost"_s;
        }
        const QString port = ports.size() == 1 ? ports[0] : (i < ports.size() ? ports[i] : QString());
        if (i > 0)
            netloc += ',';
        if (host.isEmpty())
            netloc += "localhost";
        else if (looksLikeIpv6(host))
            netloc += '[' + encoded(host, ":") + ']';
        else
            netloc += encoded(host);
        if (!port.isEmpty())
            netloc += ':' + encoded(port);
    }
    if (info.contains(u"hostaddr")) {
        out.notes << tr("pgJDBC has no hostaddr: the URL uses the addresses where no host name is given, and "
                        "the host names otherwise.");
    }

    QByteArray url = "jdbc:postgresql://" + netloc + '/';
    if (const auto v = value(u"dbname"))
        url += encoded(*v);

    QList<QPair<QByteArray, QString>> query;
    auto add = [&query](const char* name, const QString& v) { query.append({QByteArray(name), v}); };
    if (const auto v = value(u"user"))
        add("user", *v);
    if (const auto v = value(u"password")) {
        add("password", *v);
        out.containsSecrets = true;
    }
    if (const auto v = value(u"service")) {
        add("service", *v);
        out.notes << tr("pgJDBC 42.3 and later read pg_service.conf themselves (PGSERVICEFILE, "
                        "~/.pg_service.conf, then PGSYSCONFDIR); older versions ignore service.");
    }
    // Written even when it is libpq's default (prefer): pgJDBC's default has changed between versions.
    const QString sslmode = value(u"sslmode").value_or(u"prefer"_s);
    add("sslmode", sslmode);
    if (const auto v = value(u"sslrootcert"); v && !v->isEmpty()) {
        if (*v == u"system") {
            add("sslfactory", u"org.postgresql.ssl.DefaultJavaSSLFactory"_s);
            out.notes << tr("sslrootcert=system: pgJDBC has no such value; the URL uses "
                            "DefaultJavaSSLFactory, which trusts Java's own CA store.");
        } else {
            add("sslrootcert", *v);
        }
    }
    if (const auto v = value(u"sslcert"); v && !v->isEmpty())
        add("sslcert", *v);
    if (const auto v = value(u"sslkey"); v && !v->isEmpty()) {
        if (keyUsableByPgJdbc(*v)) {
            add("sslkey", *v);
        } else {
            const QString pk8 = Pkcs8Converter::suggestedPath(*v);
            add("sslkey", pk8);
            out.notes
                << tr("pgJDBC reads the client key only as PKCS#8 DER (.pk8) or PKCS#12: the URL names "
                      "%1. Convert %2 into it first (the PKCS#8 button does it, or: openssl pkcs8 -topk8 "
                      "-outform DER -in KEY -out KEY.pk8 -nocrypt), and keep it at mode 0600.")
                       .arg(pk8, *v);
        }
    } else if (info.contains(u"sslcert")) {
        out.notes << tr("No sslkey: pgJDBC looks for ~/.postgresql/postgresql.pk8 (not postgresql.key).");
    }
    if (const auto v = value(u"sslpassword")) {
        add("sslpassword", *v);
        out.containsSecrets = true;
    }
    if (const auto v = value(u"connect_timeout"))
        add("connectTimeout", *v);
    if (const auto v = value(u"application_name"))
        add("ApplicationName", *v);
    if (const auto v = value(u"options"))
        add("options", *v);
    if (const auto v = value(u"keepalives"))
        add("tcpKeepAlive", *v == u"0" ? u"false"_s : u"true"_s);
    if (const auto v = value(u"gssencmode"))
        add("gssEncMode", *v);
    if (const auto v = value(u"krbsrvname"))
        add("kerberosServerName", *v);
    if (const auto v = value(u"load_balance_hosts"))
        add("loadBalanceHosts", *v == u"random" ? u"true"_s : u"false"_s);
    if (const auto v = value(u"target_session_attrs")) {
        static const QHash<QString, QString> kTargets = {
            {u"any"_s, u"any"_s},
            {u"primary"_s, u"primary"_s},
            {u"read-write"_s, u"primary"_s},
            {u"standby"_s, u"secondary"_s},
            {u"read-only"_s, u"secondary"_s},
            {u"prefer-standby"_s, u"preferSecondary"_s},
        };
        if (const auto it = kTargets.constFind(*v); it != kTargets.constEnd()) {
            add("targetServerType", *it);
            if (*v == u"read-write" || *v == u"read-only") {
                out.notes << tr("target_session_attrs=%1 is written as targetServerType=%2, which checks "
                                "whether the server is in recovery, not default_transaction_read_only.")
                                 .arg(*v, *it);
            }
        } else {
            unsupported << u"target_session_attrs"_s;
        }
    }

    if (!info.contains(u"sslrootcert") && (sslmode == u"verify-ca" || sslmode == u"verify-full"))
        out.notes << tr("No sslrootcert: pgJDBC, like libpq, reads ~/.postgresql/root.crt.");

    const QStringList notMapped = {u"servicefile"_s,
                                   u"passfile"_s,
                                   u"channel_binding"_s,
                                   u"require_auth"_s,
                                   u"sslcrl"_s,
                                   u"sslcrldir"_s,
                                   u"sslsni"_s,
                                   u"sslcertmode"_s,
                                   u"sslnegotiation"_s,
                                   u"sslcompression"_s,
                                   u"requirepeer"_s,
                                   u"ssl_min_protocol_version"_s,
                                   u"ssl_max_protocol_version"_s,
                                   u"client_encoding"_s,
                                   u"fallback_application_name"_s,
                                   u"keepalives_idle"_s,
                                   u"keepalives_interval"_s,
                                   u"keepalives_count"_s,
                                   u"tcp_user_timeout"_s,
                                   u"gsslib"_s,
                                   u"gssdelegation"_s,
                                   u"replication"_s};
    for (const QString& keyword : notMapped) {
        if (info.contains(keyword))
            unsupported << keyword;
    }
    if (!unsupported.isEmpty())
        out.notes
            << tr("Not in the URL (pgJDBC has no such setting, or names it differently by version): %1.")
                   .arg(unsupported.join(u", "_s));
    if (!info.contains(u"password"))
        out.notes << tr("No password in the URL: pgJDBC 42.3 and later read ~/.pgpass (or PGPASSFILE); with "
                        "older versions pass it to DriverManager.getConnection().");

    for (qsizetype i = 0; i < query.size(); ++i)
        url += (i == 0 ? '?' : '&') + query[i].first + '=' + encoded(query[i].second);
    out.bytes = url;
    return out;
}

} // namespace vf::interop
