#include "FileField.h"

#include "PemConverter.h"
#include "pki/PkiLoader.h"
#include "pki/PrivateKey.h"

#include <QDateTime>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QMimeData>
#include <QPointer>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

constexpr int kDebounceMs = 300;
constexpr qint64 kExpiryWarningDays = 30;

QString isoDate(const QDateTime& t)
{
    return t.toUTC().toString(u"yyyy-MM-dd"_s);
}

QString withExplanation(const Error& e)
{
    return e.explanation.isEmpty() ? e.message : e.message + u" \u2014 "_s + e.explanation;
}

bool isPassphraseCode(const QString& code)
{
    return code == u"pki.passphrase-required" || code == u"pki.wrong-passphrase";
}

// The encoding inside a sentence ("PKCS#7 bundle, binary (DER)").
QString encodingName(pki::Encoding encoding)
{
    switch (encoding) {
    case pki::Encoding::Pem:
        return FileField::tr("PEM text");
    case pki::Encoding::Der:
        return FileField::tr("binary (DER)");
    case pki::Encoding::Unknown:
        break;
    }
    return {};
}

// The encoding as the label that starts a status line ("Binary (DER): 1 certificate").
QString encodingLabel(pki::Encoding encoding)
{
    switch (encoding) {
    case pki::Encoding::Pem:
        //: Label at the start of a status line, followed by ": " and what the file holds.
        return FileField::tr("PEM text", "label");
    case pki::Encoding::Der:
        //: Label at the start of a status line, followed by ": " and what the file holds.
        return FileField::tr("Binary (DER)");
    case pki::Encoding::Unknown:
        break;
    }
    return {};
}

// What a file holds, as a status line of its own (PkiLoader::kindDescription() is the in-sentence
// form, "a public key").
QString kindLine(pki::FileKind kind)
{
    switch (kind) {
    case pki::FileKind::Certificate:
        return FileField::tr("Certificate", "file kind");
    case pki::FileKind::PrivateKey:
        return FileField::tr("Private key");
    case pki::FileKind::PublicKey:
        return FileField::tr("Public key");
    case pki::FileKind::CertificateRequest:
        return FileField::tr("Certificate signing request (CSR)");
    case pki::FileKind::Pkcs12:
        return FileField::tr("PKCS#12 bundle (.p12/.pfx)");
    case pki::FileKind::Pkcs7:
        return FileField::tr("PKCS#7 certificate bundle (.p7b)");
    case pki::FileKind::Crl:
        return FileField::tr("Certificate revocation list (CRL)");
    case pki::FileKind::SshKey:
        return FileField::tr("SSH key");
    case pki::FileKind::Directory:
        return FileField::tr("Directory");
    case pki::FileKind::Unknown:
        break;
    }
    return FileField::tr("Unrecognised data");
}

} // namespace

