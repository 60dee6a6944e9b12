#include "ImportDialog.h"

#include "InteropJobs.h"
#include "SettingsPreview.h"
#include "interop/PastedText.h"
#include "ui_ImportDialog.h"

#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHeaderView>
#include <QPushButton>
#include <QStyle>
#include <QTreeWidgetItem>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

// Item data of the service tree: the file's index, and the section's (-1 for a file row).
constexpr int kFileRole = Qt::UserRole + 1;
constexpr int kSectionRole = Qt::UserRole + 2;
// Item data of the pgAdmin list: the server's index.
constexpr int kServerRole = Qt::UserRole + 1;

QString escaped(const QString& s)
{
    return s.toHtmlEscaped();
}

} // namespace

ImportDialog::ImportDialog(QWidget* parent)
    : ImportDialog(settings::Environment::system(), parent)
{}

ImportDialog::ImportDialog(const settings::Environment& environment, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ImportDialog>())
    , m_environment(environment)
    , m_pgAdminWatcher(new QFutureWatcher<Result<interop::PgAdminExport>>(this))
    , m_serviceWatcher(new QFutureWatcher<QList<interop::ServiceFileListing>>(this))
    , m_environmentWatcher(new QFutureWatcher<interop::ImportedProfile>(this))
{
    m_ui->setupUi(this);
    setObjectName(u"importDialog"_s);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_ui->pasteEdit->setFont(mono);
    m_ui->pasteEdit->setPlaceholderText(
        tr("host=db.example.com dbname=app user=alice sslmode=verify-full\nor\n"
           "postgresql://alice@db.example.com/app?sslmode=verify-full"));
    m_ui->pasteEdit->setFocus();
    for (QTreeWidget* tree : {m_ui->pastePreview, m_ui->serviceDetails, m_ui->environmentTree}) {
        tree->header()->setStretchLastSection(true);
        tree->setSelectionMode(QAbstractItemView::NoSelection);
        tree->setFocusPolicy(Qt::NoFocus);
    }
    m_ui->serviceTree->header()->setStretchLastSection(true);
    m_ui->pgAdminTree->header()->setStretchLastSection(true);
    m_ui->serviceTree->setColumnWidth(0, 220);
    m_ui->pgAdminTree->setColumnWidth(0, 200);
    m_ui->pgAdminTree->setColumnWidth(1, 120);

    QPushButton* importButton = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    importButton->setObjectName(u"importButton"_s);
    importButton->setToolTip(tr("Create a profile for each connection chosen on this tab"));
    m_ui->buttonBox->button(QDialogButtonBox::Cancel)->setObjectName(u"cancelButton"_s);

    connect(m_ui->buttonBox, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->sourceTabs, &QTabWidget::currentChanged, this, [this] {
        if (source() == Source::ServiceFiles && !m_servicesRequested)
            reloadServiceFiles();
        if (source() == Source::Environment && !m_environmentRequested)
            loadEnvironment();
        updateImportButton();
    });

    connect(m_ui->pasteEdit, &QPlainTextEdit::textChanged, this, &ImportDialog::updatePaste);
    connect(m_ui->pasteNameEdit, &QLineEdit::textEdited, this, [this] {
        m_pasteNameEdited = !m_ui->pasteNameEdit->text().isEmpty();
        updateImportButton();
    });

    connect(m_ui->serviceReloadButton, &QPushButton::clicked, this, &ImportDialog::reloadServiceFiles);
    connect(m_ui->serviceTree, &QTreeWidget::currentItemChanged, this, &ImportDialog::showServiceDetails);
    connect(m_ui->serviceTree, &QTreeWidget::itemChanged, this, &ImportDialog::updateImportButton);
    connect(m_serviceWatcher, &QFutureWatcher<QList<interop::ServiceFileListing>>::finished, this, [this] {
        showServiceFiles(m_serviceWatcher->result());
        Q_EMIT serviceFilesLoaded();
    });

    connect(m_environmentWatcher, &QFutureWatcher<interop::ImportedProfile>::finished, this, [this] {
        showEnvironment(m_environmentWatcher->result());
        Q_EMIT environmentLoaded();
    });

    connect(m_ui->pgAdminBrowseButton, &QPushButton::clicked, this, &ImportDialog::choosePgAdminFile);
    connect(m_ui->pgAdminPathEdit, &QLineEdit::returnPressed, this,
            [this] { openPgAdminFile(m_ui->pgAdminPathEdit->text()); });
    connect(m_ui->pgAdminTree, &QTreeWidget::currentItemChanged, this, &ImportDialog::showPgAdminDetails);
    connect(m_ui->pgAdminTree, &QTreeWidget::itemChanged, this, &ImportDialog::updateImportButton);
    connect(m_ui->pgAdminSelectAllButton, &QPushButton::clicked, this,
            [this] { setAllPgAdminChecked(true); });
    connect(m_ui->pgAdminSelectNoneButton, &QPushButton::clicked, this,
            [this] { setAllPgAdminChecked(false); });
    connect(m_pgAdminWatcher, &QFutureWatcher<Result<interop::PgAdminExport>>::finished, this, [this] {
        showPgAdmin(m_pgAdminWatcher->result());
        Q_EMIT pgAdminFileLoaded();
    });

    m_ui->pgAdminSelectAllButton->setEnabled(false);
    m_ui->pgAdminSelectNoneButton->setEnabled(false);
    setStatus(m_ui->pgAdminStatusLabel, StatusLevel::Info, escaped(tr("Choose the file pgAdmin exported.")));
    updatePaste();
    resize(760, 560);
}

