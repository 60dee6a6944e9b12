#include "PkiLoader.h"

#include "CrlOpenSsl.h"
#include "LibpqFileCheck.h"
#include "PkiLog.h"
#include "PkiParser.h"
#include "SafeFileReader.h"

#include <QCoreApplication>
#include <QDir>
#include <QMap>
#include <QRegularExpression>

#include <openssl/x509.h>

namespace vf::pki {

using namespace Qt::StringLiterals;
using detail::ParsedFile;
using detail::PkiItem;
using detail::PkiParser;

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::pki::PkiLoader)
};

// More entries than any real CRL directory has; beyond it the rest is not read.
constexpr int kMaxDirectoryEntries = 10000;

QString nameOr(const QString& name)
{
    return name.isEmpty() ? u"data"_s : name;
}

bool hasCertificates(const FileInspection& fi)
{
    return !fi.certificates.isEmpty();
}

bool hasKind(const FileInspection& fi, FileKind kind)
{
    return fi.kinds.contains(kind);
}

QString kindPhrase(const FileInspection& fi)
{
    if (fi.kind == FileKind::PrivateKey && fi.privateKeyEncrypted)
        return Tr::tr("an encrypted private key");
    if (fi.kind == FileKind::Certificate && fi.certificates.size() > 1)
        return Tr::tr("%1 certificates").arg(fi.certificates.size());
    return PkiLoader::kindDescription(fi.kind);
}

QString needPhrase(FileRole role)
{
    switch (role) {
    case FileRole::RootCertificates:
        return Tr::tr("root (CA) certificates");
    case FileRole::ClientCertificate:
        return Tr::tr("a client certificate");
    case FileRole::ClientKey:
        return Tr::tr("a private key");
    case FileRole::CrlFile:
        return Tr::tr("a certificate revocation list (CRL)");
    case FileRole::CrlDirectory:
        return Tr::tr("a directory of CRLs");
    case FileRole::Any:
        break;
    }
    return Tr::tr("a certificate, key or CRL");
}

QString wrongKindExplanation(const FileInspection& fi)
{
    const FileRole role = fi.role;
    switch (fi.kind) {
    case FileKind::PrivateKey:
        if (role == FileRole::RootCertificates || role == FileRole::ClientCertificate)
            return Tr::tr("A private key belongs in the client key field (sslkey). This field needs a "
                          "certificate (a file with \"-----BEGIN CERTIFICATE-----\").");
        return Tr::tr("A private key belongs in the client key field (sslkey).");
    case FileKind::PublicKey:
        if (role == FileRole::ClientKey)
            return Tr::tr(
                "The key field needs the matching *private* key: the file created together with the "
                "certificate request, which never leaves your computer. A public key cannot sign in.");
        return Tr::tr("A bare public key is not a certificate: it has no name, issuer or signature. Ask for "
                      "the certificate itself.");
    case FileKind::CertificateRequest:
        return Tr::tr("A certificate signing request is what you send to the certificate authority; it "
                      "returns the signed certificate. Use that certificate (and, in the key field, the "
                      "private key made with the request).");
    case FileKind::Certificate:
        if (role == FileRole::ClientKey)
            return Tr::tr("The key field needs the private key that belongs to the certificate (a file with "
                          "\"-----BEGIN PRIVATE KEY-----\" or similar). The certificate goes in the "
                          "certificate field (sslcert).");
        if (role == FileRole::CrlFile)
            return Tr::tr("Certificates do not belong here. Note that libpq would still load this file, "
                          "switch CRL checking on, find no CRL and then reject every server certificate "
                          "(\"unable to get certificate CRL\").");
        break;
    case FileKind::Crl:
        return Tr::tr("A certificate revocation list belongs in the CRL file field (sslcrl).");
    case FileKind::Pkcs12:
        if (role == FileRole::RootCertificates)
            return Tr::tr("A PKCS#12 bundle carries a client certificate and its key. For root certificates "
                          "choose the certificate authority's certificate (it can be extracted from the "
                          "bundle if the bundle includes it).");
        break;
    case FileKind::Pkcs7:
        if (role == FileRole::ClientKey)
            return Tr::tr("A PKCS#7 bundle holds certificates only, never a private key.");
        if (role == FileRole::CrlFile)
            return Tr::tr("This PKCS#7 bundle holds no CRL.");
        return Tr::tr("This PKCS#7 bundle holds no certificate.");
    case FileKind::SshKey:
        return Tr::tr("PostgreSQL's TLS uses X.509 certificates and keys (PEM files); SSH keys cannot be "
                      "used. Ask the database administrator for a client certificate.");
    case FileKind::Directory:
        return Tr::tr("Choose a file, not a directory.");
    case FileKind::Unknown:
        break;
    }
    return Tr::tr("This field needs %1.").arg(needPhrase(role));
}

