#include "OptionValidator.h"

#include <QCoreApplication>
#include <QStringList>

#include <array>
#include <cstdint>

using namespace Qt::StringLiterals;

namespace vf::settings {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::settings::OptionValidator)
};

// count_comma_separated_elems()
int countElements(const QString& list)
{
    return static_cast<int>(list.count(u',')) + 1;
}

// is_unixsock_path() (PG15+): an absolute path or an abstract socket name.
bool isUnixSocketPath(const QString& host)
{
    return host.startsWith(u'/') || host.startsWith(u'@');
}

// "(sslmode is "x", from PGSSLMODE)"
QString where(const EffectiveSettings& s, QStringView keyword)
{
    const EffectiveValue* v = s.find(keyword);
    if (v == nullptr)
        return {};
    return Tr::tr(" (%1 is \"%2\", %3)")
        .arg(keyword.toString(), v->displayValue(), v->origin.detailedLabel());
}

vf::Error invalidValue(const EffectiveSettings& s, QStringView keyword, const QString& value,
                       const QString& allowed)
{
    return vf::Error{u"settings.invalid-"_s + keyword.toString().replace(u'_', u'-'),
                     u"invalid %1 value: \"%2\""_s.arg(keyword.toString(), value),
                     QCoreApplication::translate(
                         "vf::settings::OptionValidator",
                         "libpq does not accept this value%1. Allowed values: %2 (exact, lower case).")
                         .arg(where(s, keyword), allowed),
                     {}};
}

// The authentication request bits pqConnectOptions2() tracks for require_auth (AUTH_REQ_* numbers).
enum AuthBit : std::uint32_t
{
    kPassword = 1u << 3,
    kMd5 = 1u << 5,
    kGss = 1u << 7,
    kGssCont = 1u << 8,
    kSspi = 1u << 9,
};

Result<RequireAuth> parseRequireAuth(const EffectiveSettings& s, const QString& text)
{
    RequireAuth result;
    result.set = true;
    bool authRequired = true;      // conn->auth_required
    std::uint32_t allowedBits = 0; // conn->allowed_auth_methods (non-SASL part)
    std::array<bool, 2> sasl{};    // conn->allowed_sasl_mechs: scram-sha-256, oauth
    bool negated = false;

    const QStringList parts = text.split(u',');
    for (qsizetype i = 0; i < parts.size(); ++i) {
        const QString& part = parts.at(i);
        QString method = part;
        if (method.startsWith(u'!')) {
            if (i == 0) {
                authRequired = false;
                allowedBits = ~std::uint32_t{0};
                sasl = {true, true};
            } else if (!negated) {
                return makeError(
                    u"settings.require-auth-mixed"_s,
                    u"negative require_auth method \"%1\" cannot be mixed with non-negative "
                    "methods"_s.arg(method),
                    Tr::tr("require_auth is either a list of methods to allow (scram-sha-256,md5) or a list "
                           "of methods to forbid, each with \"!\" (!password,!md5), never both%1.")
                        .arg(where(s, u"require_auth")));
            }
            negated = true;
            method.remove(0, 1);
        } else if (negated) {
            return makeError(
                u"settings.require-auth-mixed"_s,
                u"require_auth method \"%1\" cannot be mixed with negative methods"_s.arg(method),
                Tr::tr("Once the first require_auth method starts with \"!\", every method must: the list "
                       "says which methods to forbid%1.")
                    .arg(where(s, u"require_auth")));
        }

        bool duplicate = false;
        std::uint32_t bits = 0;
        int mech = -1;
        if (method == u"password")
            bits = kPassword;
        else if (method == u"md5")
            bits = kMd5;
        else if (method == u"gss")
            bits = kGss | kGssCont;
        else if (method == u"sspi")
            bits = kSspi | kGssCont;
        else if (method == u"scram-sha-256")
            mech = 0;
        else if (method == u"oauth")
            mech = 1;
        else if (method == u"none") {
            if (negated) {
                duplicate = authRequired;
                authRequired = true;
            } else {
                duplicate = !authRequired;
                authRequired = false;
            }
        } else {
            return makeError(u"settings.invalid-require-auth"_s,
                             u"invalid %1 value: \"%2\""_s.arg(u"require_auth"_s, method),
                             Tr::tr("require_auth is a comma-separated list of password, md5, gss, sspi, "
                                    "scram-sha-256, oauth and none, optionally all prefixed with \"!\"%1.")
                                 .arg(where(s, u"require_auth")));
        }

        if (mech >= 0) {
            const auto index = static_cast<std::size_t>(mech);
            duplicate = negated ? !sasl[index] : sasl[index];
            sasl[index] = !negated;
        } else if (bits != 0) {
            if (negated) {
                duplicate = (allowedBits & bits) == 0;
                allowedBits &= ~bits;
            } else {
                duplicate = (allowedBits & bits) == bits;
                allowedBits |= bits;
            }
        }
        if (duplicate) {
            return makeError(u"settings.require-auth-duplicate"_s,
                             u"require_auth method \"%1\" is specified more than once"_s.arg(part),
                             Tr::tr("libpq refuses a repeated require_auth method because it usually hides a "
                                    "typo. List each method once%1.")
                                 .arg(where(s, u"require_auth")));
        }
        result.methods.append(method);
    }
    result.negated = negated;
    return result;
}

