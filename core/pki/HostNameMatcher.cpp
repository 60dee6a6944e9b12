#include "HostNameMatcher.h"

#include "CertificateOpenSsl.h"

#include <QCoreApplication>

#include <openssl/err.h>

#include <arpa/inet.h>
#include <array>
#include <cstring>
#include <netinet/in.h>
#include <optional>

using namespace Qt::StringLiterals;

namespace vf::pki {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::pki::HostNameMatcher)
};

using Source = CertificateName::Source;

enum class Failure
{
    None,
    EmbeddedNull,
    BadIpLength,
};

QByteArray asciiLower(QByteArrayView bytes)
{
    QByteArray out(bytes.data(), bytes.size());
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    }
    return out;
}

// pg_strcasecmp(a, b) == 0 for strings without NUL bytes (ASCII case folding only).
bool equalsIgnoreAsciiCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && asciiLower(a) == asciiLower(b);
}

QString printable(QByteArrayView bytes)
{
    QString out;
    for (const char c : bytes) {
        const auto u = uchar(c);
        if (u >= 0x20 && u < 0x7f)
            out += QLatin1Char(c);
        else
            out += u"\\x"_s + QString::number(u, 16).rightJustified(2, u'0');
    }
    return out;
}

// What the name looks like as libpq's C string would print it, when it is valid UTF-8 text.
QString displayOfName(QByteArrayView bytes)
{
    bool plain = true;
    for (const char c : bytes) {
        const auto u = uchar(c);
        if (u < 0x20 || u == 0x7f)
            plain = false;
    }
    if (plain) {
        const QString text = QString::fromUtf8(bytes);
        if (text.toUtf8() == bytes)
            return text;
    }
    return printable(bytes);
}

QByteArray asn1Bytes(const ASN1_STRING* s)
{
    if (!s)
        return {};
    return QByteArray(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)), ASN1_STRING_length(s));
}

// The host as libpq's C string: UTF-8 up to the first NUL.
QByteArray hostBytesOf(const QString& host)
{
    QByteArray bytes = host.toUtf8();
    if (const qsizetype nul = bytes.indexOf('\0'); nul >= 0)
        bytes.truncate(nul);
    return bytes;
}

bool isIpBytes(const QByteArray& host)
{
    in_addr v4{};
    in6_addr v6{};
    return ::inet_aton(host.constData(), &v4) != 0 || ::inet_pton(AF_INET6, host.constData(), &v6) == 1;
}

struct Step
{
    int rc = 0;                    // 1 match, 0 no match, -1 error
    std::optional<QString> stored; // libpq's *store_name
    Failure failure = Failure::None;
};

// pq_verify_peer_name_matches_certificate_name() (host is known to be non-empty).
Step matchName(const QByteArray& name, const QByteArray& host)
{
    if (name.contains('\0'))
        return {-1, std::nullopt, Failure::EmbeddedNull};
    return {HostNameMatcher::nameMatches(name, host) ? 1 : 0, QString::fromUtf8(name), Failure::None};
}

// pq_verify_peer_name_matches_certificate_ip() (host is known to be non-empty).
Step matchIp(const QByteArray& octets, const QByteArray& host)
{
    bool match = false;
    if (octets.size() == 4) {
        in_addr addr{};
        if (::inet_aton(host.constData(), &addr) != 0)
            match = memcmp(octets.constData(), &addr.s_addr, 4) == 0;
    } else if (octets.size() == 16) {
        in6_addr addr{};
        if (::inet_pton(AF_INET6, host.constData(), &addr) == 1)
            match = memcmp(octets.constData(), addr.s6_addr, 16) == 0;
    } else {
        return {-1, std::nullopt, Failure::BadIpLength};
    }
    return {match ? 1 : 0, HostNameMatcher::ipToString(octets), Failure::None};
}

QString joinNames(const QStringList& names)
{
    if (names.size() <= 1)
        return names.value(0);
    return Tr::tr("%1 and %2").arg(names.mid(0, names.size() - 1).join(u", "_s), names.last());
}

QString quoted(const QString& s)
{
    return u"\""_s + s + u"\""_s;
}

} // namespace

const CertificateName* HostNameMatch::matchedName() const
{
    if (matchedIndex < 0 || matchedIndex >= names.size())
        return nullptr;
    return &names.at(matchedIndex);
}

