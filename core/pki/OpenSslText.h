#pragma once

// Internal to vf_core: OpenSSL values (names, times, integers, objects) turned into Qt text the way
// `openssl x509 -text` and PostgreSQL show them.

#include "common/OpenSsl.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

namespace vf::pki::text {

QByteArray asn1Bytes(const ASN1_STRING* s);
// "192.0.2.1", "2001:db8::1"; other lengths: "<invalid length N: hex>".
QString ipAddressText(const QByteArray& octets);
// A general name of a type without its own SubjectAltName::Type ("DirName:/CN=x", "othername:…").
QString generalNameText(const GENERAL_NAME* name);
QString objectLongName(const ASN1_OBJECT* obj);  // "TLS Web Server Authentication", else the OID
QString objectShortName(const ASN1_OBJECT* obj); // "serverAuth", else the OID
QString nameRfc2253(const X509_NAME* name);      // "CN=db,O=Corp", UTF-8 kept as is
QString nameOneLine(const X509_NAME* name);      // "/O=Corp/CN=db"
QString firstCommonName(const X509_NAME* name);
QString serialHex(const ASN1_INTEGER* serial);  // "01:A2", "-01" for (invalid) negative serials
QDateTime asn1TimeToUtc(const ASN1_TIME* time); // invalid QDateTime when absent or malformed
QString keyTypeName(const EVP_PKEY* key);       // "RSA", "RSA-PSS", "EC", "Ed25519", "Ed448", "DSA"…
QString keyCurveName(const EVP_PKEY* key);      // "prime256v1" for EC keys, empty otherwise

} // namespace vf::pki::text
