#pragma once

#include "CertificateRow.h"
#include "common/Error.h"
#include "pki/Certificate.h"

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>
#include <optional>

namespace vf::ui {

// Reads certificate files and builds their rows on a worker thread (the chain browser moves it to its
// own QThread and calls it with queued invocations). Rows come back in batches, the first one small,
// so that the first cards of a 5,000-certificate bundle show while the rest is still being prepared.
// A newer request makes an older one stop at its next batch: every request carries a generation, and
// the browser publishes the current one in `current`.
class CertificateLoader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CertificateLoader)

public:
    explicit CertificateLoader(std::shared_ptr<const std::atomic<int>> current, QObject* parent = nullptr);
    ~CertificateLoader() override;

    // Any format PkiLoader reads (PEM bundle, DER, PKCS#7, PKCS#12 with `password`).
    void loadFile(int generation, const QString& path, const QByteArray& password);
    // Certificates already in memory (a big bundle handed to showChain without a verification).
    void loadCertificates(int generation, const QList<vf::pki::Certificate>& certificates);

    // Frees rows on this thread (a 5,000-row model takes a hundred milliseconds to destroy).
    void dispose(QList<vf::ui::CertificateRow> rows);

    static constexpr int kFirstBatch = 64;
    static constexpr int kBatch = 1000;
    // PEM bundles at least this big are parsed in slices, so that the first cards show at once.
    static constexpr qint64 kSlicedMinBytes = 64 * 1024;

Q_SIGNALS:
    void rowsReady(int generation, const QList<vf::ui::CertificateRow>& rows);
    // Rows sent earlier, recomputed once the whole file was read (an issuer found further down,
    // an issuer link across two slices).
    void rowsReplaced(int generation, const QList<int>& indices, const QList<vf::ui::CertificateRow>& rows);
    // ok: `total` rows were sent; else `error` says why nothing could be read.
    void finished(int generation, bool ok, int total, const vf::Error& error);

private:
    void emitRows(int generation, const QList<vf::pki::Certificate>& certificates);
    // A PEM file of certificates only, parsed and sent slice by slice. False when the file is not
    // such a bundle (the caller then reads it whole); true when it was handled, even with an error.
    bool loadPemBundleInSlices(int generation, const QString& path);

public:
    // The certificates of PEM text that holds only plain CERTIFICATE blocks, decoded straight to
    // Certificate (PkiLoader also checks what libpq would read, which a browser does not need and
    // which doubles the cost). nullopt when any block is unusual; the caller then uses PkiLoader.
    static std::optional<QList<vf::pki::Certificate>> decodeCertificateBlocks(const QByteArray& pem);
    bool isCurrent(int generation) const;

    std::shared_ptr<const std::atomic<int>> m_current;
};

} // namespace vf::ui