QString HostNameMatcher::missingHostMessage()
{
    return u"host name must be specified for a verified SSL connection"_s;
}

bool HostNameMatcher::isIpAddress(const QString& host)
{
    return isIpBytes(hostBytesOf(host));
}

bool HostNameMatcher::wildcardMatches(QByteArrayView pattern, QByteArrayView host)
{
    // wildcard_certificate_match() of fe-secure-common.c, on byte strings without NULs.
    const qsizetype lenpat = pattern.size();
    const qsizetype lenstr = host.size();
    if (lenpat < 3 || pattern[0] != '*' || pattern[1] != '.')
        return false;
    if (lenpat > lenstr)
        return false;
    if (!equalsIgnoreAsciiCase(pattern.sliced(1), host.sliced(lenstr - lenpat + 1)))
        return false;
    // The suffix starts with a dot, so the host has one; the first must not lie left of the suffix.
    return host.indexOf('.') >= lenstr - lenpat;
}

bool HostNameMatcher::nameMatches(QByteArrayView name, QByteArrayView host)
{
    return equalsIgnoreAsciiCase(name, host) || wildcardMatches(name, host);
}

QString HostNameMatcher::ipToString(QByteArrayView octets)
{
    std::array<char, INET6_ADDRSTRLEN> buf{};
    if (octets.size() == 4) {
        if (::inet_ntop(AF_INET, octets.data(), buf.data(), socklen_t(buf.size())))
            return QString::fromLatin1(buf.data());
    } else if (octets.size() == 16) {
        if (::inet_ntop(AF_INET6, octets.data(), buf.data(), socklen_t(buf.size())))
            return QString::fromLatin1(buf.data());
    }
    return {};
}

HostNameMatch HostNameMatcher::match(const Certificate& certificate, const QString& host)
{
    HostNameMatch result;
    result.host = host;
    const QByteArray hostBytes = hostBytesOf(host);

    // Everything libpq could look at: the DNS and IP SANs in order, then the first CN.
    int cnIndex = -1;
    if (X509* x509 = CertificatePrivateAccess::x509(certificate)) {
        ERR_set_mark();
        const ossl::GeneralNamesPtr sans(
            static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(x509, NID_subject_alt_name, nullptr, nullptr)));
        for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans.get()); ++i) {
            const GENERAL_NAME* gn = sk_GENERAL_NAME_value(sans.get(), i);
            CertificateName name;
            if (gn->type == GEN_DNS) {
                name.source = Source::DnsSan;
                name.raw = asn1Bytes(gn->d.dNSName);
                name.value = displayOfName(name.raw);
            } else if (gn->type == GEN_IPADD) {
                name.source = Source::IpSan;
                name.raw = asn1Bytes(gn->d.iPAddress);
                name.value = ipToString(name.raw);
                if (name.value.isEmpty())
                    name.value = printable(name.raw);
            } else {
                continue; // libpq ignores other SAN types and does not count them
            }
            result.names << name;
        }
        if (X509_NAME* subject = X509_get_subject_name(x509)) {
            const int index = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
            if (index >= 0) {
                CertificateName name;
                name.source = Source::CommonName;
                name.raw = asn1Bytes(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index)));
                name.value = displayOfName(name.raw);
                cnIndex = int(result.names.size());
                result.names << name;
            }
        }
        ERR_pop_to_mark();
    }

    if (hostBytes.isEmpty()) {
        result.outcome = HostNameMatch::Outcome::Error;
        result.message = missingHostMessage();
        result.commonNameIgnored = cnIndex >= 0;
        return result;
    }
    result.hostIsIpAddress = isIpBytes(hostBytes);
    const Source hostType = result.hostIsIpAddress ? Source::IpSan : Source::DnsSan;

    int rc = 0;
    bool checkCn = true;
    Failure failure = Failure::None;
    int failedIndex = -1;
    auto examine = [&](int index) {
        CertificateName& name = result.names[index];
        ++result.namesExamined;
        name.examined = true;
        const Step step =
            name.source == Source::IpSan ? matchIp(name.raw, hostBytes) : matchName(name.raw, hostBytes);
        if (step.stored && result.firstName.isNull())
            result.firstName = *step.stored;
        rc = step.rc;
        failure = step.failure;
        if (rc == 1) {
            name.matched = true;
            result.matchedIndex = index;
        } else if (rc < 0) {
            failedIndex = index;
        }
    };

    const int sanCount = cnIndex >= 0 ? cnIndex : int(result.names.size());
    for (int i = 0; i < sanCount; ++i) {
        if (result.names.at(i).source == hostType)
            checkCn = false; // a SAN of the host's own type disables the CN fallback
        examine(i);
        if (rc != 0) {
            checkCn = false;
            break;
        }
    }
    if (checkCn && cnIndex >= 0)
        examine(cnIndex);
    result.commonNameIgnored = cnIndex >= 0 && !result.names.at(cnIndex).examined;

    const QString hostText = QString::fromUtf8(hostBytes);
    if (rc == 1) {
        result.outcome = HostNameMatch::Outcome::Matched;
    } else if (rc < 0) {
        result.outcome = HostNameMatch::Outcome::Error;
        if (failure == Failure::EmbeddedNull)
            result.message = u"SSL certificate's name contains embedded null"_s;
        else
            result.message = u"certificate contains IP address with invalid length %1"_s.arg(
                result.names.at(failedIndex).raw.size());
    } else {
        result.outcome = HostNameMatch::Outcome::Mismatch;
        const int others = result.namesExamined - 1;
        if (result.namesExamined > 1)
            result.message =
                (others == 1 ? u"server certificate for \"%1\" (and %2 other name) does not match "
                               u"host name \"%3\""_s
                             : u"server certificate for \"%1\" (and %2 other names) does not "
                               u"match host name \"%3\""_s)
                    .arg(result.firstName)
                    .arg(others)
                    .arg(hostText);
        else if (result.namesExamined == 1)
            result.message = u"server certificate for \"%1\" does not match host name \"%2\""_s.arg(
                result.firstName, hostText);
        else
            result.message = u"could not get server's host name from server certificate"_s;
    }
    return result;
}

