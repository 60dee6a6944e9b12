#include "PgAdminImport.h"

#include "InteropFiles.h"
#include "InteropLog.h"
#include "settings/ConnOptions.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

// pgAdmin's top-level keys that hold a libpq setting.
struct TopLevelKey
{
    QLatin1StringView json;
    QLatin1StringView keyword;
};
constexpr TopLevelKey kTopLevelKeys[] = {
    {"Host"_L1, "host"_L1},
    {"HostAddr"_L1, "hostaddr"_L1},
    {"Port"_L1, "port"_L1},
    {"MaintenanceDB"_L1, "dbname"_L1},
    {"Username"_L1, "user"_L1},
    {"SSLMode"_L1, "sslmode"_L1},
    {"SSLCert"_L1, "sslcert"_L1},
    {"SSLKey"_L1, "sslkey"_L1},
    {"SSLRootCert"_L1, "sslrootcert"_L1},
    {"SSLCrl"_L1, "sslcrl"_L1},
    {"SSLCompression"_L1, "sslcompression"_L1},
    {"PassFile"_L1, "passfile"_L1},
    {"Service"_L1, "service"_L1},
    {"Timeout"_L1, "connect_timeout"_L1},
};

constexpr QLatin1StringView kStoragePlaceholder = "<STORAGE_DIR>"_L1;

QString typeName(const QJsonValue& v)
{
    const char* context = "vf::interop::PgAdminImport";
    switch (v.type()) {
    case QJsonValue::Null:
        return QCoreApplication::translate(context, "null");
    case QJsonValue::Bool:
        return QCoreApplication::translate(context, "a boolean");
    case QJsonValue::Double:
        return QCoreApplication::translate(context, "a number");
    case QJsonValue::String:
        return QCoreApplication::translate(context, "a string");
    case QJsonValue::Array:
        return QCoreApplication::translate(context, "an array");
    case QJsonValue::Object:
        return QCoreApplication::translate(context, "an object");
    case QJsonValue::Undefined:
        break;
    }
    return QCoreApplication::translate(context, "nothing");
}

bool isTruthy(const QJsonValue& v)
{
    if (v.isBool())
        return v.toBool();
    if (v.isDouble())
        return v.toDouble() != 0;
    if (v.isString())
        return !v.toString().isEmpty() && v.toString() != u"0" &&
               v.toString().compare(u"false"_s, Qt::CaseInsensitive) != 0;
    return false;
}

// Reads one server; fills p or sets p.error.
class ServerReader
{
    Q_DECLARE_TR_FUNCTIONS(vf::interop::PgAdminImport)

public:
    ServerReader(const QString& id, const QJsonObject& object, ImportedProfile& p)
        : m_id(id)
        , m_object(object)
        , m_p(p)
    {}

    void read()
    {
        m_p.key = m_id;
        m_p.source = tr("pgAdmin server %1").arg(m_id);
        m_p.suggestedName = m_p.source;
        const auto name = stringField(u"Name"_s);
        const auto group = stringField(u"Group"_s);
        const auto comment = stringField(u"Comment"_s);
        if (m_p.error)
            return;
        if (name && !name->isEmpty())
            m_p.suggestedName = *name;
        m_p.group = group.value_or(QString());
        m_p.comment = comment.value_or(QString());
        if (!name || name->isEmpty())
            m_p.notes << tr("The server has no name in the file.");

        // Top-level settings (pgAdmin before 6.x, and the basic ones in every version).
        for (const TopLevelKey& key : kTopLevelKeys) {
            const QString jsonKey = key.json.toString();
            if (!m_object.contains(jsonKey))
                continue;
            std::optional<QString> value =
                scalarField(jsonKey, m_object.value(jsonKey), key.keyword == "port"_L1);
            if (m_p.error)
                return;
            if (value && !value->isEmpty())
                set(key.keyword.toString(), *value, jsonKey);
        }
        if (!m_p.conninfo.contains(u"user")) {
            if (const auto shared = stringField(u"SharedUsername"_s); shared && !shared->isEmpty())
                set(u"user"_s, *shared, u"SharedUsername"_s);
            if (m_p.error)
                return;
        }

        // ConnectionParameters (pgAdmin 6.x and later): libpq keywords as they are.
        if (m_object.contains(u"ConnectionParameters")) {
            const QJsonValue cp = m_object.value(u"ConnectionParameters");
            if (!cp.isObject() && !cp.isNull()) {
                fail(tr("\"ConnectionParameters\" must be an object, not %1").arg(typeName(cp)));
                return;
            }
            const QJsonObject params = cp.toObject();
            for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
                const QString keyword = it.key();
                const settings::ConnOptionInfo* option = settings::findConnOption(keyword);
                if (option == nullptr) {
                    m_p.notes << tr("Ignored \"%1\" in ConnectionParameters: libpq has no such keyword.")
                                     .arg(keyword.left(80));
                    continue;
                }
                std::optional<QString> value =
                    scalarField(u"ConnectionParameters."_s + keyword, it.value(), keyword == u"port");
                if (m_p.error)
                    return;
                if (!value || value->isEmpty())
                    continue;
                if (const auto previous = m_p.conninfo.value(keyword); previous && *previous != *value) {
                    m_p.notes << tr("%1 is given twice, at the top level and in ConnectionParameters, with "
                                    "different values; the ConnectionParameters value is used.")
                                     .arg(keyword);
                }
                set(keyword, *value, keyword);
                if (m_p.error)
                    return;
            }
        }