ImportDialog::~ImportDialog()
{
    // The jobs keep running; their results are dropped with the watchers.
    m_pgAdminWatcher->disconnect(this);
    m_serviceWatcher->disconnect(this);
    m_environmentWatcher->disconnect(this);
}

ImportDialog::Source ImportDialog::source() const
{
    const QWidget* page = m_ui->sourceTabs->currentWidget();
    if (page == m_ui->servicePage)
        return Source::ServiceFiles;
    if (page == m_ui->pgAdminPage)
        return Source::PgAdmin;
    if (page == m_ui->environmentPage)
        return Source::Environment;
    return Source::Paste;
}

void ImportDialog::setSource(Source source)
{
    switch (source) {
    case Source::Paste:
        m_ui->sourceTabs->setCurrentWidget(m_ui->pastePage);
        break;
    case Source::ServiceFiles:
        m_ui->sourceTabs->setCurrentWidget(m_ui->servicePage);
        break;
    case Source::PgAdmin:
        m_ui->sourceTabs->setCurrentWidget(m_ui->pgAdminPage);
        break;
    case Source::Environment:
        m_ui->sourceTabs->setCurrentWidget(m_ui->environmentPage);
        break;
    }
}

void ImportDialog::setStatus(QLabel* label, const QList<StatusLine>& lines)
{
    if (lines.isEmpty()) {
        label->clear();
        return;
    }
    // A table keeps wrapped lines aligned after their symbol.
    QString html = u"<table cellspacing=\"0\" cellpadding=\"0\">"_s;
    for (const StatusLine& line : lines) {
        QString symbol;
        if (line.level) {
            symbol = u"<span style=\"color:%1\">%2</span>"_s.arg(statusColor(*line.level, palette()).name(),
                                                                 statusSymbol(*line.level));
        }
        html += u"<tr><td style=\"padding-right:6px\">%1</td><td>%2</td></tr>"_s.arg(symbol, line.html);
    }
    html += u"</table>"_s;
    label->setText(html);
}

void ImportDialog::setStatus(QLabel* label, StatusLevel level, const QString& html)
{
    setStatus(label, QList<StatusLine>{{level, html}});
}