FileField::FileField(QWidget* parent)
    : QWidget(parent)
    , m_lineEdit(new QLineEdit(this))
    , m_browseButton(new QPushButton(tr("Browse\u2026"), this))
    , m_statusLabel(new QLabel(this))
    , m_passphraseRow(new QWidget(this))
    , m_passphraseLabel(new QLabel(tr("Password:"), m_passphraseRow))
    , m_passphraseEdit(new QLineEdit(m_passphraseRow))
    , m_unlockButton(new QPushButton(tr("Open"), m_passphraseRow))
    , m_restrictButton(new QPushButton(tr("Restrict to owner (0600)"), this))
    , m_convertButton(new QPushButton(tr("Convert to PEM\u2026"), this))
    , m_debounce(new QTimer(this))
    , m_watcher(new QFutureWatcher<FileCheckResult>(this))
{
    m_lineEdit->setObjectName(u"pathEdit"_s);
    m_lineEdit->setClearButtonEnabled(true);
    m_lineEdit->setAcceptDrops(false); // drops go to the field, which takes file URLs
    m_browseButton->setObjectName(u"browseButton"_s);
    m_statusLabel->setObjectName(u"statusLabel"_s);
    m_statusLabel->setWordWrap(true);
    m_statusLabel->setTextFormat(Qt::RichText);
    m_statusLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLabel->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    m_passphraseRow->setObjectName(u"passphraseRow"_s);
    m_passphraseEdit->setObjectName(u"passphraseEdit"_s);
    m_passphraseEdit->setEchoMode(QLineEdit::Password);
    m_passphraseLabel->setBuddy(m_passphraseEdit);
    m_unlockButton->setObjectName(u"unlockButton"_s);
    m_restrictButton->setObjectName(u"restrictButton"_s);
    m_restrictButton->setToolTip(tr("Change the file's mode to 0600 (read and write by you only), as libpq "
                                    "requires for private keys"));
    m_convertButton->setObjectName(u"convertButton"_s);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kDebounceMs);

    auto* top = new QHBoxLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addWidget(m_lineEdit, 1);
    top->addWidget(m_browseButton);

    auto* passRow = new QHBoxLayout(m_passphraseRow);
    passRow->setContentsMargins(0, 0, 0, 0);
    passRow->addWidget(m_passphraseLabel);
    passRow->addWidget(m_passphraseEdit, 1);
    passRow->addWidget(m_unlockButton);

    auto* actions = new QHBoxLayout;
    actions->setContentsMargins(0, 0, 0, 0);
    actions->addWidget(m_restrictButton);
    actions->addWidget(m_convertButton);
    actions->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_statusLabel);
    layout->addWidget(m_passphraseRow);
    layout->addLayout(actions);

    m_statusLabel->hide();
    m_passphraseRow->hide();
    m_restrictButton->hide();
    m_convertButton->hide();
    setAcceptDrops(true);
    setFocusProxy(m_lineEdit);
    setFieldName(tr("File"));

    connect(m_lineEdit, &QLineEdit::textEdited, this, [this] {
        m_notice.reset();
        m_debounce->start();
    });
    connect(m_lineEdit, &QLineEdit::editingFinished, this, [this] {
        const QString before = m_lineEdit->text();
        expandTilde();
        if (m_debounce->isActive() || before != m_lineEdit->text()) {
            m_debounce->stop();
            Q_EMIT pathEdited(path());
            recheck();
        }
    });
    connect(m_debounce, &QTimer::timeout, this, [this] {
        Q_EMIT pathEdited(path());
        recheck();
    });
    // A watcher rather than QFuture::then(this, …): Qt 6.4 asserts when the context object is gone
    // before the future finishes. setFuture() drops the results of an older check.
    connect(m_watcher, &QFutureWatcher<FileCheckResult>::finished, this, [this] {
        const QFuture<FileCheckResult> future = m_watcher->future();
        if (future.resultCount() > 0)
            onResult(future.result());
    });
    connect(m_browseButton, &QPushButton::clicked, this, &FileField::browse);
    connect(m_restrictButton, &QPushButton::clicked, this, &FileField::restrictPermissions);
    connect(m_convertButton, &QPushButton::clicked, this, &FileField::convert);
    connect(m_unlockButton, &QPushButton::clicked, this, &FileField::unlock);
    connect(m_passphraseEdit, &QLineEdit::returnPressed, this, &FileField::unlock);

    m_confirm = [this](const QString& question, std::function<void(bool)> answer) {
        auto* box = new QMessageBox(QMessageBox::Question, tr("Replace files?"), question,
                                    QMessageBox::Yes | QMessageBox::No, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setDefaultButton(QMessageBox::No);
        connect(box, &QMessageBox::finished, this,
                [answer = std::move(answer)](int result) { answer(result == QMessageBox::Yes); });
        box->open();
    };
}

FileField::~FileField()
{
    // Children destroyed with the widget (a line edit losing focus, the undo stack clearing) must not
    // call back into a half-destroyed object.
    const QList<QObject*> children = findChildren<QObject*>();
    for (QObject* child : children)
        child->disconnect(this);
}

void FileField::setRole(pki::FileRole role)
{
    m_role = role;
    m_browseButton->setToolTip(role == pki::FileRole::CrlDirectory ? tr("Choose a directory")
                                                                   : tr("Choose a file"));
    m_lineEdit->setPlaceholderText(
        role == pki::FileRole::CrlDirectory ? tr("Directory path") : tr("File path, or drop a file here"));
    recheck();
}

