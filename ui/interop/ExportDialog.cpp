#include "ExportDialog.h"

#include "interop/JdbcUrlWriter.h"
#include "interop/PgPassWriter.h"
#include "interop/Pkcs8Converter.h"
#include "interop/PrivateFile.h"
#include "interop/ServiceSectionWriter.h"
#include "settings/ConnOptions.h"
#include "settings/ValueOrigin.h"
#include "ui_ExportDialog.h"
#include "widgets/StatusLevel.h"

#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QInputDialog>
#include <QPushButton>
#include <QTextDocument>

#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

bool isOneLine(interop::ExportFormat format)
{
    return format == interop::ExportFormat::KeywordValue || format == interop::ExportFormat::Uri ||
           format == interop::ExportFormat::Jdbc;
}

bool hasSecrets(const settings::ConnInfo& info)
{
    for (const settings::ConnOptionInfo& option : settings::connOptions()) {
        if (option.isSecret() && info.contains(option.keywordString()))
            return true;
    }
    return false;
}

} // namespace

ExportDialog::ExportDialog(const settings::ConnInfo& info, const QString& profileName, QWidget* parent)
    : ExportDialog(info, profileName, settings::Environment::system(), parent)
{}

ExportDialog::ExportDialog(const settings::ConnInfo& info, const QString& profileName,
                           const settings::Environment& environment, QWidget* parent)
    : QDialog(parent)
    , m_ui(std::make_unique<Ui::ExportDialog>())
    , m_info(info)
    , m_profileName(profileName)
    , m_environment(environment)
{
    m_ui->setupUi(this);
    setObjectName(u"exportDialog"_s);
    setWindowTitle(tr("Export “%1”").arg(profileName));
    m_ui->titleLabel->setText(
        tr("Write the connection “%1” in a form other tools read. Secrets stay out unless you include them.")
            .arg(profileName.toHtmlEscaped()));
    m_ui->outputView->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui->outputView->setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    m_ui->buttonBox->button(QDialogButtonBox::Close)->setObjectName(u"closeButton"_s);

    for (interop::ExportFormat f : interop::Exporter::formats())
        m_ui->formatCombo->addItem(interop::Exporter::formatName(f), interop::Exporter::formatId(f));
    m_ui->serviceNameEdit->setText(interop::ServiceSectionWriter::suggestServiceName(profileName));

    const bool secrets = hasSecrets(m_info);
    m_ui->includeSecretsCheck->setEnabled(secrets);
    if (!secrets) {
        m_ui->includeSecretsCheck->setToolTip(tr("This profile holds no password or key password in this "
                                                 "session; nothing secret can be exported"));
    }
    m_ui->secretsWarningLabel->hide();
    m_ui->errorLabel->hide();
    m_ui->appendPgPassButton->setText(
        tr("&Add to %1")
            .arg(settings::displayPath(pgPassPath(), m_environment.homeDirectory().value_or(QString()))));

    connect(m_ui->buttonBox, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_ui->formatCombo, &QComboBox::currentIndexChanged, this, &ExportDialog::refresh);
    connect(m_ui->serviceNameEdit, &QLineEdit::textChanged, this, &ExportDialog::refresh);
    connect(m_ui->includeSecretsCheck, &QCheckBox::toggled, this, &ExportDialog::onSecretsToggled);
    connect(m_ui->copyButton, &QPushButton::clicked, this, &ExportDialog::copy);
    connect(m_ui->saveButton, &QPushButton::clicked, this, &ExportDialog::chooseSaveFile);
    connect(m_ui->appendPgPassButton, &QPushButton::clicked, this, [this] { appendToPgPass(pgPassPath()); });
    connect(m_ui->convertKeyButton, &QPushButton::clicked, this, &ExportDialog::chooseKeyFile);

    refresh();
    resize(760, 560);
}

ExportDialog::~ExportDialog() = default;

