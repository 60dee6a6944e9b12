#pragma once

#include "Certificate.h"
#include "common/Error.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace vf::pki {

// One name a server certificate holds, as libpq's host-name check sees it.
struct CertificateName
{
    enum class Source
    {
        DnsSan,     // subjectAltName dNSName
        IpSan,      // subjectAltName iPAddress
        CommonName, // the first CN of the subject
    };
    Source source = Source::DnsSan;
    QString value;         // "db.example.com", "192.0.2.1", "2001:db8::1"; bytes that are not printable
                           // ASCII are shown as \xNN (an embedded NUL as \x00)
    QByteArray raw;        // the bytes in the certificate (IA5/CN string bytes, IP octets)
    bool examined = false; // libpq compared the host with this name
    bool matched = false;

    friend bool operator==(const CertificateName&, const CertificateName&) = default;
};

// The result of libpq's verify-full host-name check (spec §5.3).
struct HostNameMatch
{
    enum class Outcome
    {
        Matched,
        Mismatch, // no name matched: libpq's "does not match" / "could not get … host name" message
        Error,    // libpq stopped with an error (empty host, embedded NUL, bad IP length)
    };

    Outcome outcome = Outcome::Mismatch;
    QString host;                   // as given
    bool hostIsIpAddress = false;   // libpq's is_ip_address(): inet_aton() or inet_pton(AF_INET6)
    QString message;                // libpq's exact message; empty when matched
    QList<CertificateName> names;   // every dNSName and iPAddress SAN in certificate order, then the CN
    int matchedIndex = -1;          // index into names of the name that matched, -1 if none
    int namesExamined = 0;          // libpq's names_examined
    QString firstName;              // libpq's first_name (quoted in the mismatch message)
    bool commonNameIgnored = false; // a CN exists but libpq did not compare it

    bool isMatched() const { return outcome == Outcome::Matched; }
    const CertificateName* matchedName() const;
    // Plain language: "The certificate names db.internal and 10.0.0.5; you connected to
    // db.example.com: …" with the reason and the fix.
    QString explanation() const;
    // Codes: pki.hostname-mismatch, pki.hostname-no-names, pki.hostname-missing-host,
    // pki.hostname-embedded-null, pki.hostname-bad-ip-length. Only meaningful when not matched.
    Error toError() const;
};

// libpq's pq_verify_peer_name_matches_certificate() + pgtls_verify_peer_name_matches_certificate_guts()
// (fe-secure-common.c, fe-secure-openssl.c), reproduced exactly; OpenSSL's X509_check_host() is not
// used. Only sslmode=verify-full runs it; the caller decides that.
class HostNameMatcher final
{
public:
    // The host is compared as libpq's C string: UTF-8, ending at an embedded NUL if any.
    static HostNameMatch match(const Certificate& certificate, const QString& host);

    // libpq's is_ip_address(): glibc inet_aton() (192.000.002.001, 3221225985, 0xc0.0.2.1, and even
    // "192.0.2.1 trailing" count) or inet_pton(AF_INET6).
    static bool isIpAddress(const QString& host);
    // pg_strcasecmp(name, host) == 0 || wildcard_certificate_match(name, host).
    static bool nameMatches(QByteArrayView name, QByteArrayView host);
    // wildcard_certificate_match(): "*." + suffix, the star standing for exactly one label.
    static bool wildcardMatches(QByteArrayView pattern, QByteArrayView host);
    // pg_inet_net_ntop() of 4 or 16 octets ("192.0.2.1", "2001:db8::1"); empty for other lengths.
    static QString ipToString(QByteArrayView octets);

    static QString missingHostMessage(); // "host name must be specified for a verified SSL connection"
};

} // namespace vf::pki