void FileField::setFieldName(const QString& name)
{
    m_fieldName = name;
    m_lineEdit->setAccessibleName(name);
    m_browseButton->setAccessibleName(tr("Choose %1").arg(name));
    m_statusLabel->setAccessibleName(tr("%1 check").arg(name));
    m_passphraseEdit->setAccessibleName(tr("Password for %1").arg(name));
    m_unlockButton->setAccessibleName(tr("Try the password for %1").arg(name));
}

QString FileField::path() const
{
    QString p = m_lineEdit->text().trimmed();
    if (p == u"~")
        return QDir::homePath();
    if (p.startsWith(u"~/"))
        return QDir::homePath() + p.mid(1);
    return p;
}

void FileField::setPath(const QString& path)
{
    m_debounce->stop();
    m_notice.reset();
    m_lineEdit->setText(path);
    expandTilde();
    recheck();
}

void FileField::setFallback(const QString& path, const QString& description)
{
    if (path == m_fallbackPath && description == m_fallbackDescription)
        return;
    m_fallbackPath = path;
    m_fallbackDescription = description;
    if (this->path().isEmpty())
        recheck();
}

QString FileField::effectivePath() const
{
    const QString p = path();
    return p.isEmpty() ? m_fallbackPath : p;
}

void FileField::setExternalPassphrase(bool external, const QString& whereToType)
{
    m_externalPassphrase = external;
    m_passphraseWhere = whereToType;
    render();
}

void FileField::setPassphrase(const QByteArray& passphrase)
{
    if (passphrase == m_passphrase)
        return;
    m_passphrase = passphrase;
    // Only a file that needs a password is checked again.
    if (m_result && m_result->inspection &&
        (m_result->inspection->privateKeyEncrypted || m_result->inspection->kind == pki::FileKind::Pkcs12))
        recheck();
}

void FileField::setMatchCertificate(const std::optional<pki::Certificate>& certificate,
                                    const QString& description)
{
    m_matchCertificate = certificate;
    m_matchDescription = description;
    render();
}

void FileField::setConfirmHandler(ConfirmHandler handler)
{
    m_confirm = std::move(handler);
}

void FileField::recheck()
{
    const QString target = effectivePath();
    if (target.isEmpty()) {
        m_watcher->setFuture(QFuture<FileCheckResult>()); // drops a check still running
        m_checking = false;
        m_result.reset();
        render();
        Q_EMIT inspectionFinished();
        return;
    }
    m_checking = true;
    render();
    m_watcher->setFuture(FileCheckJob::start(target, m_role, m_passphrase));
}

void FileField::onResult(const FileCheckResult& result)
{
    if (result.path != effectivePath())
        return; // a newer check is under way
    m_checking = false;
    m_result = result;
    render();
    Q_EMIT inspectionFinished();
}

QString FileField::statusText() const
{
    QStringList out;
    for (const Line& l : m_lines)
        out << statusSymbol(l.level) + u' ' + l.text;
    return out.join(u'\n');
}

