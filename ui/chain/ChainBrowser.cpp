#include "ChainBrowser.h"

#include "CertificateListModel.h"
#include "CertificateLoader.h"
#include "CertificateRowBuilder.h"
#include "ChainCardDelegate.h"
#include "common/OpenSslThread.h"
#include "ui_ChainBrowser.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QListView>
#include <QLocale>
#include <QMimeData>
#include <QPointer>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

// Chains and small sets are prepared on the GUI thread (a few milliseconds); bigger ones on the loader.
constexpr int kInlineLimit = 200;

QString safeFileName(const QString& name)
{
    QString out;
    for (const QChar c : name) {
        if (c.isLetterOrNumber() || c == u'-' || c == u'_' || c == u'.')
            out += c;
        else if (c.isSpace())
            out += u'_';
    }
    return out.isEmpty() ? u"certificate"_s : out.left(64);
}

QColor blend(const QColor& a, const QColor& b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

} // namespace

ChainBrowser::ChainBrowser(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ChainBrowser>())
    , m_generation(std::make_shared<std::atomic<int>>(0))
{
    m_ui->setupUi(this);
    setObjectName(u"chainBrowser"_s);
    setAcceptDrops(true);

    QFont titleFont = m_ui->titleLabel->font();
    titleFont.setBold(true);
    if (titleFont.pointSizeF() > 0)
        titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_ui->titleLabel->setFont(titleFont);
    m_ui->messageLabel->hide();
    m_ui->passwordRow->hide();
    m_ui->summaryLabel->hide();
    m_ui->pages->setCurrentWidget(m_ui->emptyPage);

    m_model = new CertificateListModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterRole(CertificateListModel::SearchRole);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    QListView* list = m_ui->certificateList;
    list->setModel(m_proxy);
    list->setItemDelegate(new ChainCardDelegate(list));
    list->setUniformItemSizes(true);
    list->setSelectionMode(QAbstractItemView::SingleSelection);
    list->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    list->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    list->setLayoutMode(QListView::Batched);
    list->setBatchSize(500);
    m_ui->splitter->setStretchFactor(0, 2);
    m_ui->splitter->setStretchFactor(1, 3);
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->pemView->setFont(mono);

    auto* find = new QAction(tr("Find"), this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, this, [this] {
        m_ui->searchEdit->setFocus(Qt::ShortcutFocusReason);
        m_ui->searchEdit->selectAll();
    });
    addAction(find);

    connect(list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ChainBrowser::onCurrentChanged);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &ChainBrowser::updateCount);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &ChainBrowser::updateCount);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &ChainBrowser::updateCount);
    connect(m_proxy, &QAbstractItemModel::layoutChanged, this, &ChainBrowser::updateCount);
    connect(m_ui->searchEdit, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text.trimmed());
        updateCount();
        if (!m_ui->certificateList->currentIndex().isValid() && m_proxy->rowCount() > 0)
            selectVisibleRow(0);
    });
    connect(m_ui->openButton, &QPushButton::clicked, this, &ChainBrowser::chooseFile);
    connect(m_ui->passwordButton, &QPushButton::clicked, this, [this] {
        const QString path = m_path;
        const QByteArray password = m_ui->passwordEdit->text().toUtf8();
        m_ui->passwordEdit->clear();
        const int generation = beginLoad(m_title);
        m_path = path;
        QMetaObject::invokeMethod(
            m_loader,
            [loader = m_loader, generation, path, password] { loader->loadFile(generation, path, password); },
            Qt::QueuedConnection);
    });
    connect(m_ui->passwordEdit, &QLineEdit::returnPressed, m_ui->passwordButton, &QPushButton::click);
    connect(m_ui->copyPemButton, &QPushButton::clicked, this, [this] {
        if (const CertificateRow* r = currentRow())
            QApplication::clipboard()->setText(QString::fromLatin1(r->certificate.toPem()));
    });
    connect(m_ui->exportPemButton, &QPushButton::clicked, this, [this] { chooseExport(ExportFormat::Pem); });
    connect(m_ui->exportDerButton, &QPushButton::clicked, this, [this] { chooseExport(ExportFormat::Der); });
    connect(m_ui->exportAllButton, &QPushButton::clicked, this, &ChainBrowser::chooseExportAll);

    m_openChooser = [](QWidget* parentWidget, PathCallback done) {
        auto* dialog = new QFileDialog(parentWidget, tr("Open Certificate File"));
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setFileMode(QFileDialog::ExistingFile);
        dialog->setNameFilters(
            {tr("Certificates (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx *.ca-bundle)"),
             tr("All files (*)")});
        QObject::connect(dialog, &QFileDialog::fileSelected, dialog,
                         [done](const QString& path) { done(path); });
        dialog->open();
    };
    m_saveChooser = [](QWidget* parentWidget, const QString& caption, const QString& suggested,
                       const QString& filter, PathCallback done) {
        auto* dialog = new QFileDialog(parentWidget, caption, suggested, filter);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->setAcceptMode(QFileDialog::AcceptSave);
        dialog->setFileMode(QFileDialog::AnyFile);
        QObject::connect(dialog, &QFileDialog::fileSelected, dialog,
                         [done](const QString& path) { done(path); });
        dialog->open();
    };

    m_loader = new CertificateLoader(m_generation);
    m_loader->moveToThread(&m_thread);
    connect(m_loader, &CertificateLoader::rowsReady, this, &ChainBrowser::onRows);
    connect(m_loader, &CertificateLoader::finished, this, &ChainBrowser::onLoadFinished);
    connect(m_loader, &CertificateLoader::rowsReplaced, this,
            [this](int generation, const QList<int>& indices, const QList<CertificateRow>& rows) {
                if (generation != m_requestGeneration)
                    return;
                m_model->replaceRows(indices, rows);
                const QModelIndex current = m_proxy->mapToSource(m_ui->certificateList->currentIndex());
                if (current.isValid() && indices.contains(current.row()))
                    onCurrentChanged();
            });
    m_thread.setObjectName(u"vf-chain-loader"_s);
    // Runs on the loader thread as it ends: OpenSSL's per-thread state goes before wait() returns.
    connect(
        &m_thread, &QThread::finished, &m_thread, [] { ossl::releaseThreadState(); }, Qt::DirectConnection);
    m_thread.start(QThread::LowPriority);
    updateCount();
    applyMessageStyle();
}