interop::ExportFormat ExportDialog::format() const
{
    return interop::Exporter::formatFromId(m_ui->formatCombo->currentData().toString())
        .value_or(interop::ExportFormat::KeywordValue);
}

void ExportDialog::setFormat(interop::ExportFormat format)
{
    const int index = m_ui->formatCombo->findData(interop::Exporter::formatId(format));
    if (index >= 0)
        m_ui->formatCombo->setCurrentIndex(index);
}

QString ExportDialog::text() const
{
    return m_result ? m_result->text() : QString();
}

QString ExportDialog::errorText() const
{
    return m_ui->errorLabel->isHidden() ? QString() : m_ui->errorLabel->text();
}

bool ExportDialog::includesSecrets() const
{
    return m_ui->includeSecretsCheck->isChecked();
}

QString ExportDialog::pgPassPath() const
{
    if (const auto passfile = m_info.value(u"passfile"); passfile && !passfile->isEmpty())
        return *passfile;
    if (const auto variable = m_environment.variable(u"PGPASSFILE"); variable && !variable->isEmpty())
        return *variable;
    return m_environment.homeDirectory().value_or(QDir::homePath()) + u"/.pgpass"_s;
}

void ExportDialog::setStatus(int level, const QString& text)
{
    if (text.isEmpty()) {
        m_ui->statusLabel->clear();
        return;
    }
    const auto l = StatusLevel(level);
    m_ui->statusLabel->setText(u"<span style=\"color:%1\">%2</span>&nbsp;%3"_s.arg(
        statusColor(l, palette()).name(), statusSymbol(l), text.toHtmlEscaped()));
}

void ExportDialog::onSecretsToggled(bool checked)
{
    if (checked) {
        const QColor color = statusColor(StatusLevel::Warning, palette());
        m_ui->secretsWarningLabel->setText(
            u"<span style=\"color:%1\">%2</span>&nbsp;"_s.arg(color.name(),
                                                              statusSymbol(StatusLevel::Warning)) +
            tr("The text below now holds secrets in plain text. Anyone who sees it, and any file or "
               "clipboard "
               "it goes to, has them. Files are saved readable only by you (0600).")
                .toHtmlEscaped());
    }
    m_ui->secretsWarningLabel->setVisible(checked);
    refresh();
}

void ExportDialog::refresh()
{
    const interop::ExportFormat f = format();
    const bool service = f == interop::ExportFormat::ServiceSection;
    m_ui->serviceNameLabel->setVisible(service);
    m_ui->serviceNameEdit->setVisible(service);
    m_ui->appendPgPassButton->setVisible(f == interop::ExportFormat::PgPass);
    const std::optional<QString> key = m_info.value(u"sslkey");
    m_ui->convertKeyButton->setVisible(f == interop::ExportFormat::Jdbc && key && !key->isEmpty() &&
                                       !interop::JdbcUrlWriter::keyUsableByPgJdbc(*key));
    m_ui->outputView->setLineWrapMode(isOneLine(f) ? QPlainTextEdit::WidgetWidth : QPlainTextEdit::NoWrap);
    setStatus(int(StatusLevel::Info), {});

    const interop::ExportOptions options{includesSecrets(), m_ui->serviceNameEdit->text()};
    const Result<interop::ExportResult> result = interop::Exporter::exportAs(m_info, f, options);
    if (!result) {
        m_result.reset();
        m_ui->outputView->clear();
        const QColor color = statusColor(StatusLevel::Error, palette());
        m_ui->errorLabel->setText(u"<span style=\"color:%1\">%2</span>&nbsp;<b>%3</b><br>%4"_s.arg(
            color.name(), statusSymbol(StatusLevel::Error), result.error().message.toHtmlEscaped(),
            result.error().explanation.toHtmlEscaped()));
        m_ui->errorLabel->show();
        m_ui->notesView->clear();
        if (f == interop::ExportFormat::PgPass)
            m_ui->notesView->setHtml(u"<p>"_s + interop::PgPassWriter::permissionRule().toHtmlEscaped() +
                                     u"</p>"_s);
    } else {
        m_result = *result;
        m_ui->errorLabel->hide();
        m_ui->outputView->setPlainText(result->text());
        QString html;
        if (!result->notes.isEmpty()) {
            html = u"<ul style=\"margin-left: -24px\">"_s;
            for (const QString& note : result->notes)
                html += u"<li>"_s + note.toHtmlEscaped() + u"</li>"_s;
            html += u"</ul>"_s;
        }
        m_ui->notesView->setHtml(html);
    }
    m_ui->notesView->setVisible(!m_ui->notesView->toPlainText().isEmpty());
    fitNotes();
    m_ui->copyButton->setEnabled(m_result.has_value());
    m_ui->saveButton->setEnabled(m_result.has_value());
    m_ui->appendPgPassButton->setEnabled(m_result.has_value());
}