QList<FileField::Line> FileField::describe(const pki::FileInspection& fi, bool& passphraseWanted) const
{
    using pki::FileKind;
    QList<Line> lines;
    const QDateTime now = QDateTime::currentDateTimeUtc();

    // What the file is and holds.
    const QString label = encodingLabel(fi.encoding);
    const int nCerts = int(fi.certificates.size());
    const int nCrls = int(fi.crls.size());
    if (fi.kind == FileKind::Directory) {
        lines << Line{StatusLevel::Info, tr("Directory with %n CRL(s) that libpq will find", nullptr, nCrls)};
    } else if (fi.kind == FileKind::Pkcs12) {
        QString text;
        if (fi.pkcs12PasswordNeeded)
            text = tr("PKCS#12 bundle (binary)");
        else if (fi.privateKey.isNull())
            text = tr("PKCS#12 bundle (binary): %n certificate(s)", nullptr, nCerts);
        else
            //: %1 is the key type, e.g. RSA or EC.
            text = tr("PKCS#12 bundle (binary): %n certificate(s) and a %1 private key", nullptr, nCerts)
                       .arg(fi.privateKeyType);
        lines << Line{StatusLevel::Info, text};
    } else if (fi.kind == FileKind::Certificate || fi.kind == FileKind::Pkcs7) {
        const QString what =
            fi.kind == FileKind::Pkcs7 ? tr("PKCS#7 bundle, %1").arg(encodingName(fi.encoding)) : label;
        //: %1 is what the file is: "PEM text", "Binary (DER)" or "PKCS#7 bundle, …".
        lines << Line{StatusLevel::Info,
                      fi.privateKeyCount > 0
                          ? tr("%1: %n certificate(s) and a private key", nullptr, nCerts).arg(what)
                          : tr("%1: %n certificate(s)", nullptr, nCerts).arg(what)};
    } else if (fi.kind == FileKind::PrivateKey) {
        const QString format = pki::PrivateKey::formatName(fi.privateKeyFormat);
        QString text;
        if (fi.privateKeyEncrypted && fi.privateKey.isNull())
            //: %1 is "PEM text" or "Binary (DER)", %2 the key file format (PKCS#8, PKCS#1 …).
            text = tr("%1: encrypted private key (%2)").arg(label, format);
        else if (!fi.privateKey.isNull() && fi.privateKeyEncrypted)
            //: %1 is "PEM text" or "Binary (DER)", %2 the key type (RSA, EC …), %3 its size in bits,
            //: %4 the key file format (PKCS#8, PKCS#1 …).
            text = tr("%1: encrypted %2 %3-bit private key (%4)")
                       .arg(label, fi.privateKey.type(), QString::number(fi.privateKey.bits()), format);
        else if (!fi.privateKey.isNull())
            //: %1 is "PEM text" or "Binary (DER)", %2 the key type (RSA, EC …), %3 its size in bits,
            //: %4 the key file format (PKCS#8, PKCS#1 …).
            text = tr("%1: %2 %3-bit private key (%4)")
                       .arg(label, fi.privateKey.type(), QString::number(fi.privateKey.bits()), format);
        else
            //: %1 is "PEM text" or "Binary (DER)", %2 the key type (RSA, EC …), %3 the key file format.
            text = tr("%1: %2 private key (%3)").arg(label, fi.privateKeyType, format);
        lines << Line{StatusLevel::Info, text};
    } else if (fi.kind == FileKind::CertificateRequest) {
        lines << Line{StatusLevel::Info,
                      tr("%1: certificate signing request for %2").arg(label, fi.requestSubject)};
    } else if (fi.kind == FileKind::Crl) {
        //: %1 is "PEM text" or "Binary (DER)".
        lines << Line{StatusLevel::Info, tr("%1: %n CRL(s)", nullptr, nCrls).arg(label)};
    } else {
        lines << Line{StatusLevel::Info, kindLine(fi.kind)};
    }

    // The first certificate: subject and expiry.
    if (nCerts > 0 && fi.kind != FileKind::Directory) {
        const pki::Certificate& leaf = fi.certificates.first();
        const QString leafLabel = nCerts > 1 ? tr("First certificate") : tr("Certificate");
        lines << Line{
            StatusLevel::Info,
            tr("%1: %2, valid until %3").arg(leafLabel, leaf.subjectDn(), isoDate(leaf.notAfter()))};
        const int days = int(now.daysTo(leaf.notAfter()));
        if (leaf.notAfter() < now)
            lines << Line{
                StatusLevel::Error,
                days == 0
                    ? tr("Expired on %1 (today)").arg(isoDate(leaf.notAfter()))
                    : tr("Expired on %1 (%n day(s) ago)", nullptr, -days).arg(isoDate(leaf.notAfter()))};
        else if (days <= kExpiryWarningDays)
            lines << Line{
                StatusLevel::Warning,
                days == 0 ? tr("Expires on %1, today").arg(isoDate(leaf.notAfter()))
                          : tr("Expires on %1, in %n day(s)", nullptr, days).arg(isoDate(leaf.notAfter()))};
        if (leaf.notBefore() > now)
            lines << Line{StatusLevel::Warning, tr("Not valid before %1").arg(isoDate(leaf.notBefore()))};
        int expired = 0;
        int expiring = 0;
        for (qsizetype i = 1; i < nCerts; ++i) {
            const QDateTime end = fi.certificates.at(i).notAfter();
            if (end < now)
                ++expired;
            else if (now.daysTo(end) <= kExpiryWarningDays)
                ++expiring;
        }
        if (expired > 0)
            lines << Line{StatusLevel::Warning,
                          tr("%n other certificate(s) in this file have expired", nullptr, expired)};
        if (expiring > 0)
            lines << Line{
                StatusLevel::Warning,
                tr("%n other certificate(s) in this file expire within 30 days", nullptr, expiring)};
    }
    if (fi.kind == FileKind::Crl || fi.role == pki::FileRole::CrlFile) {
        for (const pki::Crl& crl : fi.crls) {
            if (crl.nextUpdate().isValid() && crl.nextUpdate() < now) {
                lines << Line{StatusLevel::Warning,
                              tr("The CRL of %1 is out of date (next update was due %2): OpenSSL rejects "
                                 "server certificates with \"CRL has expired\"")
                                  .arg(crl.issuerDn(), isoDate(crl.nextUpdate()))};
                break;
            }
        }
    }

    // Does it fit the field; does the password open it.
    const bool encrypted = (fi.privateKeyEncrypted && fi.privateKeyCount > 0) || fi.kind == FileKind::Pkcs12;
    bool passphraseProblem = false;
    if (fi.problem) {
        if (fi.problem->code == u"pki.wrong-passphrase") {
            passphraseProblem = true;
            passphraseWanted = true;
            lines << Line{StatusLevel::Error, fi.kind == FileKind::Pkcs12
                                                  ? tr("The password does not open this bundle.")
                                                  : tr("The password does not open this key.")};
        } else {
            lines << Line{StatusLevel::Error, withExplanation(*fi.problem)};
        }
    }
    for (const Error& w : fi.warnings) {
        if (isPassphraseCode(w.code)) {
            passphraseProblem = true;
            passphraseWanted = true;
            const QString where = m_externalPassphrase && !m_passphraseWhere.isEmpty()
                                      ? tr("type its password in %1").arg(m_passphraseWhere)
                                      : tr("enter its password below");
            lines << Line{StatusLevel::Warning, fi.kind == FileKind::Pkcs12
                                                    ? tr("This bundle is password-protected: %1.").arg(where)
                                                    : tr("This key is encrypted: %1.").arg(where)};
        } else if (w.code != u"pki.libpq-needs-sslpassword" || m_passphrase.isEmpty()) {
            lines << Line{StatusLevel::Warning, withExplanation(w)};
        }
    }
    if (fi.kind == FileKind::Pkcs12 && fi.pkcs12PasswordNeeded && !passphraseProblem) {
        passphraseWanted = true;
        lines << Line{StatusLevel::Warning, tr("This bundle is password-protected: enter its password to see "
                                               "what it holds.")};
    }
    if (encrypted && !m_passphrase.isEmpty() && !passphraseProblem && !fi.pkcs12PasswordNeeded &&
        (!fi.privateKey.isNull() || fi.kind == FileKind::Pkcs12))
        lines << Line{StatusLevel::Ok, fi.kind == FileKind::Pkcs12 ? tr("The password opens this bundle.")
                                                                   : tr("The password opens this key.")};

    // Can libpq read it here.
    if (fi.libpqProblem && fi.fitsRole)
        lines << Line{StatusLevel::Error, withExplanation(*fi.libpqProblem)};
    else if (fi.libpqProblem && fi.kind != FileKind::Pkcs12)
        lines << Line{StatusLevel::Info, withExplanation(*fi.libpqProblem)};
    if (fi.kind == FileKind::Pkcs12 && !fi.fitsRole)
        lines << Line{StatusLevel::Info, tr("libpq cannot read PKCS#12 bundles: convert it to PEM files.")};

    // Key and certificate belong together.
    if (m_role == pki::FileRole::ClientKey && !fi.privateKey.isNull() && m_matchCertificate &&
        !m_matchCertificate->isNull()) {
        const auto match = fi.privateKey.checkMatches(*m_matchCertificate);
        if (match)
            lines << Line{StatusLevel::Ok,
                          tr("Matches %1 (%2)").arg(m_matchDescription, m_matchCertificate->displayName())};
        else
            lines << Line{StatusLevel::Error, tr("Does not belong to %1 (%2): %3")
                                                  .arg(m_matchDescription, m_matchCertificate->displayName(),
                                                       match.error().message)};
    }
    return lines;
}