QList<ImportDialog::StatusLine> ImportDialog::notesOf(const interop::ImportedProfile& profile)
{
    QList<StatusLine> out;
    if (profile.error) {
        out.append({StatusLevel::Error, u"<b>"_s + escaped(profile.error->message) + u"</b>"_s});
        if (!profile.error->explanation.isEmpty())
            out.append({std::nullopt, escaped(profile.error->explanation)});
    }
    if (!profile.comment.isEmpty())
        out.append({StatusLevel::Info, escaped(tr("Comment: %1").arg(profile.comment))});
    for (const QString& note : profile.notes)
        out.append({StatusLevel::Warning, escaped(note)});
    return out;
}

// --- Paste ----------------------------------------------------------------------------------------

void ImportDialog::setPastedText(const QString& text)
{
    m_ui->pasteEdit->setPlainText(text);
}

void ImportDialog::updatePaste()
{
    const QString text = m_ui->pasteEdit->toPlainText();
    const interop::PastedText::Kind kind = interop::PastedText::detect(text);
    m_pasted.reset();
    m_ui->pastePreview->clear();
    if (kind == interop::PastedText::Kind::Empty) {
        setStatus(m_ui->pasteStatusLabel, StatusLevel::Info, escaped(tr("Nothing pasted yet.")));
        updateImportButton();
        return;
    }
    const auto parsed = interop::PastedText::parse(text);
    if (!parsed) {
        // libpq's own message first (it may quote what was typed: shown, never logged).
        QList<StatusLine> lines{
            {StatusLevel::Error, tr("Not a valid %1: %2")
                                     .arg(escaped(interop::PastedText::kindName(kind)),
                                          u"<b>"_s + escaped(parsed.error().message) + u"</b>"_s)}};
        if (!parsed.error().explanation.isEmpty())
            lines.append({std::nullopt, escaped(parsed.error().explanation)});
        setStatus(m_ui->pasteStatusLabel, lines);
        updateImportButton();
        return;
    }
    m_pasted = *parsed;
    const int count = int(parsed->conninfo.params().size());
    QList<StatusLine> lines{
        {StatusLevel::Ok, tr("Recognised a %1 with %n setting(s).", nullptr, count)
                              .arg(u"<b>"_s + escaped(interop::PastedText::kindName(kind)) + u"</b>"_s)}};
    for (const QString& note : parsed->notes)
        lines.append({StatusLevel::Warning, escaped(note)});
    setStatus(m_ui->pasteStatusLabel, lines);
    SettingsPreview::fill(m_ui->pastePreview, *parsed);
    if (!m_pasteNameEdited)
        m_ui->pasteNameEdit->setText(parsed->suggestedName);
    updateImportButton();
}

// --- Service files --------------------------------------------------------------------------------

void ImportDialog::reloadServiceFiles()
{
    m_servicesRequested = true;
    m_ui->serviceReloadButton->setEnabled(false);
    m_ui->serviceTree->clear();
    m_ui->serviceDetails->clear();
    setStatus(m_ui->serviceNotesLabel, StatusLevel::Info, escaped(tr("Reading the service files…")));
    m_serviceWatcher->setFuture(InteropJobs::listServiceFiles(m_environment));
}

