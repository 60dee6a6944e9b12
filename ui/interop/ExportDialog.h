#pragma once

#include "interop/Exporter.h"
#include "settings/ConnInfo.h"
#include "settings/Environment.h"

#include <QDialog>
#include <QString>

#include <memory>
#include <optional>

class QFileDialog;
class QInputDialog;

namespace Ui {
class ExportDialog;
}

namespace vf::ui {

// File → Export…: a profile written as a keyword/value string, a URI, a pg_service.conf section, a
// .pgpass line, a psql command line, Python (psycopg), Node.js (node-postgres) or a JDBC URL, in a
// read-only monospace view with Copy and Save…. Secrets are left out until "Include secrets" is
// ticked, which shows a warning; files holding a secret are saved readable only by their owner (0600).
// For .pgpass the line can be appended to the password file (created 0600); for JDBC the client key
// can be converted to PKCS#8 DER. Never blocks: file and passphrase dialogs are opened with open().
class ExportDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExportDialog)

public:
    ExportDialog(const settings::ConnInfo& info, const QString& profileName, QWidget* parent = nullptr);
    ExportDialog(const settings::ConnInfo& info, const QString& profileName,
                 const settings::Environment& environment, QWidget* parent = nullptr);
    ~ExportDialog() override;

    interop::ExportFormat format() const;
    void setFormat(interop::ExportFormat format);
    // The text shown (empty when this format cannot be written; errorText() says why).
    QString text() const;
    QString errorText() const;
    bool includesSecrets() const;

    // What the buttons do once their file dialog has answered. Each reports in the status line and
    // returns whether it worked.
    bool saveTo(const QString& path);
    bool appendToPgPass(const QString& path);
    bool convertKeyTo(const QString& outPath, const QByteArray& passphrase = {});

    // The password file libpq reads for this profile: passfile, else PGPASSFILE, else ~/.pgpass.
    QString pgPassPath() const;

protected:
    void resizeEvent(QResizeEvent* event) override;
    void showEvent(QShowEvent* event) override;

private:
    void refresh();
    void fitNotes();
    void onSecretsToggled(bool checked);
    void copy();
    void chooseSaveFile();
    void chooseKeyFile();
    void askPassphrase(const QString& outPath, bool wrongBefore);
    void setStatus(int level, const QString& text);

    std::unique_ptr<Ui::ExportDialog> m_ui;
    settings::ConnInfo m_info;
    QString m_profileName;
    settings::Environment m_environment;
    std::optional<interop::ExportResult> m_result;
    QFileDialog* m_saveDialog = nullptr;
    QFileDialog* m_keyDialog = nullptr;
    QInputDialog* m_passphraseDialog = nullptr;
};

} // namespace vf::ui