void FileField::render()
{
    QList<Line> lines;
    bool passphraseWanted = false;
    bool restrict = false;
    bool convertible = false;
    const QString target = effectivePath();

    if (target.isEmpty()) {
        if (!m_fallbackDescription.isEmpty())
            lines << Line{StatusLevel::Info, m_fallbackDescription};
    } else {
        if (usesFallback())
            lines << Line{StatusLevel::Info,
                          tr("Not set here: libpq uses %1 (%2)")
                              .arg(QDir::toNativeSeparators(m_fallbackPath), m_fallbackDescription)};
        if (m_checking && (!m_result || m_result->path != target)) {
            lines << Line{StatusLevel::Info, tr("Checking\u2026")};
        } else if (m_result) {
            if (!m_result->inspection) {
                const Error& e = m_result->inspection.error();
                // A missing default file is how libpq works without one, not a problem.
                const bool quiet = usesFallback() && e.code == u"pki.file-missing";
                lines << Line{quiet ? StatusLevel::Info : StatusLevel::Error, withExplanation(e)};
            } else {
                lines += describe(*m_result->inspection, passphraseWanted);
                convertible = PemConverter::plan(*m_result->inspection).has_value();
            }
            if (m_result->permissionProblem &&
                !(m_result->permissionProblem->code == u"pki.key-missing" && !m_result->inspection)) {
                lines << Line{StatusLevel::Error, withExplanation(*m_result->permissionProblem)};
                restrict = m_result->permissionProblem->code == u"pki.key-permissions";
            }
            bool anyProblem = false;
            for (const Line& l : std::as_const(lines))
                anyProblem = anyProblem || l.level == StatusLevel::Error || l.level == StatusLevel::Warning;
            if (!anyProblem && m_result->inspection)
                lines << Line{StatusLevel::Ok, tr("libpq can use this file here.")};
        }
    }
    if (m_notice)
        lines << *m_notice;

    m_lines = lines;
    State state = State::Empty;
    if (m_checking) {
        state = State::Checking;
    } else if (!target.isEmpty() && m_result) {
        state = State::Ok;
        for (const Line& l : std::as_const(lines)) {
            if (l.level == StatusLevel::Error)
                state = State::Error;
            else if (l.level == StatusLevel::Warning && state != State::Error)
                state = State::Warning;
        }
        // A default file that does not exist is libpq's normal case.
        if (usesFallback() && !m_result->inspection &&
            m_result->inspection.error().code == u"pki.file-missing")
            state = State::Empty;
    }
    m_state = state;

    QString html;
    for (const Line& l : std::as_const(lines)) {
        const QColor color = statusColor(l.level, palette());
        html += u"<div style=\"color:%1\">%2&nbsp;%3</div>"_s.arg(color.name(), statusSymbol(l.level),
                                                                  l.text.toHtmlEscaped());
    }
    m_statusLabel->setText(html);
    m_statusLabel->setVisible(!lines.isEmpty());
    m_statusLabel->setAccessibleDescription(statusText());
    m_passphraseRow->setVisible(passphraseWanted && !m_externalPassphrase);
    m_restrictButton->setVisible(restrict);
    m_convertButton->setVisible(convertible);
    if (convertible && m_result && m_result->inspection &&
        m_result->inspection->kind == pki::FileKind::Pkcs12)
        m_convertButton->setText(tr("Extract PEM certificate and key\u2026"));
    else
        m_convertButton->setText(tr("Convert to PEM\u2026"));
    m_convertButton->setToolTip(
        tr("Write the PEM files libpq reads next to this file (a private key with mode 0600); asks before "
           "replacing a file"));
}

