#include "CertificateLoader.h"

#include "CertificateRowBuilder.h"
#include "pki/PkiLoader.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSet>

namespace vf::ui {

CertificateLoader::CertificateLoader(std::shared_ptr<const std::atomic<int>> current, QObject* parent)
    : QObject(parent)
    , m_current(std::move(current))
{}

CertificateLoader::~CertificateLoader() = default;

bool CertificateLoader::isCurrent(int generation) const
{
    return m_current->load(std::memory_order_relaxed) == generation;
}

void CertificateLoader::loadFile(int generation, const QString& path, const QByteArray& password)
{
    if (!isCurrent(generation))
        return;
    if (password.isEmpty() && loadPemBundleInSlices(generation, path))
        return;
    auto certificates = pki::PkiLoader::loadCertificates(path, password);
    if (!isCurrent(generation))
        return;
    if (!certificates) {
        Q_EMIT finished(generation, false, 0, certificates.error());
        return;
    }
    emitRows(generation, *certificates);
}

void CertificateLoader::dispose(QList<CertificateRow> rows)
{
    rows.clear();
}

std::optional<QList<pki::Certificate>> CertificateLoader::decodeCertificateBlocks(const QByteArray& pem)
{
    static const QByteArray begin = QByteArrayLiteral("-----BEGIN CERTIFICATE-----");
    static const QByteArray end = QByteArrayLiteral("-----END CERTIFICATE-----");
    QList<pki::Certificate> out;
    qsizetype pos = 0;
    while ((pos = pem.indexOf(begin, pos)) >= 0) {
        const qsizetype bodyStart = pos + begin.size();
        const qsizetype bodyEnd = pem.indexOf(end, bodyStart);
        if (bodyEnd < 0)
            return std::nullopt;
        QByteArray body = pem.mid(bodyStart, bodyEnd - bodyStart);
        body.removeIf([](char c) { return c == '\n' || c == '\r' || c == ' ' || c == '\t'; });
        auto der = QByteArray::fromBase64Encoding(body, QByteArray::AbortOnBase64DecodingErrors);
        if (!der)
            return std::nullopt;
        pki::Certificate certificate = pki::Certificate::fromDer(*der);
        if (certificate.isNull())
            return std::nullopt;
        out << certificate;
        pos = bodyEnd + end.size();
    }
    if (out.isEmpty())
        return std::nullopt;
    return out;
}

bool CertificateLoader::loadPemBundleInSlices(int generation, const QString& path)
{
    const QFileInfo info(path);
    if (!info.isFile() || info.size() < kSlicedMinBytes || info.size() > pki::kMaxPkiFileSize)
        return false;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray data = file.readAll();
    static const QByteArray beginAny = QByteArrayLiteral("-----BEGIN ");
    static const QByteArray beginCert = QByteArrayLiteral("-----BEGIN CERTIFICATE-----");
    static const QByteArray endCert = QByteArrayLiteral("-----END CERTIFICATE-----");
    const qsizetype blocks = data.count(beginAny);
    if (blocks <= kFirstBatch || data.count(beginCert) != blocks)
        return false; // small, or other PEM blocks too: PkiLoader reads it whole

    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<pki::Certificate> all;
    QSet<QString> seen;
    QList<bool> issuerKnownThen;
    QList<int> sliceEnds;
    all.reserve(blocks);
    qsizetype sliceStart = 0;
    auto parseSlice = [&](qsizetype end) -> std::optional<Error> {
        const QByteArray slice = data.mid(sliceStart, end - sliceStart);
        auto certs = decodeCertificateBlocks(slice);
        if (!certs) {
            // Something unusual (headers, bad base64): PkiLoader reads the slice and says what is wrong.
            auto parsed = pki::PkiLoader::parseCertificates(slice, {}, path);
            if (!parsed)
                return parsed.error();
            certs = *parsed;
        }
        const qsizetype first = all.size();
        all.append(*certs);
        for (const pki::Certificate& c : std::as_const(*certs))
            seen.insert(c.subjectDn());
        for (qsizetype i = first; i < all.size(); ++i)
            issuerKnownThen << seen.contains(all.at(i).issuerDn());
        sliceEnds << int(all.size()) - 1;
        sliceStart = end;
        Q_EMIT rowsReady(generation,
                         CertificateRowBuilder::fromCertificates(all, first, all.size() - first, seen, now));
        return std::nullopt;
    };
    qsizetype pos = 0;
    int inSlice = 0;
    std::optional<Error> error;
    while (!error && (pos = data.indexOf(endCert, pos)) >= 0) {
        pos += endCert.size();
        if (++inSlice < (all.isEmpty() ? kFirstBatch : kBatch))
            continue;
        if (!isCurrent(generation))
            return true;
        error = parseSlice(pos);
        inSlice = 0;
    }
    if (!error && inSlice > 0 && isCurrent(generation))
        error = parseSlice(data.size());
    if (!isCurrent(generation))
        return true;
    if (error) {
        Q_EMIT finished(generation, false, 0, *error);
        return true;
    }
    // Now that every subject is known: issuers found further down, links across slices.
    QList<int> indices;
    QList<CertificateRow> rows;
    for (qsizetype i = 0; i < all.size(); ++i) {
        if (seen.contains(all.at(i).issuerDn()) != issuerKnownThen.at(i) || sliceEnds.contains(int(i))) {
            indices << int(i);
            rows << CertificateRowBuilder::fromCertificates(all, i, 1, seen, now).first();
        }
    }
    if (!indices.isEmpty())
        Q_EMIT rowsReplaced(generation, indices, rows);
    Q_EMIT finished(generation, true, int(all.size()), {});
    return true;
}

void CertificateLoader::loadCertificates(int generation, const QList<pki::Certificate>& certificates)
{
    if (isCurrent(generation))
        emitRows(generation, certificates);
}

void CertificateLoader::emitRows(int generation, const QList<pki::Certificate>& certificates)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (CertificateRowBuilder::looksLikeChain(certificates)) {
        const QList<CertificateRow> rows = CertificateRowBuilder::forFile(certificates, now);
        Q_EMIT rowsReady(generation, rows);
        Q_EMIT finished(generation, true, int(rows.size()), {});
        return;
    }
    // A bundle: the first cards quickly, then big batches. Issuer links need the whole set, so the
    // subjects of the whole set are collected first.
    const QSet<QString> subjects = CertificateRowBuilder::subjectsOf(certificates);
    qsizetype sent = 0;
    const qsizetype total = certificates.size();
    while (sent < total) {
        if (!isCurrent(generation))
            return;
        const qsizetype n = std::min<qsizetype>(sent == 0 ? kFirstBatch : kBatch, total - sent);
        Q_EMIT rowsReady(generation,
                         CertificateRowBuilder::fromCertificates(certificates, sent, n, subjects, now));
        sent += n;
    }
    Q_EMIT finished(generation, true, int(total), {});
}

} // namespace vf::ui