        notesForPgAdminFeatures();
        if (!m_p.conninfo.contains(u"host") && !m_p.conninfo.contains(u"hostaddr") &&
            !m_p.conninfo.contains(u"service")) {
            m_p.notes << tr("No host, address or service is given: libpq connects to the local Unix socket.");
        }
        if (m_p.hasSecrets())
            m_p.notes << tr("The file holds a password or another secret for this server.");
    }

private:
    void fail(const QString& what)
    {
        if (!m_p.error) {
            m_p.error = Error{u"interop.pgadmin-server"_s,
                              tr("server \"%1\": %2").arg(m_id, what),
                              tr("This server's entry does not have the form pgAdmin writes; it was not "
                                 "imported. The other servers are not affected."),
                              {}};
        }
    }

    std::optional<QString> stringField(const QString& key)
    {
        const QJsonValue v = m_object.value(key);
        if (v.isUndefined() || v.isNull())
            return std::nullopt;
        if (!v.isString()) {
            fail(tr("\"%1\" must be a string, not %2").arg(key, typeName(v)));
            return std::nullopt;
        }
        if (v.toString().size() > PgAdminImport::kMaxValueChars) {
            fail(tr("\"%1\" is too long").arg(key));
            return std::nullopt;
        }
        return v.toString();
    }

    // A string, a number or a boolean as libpq text; nullopt for null. Objects and arrays fail.
    std::optional<QString> scalarField(const QString& key, const QJsonValue& v, bool isPort)
    {
        switch (v.type()) {
        case QJsonValue::Null:
        case QJsonValue::Undefined:
            return std::nullopt;
        case QJsonValue::Bool:
            if (isPort)
                break;
            return v.toBool() ? u"1"_s : u"0"_s;
        case QJsonValue::Double: {
            const double d = v.toDouble();
            if (!std::isfinite(d))
                break;
            if (std::floor(d) == d && std::fabs(d) < 1e15)
                return QString::number(qint64(d));
            if (isPort)
                break;
            return QString::number(d, 'g', 17);
        }
        case QJsonValue::String: {
            const QString s = v.toString();
            if (s.size() > PgAdminImport::kMaxValueChars) {
                fail(tr("\"%1\" is too long").arg(key));
                return std::nullopt;
            }
            if (s.contains(QChar(u'\0'))) {
                fail(tr("\"%1\" contains a NUL character, which no libpq setting can hold").arg(key));
                return std::nullopt;
            }
            return s;
        }
        case QJsonValue::Array:
        case QJsonValue::Object:
            break;
        }
        fail(isPort ? tr("\"%1\" must be a port number, not %2").arg(key, typeName(v))
                    : tr("\"%1\" must be a string or a number, not %2").arg(key, typeName(v)));
        return std::nullopt;
    }

    void set(const QString& keyword, const QString& value, const QString& jsonKey)
    {
        if (!m_p.conninfo.setValue(keyword, value)) {
            fail(tr("\"%1\" cannot be stored").arg(jsonKey));
            return;
        }
        if (value.contains(kStoragePlaceholder)) {
            m_p.notes << tr("%1 contains pgAdmin's %2 placeholder (pgAdmin server mode): replace it with the "
                            "real directory.")
                             .arg(keyword, kStoragePlaceholder);
        }
    }

    void notesForPgAdminFeatures()
    {
        if (isTruthy(m_object.value(u"UseSSHTunnel"))) {
            const QString tunnel = m_object.value(u"TunnelHost").toString();
            m_p.notes
                << tr("pgAdmin reaches this server through an SSH tunnel (%1); libpq does not. Open the "
                      "tunnel yourself (ssh -L) and point host and port at its local end.")
                       .arg(tunnel.isEmpty() ? tr("no tunnel host given") : tunnel.left(200));
        }
        if (const QString role = m_object.value(u"Role").toString(); !role.isEmpty()) {
            m_p.notes << tr("pgAdmin switches to role \"%1\" after connecting (SET ROLE); libpq has no such "
                            "setting.")
                             .arg(role.left(200));
        }
        if (isTruthy(m_object.value(u"KerberosAuthentication"))) {
            m_p.notes << tr("pgAdmin uses Kerberos for this server; libpq uses it when the server asks for "
                            "GSSAPI (see gssencmode and krbsrvname).");
        }
        if (!m_object.value(u"PasswordExecCommand").toString().isEmpty()) {
            m_p.notes << tr("pgAdmin gets the password by running a command; libpq runs no commands. Keep "
                            "the password in ~/.pgpass or in the keychain.");
        }
        if (!m_object.value(u"PostConnectionSQL").toString().isEmpty())
            m_p.notes << tr("pgAdmin runs SQL after connecting; that is not part of a libpq profile.");
    }

    QString m_id;
    QJsonObject m_object;
    ImportedProfile& m_p;
};