bool kindFitsRole(const FileInspection& fi)
{
    switch (fi.role) {
    case FileRole::Any:
        return true;
    case FileRole::RootCertificates:
        return hasCertificates(fi) && fi.kind != FileKind::Pkcs12;
    case FileRole::ClientCertificate:
        return hasCertificates(fi) || (fi.kind == FileKind::Pkcs12 && fi.pkcs12PasswordNeeded);
    case FileRole::ClientKey:
        return fi.privateKeyCount > 0 ||
               (fi.kind == FileKind::Pkcs12 && (fi.pkcs12PasswordNeeded || !fi.privateKey.isNull()));
    case FileRole::CrlFile:
        return !fi.crls.isEmpty();
    case FileRole::CrlDirectory:
        return fi.kind == FileKind::Directory;
    }
    return false;
}

Error wrongKind(const FileInspection& fi, const QString& name)
{
    return Error{u"pki.wrong-file-kind"_s,
                 Tr::tr("\"%1\" holds %2, not %3").arg(nameOr(name), kindPhrase(fi), needPhrase(fi.role)),
                 wrongKindExplanation(fi),
                 {}};
}

FileInspection fromParsed(const ParsedFile& parsed, FileRole role, const QByteArray& passphrase,
                          std::optional<Error>& keyError)
{
    FileInspection fi;
    fi.role = role;
    fi.encoding = parsed.encoding;
    fi.ignoredPemBlocks = parsed.ignoredPemLabels;
    fi.warnings = parsed.warnings;
    for (const PkiItem& item : parsed.items) {
        if (!fi.kinds.contains(item.kind))
            fi.kinds << item.kind;
        fi.certificates += item.certificates;
        fi.crls += item.crls;
        switch (item.kind) {
        case FileKind::PrivateKey:
            if (fi.privateKeyCount++ == 0) {
                fi.privateKeyEncrypted = item.keyEncrypted;
                fi.privateKeyType = item.keyType;
                fi.privateKeyFormat = item.keyFormat;
                if (!item.keyEncrypted) {
                    fi.privateKey = item.key;
                } else if (!passphrase.isEmpty()) {
                    auto key = PkiParser::decryptKey(item, passphrase);
                    if (key) {
                        fi.privateKey = *key;
                        fi.privateKeyType = key->type();
                    } else {
                        keyError = key.error();
                    }
                } else {
                    keyError = Error{
                        u"pki.passphrase-required"_s,
                        Tr::tr("the private key is encrypted and needs a passphrase"),
                        Tr::tr("Enter the passphrase the key was protected with (libpq's sslpassword)."),
                        {}};
                }
            }
            break;
        case FileKind::Pkcs12:
            if (!item.pkcs12Opened) {
                fi.pkcs12PasswordNeeded = true;
                if (!keyError)
                    keyError = item.pkcs12Error;
            } else if (fi.privateKey.isNull() && !item.key.isNull()) {
                fi.privateKey = item.key;
                fi.privateKeyType = item.key.type();
                fi.privateKeyFormat = PrivateKey::Format::Pkcs12;
            }
            break;
        case FileKind::PublicKey:
        case FileKind::CertificateRequest:
            if (fi.publicKeyType.isEmpty()) {
                fi.publicKeyType = item.publicKeyType;
                fi.publicKeyBits = item.publicKeyBits;
            }
            if (item.kind == FileKind::CertificateRequest && fi.requestSubject.isEmpty())
                fi.requestSubject = item.requestSubject;
            break;
        default:
            break;
        }
    }
    fi.kind = fi.kinds.isEmpty() ? FileKind::Unknown : fi.kinds.first();
    // A file with a key and its certificate (in any order) is "the certificate" for the certificate
    // field and "the key" for the key field: libpq skips the other blocks.
    if (role == FileRole::ClientKey && fi.privateKeyCount > 0)
        fi.kind = FileKind::PrivateKey;
    else if ((role == FileRole::ClientCertificate || role == FileRole::RootCertificates) &&
             hasKind(fi, FileKind::Certificate))
        fi.kind = FileKind::Certificate;
    else if (role == FileRole::CrlFile && hasKind(fi, FileKind::Crl))
        fi.kind = FileKind::Crl;
    return fi;
}

