#pragma once

#include "common/Error.h"
#include "interop/ImportedProfile.h"
#include "interop/PgAdminImport.h"
#include "interop/ServiceFileImport.h"
#include "settings/Environment.h"
#include "widgets/StatusLevel.h"

#include <QDialog>
#include <QFutureWatcher>
#include <QList>

#include <memory>
#include <optional>

class QFileDialog;
class QLabel;
class QTreeWidgetItem;

namespace Ui {
class ImportDialog;
}

namespace vf::ui {

// File → Import…: new profiles from what people already have. Four sources, one per tab:
//   Paste          a libpq keyword/value string or URI, recognised as it is typed (libpq's message
//                  when it does not parse), with a name and the settings found;
//   Service Files  the sections of the user and system pg_service.conf (PGSERVICEFILE, PGSYSCONFDIR
//                  honoured), ticked to import, copied or referred to by service=NAME;
//   pgAdmin 4      a servers.json export, one checkbox per server (a server that cannot be read shows
//                  why and cannot be ticked);
//   Environment    the PG* variables and ~/.postgresql/ files of this session.
// Files are read off the GUI thread. Open it with open() and take selectedProfiles() on accepted().
class ImportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ImportDialog)

public:
    enum class Source
    {
        Paste,
        ServiceFiles,
        PgAdmin,
        Environment,
    };

    explicit ImportDialog(QWidget* parent = nullptr);
    // The environment libpq would see (tests pass their own).
    explicit ImportDialog(const settings::Environment& environment, QWidget* parent = nullptr);
    ~ImportDialog() override;

    // What the Import button takes: the profiles of the current tab that are ticked (or the pasted
    // one, or the environment's), with their suggested names. Secrets a source held are in conninfo.
    QList<interop::ImportedProfile> selectedProfiles() const;

    Source source() const;
    void setSource(Source source);
    void setPastedText(const QString& text);
    // Reads a pgAdmin export (off the GUI thread); pgAdminFileLoaded() follows.
    void openPgAdminFile(const QString& path);

Q_SIGNALS:
    void pgAdminFileLoaded();
    void serviceFilesLoaded();
    void environmentLoaded();

private:
    void updatePaste();
    void reloadServiceFiles();
    void showServiceFiles(const QList<interop::ServiceFileListing>& listings);
    void showServiceDetails();
    void choosePgAdminFile();
    void showPgAdmin(const Result<interop::PgAdminExport>& result);
    void showPgAdminDetails();
    void setAllPgAdminChecked(bool checked);
    void loadEnvironment();
    void showEnvironment(const interop::ImportedProfile& profile);
    void updateImportButton();
    // One line of a status label: HTML text after its level's symbol (no symbol: a continuation).
    struct StatusLine
    {
        std::optional<StatusLevel> level;
        QString html;
    };
    void setStatus(QLabel* label, const QList<StatusLine>& lines);
    void setStatus(QLabel* label, StatusLevel level, const QString& html);
    // The error (message in bold, explanation), comment and notes of a candidate.
    static QList<StatusLine> notesOf(const interop::ImportedProfile& profile);

    std::unique_ptr<Ui::ImportDialog> m_ui;
    settings::Environment m_environment;
    std::optional<interop::ImportedProfile> m_pasted;
    bool m_pasteNameEdited = false;
    QList<interop::ServiceFileListing> m_serviceFiles;
    std::optional<interop::PgAdminExport> m_pgAdmin;
    std::optional<interop::ImportedProfile> m_fromEnvironment;
    QFutureWatcher<Result<interop::PgAdminExport>>* m_pgAdminWatcher = nullptr;
    QFutureWatcher<QList<interop::ServiceFileListing>>* m_serviceWatcher = nullptr;
    QFutureWatcher<interop::ImportedProfile>* m_environmentWatcher = nullptr;
    bool m_environmentRequested = false;
    QFileDialog* m_fileDialog = nullptr;
    bool m_servicesRequested = false;
};

} // namespace vf::ui