void ImportDialog::showServiceFiles(const QList<interop::ServiceFileListing>& listings)
{
    m_serviceFiles = listings;
    m_ui->serviceReloadButton->setEnabled(true);
    const QSignalBlocker blocker(m_ui->serviceTree);
    m_ui->serviceTree->clear();
    int sections = 0;
    QTreeWidgetItem* firstSection = nullptr;
    for (qsizetype f = 0; f < listings.size(); ++f) {
        const interop::ServiceFileListing& l = listings[f];
        auto* fileItem = new QTreeWidgetItem(m_ui->serviceTree);
        const QString scope = l.scope == interop::ServiceFileListing::Scope::User ? tr("Your service file")
                                                                                  : tr("System service file");
        fileItem->setText(0, l.displayPath.isEmpty() ? scope : l.displayPath);
        fileItem->setToolTip(0, u"%1: %2 (%3)"_s.arg(scope, l.path, l.chosenBy));
        fileItem->setData(0, kFileRole, int(f));
        fileItem->setData(0, kSectionRole, -1);
        fileItem->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
        QFont bold = fileItem->font(0);
        bold.setBold(true);
        fileItem->setFont(0, bold);
        // One line across both columns: the file, why libpq reads it, and what is in it.
        QString state;
        if (l.error && l.sections.isEmpty()) {
            state = l.error->message;
            fileItem->setForeground(0, statusColor(StatusLevel::Error, palette()));
        } else if (!l.exists) {
            state = tr("does not exist");
            fileItem->setForeground(0, secondaryTextColor(palette()));
        } else {
            state = tr("%n section(s)", nullptr, int(l.sections.size()));
        }
        fileItem->setText(0, tr("%1 — %2 (%3)").arg(fileItem->text(0), state, l.chosenBy));
        for (qsizetype s = 0; s < l.sections.size(); ++s) {
            const interop::ImportedProfile& p = l.sections[s];
            auto* item = new QTreeWidgetItem(fileItem);
            item->setText(0, u'[' + p.key + u']');
            item->setData(0, kFileRole, int(f));
            item->setData(0, kSectionRole, int(s));
            if (p.isValid()) {
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
                item->setCheckState(0, Qt::Unchecked);
                item->setText(1, SettingsPreview::summary(p.conninfo));
                item->setToolTip(0, tr("Tick to import the section [%1] as a profile").arg(p.key));
                ++sections;
                if (!firstSection)
                    firstSection = item;
            } else {
                item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
                item->setIcon(0, style()->standardIcon(QStyle::SP_MessageBoxWarning));
                item->setText(1, p.error->message);
                item->setForeground(1, statusColor(StatusLevel::Error, palette()));
                item->setToolTip(0, tr("libpq cannot use this section"));
            }
            item->setToolTip(1, item->text(1));
        }
    }
    for (int i = 0; i < m_ui->serviceTree->topLevelItemCount(); ++i)
        m_ui->serviceTree->topLevelItem(i)->setFirstColumnSpanned(true);
    m_ui->serviceTree->expandAll();
    if (firstSection)
        m_ui->serviceTree->setCurrentItem(firstSection);
    showServiceDetails();
    if (sections == 0) {
        setStatus(m_ui->serviceNotesLabel, StatusLevel::Info,
                  escaped(tr("No service file has a section libpq could use.")));
    }
    updateImportButton();
}

void ImportDialog::showServiceDetails()
{
    m_ui->serviceDetails->clear();
    const QTreeWidgetItem* item = m_ui->serviceTree->currentItem();
    if (item == nullptr || item->data(0, kSectionRole).toInt() < 0) {
        const int f = item ? item->data(0, kFileRole).toInt() : -1;
        if (f >= 0 && f < m_serviceFiles.size() && m_serviceFiles[f].error) {
            const Error& e = *m_serviceFiles[f].error;
            setStatus(m_ui->serviceNotesLabel,
                      {{StatusLevel::Error, u"<b>"_s + escaped(e.message) + u"</b>"_s},
                       {std::nullopt, escaped(e.explanation)}});
        } else {
            setStatus(m_ui->serviceNotesLabel, StatusLevel::Info,
                      escaped(tr("Select a section to see its settings.")));
        }
        return;
    }
    const interop::ImportedProfile& p =
        m_serviceFiles[item->data(0, kFileRole).toInt()].sections[item->data(0, kSectionRole).toInt()];
    SettingsPreview::fill(m_ui->serviceDetails, p, SettingsPreview::Origins::LineOnly);
    setStatus(m_ui->serviceNotesLabel, notesOf(p));
}

// --- pgAdmin --------------------------------------------------------------------------------------

void ImportDialog::choosePgAdminFile()
{
    if (!m_fileDialog) {
        m_fileDialog = new QFileDialog(this, tr("Choose a pgAdmin Server Export"));
        m_fileDialog->setObjectName(u"pgAdminFileDialog"_s);
        m_fileDialog->setFileMode(QFileDialog::ExistingFile);
        m_fileDialog->setNameFilters({tr("pgAdmin server exports (*.json)"), tr("All files (*)")});
        connect(m_fileDialog, &QFileDialog::fileSelected, this, &ImportDialog::openPgAdminFile);
    }
    const QString current = m_ui->pgAdminPathEdit->text();
    m_fileDialog->setDirectory(current.isEmpty() ? QDir::homePath() : QFileInfo(current).absolutePath());
    m_fileDialog->open();
}