bool isDer(const FileInspection& fi)
{
    return fi.encoding == Encoding::Der;
}

QString convertHint(const FileInspection& fi)
{
    if (fi.kind == FileKind::Pkcs12)
        return Tr::tr("libpq cannot read PKCS#12 (.p12/.pfx) files: the certificate and the key have to be "
                      "extracted into PEM files.");
    if (fi.kind == FileKind::Pkcs7)
        return Tr::tr("libpq cannot read PKCS#7 (.p7b/.p7c) bundles: the certificates have to be extracted "
                      "into a PEM file.");
    if (isDer(fi))
        return Tr::tr("libpq reads only PEM text here (\"-----BEGIN …-----\"); this file is binary DER. "
                      "Convert it to PEM.");
    return {};
}

void checkLibpq(FileInspection& fi, const QByteArray& data, const QString& name, const QByteArray& passphrase)
{
    using detail::LibpqFileCheck;
    const QString file = nameOr(name);
    auto cannot = [&](const QString& message, const QString& fallback) {
        QString explanation = convertHint(fi);
        if (explanation.isEmpty())
            explanation = fallback;
        fi.libpqCanRead = false;
        fi.libpqProblem = Error{u"pki.libpq-cannot-read"_s, message, explanation, {}};
    };
    switch (fi.role) {
    case FileRole::Any:
    case FileRole::CrlDirectory:
        return;
    case FileRole::RootCertificates:
        if (auto reason = LibpqFileCheck::rootOrCrlFile(data))
            return cannot(u"could not read root certificate file \"%1\": %2"_s.arg(file, *reason),
                          Tr::tr("libpq's OpenSSL could not read a certificate from this file."));
        fi.libpqCanRead = true;
        return;
    case FileRole::ClientCertificate:
        if (auto reason = LibpqFileCheck::certificateFile(data)) {
            QString fallback = Tr::tr("libpq's OpenSSL could not read a certificate from this file.");
            if (reason->contains(u"too small") || reason->contains(u"too weak"))
                fallback = Tr::tr("The security level of this system's OpenSSL refuses this certificate (its "
                                  "key is too small or its signature algorithm too weak). Get a certificate "
                                  "with an RSA key of at least 2048 bits or an EC key, signed with SHA-256.");
            return cannot(u"could not read certificate file \"%1\": %2"_s.arg(file, *reason), fallback);
        }
        fi.libpqCanRead = true;
        return;
    case FileRole::ClientKey: {
        if (fi.privateKeyCount > 0 && fi.privateKeyEncrypted && fi.encoding == Encoding::Pem &&
            passphrase.isEmpty()) {
            fi.libpqCanRead = true;
            fi.warnings << Error{u"pki.libpq-needs-sslpassword"_s,
                                 Tr::tr("the private key is encrypted"),
                                 Tr::tr("libpq can read it only with its passphrase in sslpassword; without "
                                        "it, psql asks on the terminal and other programs fail."),
                                 {}};
            return;
        }
        if (auto reason = LibpqFileCheck::keyFile(data, passphrase)) {
            QString fallback = Tr::tr("libpq's OpenSSL could not read a private key from this file.");
            if (fi.privateKeyEncrypted && isDer(fi))
                fallback = Tr::tr("libpq cannot decrypt a binary (DER) encrypted key. Convert it to PEM.");
            else if (fi.privateKeyEncrypted)
                fallback = Tr::tr("libpq could not decrypt the key with this passphrase.");
            if (fi.privateKeyEncrypted && isDer(fi) && fi.kind == FileKind::PrivateKey) {
                fi.libpqCanRead = false;
                fi.libpqProblem = Error{u"pki.libpq-cannot-read"_s,
                                        u"could not load private key file \"%1\": %2"_s.arg(file, *reason),
                                        fallback,
                                        {}};
                return;
            }
            return cannot(u"could not load private key file \"%1\": %2"_s.arg(file, *reason), fallback);
        }
        fi.libpqCanRead = true;
        return;
    }
    case FileRole::CrlFile:
        if (auto reason = LibpqFileCheck::rootOrCrlFile(data)) {
            QString explanation = convertHint(fi);
            explanation += (explanation.isEmpty() ? u""_s : u" "_s) +
                           Tr::tr("libpq silently skips a CRL file it cannot read and then checks no CRLs at "
                                  "all, not even those in sslcrldir.");
            fi.libpqCanRead = false;
            fi.libpqProblem = Error{u"pki.libpq-crl-ignored"_s,
                                    Tr::tr("libpq would ignore CRL file \"%1\": %2").arg(file, *reason),
                                    explanation,
                                    {}};
            return;
        }
        fi.libpqCanRead = true;
        if (!fi.certificates.isEmpty() && !fi.crls.isEmpty())
            fi.warnings << Error{u"pki.certificates-in-crl-file"_s,
                                 Tr::tr("the CRL file also holds certificates"),
                                 Tr::tr("OpenSSL loads them too: libpq then trusts them as if they were in "
                                        "the root certificate file."),
                                 {}};
        return;
    }
}