bool isTlsVersion(const QString& v)
{
    for (QStringView known : {u"TLSv1", u"TLSv1.1", u"TLSv1.2", u"TLSv1.3"}) {
        if (v.compare(known, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

// sslVerifyProtocolRange()
bool isValidTlsRange(const QString& min, const QString& max)
{
    if (min.isEmpty() || max.isEmpty())
        return true;
    if (min.compare(u"TLSv1", Qt::CaseInsensitive) == 0)
        return true;
    if (max.compare(u"TLSv1", Qt::CaseInsensitive) == 0)
        return false;
    // pg_strcasecmp() of "tlsv1.x" strings: compare lower-cased.
    return min.toLower().compare(max.toLower()) <= 0;
}

Result<void> checkOneOf(const EffectiveSettings& s, QStringView keyword, const std::optional<QString>& value,
                        std::initializer_list<QStringView> allowed)
{
    if (!value)
        return {};
    for (QStringView a : allowed) {
        if (*value == a)
            return {};
    }
    QStringList names;
    for (QStringView a : allowed)
        names.append(a.toString());
    return std::unexpected(invalidValue(s, keyword, *value, names.join(u", ")));
}

Result<QList<HostEntry>> buildHosts(const EffectiveSettings& s)
{
    const QString host = s.valueOr(u"host");
    const QString hostaddr = s.valueOr(u"hostaddr");
    const QString port = s.valueOr(u"port");

    int count = 1;
    if (!hostaddr.isEmpty())
        count = countElements(hostaddr);
    else if (!host.isEmpty())
        count = countElements(host);
    QList<HostEntry> hosts(count);

    if (!hostaddr.isEmpty()) {
        const QStringList addrs = hostaddr.split(u',');
        for (int i = 0; i < count; ++i)
            hosts[i].hostaddr = addrs.at(i);
    }
    if (!host.isEmpty()) {
        const QStringList names = host.split(u',');
        if (names.size() != count) {
            return makeError(u"settings.host-count-mismatch"_s,
                             u"could not match %1 host names to %2 hostaddr values"_s.arg(
                                 QString::number(names.size()), QString::number(count)),
                             Tr::tr("host and hostaddr are parallel lists: give exactly one host name per "
                                    "hostaddr entry, in the same order (host%1; hostaddr%2).")
                                 .arg(where(s, u"host"), where(s, u"hostaddr")));
        }
        for (int i = 0; i < count; ++i)
            hosts[i].host = names.at(i);
    }
    for (HostEntry& h : hosts) {
        if (!h.hostaddr.isEmpty()) {
            h.type = HostEntry::Type::Address;
        } else if (!h.host.isEmpty()) {
            h.type = isUnixSocketPath(h.host) ? HostEntry::Type::UnixSocket : HostEntry::Type::Name;
        } else {
            h.host = OptionValidator::kDefaultSocketDir.toString();
            h.type = HostEntry::Type::UnixSocket;
            h.defaultHost = true;
        }
    }

    if (!port.isEmpty()) {
        const QStringList ports = port.split(u',');
        if (ports.size() == 1) {
            for (HostEntry& h : hosts)
                h.port = ports.first();
        } else if (ports.size() != count) {
            return makeError(
                u"settings.port-count-mismatch"_s,
                u"could not match %1 port numbers to %2 hosts"_s.arg(QString::number(ports.size()),
                                                                     QString::number(count)),
                Tr::tr(
                    "Give either one port for all hosts or exactly one port per host, in the same order%1.")
                    .arg(where(s, u"port")));
        } else {
            for (int i = 0; i < count; ++i)
                hosts[i].port = ports.at(i);
        }
    }
    return hosts;
}

} // namespace

Result<ValidatedOptions> OptionValidator::validate(const EffectiveSettings& s)
{
    ValidatedOptions out;

    auto hosts = buildHosts(s);
    if (!hosts)
        return std::unexpected(hosts.error());
    out.hosts = std::move(*hosts);

    if (const QString requireAuth = s.valueOr(u"require_auth"); !requireAuth.isEmpty()) {
        auto parsed = parseRequireAuth(s, requireAuth);
        if (!parsed)
            return std::unexpected(parsed.error());
        out.requireAuth = std::move(*parsed);
    }

    const std::optional<QString> channelBinding = s.value(u"channel_binding");
    if (auto r = checkOneOf(s, u"channel_binding", channelBinding, {u"disable", u"prefer", u"require"}); !r)
        return std::unexpected(r.error());
    out.channelBinding = channelBinding.value_or(u"prefer"_s);

    const std::optional<QString> sslmode = s.value(u"sslmode");
    if (auto r = checkOneOf(s, u"sslmode", sslmode,
                            {u"disable", u"allow", u"prefer", u"require", u"verify-ca", u"verify-full"});
        !r)
        return std::unexpected(r.error());
    out.sslmode = sslmode.value_or(u"prefer"_s);

    const std::optional<QString> negotiation = s.value(u"sslnegotiation");
    if (negotiation) {
        if (auto r = checkOneOf(s, u"sslnegotiation", negotiation, {u"postgres", u"direct"}); !r)
            return std::unexpected(r.error());
        if (*negotiation == u"direct" && !out.sslmode.startsWith(u'r') && !out.sslmode.startsWith(u'v')) {
            return makeError(
                u"settings.weak-sslmode-direct"_s,
                u"weak sslmode \"%1\" may not be used with sslnegotiation=direct (use \"require\", "
                "\"verify-ca\", or \"verify-full\")"_s.arg(out.sslmode),
                Tr::tr("Direct TLS would silently fall back to plaintext on servers older than 17 with this "
                       "sslmode, so libpq refuses it. Set sslmode=verify-full (or require), or remove "
                       "sslnegotiation=direct%1.")
                    .arg(where(s, u"sslmode")));
        }
    }
    out.sslnegotiation = negotiation.value_or(u"postgres"_s);

    out.systemRoots = s.value(u"sslrootcert") == u"system"_s;
    if (out.systemRoots && out.sslmode != u"verify-full") {
        return makeError(
            u"settings.weak-sslmode-system-roots"_s,
            u"weak sslmode \"%1\" may not be used with sslrootcert=system (use \"verify-full\")"_s.arg(
                out.sslmode),
            Tr::tr("The system's trusted roots vouch for any public host name, so they are only safe when "
                   "the host name is checked too. Set sslmode=verify-full, or point sslrootcert at your own "
                   "CA file%1.")
                .arg(where(s, u"sslmode")));
    }

    for (QStringView keyword : {u"ssl_min_protocol_version", u"ssl_max_protocol_version"}) {
        const QString v = s.valueOr(keyword);
        if (!v.isEmpty() && !isTlsVersion(v)) {
            return makeError(u"settings.invalid-"_s + keyword.toString().replace(u'_', u'-'),
                             u"invalid \"%1\" value: \"%2\""_s.arg(keyword.toString(), v),
                             Tr::tr("Allowed values are TLSv1, TLSv1.1, TLSv1.2 and TLSv1.3 (any case), or "
                                    "empty for no bound%1.")
                                 .arg(where(s, keyword)));
        }
    }
    out.sslMinProtocolVersion = s.valueOr(u"ssl_min_protocol_version");
    out.sslMaxProtocolVersion = s.valueOr(u"ssl_max_protocol_version");
    if (!isValidTlsRange(out.sslMinProtocolVersion, out.sslMaxProtocolVersion)) {
        return makeError(u"settings.invalid-ssl-protocol-range"_s, u"invalid SSL protocol version range"_s,
                         Tr::tr("ssl_min_protocol_version (%1) is newer than ssl_max_protocol_version (%2), "
                                "so no TLS version is left. Raise the maximum or lower the minimum.")
                             .arg(out.sslMinProtocolVersion, out.sslMaxProtocolVersion));
    }

    const std::optional<QString> certMode = s.value(u"sslcertmode");
    if (auto r = checkOneOf(s, u"sslcertmode", certMode, {u"disable", u"allow", u"require"}); !r)
        return std::unexpected(r.error());
    out.sslcertmode = certMode.value_or(u"allow"_s);

    const std::optional<QString> gssMode = s.value(u"gssencmode");
    if (auto r = checkOneOf(s, u"gssencmode", gssMode, {u"disable", u"prefer", u"require"}); !r)
        return std::unexpected(r.error());
    if (gssMode == u"require"_s) {
        return makeError(u"settings.gssencmode-unsupported"_s,
                         u"gssencmode value \"require\" invalid when GSSAPI support is not compiled in"_s,
                         Tr::tr("VerifyFull tests TLS only and has no GSSAPI (Kerberos) encryption. Use "
                                "gssencmode=disable or prefer%1.")
                             .arg(where(s, u"gssencmode")));
    }
    out.gssencmode = gssMode.value_or(u"prefer"_s);

    if (auto r = checkOneOf(s, u"target_session_attrs", s.value(u"target_session_attrs"),
                            {u"any", u"read-write", u"read-only", u"primary", u"standby", u"prefer-standby"});
        !r)
        return std::unexpected(r.error());
    if (auto r =
            checkOneOf(s, u"load_balance_hosts", s.value(u"load_balance_hosts"), {u"disable", u"random"});
        !r)
        return std::unexpected(r.error());

    // pqParseProtocolVersion() (PG18): "latest", "3.0" or "3.2".
    auto protocolVersion = [](const std::optional<QString>& v, int fallback) -> std::optional<int> {
        if (!v)
            return fallback;
        if (*v == u"latest" || *v == u"3.2")
            return 2;
        if (*v == u"3.0")
            return 0;
        return std::nullopt;
    };
    const std::optional<QString> minProto = s.value(u"min_protocol_version");
    const std::optional<QString> maxProto = s.value(u"max_protocol_version");
    const std::optional<int> minMinor = protocolVersion(minProto, 0);
    if (!minMinor)
        return std::unexpected(invalidValue(s, u"min_protocol_version", *minProto, u"latest, 3.0, 3.2"_s));
    const std::optional<int> maxMinor = protocolVersion(maxProto, *minMinor > 0 ? 2 : 0);
    if (!maxMinor)
        return std::unexpected(invalidValue(s, u"max_protocol_version", *maxProto, u"latest, 3.0, 3.2"_s));
    if (*minMinor > *maxMinor) {
        return makeError(u"settings.protocol-version-range"_s,
                         u"\"min_protocol_version\" is greater than \"max_protocol_version\""_s,
                         Tr::tr("No protocol version is left between the minimum and the maximum. Raise "
                                "max_protocol_version or lower min_protocol_version."));
    }

    return out;
}

} // namespace vf::settings