ChainBrowser::~ChainBrowser()
{
    m_generation->fetch_add(1); // a running load stops at its next batch
    m_thread.quit();
    m_thread.wait();
    delete m_loader;
}

QListView* ChainBrowser::list() const
{
    return m_ui->certificateList;
}

void ChainBrowser::releaseRows()
{
    // Thousands of certificates take long to free: the loader's thread does it.
    QList<CertificateRow> old = m_model->takeRows();
    if (!old.isEmpty()) {
        QMetaObject::invokeMethod(
            m_loader,
            [loader = m_loader, rows = std::move(old)]() mutable { loader->dispose(std::move(rows)); },
            Qt::QueuedConnection);
    }
}

int ChainBrowser::beginLoad(const QString& title)
{
    m_requestGeneration = m_generation->fetch_add(1) + 1;
    releaseRows();
    m_ui->detailsTree->clearDetails();
    m_ui->reasonLabel->clear();
    m_ui->pemView->clear();
    m_ui->passwordRow->hide();
    m_ui->messageLabel->hide();
    m_verdict.clear();
    m_title = title;
    m_path.clear();
    m_ui->titleLabel->setText(title);
    m_ui->titleLabel->setToolTip(title);
    m_ui->pages->setCurrentWidget(m_ui->contentPage);
    m_loading = true;
    updateCount();
    updateSummary();
    return m_requestGeneration;
}

void ChainBrowser::showChain(const QList<pki::Certificate>& certs, const QString& title,
                             const std::optional<pki::ChainVerification>& verification)
{
    showServerChain(certs, title, verification, std::nullopt);
}