void addRoleWarnings(FileInspection& fi)
{
    if (fi.role == FileRole::RootCertificates) {
        for (const Certificate& c : fi.certificates) {
            if (c.hasBasicConstraints() && !c.isCa()) {
                fi.warnings << Error{
                    u"pki.not-a-ca"_s,
                    Tr::tr("\"%1\" is not a CA certificate").arg(c.displayName()),
                    Tr::tr(
                        "Root certificates are certificate-authority certificates. This one is an end-entity "
                        "(server or client) certificate; it only helps if the server presents exactly it."),
                    {}};
            }
        }
        if (fi.privateKeyCount > 0)
            fi.warnings << Error{u"pki.private-key-in-file"_s,
                                 Tr::tr("the file also holds a private key"),
                                 Tr::tr("Root certificate files are usually shared; a private key should not "
                                        "be in one. libpq ignores it here."),
                                 {}};
    }
    if (fi.role == FileRole::ClientCertificate && !fi.certificates.isEmpty()) {
        const Certificate& first = fi.certificates.first();
        const bool laterLeaf = std::any_of(fi.certificates.cbegin() + 1, fi.certificates.cend(),
                                           [](const Certificate& c) { return !c.isCa(); });
        if (first.isCa() && laterLeaf)
            fi.warnings << Error{u"pki.chain-order"_s,
                                 Tr::tr("the first certificate in the file is a CA certificate"),
                                 Tr::tr("libpq sends the first certificate as yours and the following ones "
                                        "as its chain. Put the client certificate first."),
                                 {}};
        else if (first.isCa())
            fi.warnings << Error{u"pki.client-cert-is-ca"_s,
                                 Tr::tr("the certificate is a CA certificate"),
                                 Tr::tr("A client certificate is normally an end-entity certificate issued "
                                        "by the CA, not the CA certificate itself."),
                                 {}};
        const QStringList eku = first.extendedKeyUsage();
        if (!eku.isEmpty() && !eku.contains(u"TLS Web Client Authentication"_s) &&
            !eku.contains(u"Any Extended Key Usage"_s))
            fi.warnings << Error{
                u"pki.no-client-auth-eku"_s,
                Tr::tr("the certificate is not meant for client authentication"),
                Tr::tr("Its extended key usage (%1) lacks \"TLS Web Client Authentication\"; the server will "
                       "reject it (\"unsupported certificate purpose\").")
                    .arg(eku.join(u", "_s)),
                {}};
    }
    if (fi.role == FileRole::ClientKey && fi.privateKeyCount > 1)
        fi.warnings << Error{u"pki.several-keys"_s,
                             Tr::tr("the file holds %1 private keys").arg(fi.privateKeyCount),
                             Tr::tr("libpq uses the first one."),
                             {}};
}

