#pragma once

#include "FileCheckJob.h"
#include "StatusLevel.h"
#include "pki/Certificate.h"
#include "pki/PkiTypes.h"

#include <QByteArray>
#include <QFutureWatcher>
#include <QList>
#include <QString>
#include <QWidget>

#include <functional>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QTimer;

namespace vf::ui {

// A file (or directory) field of a connection form that checks what it is given, as it is given:
// a line edit with a browse button, drag and drop and "~" expansion, and under it what the file is
// (format from the content), what it holds (certificates with the subject and expiry of the first
// one), expiry warnings (30 days, expired), whether the key matches the client certificate, libpq's
// key-permission rule with a one-click "Restrict to owner (0600)", a password prompt for encrypted
// keys and PKCS#12 bundles, and, for a file libpq cannot read there, the conversion to PEM.
//
// The inspection runs off the GUI thread (FileCheckJob); inspectionFinished() says when it is done.
class FileField final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileField)

public:
    enum class State
    {
        Empty,    // nothing to check (no path, no fallback file)
        Checking, // an inspection is running
        Ok,
        Warning,
        Error,
    };
    Q_ENUM(State)

    // Asks a yes/no question without blocking (no nested event loop) and calls answer with the reply.
    using ConfirmHandler = std::function<void(const QString& question, std::function<void(bool)> answer)>;

    explicit FileField(QWidget* parent = nullptr);
    ~FileField() override;

    void setRole(pki::FileRole role);
    pki::FileRole role() const { return m_role; }
    // The field's name for accessibility and messages ("Client key").
    void setFieldName(const QString& name);

    // The path as written in the field, "~" expanded, surrounding spaces removed.
    QString path() const;
    // Sets the path without counting as an edit (pathEdited() is not emitted) and checks it.
    void setPath(const QString& path);
    QLineEdit* lineEdit() const { return m_lineEdit; }

    // What libpq uses when the field is empty: a file from the environment, a service file or the
    // ~/.postgresql/ default (checked like a typed one), described by `description` ("from PGSSLCERT",
    // "default file ~/.postgresql/postgresql.crt"). An empty path with a description only shows it.
    void setFallback(const QString& path, const QString& description);
    // The file that is checked: path(), else the fallback path.
    QString effectivePath() const;
    bool usesFallback() const { return path().isEmpty() && !m_fallbackPath.isEmpty(); }

    // Passwords for encrypted keys and PKCS#12 files. By default the field asks for them itself; with
    // an external source (the form's "Key password"), it says where to type it and the form passes it
    // in with setPassphrase(). Never stored on disk by the field.
    void setExternalPassphrase(bool external, const QString& whereToType = {});
    void setPassphrase(const QByteArray& passphrase);

    // For a key field: the certificate the key has to match, and how to call it in messages.
    void setMatchCertificate(const std::optional<pki::Certificate>& certificate, const QString& description);

    // Seam for the overwrite question of a conversion (tests answer it directly).
    void setConfirmHandler(ConfirmHandler handler);

    State state() const { return m_state; }
    // The last finished check (of effectivePath()), if any.
    const std::optional<FileCheckResult>& result() const { return m_result; }
    // The validation area as plain text, one line per statement.
    QString statusText() const;

    // Checks effectivePath() again now.
    void recheck();

Q_SIGNALS:
    // The person changed the path (typing, browse, drop, conversion).
    void pathEdited(const QString& path);
    void inspectionFinished();
    // A conversion wrote these files (either may be empty).
    void converted(const QString& certificatePath, const QString& keyPath);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void changeEvent(QEvent* event) override;

private:
    struct Line
    {
        StatusLevel level;
        QString text;
    };

    void browse();
    void userSetPath(const QString& path);
    void expandTilde();
    void onResult(const FileCheckResult& result);
    void render();
    QList<Line> describe(const pki::FileInspection& fi, bool& passphraseWanted) const;
    void restrictPermissions();
    void convert();
    void unlock();

    pki::FileRole m_role = pki::FileRole::Any;
    QString m_fieldName;
    QLineEdit* m_lineEdit = nullptr;
    QPushButton* m_browseButton = nullptr;
    QLabel* m_statusLabel = nullptr;
    QWidget* m_passphraseRow = nullptr;
    QLabel* m_passphraseLabel = nullptr;
    QLineEdit* m_passphraseEdit = nullptr;
    QPushButton* m_unlockButton = nullptr;
    QPushButton* m_restrictButton = nullptr;
    QPushButton* m_convertButton = nullptr;
    QTimer* m_debounce = nullptr;
    QFutureWatcher<FileCheckResult>* m_watcher = nullptr;

    QString m_fallbackPath;
    QString m_fallbackDescription;
    bool m_externalPassphrase = false;
    QString m_passphraseWhere;
    QByteArray m_passphrase;
    std::optional<pki::Certificate> m_matchCertificate;
    QString m_matchDescription;
    ConfirmHandler m_confirm;

    bool m_checking = false;
    std::optional<FileCheckResult> m_result;
    std::optional<Line> m_notice; // outcome of the last restrict/convert action, until the path changes
    State m_state = State::Empty;
    QList<Line> m_lines;
};

} // namespace vf::ui
