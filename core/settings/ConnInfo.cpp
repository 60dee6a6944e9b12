#include "ConnInfo.h"

#include "ConnInfoParser.h"
#include "ConnOptions.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace vf::settings {

namespace {

const ConnOptionInfo& optionAt(qsizetype index)
{
    return connOptions()[size_t(index)];
}

qsizetype indexOf(QStringView keyword)
{
    const ConnOptionInfo* option = findConnOption(keyword);
    return option ? qsizetype(option - connOptions().data()) : -1;
}

// --- keyword/value writer -------------------------------------------------------------------------

// conninfo_parse() reads an unquoted value up to the next blank and treats a backslash as an escape
// and a leading quote as the start of a quoted value; anything else can stand as it is.
QByteArray keywordValueLiteral(const QByteArray& value)
{
    const bool needsQuotes = value.isEmpty() || std::any_of(value.cbegin(), value.cend(), [](char c) {
                                 return conninfo::isSpace(c) || c == '\'' || c == '\\';
                             });
    if (!needsQuotes)
        return value;
    QByteArray out;
    out.reserve(value.size() + 2);
    out += '\'';
    for (char c : value) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    out += '\'';
    return out;
}

// --- URI writer -----------------------------------------------------------------------------------

// Percent-encodes every byte outside RFC 3986's unreserved set (and outside keep), which is what
// QByteArray::toPercentEncoding() does. Blanks become %20, so libpq 17+'s trimming of raw blanks never
// applies.
QByteArray percentEncoded(QByteArrayView bytes, QByteArrayView keep = {})
{
    return bytes.toByteArray().toPercentEncoding(keep.toByteArray());
}

// A host written as a bracketed IPv6 literal: hex digits, ':' and '.' (an embedded IPv4 address).
bool looksLikeIpv6(QByteArrayView host)
{
    return host.contains(':') && std::all_of(host.begin(), host.end(), [](char c) {
               return c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                      (c >= 'A' && c <= 'F');
           });
}

// The netloc part of a URI ("h1:p1,h2:p2"), or nullopt when libpq would not read it back as exactly
// these host and port values; those then go into query parameters. conninfo_uri_parse_options()
// joins the host of every netloc with commas and the port of every netloc with commas (one comma per
// separator even without ports), and stores either string only when it is not empty.
std::optional<QByteArray> netloc(const QByteArray* host, const QByteArray* port)
{
    if (host && host->isEmpty())
        return std::nullopt; // an empty host part is never stored
    const QList<QByteArray> hosts = host ? host->split(',') : QList<QByteArray>{QByteArray()};
    QList<QByteArray> ports;
    if (port) {
        if (port->isEmpty())
            return std::nullopt; // an empty port part is never stored
        ports = port->split(',');
        if (ports.size() != hosts.size())
            return std::nullopt;
    } else if (hosts.size() > 1) {
        return std::nullopt; // "a,b" alone would set port=","
    }

    QByteArray out;
    for (qsizetype i = 0; i < hosts.size(); ++i) {
        if (i > 0)
            out += ',';
        const QByteArray& h = hosts[i];
        if (looksLikeIpv6(h))
            out += '[' + percentEncoded(h, ":") + ']';
        else
            out += percentEncoded(h);
        if (port && !ports[i].isEmpty())
            out += ':' + percentEncoded(ports[i]);
    }
    return out;
}

} // namespace

Result<ConnInfo> ConnInfo::parse(QStringView text)
{
    return parseBytes(text.toUtf8());
}

Result<ConnInfo> ConnInfo::parseBytes(QByteArrayView text)
{
    Result<conninfo::OptionValues> values = conninfo::parse(text);
    if (!values)
        return std::unexpected(std::move(values.error()));

    ConnInfo info;
    info.m_syntax = conninfo::isUri(text) ? ConnInfoSyntax::Uri : ConnInfoSyntax::KeywordValue;
    for (qsizetype i = 0; i < values->size(); ++i) {
        if ((*values)[i])
            info.m_entries.append(Entry{i, std::move(*(*values)[i])});
    }
    return info;
}

QList<ConnParam> ConnInfo::params() const
{
    QList<ConnParam> out;
    out.reserve(m_entries.size());
    for (const Entry& e : m_entries)
        out.append(ConnParam{optionAt(e.option).keywordString(), QString::fromUtf8(e.value)});
    return out;
}