// Role-specific consequences of a file that cannot be read at all.
Error withRoleContext(Error e, FileRole role, const QString& path)
{
    QString add;
    if (e.code == u"pki.file-missing") {
        switch (role) {
        case FileRole::RootCertificates:
            add = Tr::tr(
                      "With sslmode=verify-ca or verify-full libpq then fails (root certificate file \"%1\" "
                      "does not exist); with weaker modes it does not check the server's certificate at all.")
                      .arg(path);
            break;
        case FileRole::ClientCertificate:
            add = Tr::tr("libpq then connects without a client certificate, silently.");
            break;
        case FileRole::ClientKey:
            add = Tr::tr("libpq reports: certificate present, but not private key file \"%1\".").arg(path);
            break;
        case FileRole::CrlFile:
            add = Tr::tr("libpq then silently checks no CRLs at all, not even those of sslcrldir.");
            break;
        case FileRole::CrlDirectory:
            add = Tr::tr("libpq accepts a missing directory silently and switches CRL checking on: every "
                         "server certificate is then rejected (\"unable to get certificate CRL\").");
            break;
        case FileRole::Any:
            break;
        }
    } else if (e.code == u"pki.is-directory" && role == FileRole::CrlFile) {
        add = Tr::tr("A directory of CRLs belongs in the CRL directory field (sslcrldir).");
    }
    if (!add.isEmpty())
        e.explanation += (e.explanation.isEmpty() ? u""_s : u" "_s) + add;
    return e;
}

// ---- CRL directory -----------------------------------------------------------------------------

QString oldStyleHash(const Crl& crl)
{
    X509_CRL* x = CrlPrivateAccess::x509Crl(crl);
    if (!x)
        return {};
    return u"%1"_s.arg(qulonglong(X509_NAME_hash_old(X509_CRL_get_issuer(x))), 8, 16, QLatin1Char('0'));
}

} // namespace

// ---- Public API --------------------------------------------------------------------------------

QString PkiLoader::kindDescription(FileKind kind)
{
    switch (kind) {
    case FileKind::Certificate:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("a certificate");
    case FileKind::PrivateKey:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("a private key");
    case FileKind::PublicKey:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("a public key");
    case FileKind::CertificateRequest:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("a certificate signing request (CSR)");
    case FileKind::Pkcs12:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("a PKCS#12 bundle (.p12/.pfx)");
    case FileKind::Pkcs7:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("a PKCS#7 certificate bundle (.p7b)");
    case FileKind::Crl:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("a certificate revocation list (CRL)");
    case FileKind::SshKey:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("an SSH key");
    case FileKind::Directory:
        //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
        return Tr::tr("a directory");
    case FileKind::Unknown:
        break;
    }
    //: Used inside a sentence, e.g. "<file> holds %1"; keep the article.
    return Tr::tr("unrecognised data");
}

QString PkiLoader::roleDescription(FileRole role)
{
    switch (role) {
    case FileRole::RootCertificates:
        return Tr::tr("sslrootcert (root certificates)");
    case FileRole::ClientCertificate:
        return Tr::tr("sslcert (client certificate)");
    case FileRole::ClientKey:
        return Tr::tr("sslkey (client private key)");
    case FileRole::CrlFile:
        return Tr::tr("sslcrl (CRL file)");
    case FileRole::CrlDirectory:
        return Tr::tr("sslcrldir (CRL directory)");
    case FileRole::Any:
        break;
    }
    return u"any"_s;
}

Result<FileInspection> PkiLoader::inspectData(const QByteArray& data, FileRole role,
                                              const QByteArray& passphrase, const QString& name)
{
    return inspect(data, role, passphrase, name, LibpqCheck::Run);
}

// withLibpq: also run libpq's readability check, which parses the file a second time the way libpq's
// OpenSSL calls do; parseCertificates() needs only the certificates and skips it.
Result<FileInspection> PkiLoader::inspect(const QByteArray& data, FileRole role, const QByteArray& passphrase,
                                          const QString& name, LibpqCheck withLibpq)
{
    auto parsed = PkiParser::parse(data, nameOr(name), passphrase);
    if (!parsed)
        return std::unexpected(parsed.error());
    std::optional<Error> keyError;
    FileInspection fi = fromParsed(*parsed, role, passphrase, keyError);
    fi.path = name;
    if (role == FileRole::CrlDirectory) {
        fi.fitsRole = false;
        fi.problem =
            Error{u"pki.not-a-directory"_s,
                  Tr::tr("\"%1\" is a file, not a directory").arg(nameOr(name)),
                  fi.kind == FileKind::Crl
                      ? Tr::tr("A single CRL file belongs in the CRL file field (sslcrl); this field takes a "
                               "directory of CRLs named by issuer hash (as \"openssl rehash\" creates).")
                      : Tr::tr("This field takes a directory of CRLs named by issuer hash (as \"openssl "
                               "rehash\" creates)."),
                  {}};
        return fi;
    }
    fi.fitsRole = kindFitsRole(fi);
    if (!fi.fitsRole) {
        fi.problem = wrongKind(fi, name);
    } else if (keyError) {
        const bool keyMatters = role == FileRole::ClientKey || role == FileRole::Any ||
                                (fi.kind == FileKind::Pkcs12 && role == FileRole::ClientCertificate);
        if (keyMatters) {
            if (keyError->code == u"pki.passphrase-required")
                fi.warnings << *keyError;
            else
                fi.problem = keyError;
        }
    }
    if (withLibpq == LibpqCheck::Run)
        checkLibpq(fi, data, name, passphrase);
    addRoleWarnings(fi);
    qCDebug(lcPki) << "inspected" << name << "kind" << int(fi.kind) << "fits" << fi.fitsRole << "libpq"
                   << fi.libpqCanRead;
    return fi;
}

