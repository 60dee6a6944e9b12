#include "ConnOptions.h"

#include <array>

namespace vf::settings {

namespace {
// keyword, env var, compiled default, dispchar, since, group
constexpr std::array kOptions{
    ConnOptionInfo{"service", "PGSERVICE", nullptr, "", 9, "connection"},
    ConnOptionInfo{"servicefile", "PGSERVICEFILE", nullptr, "", 18, "connection"},
    ConnOptionInfo{"user", "PGUSER", nullptr, "", 7, "connection"},
    ConnOptionInfo{"password", "PGPASSWORD", nullptr, "*", 7, "connection"},
    ConnOptionInfo{"passfile", "PGPASSFILE", nullptr, "", 10, "connection"},
    ConnOptionInfo{"channel_binding", "PGCHANNELBINDING", "prefer", "", 13, "auth"},
    ConnOptionInfo{"connect_timeout", "PGCONNECT_TIMEOUT", nullptr, "", 7, "connection"},
    ConnOptionInfo{"dbname", "PGDATABASE", nullptr, "", 7, "connection"},
    ConnOptionInfo{"host", "PGHOST", nullptr, "", 7, "connection"},
    ConnOptionInfo{"hostaddr", "PGHOSTADDR", nullptr, "", 7, "connection"},
    ConnOptionInfo{"port", "PGPORT", "5432", "", 7, "connection"},
    ConnOptionInfo{"client_encoding", "PGCLIENTENCODING", nullptr, "", 9, "advanced"},
    ConnOptionInfo{"options", "PGOPTIONS", "", "", 7, "advanced"},
    ConnOptionInfo{"application_name", "PGAPPNAME", nullptr, "", 9, "connection"},
    ConnOptionInfo{"fallback_application_name", nullptr, nullptr, "", 9, "advanced"},
    ConnOptionInfo{"keepalives", nullptr, nullptr, "", 9, "advanced"},
    ConnOptionInfo{"keepalives_idle", nullptr, nullptr, "", 9, "advanced"},
    ConnOptionInfo{"keepalives_interval", nullptr, nullptr, "", 9, "advanced"},
    ConnOptionInfo{"keepalives_count", nullptr, nullptr, "", 9, "advanced"},
    ConnOptionInfo{"tcp_user_timeout", nullptr, nullptr, "", 12, "advanced"},
    ConnOptionInfo{"sslmode", "PGSSLMODE", "prefer", "", 7, "ssl"},
    ConnOptionInfo{"sslnegotiation", "PGSSLNEGOTIATION", "postgres", "", 17, "ssl"},
    ConnOptionInfo{"sslcompression", "PGSSLCOMPRESSION", "0", "", 9, "ssl"},
    ConnOptionInfo{"sslcert", "PGSSLCERT", nullptr, "", 8, "ssl"},
    ConnOptionInfo{"sslkey", "PGSSLKEY", nullptr, "", 8, "ssl"},
    ConnOptionInfo{"sslcertmode", "PGSSLCERTMODE", "allow", "", 16, "ssl"},
    ConnOptionInfo{"sslpassword", nullptr, nullptr, "*", 13, "ssl"},
    ConnOptionInfo{"sslrootcert", "PGSSLROOTCERT", nullptr, "", 8, "ssl"},
    ConnOptionInfo{"sslcrl", "PGSSLCRL", nullptr, "", 8, "ssl"},
    ConnOptionInfo{"sslcrldir", "PGSSLCRLDIR", nullptr, "", 14, "ssl"},
    ConnOptionInfo{"sslsni", "PGSSLSNI", "1", "", 14, "ssl"},
    ConnOptionInfo{"requirepeer", "PGREQUIREPEER", nullptr, "", 9, "advanced"},
    ConnOptionInfo{"ssl_min_protocol_version", "PGSSLMINPROTOCOLVERSION", "TLSv1.2", "", 13, "ssl"},
    ConnOptionInfo{"ssl_max_protocol_version", "PGSSLMAXPROTOCOLVERSION", nullptr, "", 13, "ssl"},
    ConnOptionInfo{"min_protocol_version", "PGMINPROTOCOLVERSION", nullptr, "", 18, "advanced"},
    ConnOptionInfo{"max_protocol_version", "PGMAXPROTOCOLVERSION", nullptr, "", 18, "advanced"},
    ConnOptionInfo{"gssencmode", "PGGSSENCMODE", "prefer", "", 12, "auth"},
    ConnOptionInfo{"krbsrvname", "PGKRBSRVNAME", "postgres", "", 7, "auth"},
    ConnOptionInfo{"gsslib", "PGGSSLIB", nullptr, "", 9, "auth"},
    ConnOptionInfo{"gssdelegation", "PGGSSDELEGATION", "0", "", 16, "auth"},
    ConnOptionInfo{"replication", nullptr, nullptr, "D", 9, "advanced"},
    ConnOptionInfo{"target_session_attrs", "PGTARGETSESSIONATTRS", "any", "", 10, "advanced"},
    ConnOptionInfo{"load_balance_hosts", "PGLOADBALANCEHOSTS", "disable", "", 16, "advanced"},
    ConnOptionInfo{"require_auth", "PGREQUIREAUTH", nullptr, "", 16, "auth"},
    ConnOptionInfo{"sslkeylogfile", nullptr, nullptr, "D", 18, "ssl"},
    ConnOptionInfo{"scram_client_key", nullptr, nullptr, "D", 18, "auth"},
    ConnOptionInfo{"scram_server_key", nullptr, nullptr, "D", 18, "auth"},
    ConnOptionInfo{"oauth_issuer", nullptr, nullptr, "", 18, "auth"},
    ConnOptionInfo{"oauth_client_id", nullptr, nullptr, "", 18, "auth"},
    ConnOptionInfo{"oauth_client_secret", nullptr, nullptr, "*", 18, "auth"},
    ConnOptionInfo{"oauth_scope", nullptr, nullptr, "", 18, "auth"},
};
} // namespace

std::span<const ConnOptionInfo> connOptions()
{
    return kOptions;
}

const ConnOptionInfo* findConnOption(QStringView keyword)
{
    for (const ConnOptionInfo& o : kOptions) {
        if (keyword == QLatin1StringView(o.keyword))
            return &o;
    }
    return nullptr;
}

} // namespace vf::settings