void FileField::browse()
{
    QString start = effectivePath();
    if (start.isEmpty())
        start = QDir::homePath();
    auto* dialog = new QFileDialog(this, tr("Choose %1").arg(m_fieldName), start);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    if (m_role == pki::FileRole::CrlDirectory) {
        dialog->setFileMode(QFileDialog::Directory);
        dialog->setOption(QFileDialog::ShowDirsOnly);
    } else {
        dialog->setFileMode(QFileDialog::ExistingFile);
        QStringList filters;
        if (m_role == pki::FileRole::ClientKey)
            filters << tr("Keys (*.key *.pem *.der *.p12 *.pfx)");
        else if (m_role == pki::FileRole::CrlFile)
            filters << tr("CRLs (*.crl *.pem *.der)");
        else
            filters << tr("Certificates (*.crt *.pem *.cer *.der *.p7b *.p7c *.p12 *.pfx)");
        filters << tr("All files (*)");
        dialog->setNameFilters(filters);
    }
    connect(dialog, &QFileDialog::fileSelected, this, &FileField::userSetPath);
    dialog->open();
}

void FileField::userSetPath(const QString& path)
{
    setPath(path);
    Q_EMIT pathEdited(this->path());
}

void FileField::expandTilde()
{
    const QString text = m_lineEdit->text();
    const QString expanded = path();
    if (text.trimmed().startsWith(u'~') && expanded != text.trimmed())
        m_lineEdit->setText(expanded);
}