Result<FileInspection> PkiLoader::inspectFile(const QString& path, FileRole role,
                                              const QByteArray& passphrase)
{
    if (role == FileRole::CrlDirectory) {
        auto dir = SafeFileReader::checkDirectory(path);
        if (!dir && dir.error().code == u"pki.not-a-directory") {
            // Say what the file is, so that the UI can suggest the right field.
            auto data = SafeFileReader::read(path);
            if (!data)
                return std::unexpected(dir.error());
            auto fi = inspectData(*data, role, passphrase, path);
            if (!fi)
                return std::unexpected(dir.error());
            return fi;
        }
        if (!dir)
            return std::unexpected(withRoleContext(dir.error(), role, path));
        auto contents = loadCrlDirectory(path);
        if (!contents)
            return std::unexpected(contents.error());
        FileInspection fi;
        fi.path = path;
        fi.role = role;
        fi.kind = FileKind::Directory;
        fi.kinds = {FileKind::Directory};
        fi.crls = contents->usableCrls();
        fi.fitsRole = true;
        fi.libpqCanRead = true;
        fi.warnings = contents->warnings;
        if (fi.crls.isEmpty())
            fi.libpqProblem = Error{u"pki.libpq-no-crl-found"_s,
                                    Tr::tr("libpq would find no CRL in directory \"%1\"").arg(path),
                                    Tr::tr("libpq accepts the directory and switches CRL checking on; with "
                                           "no CRL for the server's certificate authority it then rejects "
                                           "every server certificate (\"unable to get certificate CRL\")."),
                                    {}};
        fi.crlDirectory = std::move(*contents);
        return fi;
    }
    auto data = SafeFileReader::read(path);
    if (!data)
        return std::unexpected(withRoleContext(data.error(), role, path));
    return inspectData(*data, role, passphrase, path);
}

Result<QList<Certificate>> PkiLoader::parseCertificates(const QByteArray& data, const QByteArray& passphrase,
                                                        const QString& name)
{
    auto fi = inspect(data, FileRole::ClientCertificate, passphrase, name, LibpqCheck::Skip);
    if (!fi)
        return std::unexpected(fi.error());
    if (fi->certificates.isEmpty()) {
        if (fi->kind == FileKind::Pkcs12 && fi->problem)
            return std::unexpected(*fi->problem);
        if (fi->kind == FileKind::Pkcs12)
            for (const Error& w : fi->warnings)
                if (w.code == u"pki.passphrase-required")
                    return std::unexpected(w);
        Error e = wrongKind(*fi, name);
        e.code = fi->kind == FileKind::Pkcs7 ? u"pki.no-certificate"_s : e.code;
        e.message = Tr::tr("\"%1\" holds %2, not a certificate").arg(nameOr(name), kindPhrase(*fi));
        return std::unexpected(e);
    }
    return fi->certificates;
}

Result<QList<Certificate>> PkiLoader::loadCertificates(const QString& path, const QByteArray& passphrase)
{
    auto data = SafeFileReader::read(path);
    if (!data)
        return std::unexpected(data.error());
    return parseCertificates(*data, passphrase, path);
}