void ImportDialog::openPgAdminFile(const QString& path)
{
    if (path.isEmpty())
        return;
    m_ui->pgAdminPathEdit->setText(path);
    m_ui->pgAdminTree->clear();
    m_pgAdmin.reset();
    m_ui->pgAdminBrowseButton->setEnabled(false);
    setStatus(m_ui->pgAdminStatusLabel, StatusLevel::Info, escaped(tr("Reading %1…").arg(path)));
    m_pgAdminWatcher->setFuture(InteropJobs::readPgAdmin(path));
}

void ImportDialog::showPgAdmin(const Result<interop::PgAdminExport>& result)
{
    m_ui->pgAdminBrowseButton->setEnabled(true);
    const QSignalBlocker blocker(m_ui->pgAdminTree);
    m_ui->pgAdminTree->clear();
    m_ui->pgAdminNotesLabel->clear();
    if (!result) {
        m_pgAdmin.reset();
        setStatus(m_ui->pgAdminStatusLabel,
                  {{StatusLevel::Error, u"<b>"_s + escaped(result.error().message) + u"</b>"_s},
                   {std::nullopt, escaped(result.error().explanation)}});
        m_ui->pgAdminSelectAllButton->setEnabled(false);
        m_ui->pgAdminSelectNoneButton->setEnabled(false);
        updateImportButton();
        return;
    }
    m_pgAdmin = *result;
    int bad = 0;
    for (qsizetype i = 0; i < m_pgAdmin->servers.size(); ++i) {
        const interop::ImportedProfile& p = m_pgAdmin->servers[i];
        auto* item = new QTreeWidgetItem(m_ui->pgAdminTree);
        item->setText(0, p.suggestedName);
        item->setText(1, p.group);
        item->setData(0, kServerRole, int(i));
        if (p.isValid()) {
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable);
            item->setCheckState(0, Qt::Checked);
            item->setText(2, SettingsPreview::summary(p.conninfo));
        } else {
            ++bad;
            item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
            item->setIcon(0, style()->standardIcon(QStyle::SP_MessageBoxWarning));
            item->setText(2, p.error->message);
            item->setForeground(2, statusColor(StatusLevel::Error, palette()));
        }
        item->setToolTip(0, p.source);
        item->setToolTip(2, item->text(2));
    }
    const int total = int(m_pgAdmin->servers.size());
    QString html = escaped(tr("%n server(s) in the file.", nullptr, total));
    if (bad > 0)
        html += u' ' + escaped(tr("%n cannot be imported (select one to see why).", nullptr, bad));
    QList<StatusLine> lines{{bad > 0 || total == 0 ? StatusLevel::Warning : StatusLevel::Ok, html}};
    for (const QString& note : std::as_const(m_pgAdmin->notes))
        lines.append({StatusLevel::Warning, escaped(note)});
    setStatus(m_ui->pgAdminStatusLabel, lines);
    m_ui->pgAdminSelectAllButton->setEnabled(total > bad);
    m_ui->pgAdminSelectNoneButton->setEnabled(total > bad);
    if (total > 0)
        m_ui->pgAdminTree->setCurrentItem(m_ui->pgAdminTree->topLevelItem(0));
    showPgAdminDetails();
    updateImportButton();
}

void ImportDialog::showPgAdminDetails()
{
    const QTreeWidgetItem* item = m_ui->pgAdminTree->currentItem();
    if (item == nullptr || !m_pgAdmin) {
        m_ui->pgAdminNotesLabel->clear();
        return;
    }
    const interop::ImportedProfile& p = m_pgAdmin->servers[item->data(0, kServerRole).toInt()];
    QList<StatusLine> lines = notesOf(p);
    if (lines.isEmpty())
        lines.append(
            {StatusLevel::Ok, escaped(tr("Nothing to note: every setting of this server carries over."))});
    setStatus(m_ui->pgAdminNotesLabel, lines);
}

