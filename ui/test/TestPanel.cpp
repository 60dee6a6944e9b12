#include "TestPanel.h"

#include "TestReportHtml.h"
#include "TestWorker.h"
#include "chain/ChainBrowser.h"
#include "common/OpenSslThread.h"
#include "pki/PkiLoader.h"
#include "settings/ConnInfo.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"
#include "ui_TestPanel.h"
#include "widgets/TimelineView.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileInfo>
#include <QFontDatabase>
#include <QInputDialog>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

// OpenSSL's X509_V_ERR_* values for "the issuer is not trusted" (stable across OpenSSL versions).
constexpr int kUnableToGetIssuerCert = 2;
constexpr int kDepthZeroSelfSigned = 18;
constexpr int kSelfSignedInChain = 19;
constexpr int kUnableToGetIssuerLocally = 20;

// A non-modal password prompt (QInputDialog, echo off) whose answer, or nullopt when it is closed
// without one, goes to `reply` exactly once.
void askSecret(QWidget* parent, const QString& objectName, const QString& title, const QString& label,
               TestPanel::PassphraseReply reply)
{
    auto* dialog = new QInputDialog(parent);
    dialog->setObjectName(objectName);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setWindowTitle(title);
    dialog->setLabelText(label);
    dialog->setTextEchoMode(QLineEdit::Password);
    dialog->setInputMode(QInputDialog::TextInput);
    auto shared = std::make_shared<TestPanel::PassphraseReply>(std::move(reply));
    QObject::connect(dialog, &QInputDialog::textValueSelected, dialog, [shared](const QString& text) {
        if (*shared)
            std::exchange(*shared, nullptr)(text.toUtf8());
    });
    QObject::connect(dialog, &QDialog::finished, dialog, [shared](int) {
        if (*shared)
            std::exchange(*shared, nullptr)(std::nullopt);
    });
    dialog->open();
}

QColor blend(const QColor& a, const QColor& b, qreal t)
{
    return QColor::fromRgbF(float(a.redF() * (1 - t) + b.redF() * t),
                            float(a.greenF() * (1 - t) + b.greenF() * t),
                            float(a.blueF() * (1 - t) + b.blueF() * t));
}

QString fingerprintLines(const QByteArray& digest)
{
    const QString all = pki::Certificate::formatFingerprint(digest);
    // 32 bytes as two lines of 16, easier to compare by eye.
    const qsizetype half = (all.size() + 1) / 2;
    const qsizetype cut = all.indexOf(u':', half - 2);
    return cut > 0 ? all.left(cut) + u":\n"_s + all.mid(cut + 1) : all;
}

} // namespace