Result<PrivateKey> PkiLoader::parsePrivateKey(const QByteArray& data, const QByteArray& passphrase,
                                              const QString& name)
{
    auto parsed = PkiParser::parse(data, nameOr(name), passphrase);
    if (!parsed)
        return std::unexpected(parsed.error());
    for (const PkiItem& item : parsed->items) {
        if (item.kind == FileKind::PrivateKey)
            return PkiParser::decryptKey(item, passphrase);
        if (item.kind == FileKind::Pkcs12) {
            if (!item.pkcs12Opened)
                return std::unexpected(*item.pkcs12Error);
            if (item.key.isNull())
                return makeError(u"pki.no-private-key"_s,
                                 Tr::tr("\"%1\" holds no private key").arg(nameOr(name)),
                                 Tr::tr("The PKCS#12 bundle only holds certificates."));
            return item.key;
        }
    }
    std::optional<Error> ignored;
    FileInspection fi = fromParsed(*parsed, FileRole::ClientKey, {}, ignored);
    return std::unexpected(wrongKind(fi, name));
}

Result<PrivateKey> PkiLoader::loadPrivateKey(const QString& path, const QByteArray& passphrase)
{
    auto data = SafeFileReader::read(path);
    if (!data)
        return std::unexpected(data.error());
    return parsePrivateKey(*data, passphrase, path);
}

Result<Pkcs12Contents> PkiLoader::parsePkcs12(const QByteArray& data, const QByteArray& password,
                                              const QString& name)
{
    auto parsed = PkiParser::parse(data, nameOr(name), password);
    if (!parsed)
        return std::unexpected(parsed.error());
    for (const PkiItem& item : parsed->items) {
        if (item.kind == FileKind::Pkcs12)
            return PkiParser::openPkcs12(item.der, password);
    }
    std::optional<Error> ignored;
    FileInspection fi = fromParsed(*parsed, FileRole::Any, {}, ignored);
    return makeError(u"pki.wrong-file-kind"_s,
                     Tr::tr("\"%1\" holds %2, not a PKCS#12 bundle").arg(nameOr(name), kindPhrase(fi)),
                     Tr::tr("Choose the .p12/.pfx file, or load the certificate and key files directly."));
}

Result<Pkcs12Contents> PkiLoader::loadPkcs12(const QString& path, const QByteArray& password)
{
    auto data = SafeFileReader::read(path);
    if (!data)
        return std::unexpected(data.error());
    return parsePkcs12(*data, password, path);
}

Result<QList<Crl>> PkiLoader::parseCrls(const QByteArray& data, const QString& name)
{
    auto fi = inspectData(data, FileRole::CrlFile, {}, name);
    if (!fi)
        return std::unexpected(fi.error());
    if (fi->crls.isEmpty()) {
        Error e = *fi->problem;
        e.code = fi->kind == FileKind::Pkcs7 ? u"pki.no-crl"_s : e.code;
        return std::unexpected(e);
    }
    return fi->crls;
}

Result<QList<Crl>> PkiLoader::loadCrls(const QString& path)
{
    auto data = SafeFileReader::read(path);
    if (!data)
        return std::unexpected(data.error());
    return parseCrls(*data, path);
}

