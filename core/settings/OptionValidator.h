#pragma once

#include "common/Error.h"
#include "settings/EffectiveSettings.h"
#include "settings/ValidatedOptions.h"

namespace vf::settings {

// Checks resolved settings the way pqConnectOptions2() (fe-connect.c, PG18) does before any network
// activity, in the same order, stopping at the first problem with libpq's exact message:
//  1. host/hostaddr/port lists: `could not match %d host names to %d hostaddr values`,
//     `could not match %d port numbers to %d hosts`
//  2. require_auth: `invalid require_auth value: "%s"`, `negative require_auth method "%s" cannot be
//     mixed with non-negative methods`, `require_auth method "%s" cannot be mixed with negative
//     methods`, `require_auth method "%s" is specified more than once`
//  3. channel_binding, 4. sslmode (`invalid %s value: "%s"`), 5. sslnegotiation and
//     `weak sslmode "%s" may not be used with sslnegotiation=direct (use "require", "verify-ca", or
//     "verify-full")`, 6. `weak sslmode "%s" may not be used with sslrootcert=system (use
//     "verify-full")`, 7. `invalid "ssl_min_protocol_version" value: "%s"` (and max),
//     `invalid SSL protocol version range`, 8. sslcertmode, 9. gssencmode and `gssencmode value
//     "require" invalid when GSSAPI support is not compiled in`, then target_session_attrs,
//     load_balance_hosts and min/max_protocol_version.
// The libpq being matched is built with OpenSSL 3 (so sslcertmode=require is supported) and, for
// this tool, without GSSAPI.
class OptionValidator final
{
public:
    static Result<ValidatedOptions> validate(const EffectiveSettings& settings);

    // Debian's DEFAULT_PGSOCKET_DIR: the host used when neither host nor hostaddr is set.
    static constexpr QStringView kDefaultSocketDir = u"/var/run/postgresql";
};

} // namespace vf::settings