TestPanel::TestPanel(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::TestPanel>())
    , m_environment(settings::Environment::system())
{
    m_ui->setupUi(this);
    setObjectName(u"testPanel"_s);
    m_ui->trustBox->hide();
    m_ui->verdictLabel->hide();
    m_ui->offerTrustButton->hide();
    m_ui->showChainButton->setEnabled(false);
    m_ui->copyReportButton->setEnabled(false);
    m_ui->fingerprintLabel->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_ui->splitter->setStretchFactor(0, 1);
    m_ui->splitter->setStretchFactor(1, 3);
    QFont verdictFont = m_ui->verdictLabel->font();
    verdictFont.setBold(true);
    if (verdictFont.pointSizeF() > 0)
        verdictFont.setPointSizeF(verdictFont.pointSizeF() * 1.15);
    m_ui->verdictLabel->setFont(verdictFont);
    m_ui->resultView->setPlaceholderText(
        tr("Press Test to connect with these settings. Each phase appears above as it happens; the result, "
           "what it means and how to fix it appear here."));

    connect(m_ui->testButton, &QPushButton::clicked, this, [this] {
        if (m_deferStart)
            Q_EMIT testRequested();
        else
            startTest();
    });
    connect(m_ui->cancelButton, &QPushButton::clicked, this, &TestPanel::cancelTest);
    auto* escape = new QAction(tr("Cancel Test"), this);
    escape->setShortcut(Qt::Key_Escape);
    escape->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(escape, &QAction::triggered, this, [this] {
        if (isRunning())
            cancelTest();
    });
    addAction(escape);
    connect(m_ui->offerTrustButton, &QPushButton::clicked, this, &TestPanel::showTrustBox);
    connect(m_ui->trustCancelButton, &QPushButton::clicked, this, [this] {
        m_ui->trustBox->hide();
        m_ui->offerTrustButton->setFocus(Qt::OtherFocusReason);
    });
    connect(m_ui->trustConfirmButton, &QPushButton::clicked, this, [this] {
        m_ui->trustBox->hide();
        if (m_trustCandidate)
            Q_EMIT trustRequested(*m_trustCandidate);
    });
    connect(m_ui->showChainButton, &QPushButton::clicked, this, &TestPanel::showChain);
    connect(m_ui->copyReportButton, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(verdictText() + u"\n\n"_s + resultText()); });

    m_prompt = [](QWidget* parentWidget, const QString& keyPath, PassphraseReply reply) {
        askSecret(parentWidget, u"passphraseDialog"_s, tr("Key Passphrase"),
                  tr("The private key %1 is encrypted.\nIts passphrase is used for this test only "
                     "and is not stored:")
                      .arg(QDir::toNativeSeparators(keyPath)),
                  std::move(reply));
    };

    m_passwordPrompt = [](QWidget* parentWidget, const QString& user, PassphraseReply reply) {
        askSecret(
            parentWidget, u"passwordDialog"_s, tr("Password"),
            user.isEmpty()
                ? tr("The server asks for a password.\nIt is kept until VerifyFull closes, not stored:")
                : tr("The server asks for the password of user %1.\nIt is kept until VerifyFull closes, "
                     "not stored:")
                      .arg(user),
            std::move(reply));
    };

    m_anchor = new QObject;
    m_anchor->moveToThread(&m_thread);
    m_thread.setObjectName(u"vf-test-worker"_s);
    // Runs on the worker thread as it ends: OpenSSL's per-thread state goes before wait() returns.
    connect(
        &m_thread, &QThread::finished, &m_thread, [] { ossl::releaseThreadState(); }, Qt::DirectConnection);
    m_thread.start();
    updateConnectionLabel();
    updateButtons();
}

