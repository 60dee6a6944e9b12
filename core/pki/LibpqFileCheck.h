#pragma once

// Internal to vf_core: would libpq load these bytes? Runs, in memory, the same OpenSSL calls libpq's
// initialize_SSL() makes on the file (libpq-tls.md §4 steps 8-10 and 16), so the answer and the
// OpenSSL reason match what libpq prints.

#include <QByteArray>
#include <QString>

#include <optional>

namespace vf::pki::detail {

class LibpqFileCheck final
{
public:
    LibpqFileCheck() = delete;

    // sslrootcert and sslcrl: SSL_CTX_load_verify_locations / X509_STORE_load_locations, i.e.
    // X509_load_cert_crl_file(): PEM only, certificates and CRLs, at least one of them.
    // nullopt: loads; else the OpenSSL reason ("no certificate or crl found", "bad end line").
    static std::optional<QString> rootOrCrlFile(const QByteArray& data);

    // sslcert: SSL_CTX_use_certificate_chain_file(): PEM, the first certificate is the client's, the
    // following ones are sent as its chain; the security level applies ("ee key too small").
    static std::optional<QString> certificateFile(const QByteArray& data);

    // sslkey: SSL_use_PrivateKey_file() as PEM (with sslpassword), then as DER (ASN.1). The reason is
    // the PEM attempt's, as libpq reports it.
    static std::optional<QString> keyFile(const QByteArray& data, const QByteArray& passphrase);
};

} // namespace vf::pki::detail