void ImportDialog::setAllPgAdminChecked(bool checked)
{
    for (int i = 0; i < m_ui->pgAdminTree->topLevelItemCount(); ++i) {
        QTreeWidgetItem* item = m_ui->pgAdminTree->topLevelItem(i);
        if (item->flags().testFlag(Qt::ItemIsUserCheckable))
            item->setCheckState(0, checked ? Qt::Checked : Qt::Unchecked);
    }
}

// --- Environment ----------------------------------------------------------------------------------

void ImportDialog::loadEnvironment()
{
    m_environmentRequested = true;
    setStatus(m_ui->environmentNotesLabel, StatusLevel::Info, escaped(tr("Reading the environment…")));
    m_environmentWatcher->setFuture(InteropJobs::fromEnvironment(m_environment));
}

void ImportDialog::showEnvironment(const interop::ImportedProfile& profile)
{
    m_fromEnvironment = profile;
    SettingsPreview::fill(m_ui->environmentTree, *m_fromEnvironment, SettingsPreview::Origins::Full);
    QList<StatusLine> lines = notesOf(*m_fromEnvironment);
    if (!m_fromEnvironment->conninfo.isEmpty()) {
        lines.prepend({StatusLevel::Info,
                       escaped(tr("Imported as the profile “%1”.").arg(m_fromEnvironment->suggestedName))});
    }
    setStatus(m_ui->environmentNotesLabel, lines);
    updateImportButton();
}

// --- Result ---------------------------------------------------------------------------------------

QList<interop::ImportedProfile> ImportDialog::selectedProfiles() const
{
    QList<interop::ImportedProfile> out;
    switch (source()) {
    case Source::Paste:
        if (m_pasted) {
            interop::ImportedProfile p = *m_pasted;
            const QString name = m_ui->pasteNameEdit->text().trimmed();
            if (!name.isEmpty())
                p.suggestedName = name;
            out.append(p);
        }
        break;
    case Source::ServiceFiles:
        for (int f = 0; f < m_ui->serviceTree->topLevelItemCount(); ++f) {
            const QTreeWidgetItem* fileItem = m_ui->serviceTree->topLevelItem(f);
            for (int s = 0; s < fileItem->childCount(); ++s) {
                const QTreeWidgetItem* item = fileItem->child(s);
                if (item->checkState(0) != Qt::Checked)
                    continue;
                const interop::ImportedProfile& p = m_serviceFiles[item->data(0, kFileRole).toInt()]
                                                        .sections[item->data(0, kSectionRole).toInt()];
                if (!p.isValid())
                    continue;
                out.append(m_ui->serviceReferenceCheck->isChecked()
                               ? interop::ServiceFileImport::referenceTo(p)
                               : p);
            }
        }
        break;
    case Source::PgAdmin:
        if (!m_pgAdmin)
            break;
        for (int i = 0; i < m_ui->pgAdminTree->topLevelItemCount(); ++i) {
            const QTreeWidgetItem* item = m_ui->pgAdminTree->topLevelItem(i);
            const interop::ImportedProfile& p = m_pgAdmin->servers[item->data(0, kServerRole).toInt()];
            if (item->checkState(0) == Qt::Checked && p.isValid())
                out.append(p);
        }
        break;
    case Source::Environment:
        if (m_fromEnvironment && m_fromEnvironment->isValid() && !m_fromEnvironment->conninfo.isEmpty())
            out.append(*m_fromEnvironment);
        break;
    }
    return out;
}

void ImportDialog::updateImportButton()
{
    const int count = int(selectedProfiles().size());
    QPushButton* button = m_ui->buttonBox->button(QDialogButtonBox::Ok);
    button->setEnabled(count > 0);
    button->setText(count > 0 ? tr("&Import %n Profile(s)", nullptr, count) : tr("&Import"));
}

} // namespace vf::ui
