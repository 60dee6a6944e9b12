#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <memory>

namespace vf::pki {

// An X.509 certificate revocation list. Cheap to copy (shared, immutable). Public header: no OpenSSL
// types; core/pki/CrlOpenSsl.h bridges to X509_CRL inside vf_core.
class Crl final
{
public:
    Crl(); // null
    ~Crl();
    Crl(const Crl&);
    Crl& operator=(const Crl&);
    Crl(Crl&&) noexcept;
    Crl& operator=(Crl&&) noexcept;

    // Parses one DER-encoded CRL; null on failure.
    static Crl fromDer(const QByteArray& der);

    bool isNull() const;
    QString issuerDn() const; // RFC 2253, as Certificate::subjectDn() of the issuer
    QString issuerOneLine() const;
    QDateTime lastUpdate() const;       // "thisUpdate", UTC
    QDateTime nextUpdate() const;       // invalid when the CRL has none
    QStringList revokedSerials() const; // "01:A2" as Certificate::serialNumberHex()
    QString crlNumberHex() const;       // empty when there is no cRLNumber extension
    QString signatureAlgorithm() const;
    int version() const; // 1 or 2
    // The subject-name hash OpenSSL uses for "<hash>.r<n>" names in a hashed directory ("1a2b3c4d").
    QString issuerNameHash() const;

    QByteArray sha256Fingerprint() const;
    QByteArray toDer() const;
    QByteArray toPem() const;

    friend bool operator==(const Crl& a, const Crl& b);
    friend bool operator!=(const Crl& a, const Crl& b) { return !(a == b); }

private:
    friend class CrlPrivateAccess;
    struct Data;
    std::shared_ptr<const Data> d;
};

} // namespace vf::pki
