#pragma once

// Internal to vf_core: the bridge between vf::pki::Crl and OpenSSL's X509_CRL.

#include "Crl.h"
#include "common/OpenSsl.h"

namespace vf::pki {

class CrlPrivateAccess
{
public:
    // The CRL's X509_CRL (owned by the Crl; valid while a copy of it lives). Null if null.
    static X509_CRL* x509Crl(const Crl& crl);
    // A Crl sharing ownership of crl (takes one reference with X509_CRL_up_ref).
    static Crl fromX509Crl(X509_CRL* crl);
    // A Crl taking over the reference held by crl.
    static Crl fromX509Crl(ossl::X509CrlPtr crl);
};

} // namespace vf::pki