Error fileError(const QString& code, const QString& message, const QString& explanation)
{
    return Error{code, message, explanation, {}};
}

} // namespace

Result<PgAdminExport> PgAdminImport::readFile(const QString& path)
{
    Result<QByteArray> data = InteropFiles::read(path, kMaxFileSize, InteropFiles::Kind::PgAdminExport);
    if (!data)
        return std::unexpected(data.error());
    return parse(*data);
}

Result<PgAdminExport> PgAdminImport::parse(const QByteArray& json)
{
    if (json.size() > kMaxFileSize) {
        return std::unexpected(fileError(u"interop.pgadmin-too-large"_s,
                                         tr("the pgAdmin export is too large (%1 bytes)").arg(json.size()),
                                         tr("A pgAdmin server export is small JSON; the limit is %1 MiB.")
                                             .arg(kMaxFileSize / (1024 * 1024))));
    }
    if (json.trimmed().isEmpty()) {
        return std::unexpected(fileError(u"interop.pgadmin-json"_s, tr("the file is empty"),
                                         tr("Export the servers again from pgAdmin (Tools → Import/Export "
                                            "Servers) and choose the JSON file it writes.")));
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return std::unexpected(fileError(
            u"interop.pgadmin-json"_s,
            tr("not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset),
            tr("pgAdmin writes its server export as JSON. This file is not JSON, or it was cut off or edited "
               "by hand.")));
    }
    const QString formatHelp = tr("A pgAdmin 4 server export is a JSON object with a \"Servers\" object that "
                                  "maps ids to servers: {\"Servers\": {\"1\": {\"Name\": …, \"Host\": …}}}.");
    if (!doc.isObject()) {
        return std::unexpected(
            fileError(u"interop.pgadmin-format"_s,
                      tr("the file is not a pgAdmin server export (no \"Servers\" object)"), formatHelp));
    }
    const QJsonValue serversValue = doc.object().value(u"Servers");
    if (!serversValue.isObject()) {
        return std::unexpected(
            fileError(u"interop.pgadmin-format"_s,
                      serversValue.isUndefined()
                          ? tr("the file is not a pgAdmin server export (no \"Servers\" object)")
                          : tr("\"Servers\" must be an object, not %1").arg(typeName(serversValue)),
                      formatHelp));
    }
    const QJsonObject servers = serversValue.toObject();
    if (servers.size() > kMaxServers) {
        return std::unexpected(
            fileError(u"interop.pgadmin-too-many-servers"_s,
                      tr("the file lists %n servers", nullptr, int(servers.size())),
                      tr("At most %n servers are imported from one file.", nullptr, kMaxServers)));
    }

    // pgAdmin numbers its servers "1", "2", … : keep that order ("10" after "9").
    QStringList ids = servers.keys();
    std::stable_sort(ids.begin(), ids.end(), [](const QString& a, const QString& b) {
        bool aNumeric = false;
        bool bNumeric = false;
        const qlonglong an = a.toLongLong(&aNumeric);
        const qlonglong bn = b.toLongLong(&bNumeric);
        if (aNumeric != bNumeric)
            return aNumeric;
        if (aNumeric && an != bn)
            return an < bn;
        return a < b;
    });

    PgAdminExport out;
    for (const QString& rawId : std::as_const(ids)) {
        const QString id = rawId.left(80);
        ImportedProfile p;
        const QJsonValue v = servers.value(rawId);
        if (!v.isObject()) {
            p.key = id;
            p.suggestedName = tr("pgAdmin server %1").arg(id);
            p.source = tr("pgAdmin server %1").arg(id);
            p.error = Error{u"interop.pgadmin-server"_s,
                            tr("server \"%1\": must be an object, not %2").arg(id, typeName(v)),
                            tr("This server's entry does not have the form pgAdmin writes; it was not "
                               "imported. The other servers are not affected."),
                            {}};
        } else {
            ServerReader(id, v.toObject(), p).read();
        }
        out.servers.append(std::move(p));
    }
    if (out.servers.isEmpty())
        out.notes << tr("The file lists no servers.");
    const auto bad = std::count_if(out.servers.cbegin(), out.servers.cend(),
                                   [](const ImportedProfile& p) { return !p.isValid(); });
    qCDebug(lcInterop) << "pgAdmin export:" << out.servers.size() << "servers," << bad << "unreadable";
    return out;
}

} // namespace vf::interop