void ChainBrowser::showServerChain(const QList<pki::Certificate>& certs, const QString& title,
                                   const std::optional<pki::ChainVerification>& verification,
                                   const std::optional<pki::HostNameMatch>& hostName)
{
    const int generation = beginLoad(title);
    if (verification) {
        const pki::HostNameMatch* match = hostName ? &*hostName : nullptr;
        if (verification->ok && (!match || match->isMatched()))
            m_verdict = tr("The chain verifies up to a trusted root.");
        else if (!verification->ok)
            m_verdict = tr("The chain does not verify: %1 (depth %2).")
                            .arg(verification->errorString)
                            .arg(verification->errorDepth);
        else
            m_verdict =
                tr("The chain verifies, but the server certificate does not name %1.").arg(match->host);
        if (!verification->crlNote.isEmpty())
            m_verdict += u' ' + verification->crlNote;
        onRows(generation, CertificateRowBuilder::fromVerification(*verification, match, false));
        onLoadFinished(generation, true, int(m_model->rowCount()), {});
        return;
    }
    if (certs.size() <= kInlineLimit) {
        const QList<CertificateRow> rows =
            CertificateRowBuilder::forFile(certs, QDateTime::currentDateTimeUtc());
        if (CertificateRowBuilder::looksLikeChain(certs))
            m_verdict =
                tr("Checked as a chain against the root included with it, not against your trusted roots.");
        onRows(generation, rows);
        onLoadFinished(generation, true, int(rows.size()), {});
        return;
    }
    QMetaObject::invokeMethod(
        m_loader, [loader = m_loader, generation, certs] { loader->loadCertificates(generation, certs); },
        Qt::QueuedConnection);
}

bool ChainBrowser::openFile(const QString& path)
{
    const QFileInfo info(path);
    const QString name = info.fileName().isEmpty() ? path : info.fileName();
    const int generation = beginLoad(name);
    m_path = path;
    m_ui->titleLabel->setToolTip(QDir::toNativeSeparators(path));
    QString problem;
    if (path.isEmpty())
        problem = tr("No file was given.");
    else if (!info.exists())
        problem = tr("The file \u201C%1\u201D does not exist.").arg(QDir::toNativeSeparators(path));
    else if (info.isDir())
        problem =
            tr("\u201C%1\u201D is a directory, not a certificate file.").arg(QDir::toNativeSeparators(path));
    if (!problem.isEmpty()) {
        m_loading = false;
        m_ui->pages->setCurrentWidget(m_ui->emptyPage);
        showMessage(problem, true);
        Q_EMIT loadFinished(false, 0);
        return false;
    }
    showMessage(tr("Reading %1\u2026").arg(name), false);
    QMetaObject::invokeMethod(
        m_loader, [loader = m_loader, generation, path] { loader->loadFile(generation, path, {}); },
        Qt::QueuedConnection);
    return true;
}

void ChainBrowser::chooseFile()
{
    m_openChooser(this, [self = QPointer<ChainBrowser>(this)](const QString& path) {
        if (self && !path.isEmpty())
            self->openFile(path);
    });
}

void ChainBrowser::setOpenFileChooser(OpenFileChooser chooser)
{
    m_openChooser = std::move(chooser);
}

void ChainBrowser::setSaveFileChooser(SaveFileChooser chooser)
{
    m_saveChooser = std::move(chooser);
}

void ChainBrowser::onRows(int generation, const QList<CertificateRow>& rows)
{
    if (generation != m_requestGeneration)
        return;
    m_model->appendRows(rows);
    if (!list()->currentIndex().isValid() && m_proxy->rowCount() > 0)
        selectVisibleRow(0);
}

