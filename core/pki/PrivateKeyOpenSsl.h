#pragma once

// Internal to vf_core: the bridge between vf::pki::PrivateKey and OpenSSL's EVP_PKEY.

#include "PrivateKey.h"
#include "common/OpenSsl.h"

namespace vf::pki {

class PrivateKeyPrivateAccess
{
public:
    // The key's EVP_PKEY (owned by the PrivateKey; valid while a copy of it lives). Null if null.
    static EVP_PKEY* evpPkey(const PrivateKey& key);
    // A PrivateKey taking over the reference held by pkey.
    static PrivateKey fromEvpPkey(ossl::EvpPkeyPtr pkey,
                                  PrivateKey::Format format = PrivateKey::Format::Unknown,
                                  Encoding encoding = Encoding::Unknown, bool wasEncrypted = false);
    // A PrivateKey sharing ownership of pkey (takes one reference with EVP_PKEY_up_ref).
    static PrivateKey fromEvpPkey(EVP_PKEY* pkey, PrivateKey::Format format = PrivateKey::Format::Unknown,
                                  Encoding encoding = Encoding::Unknown, bool wasEncrypted = false);
};

} // namespace vf::pki