void ExportDialog::resizeEvent(QResizeEvent* event)
{
    QDialog::resizeEvent(event);
    fitNotes();
}

void ExportDialog::showEvent(QShowEvent* event)
{
    QDialog::showEvent(event);
    fitNotes();
}

// The notes take the height of their text, up to a limit (then they scroll).
void ExportDialog::fitNotes()
{
    QTextBrowser* notes = m_ui->notesView;
    QTextDocument* doc = notes->document();
    doc->setTextWidth(notes->viewport()->width());
    const int frame = 2 * notes->frameWidth();
    const int height = int(std::ceil(doc->size().height())) + frame + 2;
    const int minimum = notes->fontMetrics().lineSpacing() + frame + int(2 * doc->documentMargin()) + 2;
    notes->setFixedHeight(std::clamp(height, minimum, 150));
}

void ExportDialog::copy()
{
    if (!m_result)
        return;
    QGuiApplication::clipboard()->setText(m_result->text());
    if (m_result->containsSecrets) {
        setStatus(int(StatusLevel::Warning),
                  tr("Copied, with the secrets. Clear the clipboard when you no longer need it."));
    } else {
        setStatus(int(StatusLevel::Ok), tr("Copied to the clipboard."));
    }
}

void ExportDialog::chooseSaveFile()
{
    if (!m_result)
        return;
    if (!m_saveDialog) {
        m_saveDialog = new QFileDialog(this, tr("Save Export"));
        m_saveDialog->setObjectName(u"saveFileDialog"_s);
        m_saveDialog->setAcceptMode(QFileDialog::AcceptSave);
        m_saveDialog->setFileMode(QFileDialog::AnyFile);
        connect(m_saveDialog, &QFileDialog::fileSelected, this, &ExportDialog::saveTo);
    }
    m_saveDialog->setDirectory(m_environment.homeDirectory().value_or(QDir::homePath()));
    m_saveDialog->selectFile(m_result->suggestedFileName);
    m_saveDialog->open();
}

bool ExportDialog::saveTo(const QString& path)
{
    if (!m_result || path.isEmpty())
        return false;
    QByteArray data = m_result->bytes;
    if (!data.endsWith('\n'))
        data += '\n';
    const bool secret = m_result->containsSecrets || format() == interop::ExportFormat::PgPass;
    const Result<void> written = interop::PrivateFile::write(path, data, secret ? 0600 : 0644);
    if (!written) {
        setStatus(int(StatusLevel::Error), written.error().message + u" — "_s + written.error().explanation);
        return false;
    }
    setStatus(int(StatusLevel::Ok), secret ? tr("Saved to %1, readable only by you (0600).").arg(path)
                                           : tr("Saved to %1.").arg(path));
    return true;
}

