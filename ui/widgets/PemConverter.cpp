#include "PemConverter.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

QString target(const QString& source, const QString& suffix)
{
    const QFileInfo info(source);
    QString path = info.dir().filePath(info.completeBaseName() + suffix);
    if (QFileInfo(path).absoluteFilePath() == info.absoluteFilePath())
        path = info.dir().filePath(info.completeBaseName() + u"-converted"_s + suffix);
    return path;
}

QByteArray pemOf(const QList<pki::Certificate>& certificates)
{
    QByteArray out;
    for (const pki::Certificate& c : certificates)
        out += c.toPem();
    return out;
}

QByteArray pemOf(const QList<pki::Crl>& crls)
{
    QByteArray out;
    for (const pki::Crl& c : crls)
        out += c.toPem();
    return out;
}

// The client certificate and the chain libpq should send with it: the leaf first, then the
// intermediates. Self-signed roots stay out: the server has them already.
QList<pki::Certificate> clientChain(const QList<pki::Certificate>& certificates)
{
    QList<pki::Certificate> out;
    for (qsizetype i = 0; i < certificates.size(); ++i) {
        if (i == 0 || !certificates.at(i).isSelfSigned())
            out << certificates.at(i);
    }
    return out;
}

} // namespace

std::optional<PemConverter::Plan> PemConverter::plan(const pki::FileInspection& fi)
{
    using pki::FileKind;
    using pki::FileRole;
    if (fi.libpqCanRead || fi.path.isEmpty())
        return std::nullopt;
    Plan p;
    p.source = fi.path;
    const bool certRole = fi.role == FileRole::RootCertificates || fi.role == FileRole::ClientCertificate;

    if (fi.kind == FileKind::Pkcs12) {
        if (fi.pkcs12PasswordNeeded)
            return std::nullopt;
        if (fi.role == FileRole::RootCertificates) {
            if (fi.certificates.isEmpty())
                return std::nullopt;
            p.certificatePath = target(fi.path, u".crt"_s);
            p.outputs << Output{p.certificatePath, pemOf(fi.certificates), false};
            return p;
        }
        if (fi.role != FileRole::ClientCertificate && fi.role != FileRole::ClientKey)
            return std::nullopt;
        if (!fi.certificates.isEmpty()) {
            p.certificatePath = target(fi.path, u".crt"_s);
            p.outputs << Output{p.certificatePath, pemOf(clientChain(fi.certificates)), false};
        }
        if (!fi.privateKey.isNull()) {
            p.keyPath = target(fi.path, u".key"_s);
            p.outputs << Output{p.keyPath, fi.privateKey.toPkcs8Pem(), true};
        }
        if (p.outputs.isEmpty())
            return std::nullopt;
        return p;
    }
    if (certRole && (fi.kind == FileKind::Pkcs7 ||
                     (fi.encoding == pki::Encoding::Der && fi.kind == FileKind::Certificate))) {
        if (fi.certificates.isEmpty())
            return std::nullopt;
        p.certificatePath = target(fi.path, u".pem"_s);
        p.outputs << Output{p.certificatePath, pemOf(fi.certificates), false};
        return p;
    }
    if (fi.role == FileRole::CrlFile && (fi.kind == FileKind::Pkcs7 || fi.kind == FileKind::Crl) &&
        !fi.crls.isEmpty()) {
        p.certificatePath = target(fi.path, u".pem"_s);
        p.outputs << Output{p.certificatePath, pemOf(fi.crls), false};
        return p;
    }
    if (fi.role == FileRole::ClientKey && fi.kind == FileKind::PrivateKey && !fi.privateKey.isNull()) {
        p.keyPath = target(fi.path, u".pem"_s);
        p.outputs << Output{p.keyPath, fi.privateKey.toPkcs8Pem(), true};
        return p;
    }
    return std::nullopt;
}

QStringList PemConverter::existingTargets(const Plan& plan)
{
    QStringList out;
    for (const Output& o : plan.outputs) {
        if (QFileInfo::exists(o.path) || QFileInfo(o.path).isSymLink())
            out << o.path;
    }
    return out;
}

Result<void> PemConverter::write(const Plan& plan)
{
    for (const Output& o : plan.outputs) {
        if ((QFileInfo::exists(o.path) || QFileInfo(o.path).isSymLink()) && !QFile::remove(o.path))
            return makeError(u"ui.convert-remove-failed"_s, tr("could not replace \"%1\"").arg(o.path),
                             tr("Remove the file or choose another folder, then convert again."));
        QFile file(o.path);
        const QFileDevice::Permissions permissions = o.privateKey
                                                         ? (QFileDevice::ReadOwner | QFileDevice::WriteOwner)
                                                         : (QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                            QFileDevice::ReadGroup | QFileDevice::ReadOther);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly, permissions))
            return makeError(u"ui.convert-write-failed"_s,
                             tr("could not create \"%1\": %2").arg(o.path, file.errorString()),
                             tr("Check that the folder is writable."));
        if (file.write(o.data) != o.data.size() || !file.flush()) {
            const QString error = file.errorString();
            file.close();
            QFile::remove(o.path);
            return makeError(u"ui.convert-write-failed"_s,
                             tr("could not write \"%1\": %2").arg(o.path, error),
                             tr("Check the free space and that the folder is writable."));
        }
        // The mode given to open() passes through the umask; make sure it is exactly what libpq wants.
        if (o.privateKey)
            file.setPermissions(permissions);
    }
    return {};
}

} // namespace vf::ui
