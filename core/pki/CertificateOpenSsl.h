#pragma once

// Internal to vf_core: the bridge between vf::pki::Certificate and OpenSSL's X509.

#include "Certificate.h"
#include "common/OpenSsl.h"

namespace vf::pki {

class CertificatePrivateAccess
{
public:
    // The certificate's X509 (owned by the Certificate; valid while a copy of it lives). Null if null.
    static X509* x509(const Certificate& cert);
    // A Certificate sharing ownership of x509 (takes one reference with X509_up_ref).
    static Certificate fromX509(X509* x509);
    // A Certificate taking over the reference held by x509.
    static Certificate fromX509(ossl::X509Ptr x509);
};

} // namespace vf::pki