bool ExportDialog::appendToPgPass(const QString& path)
{
    if (!m_result || format() != interop::ExportFormat::PgPass)
        return false;
    QList<QByteArray> lines = m_result->bytes.split('\n');
    lines.removeAll(QByteArray());
    const Result<interop::PgPassWriter::AppendResult> r = interop::PgPassWriter::append(path, lines);
    if (!r) {
        setStatus(int(StatusLevel::Error), r.error().message + u" — "_s + r.error().explanation);
        return false;
    }
    QString message;
    if (r->added == 0)
        message = tr("%1 already has this line; nothing was added.").arg(path);
    else if (r->created)
        message = tr("Created %1 (mode 0600) with %n line(s).", nullptr, r->added).arg(path);
    else
        message = tr("Added %n line(s) to %1.", nullptr, r->added).arg(path);
    if (r->permissionsTightened)
        message += u' ' + tr("Its permissions were too open for libpq and are now 0600.");
    setStatus(int(r->permissionsTightened ? StatusLevel::Warning : StatusLevel::Ok), message);
    return true;
}

void ExportDialog::chooseKeyFile()
{
    const QString key = m_info.value(u"sslkey").value_or(QString());
    if (key.isEmpty())
        return;
    if (!m_keyDialog) {
        m_keyDialog = new QFileDialog(this, tr("Save the Key as PKCS#8 DER"));
        m_keyDialog->setObjectName(u"pkcs8FileDialog"_s);
        m_keyDialog->setAcceptMode(QFileDialog::AcceptSave);
        m_keyDialog->setNameFilters({tr("PKCS#8 DER keys (*.pk8)"), tr("All files (*)")});
        connect(m_keyDialog, &QFileDialog::fileSelected, this, [this](const QString& path) {
            const QByteArray passphrase = m_info.value(u"sslpassword").value_or(QString()).toUtf8();
            convertKeyTo(path, passphrase);
        });
    }
    const QString suggested = interop::Pkcs8Converter::suggestedPath(key);
    m_keyDialog->setDirectory(QFileInfo(suggested).absolutePath());
    m_keyDialog->selectFile(QFileInfo(suggested).fileName());
    m_keyDialog->open();
}

bool ExportDialog::convertKeyTo(const QString& outPath, const QByteArray& passphrase)
{
    const QString key = m_info.value(u"sslkey").value_or(QString());
    if (key.isEmpty() || outPath.isEmpty())
        return false;
    const Result<void> r = interop::Pkcs8Converter::convertFile(key, outPath, passphrase);
    if (!r) {
        const QString code = r.error().code;
        if (code == u"pki.passphrase-required" || code == u"pki.wrong-passphrase") {
            askPassphrase(outPath, code == u"pki.wrong-passphrase");
            return false;
        }
        setStatus(int(StatusLevel::Error), r.error().message + u" — "_s + r.error().explanation);
        return false;
    }
    setStatus(int(StatusLevel::Ok),
              tr("Wrote %1: PKCS#8 DER, readable only by you (0600). Use it as sslkey for "
                 "pgJDBC.")
                  .arg(outPath));
    return true;
}

void ExportDialog::askPassphrase(const QString& outPath, bool wrongBefore)
{
    if (!m_passphraseDialog) {
        m_passphraseDialog = new QInputDialog(this);
        m_passphraseDialog->setObjectName(u"passphraseDialog"_s);
        m_passphraseDialog->setWindowTitle(tr("Key Passphrase"));
        m_passphraseDialog->setTextEchoMode(QLineEdit::Password);
    }
    m_passphraseDialog->disconnect(this);
    m_passphraseDialog->setLabelText(
        wrongBefore
            ? tr("That passphrase does not open the key. Passphrase of %1:")
                  .arg(m_info.value(u"sslkey").value_or(QString()))
            : tr("The key is encrypted. Passphrase of %1:").arg(m_info.value(u"sslkey").value_or(QString())));
    m_passphraseDialog->setTextValue({});
    connect(m_passphraseDialog, &QInputDialog::textValueSelected, this,
            [this, outPath](const QString& passphrase) {
                m_passphraseDialog->setTextValue({}); // do not keep the passphrase around
                convertKeyTo(outPath, passphrase.toUtf8());
            });
    m_passphraseDialog->open();
}

} // namespace vf::ui
