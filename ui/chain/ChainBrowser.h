#pragma once

#include "common/Error.h"
#include "pki/Certificate.h"
#include "pki/ChainVerifier.h"
#include "pki/HostNameMatcher.h"

#include <QList>
#include <QString>
#include <QThread>
#include <QWidget>

#include <atomic>
#include <functional>
#include <memory>
#include <optional>

class QAbstractItemModel;
class QListView;
class QSortFilterProxyModel;

namespace Ui {
class ChainBrowser;
}

namespace vf::ui {

class CertificateListModel;
class CertificateLoader;
struct CertificateRow;

// The certificate chain browser: a chain drawn leaf → intermediates → root as cards coloured by
// status with the reason in words, the selected certificate's fields, PEM, copy and export. Opens any
// certificate file (button, drop, openFile()) off the GUI thread; a bundle of thousands of
// certificates is a searchable list whose rows arrive in batches.
class ChainBrowser final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChainBrowser)

public:
    enum class ExportFormat
    {
        Pem,
        Der,
    };

    // Seams for the file dialogs (tests answer without a dialog). Both are asynchronous: call `done`
    // with the chosen path, or with an empty string when the person cancels.
    using PathCallback = std::function<void(const QString& path)>;
    using OpenFileChooser = std::function<void(QWidget* parent, PathCallback done)>;
    using SaveFileChooser =
        std::function<void(QWidget* parent, const QString& caption, const QString& suggestedPath,
                           const QString& filter, PathCallback done)>;

    explicit ChainBrowser(QWidget* parent = nullptr);
    ~ChainBrowser() override;

    // Certificates already in memory (a profile's file, a chain a server presented). With a
    // verification the cards say what it found; without one, dates and self-signatures only.
    void showChain(const QList<vf::pki::Certificate>& certs, const QString& title,
                   const std::optional<vf::pki::ChainVerification>& verification = {});
    // The chain a server presented during a test, with the verify-full host-name check of its leaf.
    void showServerChain(const QList<vf::pki::Certificate>& certs, const QString& title,
                         const std::optional<vf::pki::ChainVerification>& verification,
                         const std::optional<vf::pki::HostNameMatch>& hostName);
    // Any certificate file PkiLoader reads. Returns false (and says why in the widget) when the path
    // cannot be opened at all; else the file is read off the GUI thread and loadFinished() follows.
    bool openFile(const QString& path);
    // Asks for a file with the open-file chooser, then opens it.
    void chooseFile();

    void setOpenFileChooser(OpenFileChooser chooser);
    void setSaveFileChooser(SaveFileChooser chooser);

    // Writes the selected certificate (or, for exportAll, every certificate in list order as PEM).
    bool exportCurrent(ExportFormat format, const QString& path);
    bool exportAll(const QString& path);

    bool isLoading() const { return m_loading; }
    QString title() const { return m_title; }
    int certificateCount() const;
    // The list as shown (after the search filter) and the full list.
    QAbstractItemModel* visibleModel() const;
    CertificateListModel* certificateModel() const { return m_model; }
    void setSearchText(const QString& text);
    void selectVisibleRow(int row);
    std::optional<vf::pki::Certificate> currentCertificate() const;
    QString message() const; // the error or notice shown, empty if none

Q_SIGNALS:
    void loadFinished(bool ok, int count);
    void currentCertificateChanged(const vf::pki::Certificate& certificate);
    void exported(const QString& path);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    int beginLoad(const QString& title);
    void releaseRows();
    void onRows(int generation, const QList<vf::ui::CertificateRow>& rows);
    void onLoadFinished(int generation, bool ok, int total, const vf::Error& error);
    void onCurrentChanged();
    void updateCount();
    void updateSummary();
    void showMessage(const QString& text, bool error);
    void chooseExport(ExportFormat format);
    void chooseExportAll();
    bool writeFile(const QString& path, const QByteArray& bytes);
    const CertificateRow* currentRow() const;
    void applyMessageStyle();
    QListView* list() const;

    std::unique_ptr<Ui::ChainBrowser> m_ui;
    CertificateListModel* m_model = nullptr;
    QSortFilterProxyModel* m_proxy = nullptr;
    QThread m_thread;
    CertificateLoader* m_loader = nullptr; // lives in m_thread
    std::shared_ptr<std::atomic<int>> m_generation;
    int m_requestGeneration = 0;
    bool m_loading = false;
    bool m_messageIsError = false;
    QString m_title;
    QString m_path;    // the file shown, empty for in-memory chains
    QString m_verdict; // what a chain verification said, for the summary
    OpenFileChooser m_openChooser;
    SaveFileChooser m_saveChooser;
};

} // namespace vf::ui