void ChainBrowser::onLoadFinished(int generation, bool ok, int total, const Error& error)
{
    if (generation != m_requestGeneration)
        return;
    m_loading = false;
    if (!ok) {
        const bool needsPassword =
            error.code == u"pki.passphrase-required"_s || error.code == u"pki.wrong-passphrase"_s;
        releaseRows();
        m_ui->pages->setCurrentWidget(m_ui->emptyPage);
        QString text = error.message;
        if (!error.explanation.isEmpty())
            text += u"\n"_s + error.explanation;
        showMessage(text, true);
        if (needsPassword) {
            m_ui->passwordRow->show();
            m_ui->passwordEdit->setFocus(Qt::OtherFocusReason);
        }
        Q_EMIT loadFinished(false, 0);
        return;
    }
    m_ui->messageLabel->hide();
    if (total == 0) {
        showMessage(tr("No certificate found."), true);
        m_ui->pages->setCurrentWidget(m_ui->emptyPage);
    }
    updateCount();
    updateSummary();
    Q_EMIT loadFinished(true, total);
}

void ChainBrowser::updateCount()
{
    const int total = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    QString text;
    if (m_loading && total > 0)
        text = tr("%Ln certificate(s) so far\u2026", nullptr, total);
    else if (shown == total)
        text = tr("%Ln certificate(s)", nullptr, total);
    else
        text = tr("%L1 of %L2 certificates match").arg(shown).arg(total);
    m_ui->countLabel->setText(text);
    const bool hasCurrent = currentRow() != nullptr;
    m_ui->copyPemButton->setEnabled(hasCurrent);
    m_ui->exportPemButton->setEnabled(hasCurrent);
    m_ui->exportDerButton->setEnabled(hasCurrent);
    m_ui->exportAllButton->setEnabled(total > 0 && !m_loading);
}

void ChainBrowser::updateSummary()
{
    if (m_loading || m_model->rowCount() == 0) {
        m_ui->summaryLabel->hide();
        return;
    }
    QString text = m_verdict;
    if (text.isEmpty()) {
        int expired = 0;
        int expiring = 0;
        for (const CertificateRow& r : m_model->rows()) {
            if (r.assessment.status == CertificateAssessment::Status::Expired)
                ++expired;
            else if (r.assessment.status == CertificateAssessment::Status::Expiring)
                ++expiring;
        }
        const int total = m_model->rowCount();
        QStringList parts{tr("%Ln certificate(s), not checked against your trusted roots.", nullptr, total)};
        if (expired > 0)
            parts << tr("Expired: %L1.").arg(expired);
        if (expiring > 0)
            parts << tr("Expiring within %1 days: %L2.")
                         .arg(CertificateAssessment::kExpiryWarningDays)
                         .arg(expiring);
        text = parts.join(u' ');
    }
    m_ui->summaryLabel->setText(text);
    m_ui->summaryLabel->show();
}

const CertificateRow* ChainBrowser::currentRow() const
{
    const QModelIndex index = m_proxy->mapToSource(m_ui->certificateList->currentIndex());
    if (!index.isValid() || index.row() >= m_model->rowCount())
        return nullptr;
    return &m_model->row(index.row());
}

void ChainBrowser::onCurrentChanged()
{
    const CertificateRow* r = currentRow();
    if (!r) {
        m_ui->reasonLabel->clear();
        m_ui->detailsTree->clearDetails();
        m_ui->pemView->clear();
        updateCount();
        return;
    }
    QString reasons = u"<b style=\"color:%1\">%2</b>"_s.arg(
        CertificateAssessment::accentColor(r->assessment.status, palette()).name(),
        r->assessment.label.toHtmlEscaped());
    for (const QString& reason : r->assessment.reasons)
        reasons += u"<br/>"_s + reason.toHtmlEscaped();
    m_ui->reasonLabel->setText(reasons);
    m_ui->detailsTree->showRow(*r);
    m_ui->pemView->setPlainText(QString::fromLatin1(r->certificate.toPem()));
    updateCount();
    Q_EMIT currentCertificateChanged(r->certificate);
}

int ChainBrowser::certificateCount() const
{
    return m_model->rowCount();
}

QAbstractItemModel* ChainBrowser::visibleModel() const
{
    return m_proxy;
}