TestPanel::~TestPanel()
{
    // Everything posted to the worker thread runs in order: cancel and delete the running test there,
    // then stop the thread.
    TestWorker* worker = std::exchange(m_worker, nullptr);
    QMetaObject::invokeMethod(
        m_anchor,
        [worker] {
            delete worker;
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    m_thread.wait();
    delete m_anchor;
}

TimelineView* TestPanel::timeline() const
{
    return m_ui->timeline;
}

void TestPanel::setEnvironment(const settings::Environment& environment)
{
    m_environment = environment;
    updateConnectionLabel();
}

void TestPanel::setPassphrasePrompt(PassphrasePrompt prompt)
{
    m_prompt = std::move(prompt);
}

void TestPanel::setPasswordPrompt(PasswordPrompt prompt)
{
    m_passwordPrompt = std::move(prompt);
}

void TestPanel::setChainBrowser(ChainBrowser* browser)
{
    m_chainBrowser = browser;
}

void TestPanel::setConnection(const QString& conninfo)
{
    m_conninfo = conninfo;
    updateConnectionLabel();
    updateButtons();
}

void TestPanel::updateConnectionLabel()
{
    QString text;
    QString tip;
    auto info = settings::ConnInfo::parse(m_conninfo);
    if (m_conninfo.trimmed().isEmpty()) {
        text = tr("No connection selected");
    } else if (!info) {
        text = tr("The connection string is not valid");
    } else if (auto resolved = settings::SettingsResolver(m_environment).resolve(*info); !resolved) {
        text = resolved.error().message;
    } else {
        const settings::EffectiveSettings& s = *resolved;
        QString host = s.valueOr(u"host");
        if (host.isEmpty())
            host = s.valueOr(u"hostaddr", settings::OptionValidator::kDefaultSocketDir.toString());
        const QString port = s.valueOr(u"port", u"5432"_s);
        const QString user = s.valueOr(u"user");
        const QString db = s.valueOr(u"dbname");
        text =
            tr("%1@%2:%3/%4 \u00B7 sslmode %5").arg(user, host, port, db, s.valueOr(u"sslmode", u"prefer"_s));
        tip = text;
    }
    m_ui->connectionLabel->setText(text);
    m_ui->connectionLabel->setToolTip(tip);
}

void TestPanel::updateButtons()
{
    const bool running = isRunning();
    m_ui->testButton->setEnabled(!running && !m_conninfo.trimmed().isEmpty());
    m_ui->cancelButton->setEnabled(running);
    const bool hasChain =
        m_report && TestReportHtml::chainAttempt(*m_report) >= 0 &&
        m_report->attempts.at(TestReportHtml::chainAttempt(*m_report)).tls &&
        !m_report->attempts.at(TestReportHtml::chainAttempt(*m_report)).tls->presentedChain.isEmpty();
    m_ui->showChainButton->setEnabled(!running && hasChain);
    m_ui->offerTrustButton->setVisible(!running && m_trustCandidate.has_value());
    m_ui->copyReportButton->setEnabled(!running && !m_ui->resultView->document()->isEmpty());
}

std::optional<QString> TestPanel::keyNeedingPassphrase(const settings::EffectiveSettings& s)
{
    if (s.valueOr(u"sslmode", u"prefer"_s) == u"disable"_s || s.valueOr(u"sslcertmode") == u"disable"_s)
        return std::nullopt;
    if (s.value(u"sslpassword").has_value())
        return std::nullopt; // libpq hands sslpassword to OpenSSL, even an empty one
    const auto cert = s.effectiveFile(u"sslcert");
    const auto key = s.effectiveFile(u"sslkey");
    if (!cert || !cert->value || !key || !key->value)
        return std::nullopt;
    // libpq loads the key only when the certificate file exists.
    if (!QFileInfo::exists(*cert->value) || !QFileInfo(*key->value).isFile())
        return std::nullopt;
    const auto inspection = pki::PkiLoader::inspectFile(*key->value, pki::FileRole::ClientKey);
    if (inspection && inspection->privateKeyCount > 0 && inspection->privateKeyEncrypted)
        return *key->value;
    return std::nullopt;
}

std::optional<pki::Certificate> TestPanel::trustCandidateFor(const session::ConnectionReport& report)
{
    const int index = TestReportHtml::chainAttempt(report);
    if (index < 0)
        return std::nullopt;
    const session::AttemptReport& a = report.attempts.at(index);
    if (!a.tls || a.tls->presentedChain.isEmpty())
        return std::nullopt;
    const pki::Certificate& top = a.tls->presentedChain.last();
    if (!top.isSelfSigned())
        return std::nullopt; // libpq needs the self-signed root among its anchors
    if (!a.tls->verificationEnabled)
        return top; // require/prefer/allow without root certificates: not verified at all
    switch (a.tls->verifyError) {
    case kUnableToGetIssuerCert:
    case kDepthZeroSelfSigned:
    case kSelfSignedInChain:
    case kUnableToGetIssuerLocally:
        return top;
    default:
        return std::nullopt;
    }
}

void TestPanel::startTest()
{
    if (isRunning())
        return;
    if (!std::exchange(m_retrying, false)) {
        m_passwordAsked = false;
        forgetEnteredSecrets();
    }
    ++m_run;
    m_report.reset();
    m_diagnosis.reset();
    m_trustCandidate.reset();
    m_ui->trustBox->hide();
    m_ui->verdictLabel->hide();
    m_ui->resultView->clear();
    m_ui->timeline->clearTimeline();

    auto info = settings::ConnInfo::parse(m_conninfo);
    if (!info) {
        endWithoutRun(tr("The connection string is not valid."),
                      TestReportHtml::settingsErrorHtml(info.error(), palette()), false);
        return;
    }
    auto resolved = settings::SettingsResolver(m_environment).resolve(*info);
    if (!resolved) {
        endWithoutRun(tr("The connection settings could not be resolved."),
                      TestReportHtml::settingsErrorHtml(resolved.error(), palette()), false);
        return;
    }
    auto validated = settings::OptionValidator::validate(*resolved);
    if (!validated) {
        endWithoutRun(tr("The connection settings are not valid."),
                      TestReportHtml::settingsErrorHtml(validated.error(), palette()), false);
        return;
    }
    if (const auto key = keyNeedingPassphrase(*resolved)) {
        m_state = State::AwaitingPassphrase;
        m_ui->stateLabel->setText(tr("Waiting for the key passphrase\u2026"));
        updateButtons();
        m_prompt(this, *key,
                 [self = QPointer<TestPanel>(this), run = m_run, s = *resolved,
                  v = *validated](std::optional<QByteArray> passphrase) mutable {
                     if (!self || self->m_run != run || self->m_state != State::AwaitingPassphrase)
                         return;
                     if (!passphrase) {
                         self->endWithoutRun(tr("Canceled: no passphrase was given for the client key."), {},
                                             true);
                         return;
                     }
                     self->m_enteredPassphrase = passphrase;
                     self->launch(s, v, std::move(passphrase));
                 });
        return;
    }
    launch(*resolved, *validated, std::nullopt);
}

void TestPanel::launch(const settings::EffectiveSettings& settings, const settings::ValidatedOptions& options,
                       std::optional<QByteArray> passphrase)
{
    m_state = State::Running;
    m_ui->stateLabel->setText(tr("Testing\u2026"));
    m_ui->timeline->start();
    auto* worker = new TestWorker(settings, options, m_check, std::move(passphrase));
    worker->moveToThread(&m_thread);
    connect(worker, &TestWorker::phaseStarted, this, &TestPanel::onPhaseStarted);
    connect(worker, &TestWorker::phaseFinished, this, &TestPanel::onPhaseFinished);
    connect(worker, &TestWorker::done, this, &TestPanel::onDone);
    m_worker = worker;
    QMetaObject::invokeMethod(worker, &TestWorker::start, Qt::QueuedConnection);
    updateButtons();
    m_ui->cancelButton->setFocus(Qt::OtherFocusReason);
    Q_EMIT testStarted();
}

void TestPanel::cancelTest()
{
    if (m_state == State::AwaitingPassword) {
        if (auto* dialog = findChild<QInputDialog*>(u"passwordDialog"_s))
            dialog->reject(); // its reply ends the wait
        if (m_state == State::AwaitingPassword) {
            m_state = State::Idle;
            m_ui->stateLabel->setText(tr("Canceled: no password was given."));
            updateButtons();
            Q_EMIT testFinished(false);
        }
        return;
    }
    if (m_state == State::AwaitingPassphrase) {
        if (auto* dialog = findChild<QInputDialog*>(u"passphraseDialog"_s))
            dialog->reject();
        if (m_state == State::AwaitingPassphrase)
            endWithoutRun(tr("Canceled before it started."), {}, true);
        return;
    }
    if (m_state != State::Running || !m_worker)
        return;
    m_ui->stateLabel->setText(tr("Canceling\u2026"));
    QMetaObject::invokeMethod(m_worker, &TestWorker::cancel, Qt::QueuedConnection);
}

void TestPanel::onPhaseStarted(int attempt, session::Phase phase, const QString& host)
{
    m_ui->timeline->phaseStarted(attempt, phase, host);
    if (m_state == State::Running)
        m_ui->stateLabel->setText(tr("Testing: %1\u2026").arg(TimelineView::phaseTitle(phase)));
}

void TestPanel::onPhaseFinished(int attempt, session::Phase phase, qint64 durationNs, bool ok)
{
    m_ui->timeline->phaseFinished(attempt, phase, durationNs, ok);
}

void TestPanel::disposeWorker()
{
    // Deleted on its own thread, after whatever is still queued for it.
    if (TestWorker* worker = std::exchange(m_worker, nullptr)) {
        worker->disconnect(this);
        QMetaObject::invokeMethod(
            m_anchor, [worker] { delete worker; }, Qt::QueuedConnection);
    }
}

void TestPanel::onDone(const session::ConnectionReport& report, const report::Diagnosis& diagnosis)
{
    if (m_state != State::Running || sender() != m_worker)
        return;
    disposeWorker();
    m_state = State::Idle;
    m_report = report;
    m_diagnosis = diagnosis;
    m_ui->timeline->finish(report);
    m_trustCandidate = report.canceled ? std::nullopt : trustCandidateFor(report);

    // One line: what libpq says when it failed (people search for it), else the diagnosis' headline.
    QString verdict = TestReportHtml::verdictTitle(diagnosis.verdict);
    if (diagnosis.verdict == report::Diagnosis::Verdict::Failed) {
        QString libpq;
        for (const report::Finding& f : diagnosis.findings) {
            if (f.severity == report::Finding::Severity::Error && !f.libpqMessage.isEmpty()) {
                libpq = f.libpqMessage;
                break;
            }
        }
        if (libpq.isEmpty() && report.error)
            libpq = report.error->message;
        if (!libpq.isEmpty())
            verdict += u": "_s + libpq.section(u'\n', 0, 0);
    } else if (diagnosis.verdict == report::Diagnosis::Verdict::ConnectedWithWarnings &&
               !diagnosis.headline.isEmpty()) {
        verdict = diagnosis.headline + u' ' + tr("Read the warnings below.");
    } else if (diagnosis.verdict == report::Diagnosis::Verdict::Connected && !diagnosis.headline.isEmpty()) {
        verdict = diagnosis.headline;
    }
    showVerdict(verdict, TestReportHtml::verdictColor(diagnosis.verdict, palette()));
    m_ui->resultView->setHtml(TestReportHtml::html(report, diagnosis, palette()));
    m_ui->stateLabel->setText(report.canceled
                                  ? tr("Canceled")
                                  : tr("Finished in %1").arg(TimelineView::formatDuration(report.totalNs)));
    updateButtons();

    const int index = TestReportHtml::chainAttempt(report);
    if (index >= 0 && report.attempts.at(index).tls &&
        !report.attempts.at(index).tls->presentedChain.isEmpty()) {
        Q_EMIT chainReceived(report.attempts.at(index).tls->presentedChain);
        if (m_chainBrowser)
            showChain();
    }
    m_ui->testButton->setFocus(Qt::OtherFocusReason);

    // What the person typed for this test is offered back unless it was what failed.
    auto failedOn = [&diagnosis](QStringView code) {
        return std::any_of(diagnosis.findings.cbegin(), diagnosis.findings.cend(),
                           [code](const report::Finding& f) {
                               return f.code == code && f.severity == report::Finding::Severity::Error;
                           });
    };
    if (m_enteredPassphrase && !report.canceled && !failedOn(u"key-passphrase"))
        Q_EMIT secretEntered(SecretKind::KeyPassword, QString::fromUtf8(*m_enteredPassphrase));
    if (m_enteredPassword && !report.canceled && !failedOn(u"password-failed"))
        Q_EMIT secretEntered(SecretKind::Password, *m_enteredPassword);
    forgetEnteredSecrets();

    // libpq reads a password only when the server asks for one; psql then prompts and connects again.
    if (!report.success && !report.canceled && !m_passwordAsked && report.error &&
        report.error->code == u"auth.no-password") {
        askPassword();
        return; // testFinished() follows the second attempt, or the prompt's cancel
    }
    Q_EMIT testFinished(report.success);
}

void TestPanel::forgetEnteredSecrets()
{
    if (m_enteredPassphrase)
        m_enteredPassphrase->fill('\0');
    m_enteredPassphrase.reset();
    if (m_enteredPassword)
        m_enteredPassword->fill(u'\0');
    m_enteredPassword.reset();
}

void TestPanel::askPassword()
{
    m_passwordAsked = true;
    m_state = State::AwaitingPassword;
    m_ui->stateLabel->setText(tr("Waiting for the password\u2026"));
    updateButtons();
    QString user;
    if (auto info = settings::ConnInfo::parse(m_conninfo)) {
        if (auto resolved = settings::SettingsResolver(m_environment).resolve(*info))
            user = resolved->valueOr(u"user");
    }
    m_passwordPrompt(this, user,
                     [self = QPointer<TestPanel>(this), run = m_run](std::optional<QByteArray> password) {
                         if (!self || self->m_run != run || self->m_state != State::AwaitingPassword)
                             return;
                         self->m_state = State::Idle;
                         auto info = settings::ConnInfo::parse(self->m_conninfo);
                         if (!password || !info) {
                             self->m_ui->stateLabel->setText(tr("Canceled: no password was given."));
                             self->updateButtons();
                             Q_EMIT self->testFinished(false);
                             return;
                         }
                         self->m_enteredPassword = QString::fromUtf8(*password);
                         password->fill('\0');
                         info->setValue(u"password"_s, *self->m_enteredPassword);
                         self->m_conninfo = info->toKeywordValue(true);
                         self->m_retrying = true;
                         self->startTest();
                     });
}

void TestPanel::showChain()
{
    if (!m_report || !m_chainBrowser)
        return;
    const int index = TestReportHtml::chainAttempt(*m_report);
    if (index < 0)
        return;
    const session::AttemptReport& a = m_report->attempts.at(index);
    if (!a.tls || a.tls->presentedChain.isEmpty())
        return;
    std::optional<pki::ChainVerification> verification;
    if (m_diagnosis) {
        if (const report::AttemptChain* chain = m_diagnosis->chainFor(index))
            verification = chain->verification;
    }
    const QString where = a.unixSocket ? a.host : u"%1:%2"_s.arg(a.host).arg(a.port);
    m_chainBrowser->showServerChain(a.tls->presentedChain, tr("Chain presented by %1").arg(where),
                                    verification, a.hostName);
}

void TestPanel::endWithoutRun(const QString& verdict, const QString& html, bool canceled)
{
    m_state = State::Idle;
    showVerdict(verdict, TestReportHtml::verdictColor(canceled ? report::Diagnosis::Verdict::Canceled
                                                               : report::Diagnosis::Verdict::Failed,
                                                      palette()));
    m_ui->resultView->setHtml(html);
    m_ui->stateLabel->setText(canceled ? tr("Canceled") : tr("Not started"));
    updateButtons();
    Q_EMIT testFinished(false);
}

void TestPanel::showVerdict(const QString& text, const QColor& color)
{
    m_verdictText = text;
    m_ui->verdictLabel->setText(text);
    QPalette pal = m_ui->verdictLabel->palette();
    pal.setColor(QPalette::WindowText, color);
    m_ui->verdictLabel->setPalette(pal);
    m_ui->verdictLabel->show();
}

void TestPanel::showTrustBox()
{
    if (!m_trustCandidate)
        return;
    const pki::Certificate& c = *m_trustCandidate;
    const QPalette pal = palette();
    const QColor accent = pal.color(QPalette::Highlight);
    m_ui->trustBox->setStyleSheet(
        u"QFrame#trustBox { background: %1; border: 1px solid %2; border-radius: 4px; }"_s.arg(
            blend(pal.color(QPalette::Base), accent, 0.10).name(),
            blend(pal.color(QPalette::Base), accent, 0.6).name()));
    m_ui->trustLabel->setText(
        tr("<b>Trust this server's CA?</b><br/>At the top of its chain the server presented <b>%1</b>, "
           "self-signed, valid until %2. Compare its SHA-256 fingerprint below with the one your provider or "
           "administrator publishes (for example from <code>openssl x509 -noout -fingerprint -sha256 -in "
           "ca.crt</code>) and trust it only if they match. It becomes this profile's root certificate file "
           "and "
           "the profile switches to sslmode=verify-full.")
            .arg(c.displayName().toHtmlEscaped(),
                 QLocale().toString(c.notAfter().toLocalTime().date(), QLocale::LongFormat).toHtmlEscaped()));
    m_ui->fingerprintLabel->setText(fingerprintLines(c.sha256Fingerprint()));
    m_ui->fingerprintLabel->setToolTip(pki::Certificate::formatFingerprint(c.sha256Fingerprint()));
    m_ui->trustBox->show();
    m_ui->trustConfirmButton->setFocus(Qt::OtherFocusReason);
}

QString TestPanel::resultText() const
{
    return m_ui->resultView->toPlainText();
}

QString TestPanel::verdictText() const
{
    return m_verdictText;
}

void TestPanel::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_report && m_diagnosis) {
        m_ui->resultView->setHtml(TestReportHtml::html(*m_report, *m_diagnosis, palette()));
        showVerdict(m_verdictText, TestReportHtml::verdictColor(m_diagnosis->verdict, palette()));
    }
}

} // namespace vf::ui