QString HostNameMatch::explanation() const
{
    QStringList listed;
    for (const CertificateName& name : names)
        listed << name.value;
    listed.removeDuplicates(); // the CN often repeats a dNSName
    const QString holds = names.isEmpty()
                              ? Tr::tr("The certificate holds no DNS name, IP address or common name")
                              : Tr::tr("The certificate names %1").arg(joinNames(listed));

    if (outcome == Outcome::Matched) {
        const CertificateName* m = matchedName();
        const QString matched = quoted(m ? m->value : QString());
        if (!m)
            return Tr::tr("%1; the host name %2 matches %3.").arg(holds, quoted(host), matched);
        if (m->source == CertificateName::Source::CommonName)
            return Tr::tr("%1; the host name %2 matches %3 (its common name).")
                .arg(holds, quoted(host), matched);
        if (m->source == CertificateName::Source::IpSan)
            return Tr::tr("%1; the host name %2 matches %3 (an IP address entry).")
                .arg(holds, quoted(host), matched);
        return Tr::tr("%1; the host name %2 matches %3 (a DNS name entry).")
            .arg(holds, quoted(host), matched);
    }

    if (outcome == Outcome::Error) {
        if (message == HostNameMatcher::missingHostMessage())
            return Tr::tr("sslmode=verify-full compares the server's host name with its certificate, but no "
                          "host name was given (for example only hostaddr is set). Set host to the name the "
                          "certificate was issued for.");
        for (const CertificateName& name : names) {
            if (name.examined && name.source != CertificateName::Source::IpSan && name.raw.contains('\0'))
                return Tr::tr(
                           "The certificate contains a name with a NUL byte (%1), the pattern of a known "
                           "attack (CVE-2009-4034), so libpq refuses the certificate. It has to be replaced.")
                    .arg(quoted(name.value));
        }
        for (const CertificateName& name : names) {
            if (name.examined && name.source == CertificateName::Source::IpSan && name.raw.size() != 4 &&
                name.raw.size() != 16)
                return Tr::tr("The certificate contains an IP address entry of %1 bytes; only 4 (IPv4) and "
                              "16 (IPv6) are valid, so libpq refuses the certificate. It has to be reissued.")
                    .arg(name.raw.size());
        }
        return message;
    }

    QStringList reasons;
    const QByteArray hostBytes = hostBytesOf(host);
    bool hasDns = false;
    bool hasIp = false;
    for (const CertificateName& name : names) {
        hasDns = hasDns || name.source == CertificateName::Source::DnsSan;
        hasIp = hasIp || name.source == CertificateName::Source::IpSan;
        const bool isPattern = name.raw.startsWith("*.");
        if (name.source != CertificateName::Source::IpSan && isPattern) {
            const QByteArray suffix = asciiLower(name.raw.sliced(1));
            const QByteArray lowerHost = asciiLower(hostBytes);
            if (lowerHost.endsWith(suffix) && lowerHost.size() > suffix.size() + 1)
                reasons << Tr::tr("The wildcard %1 stands for exactly one label, so it does not cover %2.")
                               .arg(quoted(name.value), quoted(host));
            else if (lowerHost == suffix.sliced(1))
                reasons << Tr::tr("The wildcard %1 does not cover %2 itself, only names one label below it.")
                               .arg(quoted(name.value), quoted(host));
        }
        if (name.source != CertificateName::Source::IpSan && hostBytes.endsWith('.') &&
            HostNameMatcher::nameMatches(name.raw, hostBytes.chopped(1)))
            reasons << Tr::tr("libpq compares names literally and does not drop a trailing dot: connect to "
                              "%1 instead.")
                           .arg(quoted(QString::fromUtf8(hostBytes.chopped(1))));
        if (!name.examined && name.source == CertificateName::Source::CommonName &&
            HostNameMatcher::nameMatches(name.raw, hostBytes))
            reasons << (hostIsIpAddress
                            ? Tr::tr("The common name %1 would match, but libpq ignores the common name when "
                                     "the certificate has IP address entries (subjectAltName).")
                            : Tr::tr("The common name %1 would match, but libpq ignores the common name when "
                                     "the certificate has DNS name entries (subjectAltName)."))
                           .arg(quoted(name.value));
        if (hostIsIpAddress && name.source == CertificateName::Source::DnsSan &&
            HostNameMatcher::isIpAddress(name.value))
            reasons << Tr::tr("The DNS name entry %1 holds an IP address; libpq compares it as text, so the "
                              "address must be written exactly the same way.")
                           .arg(quoted(name.value));
    }
    if (!hostIsIpAddress && hasIp && !hasDns)
        reasons << Tr::tr(
            "You connected by name, but the certificate lists IP addresses for its subjectAltName; connect "
            "by one of those addresses or add the name to the certificate.");
    if (hostIsIpAddress && !hasIp && hasDns)
        reasons << Tr::tr("You connected by IP address, but the certificate lists only DNS names; connect by "
                          "one of those names or add the address to the certificate (IP:%1).")
                       .arg(QString::fromUtf8(hostBytes));

    QString text = Tr::tr("%1; you connected to %2.").arg(holds, quoted(host));
    for (const QString& reason : reasons)
        text += u" "_s + reason;
    text += u" "_s + Tr::tr("Connect with a name the certificate holds, or have the certificate reissued "
                            "with a subjectAltName for %1.")
                         .arg(quoted(host));
    return text;
}

Error HostNameMatch::toError() const
{
    QString code;
    if (outcome == Outcome::Mismatch)
        code = namesExamined == 0 ? u"pki.hostname-no-names"_s : u"pki.hostname-mismatch"_s;
    else if (message == HostNameMatcher::missingHostMessage())
        code = u"pki.hostname-missing-host"_s;
    else if (message.startsWith(u"SSL certificate's name"))
        code = u"pki.hostname-embedded-null"_s;
    else if (outcome == Outcome::Error)
        code = u"pki.hostname-bad-ip-length"_s;
    else
        code = u"pki.hostname-matched"_s;
    QStringList detail;
    for (const CertificateName& name : names) {
        const QString kind = name.source == CertificateName::Source::CommonName
                                 ? u"CN"_s
                                 : (name.source == CertificateName::Source::IpSan ? u"IP"_s : u"DNS"_s);
        detail << kind + u":"_s + name.value +
                      (name.examined ? QString() : u" "_s + Tr::tr("(not compared)"));
    }
    return Error{code, message, explanation(), detail};
}

} // namespace vf::pki