void ChainBrowser::setSearchText(const QString& text)
{
    m_ui->searchEdit->setText(text);
}

void ChainBrowser::selectVisibleRow(int row)
{
    const QModelIndex index = m_proxy->index(row, 0);
    if (!index.isValid())
        return;
    m_ui->certificateList->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_ui->certificateList->scrollTo(index);
}

std::optional<pki::Certificate> ChainBrowser::currentCertificate() const
{
    if (const CertificateRow* r = currentRow())
        return r->certificate;
    return std::nullopt;
}

QString ChainBrowser::message() const
{
    return m_ui->messageLabel->isVisibleTo(this) ? m_ui->messageLabel->text() : QString();
}

void ChainBrowser::showMessage(const QString& text, bool error)
{
    m_messageIsError = error;
    m_ui->messageLabel->setText(text);
    m_ui->messageLabel->setAccessibleName(error ? tr("Error") : tr("Notice"));
    applyMessageStyle();
    m_ui->messageLabel->show();
}

void ChainBrowser::applyMessageStyle()
{
    const QPalette pal = palette();
    const QColor base = pal.color(QPalette::Base);
    const QColor accent =
        m_messageIsError ? CertificateAssessment::accentColor(CertificateAssessment::Status::Expired, pal)
                         : pal.color(QPalette::Highlight);
    m_ui->messageLabel->setStyleSheet(u"QLabel#messageLabel { background: %1; border: 1px solid %2; "
                                      "border-radius: 4px; color: %3; }"_s.arg(
                                          blend(base, accent, 0.12).name(), blend(base, accent, 0.6).name(),
                                          pal.color(QPalette::Text).name()));
}

void ChainBrowser::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        applyMessageStyle();
}

void ChainBrowser::chooseExport(ExportFormat format)
{
    const CertificateRow* r = currentRow();
    if (!r)
        return;
    const bool pem = format == ExportFormat::Pem;
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString suggested = QDir(dir).filePath(safeFileName(r->title) + (pem ? u".crt"_s : u".der"_s));
    m_saveChooser(this, pem ? tr("Export Certificate as PEM") : tr("Export Certificate as DER"), suggested,
                  pem ? tr("PEM certificate (*.crt *.pem)") : tr("DER certificate (*.der *.cer)"),
                  [self = QPointer<ChainBrowser>(this), format](const QString& path) {
                      if (self && !path.isEmpty())
                          self->exportCurrent(format, path);
                  });
}

void ChainBrowser::chooseExportAll()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    m_saveChooser(this, tr("Export All Certificates as PEM"),
                  QDir(dir).filePath(safeFileName(QFileInfo(m_title).completeBaseName()) + u"-bundle.crt"_s),
                  tr("PEM certificates (*.crt *.pem)"),
                  [self = QPointer<ChainBrowser>(this)](const QString& path) {
                      if (self && !path.isEmpty())
                          self->exportAll(path);
                  });
}

bool ChainBrowser::exportCurrent(ExportFormat format, const QString& path)
{
    const CertificateRow* r = currentRow();
    if (!r)
        return false;
    return writeFile(path, format == ExportFormat::Pem ? r->certificate.toPem() : r->certificate.toDer());
}

bool ChainBrowser::exportAll(const QString& path)
{
    QByteArray bytes;
    for (const CertificateRow& r : m_model->rows())
        bytes += r.certificate.toPem();
    return !bytes.isEmpty() && writeFile(path, bytes);
}

bool ChainBrowser::writeFile(const QString& path, const QByteArray& bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        showMessage(
            tr("Could not save \u201C%1\u201D: %2").arg(QDir::toNativeSeparators(path), file.errorString()),
            true);
        return false;
    }
    showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)), false);
    Q_EMIT exported(path);
    return true;
}

void ChainBrowser::dragEnterEvent(QDragEnterEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void ChainBrowser::dropEvent(QDropEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.isEmpty() || !urls.first().isLocalFile())
        return;
    event->acceptProposedAction();
    openFile(urls.first().toLocalFile());
}

} // namespace vf::ui