const QByteArray* ConnInfo::find(QStringView keyword) const
{
    const qsizetype index = indexOf(keyword);
    for (const Entry& e : m_entries) {
        if (e.option == index)
            return &e.value;
    }
    return nullptr;
}

std::optional<QString> ConnInfo::value(QStringView keyword) const
{
    if (const QByteArray* v = find(keyword))
        return QString::fromUtf8(*v);
    return std::nullopt;
}

std::optional<QByteArray> ConnInfo::valueBytes(QStringView keyword) const
{
    if (const QByteArray* v = find(keyword))
        return *v;
    return std::nullopt;
}

bool ConnInfo::hasNonUtf8Value() const
{
    return std::any_of(m_entries.cbegin(), m_entries.cend(),
                       [](const Entry& e) { return !e.value.isValidUtf8(); });
}

void ConnInfo::store(qsizetype option, QByteArray value)
{
    auto it = std::lower_bound(m_entries.begin(), m_entries.end(), option,
                               [](const Entry& e, qsizetype o) { return e.option < o; });
    if (it != m_entries.end() && it->option == option)
        it->value = std::move(value);
    else
        m_entries.insert(it, Entry{option, std::move(value)});
}

bool ConnInfo::setValue(const QString& keyword, const QString& value)
{
    return setValueBytes(keyword, value.toUtf8());
}

bool ConnInfo::setValueBytes(const QString& keyword, const QByteArray& value)
{
    const qsizetype index = indexOf(keyword);
    if (index < 0 || value.contains('\0'))
        return false;
    store(index, value);
    return true;
}

void ConnInfo::remove(QStringView keyword)
{
    const qsizetype index = indexOf(keyword);
    m_entries.removeIf([index](const Entry& e) { return e.option == index; });
}

QByteArray ConnInfo::toKeywordValueBytes(bool includeSecrets) const
{
    QByteArray out;
    for (const Entry& e : m_entries) {
        const ConnOptionInfo& option = optionAt(e.option);
        if (option.isSecret() && !includeSecrets)
            continue;
        if (!out.isEmpty())
            out += ' ';
        out += QByteArrayView(option.keyword) + '=' + keywordValueLiteral(e.value);
    }
    return out;
}

QString ConnInfo::toKeywordValue(bool includeSecrets) const
{
    return QString::fromUtf8(toKeywordValueBytes(includeSecrets));
}

QString ConnInfo::toUri(bool includeSecrets) const
{
    auto get = [this, includeSecrets](QStringView keyword) -> const QByteArray* {
        const QByteArray* v = find(keyword);
        if (v && !includeSecrets && findConnOption(keyword)->isSecret())
            return nullptr;
        return v;
    };
    const QByteArray* user = get(u"user");
    const QByteArray* password = get(u"password");
    const QByteArray* host = get(u"host");
    const QByteArray* port = get(u"port");
    const QByteArray* dbname = get(u"dbname");

    // The URI parts libpq stores only when they are not empty; an empty value goes into the query.
    const bool userInAuthority = user && !user->isEmpty();
    const bool passwordInAuthority = password && !password->isEmpty();
    const std::optional<QByteArray> hostsAndPorts = (host || port) ? netloc(host, port) : QByteArray();
    const bool dbnameInPath = dbname && !dbname->isEmpty();

    QByteArray out = "postgresql://";
    if (userInAuthority || passwordInAuthority) {
        if (userInAuthority)
            out += percentEncoded(*user);
        if (passwordInAuthority)
            out += ':' + percentEncoded(*password);
        out += '@';
    }
    if (hostsAndPorts)
        out += *hostsAndPorts;
    if (dbnameInPath)
        out += '/' + percentEncoded(*dbname);

    QByteArray query;
    for (const Entry& e : m_entries) {
        const ConnOptionInfo& option = optionAt(e.option);
        if (option.isSecret() && !includeSecrets)
            continue;
        const QByteArrayView keyword(option.keyword);
        if ((keyword == "user" && userInAuthority) || (keyword == "password" && passwordInAuthority) ||
            ((keyword == "host" || keyword == "port") && hostsAndPorts) ||
            (keyword == "dbname" && dbnameInPath))
            continue;
        query += (query.isEmpty() ? '?' : '&') + keyword.toByteArray() + '=' + percentEncoded(e.value);
    }
    out += query;
    return QString::fromLatin1(out);
}

} // namespace vf::settings