Result<CrlDirectory> PkiLoader::loadCrlDirectory(const QString& path)
{
    if (auto ok = SafeFileReader::checkDirectory(path); !ok)
        return std::unexpected(ok.error());
    CrlDirectory out;
    out.path = path;
    const QDir dir(path);
    QStringList names =
        dir.entryList(QDir::Files | QDir::System | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
    if (names.size() > kMaxDirectoryEntries) {
        out.warnings << Error{u"pki.crl-dir-too-many-files"_s,
                              Tr::tr("directory \"%1\" has %2 files; only the first %3 were checked")
                                  .arg(path)
                                  .arg(names.size())
                                  .arg(kMaxDirectoryEntries),
                              {},
                              {}};
        names = names.mid(0, kMaxDirectoryEntries);
    }
    static const QRegularExpression hashed(u"^([0-9a-fA-F]{8})\\.r([0-9]+)$"_s);
    // hash → index → entry position, to replay OpenSSL's "<hash>.r0, .r1, … until one is missing" lookup.
    QMap<QString, QMap<int, qsizetype>> byHash;
    bool sawCrlElsewhere = false;
    for (const QString& fileName : std::as_const(names)) {
        const QRegularExpressionMatch m = hashed.match(fileName);
        if (!m.hasMatch()) {
            out.otherFiles << fileName;
            if (fileName.endsWith(u".crl"_s, Qt::CaseInsensitive) ||
                fileName.endsWith(u".pem"_s, Qt::CaseInsensitive))
                sawCrlElsewhere = true;
            continue;
        }
        CrlDirectoryEntry entry;
        entry.fileName = fileName;
        const QString hash = m.captured(1);
        const QString fullPath = dir.filePath(fileName);
        auto data = SafeFileReader::read(fullPath);
        if (!data) {
            entry.problem = data.error();
        } else if (auto crls = parseCrls(*data, fullPath); !crls) {
            entry.problem = crls.error();
        } else {
            entry.crls = *crls;
            if (!data->contains("-----BEGIN X509 CRL-----"))
                entry.problem =
                    Error{u"pki.libpq-cannot-read"_s,
                          Tr::tr("\"%1\" is not a PEM file").arg(fileName),
                          Tr::tr("OpenSSL reads only PEM CRLs from a CRL directory; this one is binary "
                                 "(DER). Convert it with \"openssl crl -inform DER -in %1 -out %1\".")
                              .arg(fileName),
                          {}};
            for (const Crl& crl : std::as_const(entry.crls)) {
                if (crl.issuerNameHash().compare(hash, Qt::CaseInsensitive) == 0 || entry.problem)
                    continue;
                const bool old = oldStyleHash(crl).compare(hash, Qt::CaseInsensitive) == 0;
                entry.problem = Error{
                    u"pki.crl-dir-wrong-hash"_s,
                    Tr::tr("\"%1\" is named for another issuer").arg(fileName),
                    (old ? Tr::tr("The name uses the old (OpenSSL 0.9.8, MD5) subject hash; current OpenSSL "
                                  "looks for \"%1.r0\". Run \"openssl rehash\" on the directory.")
                         : Tr::tr("Its CRL is issued by \"%2\", whose hash is %1; OpenSSL looks for that CRL "
                                  "in \"%1.r0\". Run \"openssl rehash\" on the directory."))
                        .arg(crl.issuerNameHash(), crl.issuerDn()),
                    {}};
            }
        }
        if (hash != hash.toLower() && !entry.problem)
            entry.problem = Error{u"pki.crl-dir-wrong-hash"_s,
                                  Tr::tr("\"%1\" has an upper-case name").arg(fileName),
                                  Tr::tr("OpenSSL looks for lower-case hexadecimal names (\"%1.r%2\").")
                                      .arg(hash.toLower(), m.captured(2)),
                                  {}};
        byHash[hash][m.captured(2).toInt()] = out.entries.size();
        out.entries << entry;
    }
    // Replay the lookup: per lower-case hash, r0, r1, … until a name is missing or a file fails to load.
    for (auto it = byHash.cbegin(); it != byHash.cend(); ++it) {
        if (it.key() != it.key().toLower())
            continue;
        int k = 0;
        for (; it->contains(k); ++k) {
            CrlDirectoryEntry& e = out.entries[(*it)[k]];
            const bool loads =
                !e.crls.isEmpty() && !(e.problem && e.problem->code == u"pki.libpq-cannot-read");
            if (!loads)
                break;
            e.usedByOpenSsl = true;
        }
        for (auto idx = it->cbegin(); idx != it->cend(); ++idx) {
            CrlDirectoryEntry& e = out.entries[*idx];
            if (!e.usedByOpenSsl && idx.key() > k && !e.problem)
                e.problem =
                    Error{u"pki.crl-dir-gap"_s,
                          Tr::tr("\"%1\" is never read").arg(e.fileName),
                          Tr::tr("OpenSSL reads %1.r0, %1.r1, … and stops at the first missing or unreadable "
                                 "one, so it never gets to this file. Run \"openssl rehash\".")
                              .arg(it.key()),
                          {}};
        }
    }
    for (const CrlDirectoryEntry& e : std::as_const(out.entries)) {
        if (e.problem)
            out.warnings << *e.problem;
    }
    if (out.entries.isEmpty())
        out.warnings << Error{
            u"pki.crl-dir-not-hashed"_s,
            Tr::tr("directory \"%1\" has no CRL files named by issuer hash").arg(path),
            sawCrlElsewhere
                ? Tr::tr("OpenSSL only finds CRLs named \"<issuer-hash>.r0\". Run \"openssl rehash %1\" to "
                         "create these names.")
                      .arg(path)
                : Tr::tr(
                      "OpenSSL only finds CRLs named \"<issuer-hash>.r0\" (as \"openssl rehash\" creates)."),
            {}};
    qCDebug(lcPki) << "CRL directory" << path << out.entries.size() << "hashed files";
    return out;
}

} // namespace vf::pki