void FileField::dragEnterEvent(QDragEnterEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().first().isLocalFile())
        event->acceptProposedAction();
}

void FileField::dropEvent(QDropEvent* event)
{
    const QMimeData* mime = event->mimeData();
    if (!mime->hasUrls() || mime->urls().isEmpty() || !mime->urls().first().isLocalFile())
        return;
    event->acceptProposedAction();
    userSetPath(mime->urls().first().toLocalFile());
}

void FileField::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::StyleChange)
        render();
}

void FileField::restrictPermissions()
{
    const QString target = effectivePath();
    if (QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        m_notice = Line{StatusLevel::Ok, tr("Restricted to its owner (0600).")};
    else
        m_notice = Line{StatusLevel::Error, tr("Could not change the permissions of \"%1\".").arg(target)};
    recheck();
}

void FileField::convert()
{
    if (!m_result || !m_result->inspection)
        return;
    const auto plan = PemConverter::plan(*m_result->inspection);
    if (!plan)
        return;
    QPointer<FileField> self(this);
    auto doConvert = [self, plan = *plan](bool go) {
        if (!self || !go)
            return;
        const auto written = PemConverter::write(plan);
        if (!written) {
            self->m_notice = Line{StatusLevel::Error, withExplanation(written.error())};
            self->render();
            return;
        }
        QStringList names;
        for (const PemConverter::Output& o : plan.outputs)
            //: %1 is the path of a private key file written with mode 0600 (read and write by its owner
            //: only).
            names << (o.privateKey ? tr("%1 (0600)").arg(QDir::toNativeSeparators(o.path))
                                   : QDir::toNativeSeparators(o.path));
        const QString next = self->m_role == pki::FileRole::ClientKey && !plan.keyPath.isEmpty()
                                 ? plan.keyPath
                                 : (!plan.certificatePath.isEmpty() ? plan.certificatePath : plan.keyPath);
        self->setPath(next);
        QString wrote;
        if (names.size() == 2)
            //: %1 and %2 are the paths of the certificate and the key file written.
            wrote = tr("Wrote %1 and %2.").arg(names.at(0), names.at(1));
        else
            //: %1 is the path of the file written (or a list of paths).
            wrote = tr("Wrote %1.").arg(QLocale().createSeparatedList(names));
        self->m_notice = Line{StatusLevel::Ok, wrote};
        self->render();
        Q_EMIT self->pathEdited(self->path());
        Q_EMIT self->converted(plan.certificatePath, plan.keyPath);
    };
    const QStringList existing = PemConverter::existingTargets(*plan);
    if (existing.isEmpty()) {
        doConvert(true);
        return;
    }
    QStringList shown;
    for (const QString& e : existing)
        shown << QDir::toNativeSeparators(e);
    m_confirm(
        tr("These files exist already and would be replaced:\n%1\n\nReplace them?").arg(shown.join(u'\n')),
        doConvert);
}

void FileField::unlock()
{
    m_passphrase = m_passphraseEdit->text().toUtf8();
    recheck();
}

} // namespace vf::ui
