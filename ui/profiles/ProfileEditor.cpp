#include "ProfileEditor.h"

#include "AdvancedOptionsModel.h"
#include "AdvancedValueDelegate.h"
#include "risk/AssessmentInputBuilder.h"
#include "risk/RiskTable.h"
#include "settings/OptionValidator.h"
#include "settings/SettingsResolver.h"
#include "ui_ProfileEditor.h"
#include "widgets/FileField.h"
#include "widgets/StatusLevel.h"

#include <QCheckBox>
#include <QClipboard>
#include <QDir>
#include <QEvent>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHeaderView>
#include <QScrollArea>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

constexpr int kRefreshMs = 150;
constexpr int kPassphraseMs = 400;

struct Choice
{
    const char* value;
    const char* text;
    const char* meaning;
};

// sslmode: all six with a one-line meaning. Texts are marked for translation in context
// vf::ui::ProfileEditor.
constexpr Choice kSslModes[] = {
    {"", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "Not set"),
     QT_TRANSLATE_NOOP("vf::ui::ProfileEditor",
                       "Not set here: libpq uses PGSSLMODE or a service file if they set it, else prefer "
                       "(verify-full with sslrootcert=system).")},
    {"disable", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "disable \u2014 no encryption"),
     QT_TRANSLATE_NOOP(
         "vf::ui::ProfileEditor",
         "Never encrypted: everything, passwords included, crosses the network as plain text.")},
    {"allow", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "allow \u2014 plaintext first"),
     QT_TRANSLATE_NOOP("vf::ui::ProfileEditor",
                       "Plaintext first; TLS only if the server insists. The server is never checked.")},
    {"prefer", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "prefer \u2014 TLS if offered"),
     QT_TRANSLATE_NOOP("vf::ui::ProfileEditor",
                       "TLS when the server offers it, otherwise silently plain text (libpq's default). The "
                       "server is not checked.")},
    {"require", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "require \u2014 encrypted, server not checked"),
     QT_TRANSLATE_NOOP("vf::ui::ProfileEditor",
                       "Always encrypted, but any server certificate is accepted (unless a root certificate "
                       "file exists: then it behaves as verify-ca).")},
    {"verify-ca", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "verify-ca \u2014 encrypted, CA checked"),
     QT_TRANSLATE_NOOP("vf::ui::ProfileEditor",
                       "Encrypted, and the server's certificate must come from your CA; the host name is not "
                       "checked.")},
    {"verify-full", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "verify-full \u2014 CA and host name checked"),
     QT_TRANSLATE_NOOP("vf::ui::ProfileEditor",
                       "Encrypted, from your CA, and issued for the host you connect to. The safe choice.")},
};

constexpr Choice kSni[] = {
    {"", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "Not set"), nullptr},
    {"1", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "On \u2014 send the host name (1)"), nullptr},
    {"0", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "Off (0)"), nullptr},
};

constexpr Choice kMinTls[] = {
    {"", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "Not set"), nullptr},
    {"TLSv1", "TLSv1", nullptr},
    {"TLSv1.1", "TLSv1.1", nullptr},
    {"TLSv1.2", "TLSv1.2", nullptr},
    {"TLSv1.3", "TLSv1.3", nullptr},
};

constexpr Choice kNegotiation[] = {
    {"", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "Not set"), nullptr},
    {"postgres", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "postgres \u2014 ask the server first"),
     QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "Works with every server version.")},
    {"direct", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "direct \u2014 start with TLS (PostgreSQL 17+)"),
     QT_TRANSLATE_NOOP("vf::ui::ProfileEditor",
                       "Saves a round trip; needs a PostgreSQL 17+ server and sslmode require or stricter.")},
};

constexpr Choice kCertMode[] = {
    {"", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "Not set"), nullptr},
    {"disable", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "disable \u2014 never send a certificate"),
     nullptr},
    {"allow", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "allow \u2014 send one if asked"), nullptr},
    {"require", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "require \u2014 the server must ask for one"),
     nullptr},
};

constexpr Choice kChannelBinding[] = {
    {"", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "Not set"), nullptr},
    {"disable", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "disable"), nullptr},
    {"prefer", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "prefer \u2014 when the server supports it"),
     nullptr},
    {"require", QT_TRANSLATE_NOOP("vf::ui::ProfileEditor", "require \u2014 refuse without it"), nullptr},
};

template <std::size_t N> void fill(QComboBox* combo, const Choice (&choices)[N])
{
    combo->clear();
    for (const Choice& c : choices) {
        combo->addItem(QCoreApplication::translate("vf::ui::ProfileEditor", c.text),
                       QString::fromLatin1(c.value));
        if (c.meaning)
            combo->setItemData(combo->count() - 1,
                               QCoreApplication::translate("vf::ui::ProfileEditor", c.meaning),
                               Qt::ToolTipRole);
    }
}

bool typedHere(settings::ValueSource source)
{
    return source == settings::ValueSource::Typed || source == settings::ValueSource::Uri ||
           source == settings::ValueSource::Unset;
}

// The keywords with a field of their own (the Advanced tab lists the others).
const QStringList kOwnFields = {
    u"host"_s,
    u"port"_s,
    u"dbname"_s,
    u"user"_s,
    u"password"_s,
    u"connect_timeout"_s,
    u"application_name"_s,
    u"sslmode"_s,
    u"sslrootcert"_s,
    u"sslcrl"_s,
    u"sslcrldir"_s,
    u"sslcert"_s,
    u"sslkey"_s,
    u"sslpassword"_s,
    u"sslsni"_s,
    u"ssl_min_protocol_version"_s,
    u"ssl_max_protocol_version"_s,
    u"sslnegotiation"_s,
    u"sslcertmode"_s,
    u"channel_binding"_s,
};

} // namespace

ProfileEditor::ProfileEditor(QWidget* parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::ProfileEditor>())
    , m_advanced(new AdvancedOptionsModel(kOwnFields, this))
    , m_refreshTimer(new QTimer(this))
    , m_passphraseTimer(new QTimer(this))
    , m_environment(settings::Environment::system())
{
    m_ui->setupUi(this);
    m_refreshTimer->setSingleShot(true);
    m_refreshTimer->setInterval(kRefreshMs);
    m_passphraseTimer->setSingleShot(true);
    m_passphraseTimer->setInterval(kPassphraseMs);
    setupCombos();
    setupFields();
    m_ui->headerLayout->setSpacing(12);
    // One label column across the SSL tab's groups, so the fields line up.
    int labelWidth = 0;
    const QList<QFormLayout*> forms{m_ui->modeForm, m_ui->serverForm, m_ui->clientForm, m_ui->tlsForm};
    for (QFormLayout* form : forms) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem* item = form->itemAt(row, QFormLayout::LabelRole); item && item->widget())
                labelWidth = std::max(labelWidth, item->widget()->sizeHint().width());
        }
    }
    for (QFormLayout* form : forms) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem* item = form->itemAt(row, QFormLayout::LabelRole); item && item->widget())
                item->widget()->setMinimumWidth(labelWidth);
        }
    }

    m_ui->advancedTable->setModel(m_advanced);
    m_ui->advancedTable->setItemDelegate(new AdvancedValueDelegate(this));
    m_ui->advancedTable->horizontalHeader()->setSectionResizeMode(AdvancedOptionsModel::KeywordColumn,
                                                                  QHeaderView::ResizeToContents);
    m_ui->advancedTable->horizontalHeader()->setSectionResizeMode(AdvancedOptionsModel::ValueColumn,
                                                                  QHeaderView::Interactive);
    m_ui->advancedTable->setColumnWidth(AdvancedOptionsModel::ValueColumn, 220);
    m_ui->advancedTable->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    connect(m_refreshTimer, &QTimer::timeout, this, &ProfileEditor::refresh);
    connect(m_passphraseTimer, &QTimer::timeout, this,
            [this] { m_ui->clientKeyField->setPassphrase(m_ui->keyPasswordEdit->text().toUtf8()); });
    connect(m_ui->profileNameEdit, &QLineEdit::textEdited, this, [this](const QString& name) {
        m_profile.name = name;
        Q_EMIT profileEdited(m_profile);
    });
    connect(m_ui->testButton, &QPushButton::clicked, this, &ProfileEditor::testRequested);
    for (QCheckBox* check : {m_ui->rememberPasswordCheck, m_ui->rememberKeyPasswordCheck}) {
        connect(check, &QCheckBox::toggled, this, [this] {
            updateSecretFields();
            onEdited();
        });
    }
    connect(m_ui->assessmentSummary, &QLabel::linkActivated, this,
            [this] { m_ui->editorTabs->setCurrentWidget(m_ui->protectionTab); });
    connect(m_ui->riskTable, &RiskTable::applyRequested, this, &ProfileEditor::setValue);
    connect(m_ui->riskTable, &RiskTable::showSettingRequested, this, &ProfileEditor::showSetting);
    connect(m_advanced, &AdvancedOptionsModel::edited, this, &ProfileEditor::onEdited);
    connect(m_ui->applyConninfoButton, &QPushButton::clicked, this, &ProfileEditor::applyConninfoText);
    connect(m_ui->conninfoEdit, &QLineEdit::returnPressed, this, &ProfileEditor::applyConninfoText);
    connect(m_ui->copyConninfoButton, &QPushButton::clicked, this,
            [this] { QGuiApplication::clipboard()->setText(conninfo(false)); });

    setProfile(Profile{});
}

ProfileEditor::~ProfileEditor()
{
    // Children destroyed with the widget (an open cell editor committing, a line edit losing focus)
    // must not call back into a half-destroyed object.
    const QList<QObject*> children = findChildren<QObject*>();
    for (QObject* child : children)
        child->disconnect(this);
}

void ProfileEditor::setupCombos()
{
    fill(m_ui->sslmodeCombo, kSslModes);
    fill(m_ui->sniCombo, kSni);
    fill(m_ui->minTlsCombo, kMinTls);
    fill(m_ui->maxTlsCombo, kMinTls);
    fill(m_ui->sslnegotiationCombo, kNegotiation);
    fill(m_ui->sslcertmodeCombo, kCertMode);
    fill(m_ui->channelBindingCombo, kChannelBinding);
    m_combos = {
        {u"sslmode"_s, m_ui->sslmodeCombo},
        {u"sslsni"_s, m_ui->sniCombo},
        {u"ssl_min_protocol_version"_s, m_ui->minTlsCombo},
        {u"ssl_max_protocol_version"_s, m_ui->maxTlsCombo},
        {u"sslnegotiation"_s, m_ui->sslnegotiationCombo},
        {u"sslcertmode"_s, m_ui->sslcertmodeCombo},
        {u"channel_binding"_s, m_ui->channelBindingCombo},
    };
    for (QComboBox* combo : std::as_const(m_combos))
        connect(combo, &QComboBox::activated, this, &ProfileEditor::onEdited);
    connect(m_ui->sslmodeCombo, &QComboBox::currentIndexChanged, this, &ProfileEditor::updateModeMeaning);
}

void ProfileEditor::setupFields()
{
    m_lineFields = {
        {u"host"_s, m_ui->hostEdit},
        {u"port"_s, m_ui->portEdit},
        {u"dbname"_s, m_ui->dbnameEdit},
        {u"user"_s, m_ui->userEdit},
        {u"password"_s, m_ui->passwordEdit},
        {u"connect_timeout"_s, m_ui->connectTimeoutEdit},
        {u"application_name"_s, m_ui->applicationNameEdit},
        {u"sslpassword"_s, m_ui->keyPasswordEdit},
    };
    for (QLineEdit* edit : std::as_const(m_lineFields))
        connect(edit, &QLineEdit::textEdited, this, &ProfileEditor::onEdited);
    connect(m_ui->keyPasswordEdit, &QLineEdit::textEdited, m_passphraseTimer, qOverload<>(&QTimer::start));

    m_files = {
        {u"sslrootcert"_s, m_ui->rootCertField}, {u"sslcrl"_s, m_ui->crlFileField},
        {u"sslcrldir"_s, m_ui->crlDirField},     {u"sslcert"_s, m_ui->clientCertField},
        {u"sslkey"_s, m_ui->clientKeyField},
    };
    m_ui->rootCertField->setRole(pki::FileRole::RootCertificates);
    m_ui->rootCertField->setFieldName(tr("Root certificate"));
    m_ui->crlFileField->setRole(pki::FileRole::CrlFile);
    m_ui->crlFileField->setFieldName(tr("CRL file"));
    m_ui->crlDirField->setRole(pki::FileRole::CrlDirectory);
    m_ui->crlDirField->setFieldName(tr("CRL directory"));
    m_ui->clientCertField->setRole(pki::FileRole::ClientCertificate);
    m_ui->clientCertField->setFieldName(tr("Client certificate"));
    m_ui->clientKeyField->setRole(pki::FileRole::ClientKey);
    m_ui->clientKeyField->setFieldName(tr("Client key"));
    m_ui->clientKeyField->setExternalPassphrase(true, tr("Key password"));
    for (FileField* field : std::as_const(m_files))
        connect(field, &FileField::pathEdited, this, &ProfileEditor::onEdited);

    connect(m_ui->systemRootsCheck, &QCheckBox::clicked, this, [this](bool checked) {
        m_ui->rootCertField->setEnabled(!checked);
        onEdited();
    });
    connect(m_ui->rootCertField, &FileField::inspectionFinished, this, &ProfileEditor::updateAssessment);
    connect(m_ui->crlFileField, &FileField::inspectionFinished, this, &ProfileEditor::updateAssessment);
    connect(m_ui->clientCertField, &FileField::inspectionFinished, this, [this] {
        const auto& r = m_ui->clientCertField->result();
        if (r && r->inspection && !r->inspection->certificates.isEmpty())
            m_ui->clientKeyField->setMatchCertificate(r->inspection->certificates.first(),
                                                      tr("the client certificate"));
        else
            m_ui->clientKeyField->setMatchCertificate(std::nullopt, {});
    });
    // A PKCS#12 converted in one field fills the other one too.
    auto fillOther = [this](FileField* other, const QString& path) {
        if (path.isEmpty())
            return;
        const auto& r = other->result();
        const bool otherIsBundle = r && r->inspection && r->inspection->kind == pki::FileKind::Pkcs12;
        if (other->path().isEmpty() || otherIsBundle) {
            other->setPath(path);
            onEdited();
        }
    };
    connect(m_ui->clientCertField, &FileField::converted, this,
            [this, fillOther](const QString&, const QString& key) { fillOther(m_ui->clientKeyField, key); });
    connect(
        m_ui->clientKeyField, &FileField::converted, this,
        [this, fillOther](const QString& cert, const QString&) { fillOther(m_ui->clientCertField, cert); });

    m_origins = {
        {u"host"_s, m_ui->hostOrigin},
        {u"port"_s, m_ui->portOrigin},
        {u"dbname"_s, m_ui->dbnameOrigin},
        {u"user"_s, m_ui->userOrigin},
        {u"password"_s, m_ui->passwordOrigin},
        {u"connect_timeout"_s, m_ui->connectTimeoutOrigin},
        {u"application_name"_s, m_ui->applicationNameOrigin},
        {u"sslmode"_s, m_ui->sslmodeOrigin},
        {u"sslpassword"_s, m_ui->keyPasswordOrigin},
        {u"sslsni"_s, m_ui->sniOrigin},
        {u"ssl_min_protocol_version"_s, m_ui->minTlsOrigin},
        {u"ssl_max_protocol_version"_s, m_ui->maxTlsOrigin},
        {u"sslnegotiation"_s, m_ui->sslnegotiationOrigin},
        {u"sslcertmode"_s, m_ui->sslcertmodeOrigin},
        {u"channel_binding"_s, m_ui->channelBindingOrigin},
    };
    for (auto it = m_origins.cbegin(); it != m_origins.cend(); ++it) {
        it.value()->setAccessibleName(tr("Where %1 comes from").arg(it.key()));
    }
}

void ProfileEditor::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        updateOrigins();
        updateAssessment();
    }
}

void ProfileEditor::setEnvironment(const settings::Environment& environment)
{
    m_environment = environment;
    refresh();
}

void ProfileEditor::setProfile(const Profile& profile)
{
    m_profile = profile;
    loadFields();
    refresh();
}

void ProfileEditor::loadFields()
{
    m_loading = true;
    const settings::ConnInfo& ci = m_profile.conninfo;
    m_ui->profileNameEdit->setText(m_profile.name);
    for (auto it = m_lineFields.cbegin(); it != m_lineFields.cend(); ++it)
        it.value()->setText(ci.value(it.key()).value_or(QString()));
    for (auto it = m_combos.cbegin(); it != m_combos.cend(); ++it)
        selectComboValue(it.value(), ci.value(it.key()).value_or(QString()));
    // Before the key field gets its path, so that its first check already uses the password.
    m_passphraseTimer->stop();
    m_ui->clientKeyField->setPassphrase(m_ui->keyPasswordEdit->text().toUtf8());
    const QString root = ci.value(u"sslrootcert").value_or(QString());
    const bool system = root == u"system";
    m_ui->systemRootsCheck->setChecked(system);
    m_ui->rootCertField->setEnabled(!system);
    for (auto it = m_files.cbegin(); it != m_files.cend(); ++it) {
        const QString value = ci.value(it.key()).value_or(QString());
        it.value()->setPath(it.key() == u"sslrootcert" && system ? QString() : value);
    }
    m_advanced->setValues(ci);
    m_ui->conninfoEdit->setText(ci.toKeywordValue(false));
    m_ui->conninfoMessage->hide();
    m_ui->rememberPasswordCheck->setChecked(m_profile.rememberPassword);
    m_ui->rememberKeyPasswordCheck->setChecked(m_profile.rememberKeyPassword);
    updateSecretFields();
    updateModeMeaning();
    m_loading = false;
}

void ProfileEditor::setKeychainAvailable(bool available)
{
    m_keychainAvailable = available;
    updateSecretFields();
}

void ProfileEditor::updateSecretFields()
{
    const QString unavailable = tr("No keychain is available (no Secret Service is running), so this is "
                                   "asked for when a test needs it and kept until VerifyFull closes.");
    const struct
    {
        QCheckBox* check;
        QLineEdit* edit;
    } rows[] = {{m_ui->rememberPasswordCheck, m_ui->passwordEdit},
                {m_ui->rememberKeyPasswordCheck, m_ui->keyPasswordEdit}};
    for (const auto& row : rows) {
        row.check->setEnabled(m_keychainAvailable);
        row.check->setToolTip(
            m_keychainAvailable ? tr("Keep it in the system keychain (Secret Service), never in the profile "
                                     "file. Off: it is asked for when a test needs it and kept until "
                                     "VerifyFull closes.")
                                : unavailable);
        const bool fromKeychain = m_keychainAvailable && row.check->isChecked();
        row.edit->setPlaceholderText(fromKeychain ? tr("From the keychain when needed")
                                                  : tr("Asked when needed"));
    }
}

void ProfileEditor::setSecret(SecretKind kind, const QString& value)
{
    QLineEdit* edit = kind == SecretKind::Password ? m_ui->passwordEdit : m_ui->keyPasswordEdit;
    const bool wasLoading = std::exchange(m_loading, true);
    edit->setText(value);
    m_profile.setSecret(kind, value);
    m_loading = wasLoading;
    if (kind == SecretKind::KeyPassword) {
        m_passphraseTimer->stop();
        m_ui->clientKeyField->setPassphrase(value.toUtf8());
    }
    scheduleRefresh();
}

void ProfileEditor::selectComboValue(QComboBox* combo, const QString& value)
{
    int index = combo->findData(value);
    if (index < 0) {
        // A value libpq will reject: keep it visible rather than silently changing it.
        combo->addItem(tr("\u201c%1\u201d (not a valid value)").arg(value), value);
        index = combo->count() - 1;
    }
    combo->setCurrentIndex(index);
}

void ProfileEditor::collect()
{
    settings::ConnInfo ci;
    auto put = [&ci](const QString& keyword, const QString& value) {
        if (!value.isEmpty())
            ci.setValue(keyword, value);
    };
    for (auto it = m_lineFields.cbegin(); it != m_lineFields.cend(); ++it) {
        // Host names, ports and numbers never need their surrounding spaces; secrets keep them.
        const bool secret = it.key() == u"password" || it.key() == u"sslpassword";
        put(it.key(), secret ? it.value()->text() : it.value()->text().trimmed());
    }
    for (auto it = m_combos.cbegin(); it != m_combos.cend(); ++it)
        put(it.key(), it.value()->currentData().toString());
    for (auto it = m_files.cbegin(); it != m_files.cend(); ++it)
        put(it.key(), it.value()->path());
    if (m_ui->systemRootsCheck->isChecked())
        ci.setValue(u"sslrootcert"_s, u"system"_s);
    m_advanced->applyTo(ci);
    m_profile.conninfo = ci;
    m_profile.rememberPassword = m_ui->rememberPasswordCheck->isChecked();
    m_profile.rememberKeyPassword = m_ui->rememberKeyPasswordCheck->isChecked();
}

void ProfileEditor::onEdited()
{
    if (m_loading)
        return;
    collect();
    if (!m_ui->conninfoEdit->hasFocus())
        m_ui->conninfoEdit->setText(m_profile.conninfo.toKeywordValue(false));
    updateModeMeaning();
    Q_EMIT profileEdited(m_profile);
    scheduleRefresh();
}

void ProfileEditor::scheduleRefresh()
{
    m_refreshTimer->start();
}

QString ProfileEditor::conninfo(bool includeSecrets) const
{
    return m_profile.conninfo.toKeywordValue(includeSecrets);
}

void ProfileEditor::refresh()
{
    m_refreshTimer->stop();
    QStringList messages;
    auto resolved = settings::SettingsResolver(m_environment).resolve(m_profile.conninfo);
    if (resolved) {
        m_effective = std::move(*resolved);
        const auto validated = settings::OptionValidator::validate(*m_effective);
        if (!validated)
            messages << statusSymbol(StatusLevel::Error) + u' ' +
                            tr("libpq would refuse these settings: %1").arg(validated.error().message) +
                            (validated.error().explanation.isEmpty()
                                 ? QString()
                                 : u" \u2014 "_s + validated.error().explanation);
        if (!m_effective->serviceName().isEmpty())
            messages << statusSymbol(StatusLevel::Info) + u' ' +
                            tr("Uses service \u201c%1\u201d (%2) from %3")
                                .arg(m_effective->serviceName(), m_effective->serviceNameOrigin().label(),
                                     settings::displayPath(m_effective->serviceFile(),
                                                           m_effective->homeDirectory().value_or(QString())));
        for (const QString& note : m_effective->notes())
            messages << statusSymbol(StatusLevel::Warning) + u' ' + note;
    } else {
        m_effective.reset();
        messages << statusSymbol(StatusLevel::Error) + u' ' + resolved.error().message +
                        (resolved.error().explanation.isEmpty()
                             ? QString()
                             : u" \u2014 "_s + resolved.error().explanation);
    }
    m_ui->resolveMessage->setText(messages.join(u'\n'));
    m_ui->resolveMessage->setVisible(!messages.isEmpty());
    m_advanced->setEffective(m_effective);
    updateOrigins();
    updateFileFallbacks();
    updateAssessment();
    Q_EMIT refreshed();
}

void ProfileEditor::updateOrigins()
{
    const QColor dim = secondaryTextColor(palette());
    for (auto it = m_origins.cbegin(); it != m_origins.cend(); ++it) {
        QLabel* label = it.value();
        const QString& keyword = it.key();
        QString text;
        const bool emptyHere = !m_profile.conninfo.contains(keyword);
        if (m_effective && emptyHere) {
            const settings::EffectiveValue* ev = m_effective->find(keyword);
            if (ev && ev->value && !typedHere(ev->origin.source)) {
                text = tr("Not set here: libpq uses %1 (%2)")
                           .arg(ev->displayValue(), ev->origin.detailedLabel());
            } else if (keyword == u"password") {
                const auto passfile = m_effective->effectiveFile(u"passfile");
                if (passfile && passfile->value) {
                    const QString shown = passfile->origin.source == settings::ValueSource::DefaultFile
                                              ? passfile->origin.displayPath
                                              : *passfile->value;
                    const bool missing = passfile->origin.source == settings::ValueSource::DefaultFile &&
                                         !passfile->origin.fileExists;
                    text = missing
                               ? tr("Not set here, and there is no %1: libpq sends no password unless the "
                                    "server asks, and then fails.")
                                     .arg(shown)
                               : tr("Not set here: libpq looks for the password in %1 (%2)")
                                     .arg(shown, passfile->origin.label());
                }
            }
        }
        label->setText(text);
        label->setStyleSheet(u"color: %1"_s.arg(dim.name()));
        label->setVisible(!text.isEmpty());
    }
}

void ProfileEditor::updateFileFallbacks()
{
    for (auto it = m_files.cbegin(); it != m_files.cend(); ++it) {
        FileField* field = it.value();
        const QString& keyword = it.key();
        if (!m_effective || m_profile.conninfo.contains(keyword)) {
            field->setFallback({}, {});
            continue;
        }
        std::optional<settings::EffectiveValue> ev;
        if (keyword == u"sslcrldir") {
            if (const settings::EffectiveValue* v = m_effective->find(keyword))
                ev = *v;
        } else {
            ev = m_effective->effectiveFile(keyword);
        }
        if (!ev || !ev->value || ev->value->isEmpty()) {
            field->setFallback({}, {});
            continue;
        }
        const settings::ValueOrigin& origin = ev->origin;
        const bool systemRoots = m_effective->valueOr(u"sslrootcert") == u"system";
        if (systemRoots && (keyword == u"sslcrl" || keyword == u"sslcrldir")) {
            field->setFallback({}, tr("Not used: libpq loads no CRL with the system's trusted roots"));
        } else if (keyword == u"sslrootcert" && *ev->value == u"system") {
            field->setFallback(
                {}, tr("Not set here: libpq uses the system's trusted roots (%1)").arg(origin.label()));
        } else if (origin.source == settings::ValueSource::DefaultFile && !origin.fileExists) {
            field->setFallback({}, tr("Not set here: libpq would use %1, which does not exist")
                                       .arg(QDir::toNativeSeparators(origin.displayPath)));
        } else {
            field->setFallback(*ev->value, origin.detailedLabel());
        }
    }
}

void ProfileEditor::updateAssessment()
{
    if (!m_effective) {
        m_assessment.reset();
        m_ui->riskTable->clear();
        m_ui->assessmentLabel->clear();
        m_ui->assessmentSummary->clear();
        return;
    }
    const security::AssessmentInput input = AssessmentInputBuilder::build(
        *m_effective, m_ui->rootCertField->result(), m_ui->crlFileField->result());
    m_assessment = security::SslModeAssessment::assess(input);
    m_ui->riskTable->setAssessment(*m_assessment);

    StatusLevel level = StatusLevel::Error;
    switch (m_assessment->severity()) {
    case security::Severity::Safe:
        level = StatusLevel::Ok;
        break;
    case security::Severity::Weak:
        level = StatusLevel::Warning;
        break;
    case security::Severity::Unsafe:
    case security::Severity::WillFail:
        break;
    }
    const QString color = statusColor(level, palette()).name();
    const QString summary = m_assessment->summary();
    m_ui->assessmentLabel->setText(
        u"<span style=\"color:%1\">%2 %3</span>"_s.arg(color, statusSymbol(level), summary.toHtmlEscaped()));
    m_ui->assessmentLabel->setAccessibleName(tr("Protection: %1").arg(summary));
    m_ui->assessmentSummary->setText(
        u"<span style=\"color:%1\">%2 %3</span> &nbsp;<a href=\"#protection\">%4</a>"_s.arg(
            color, statusSymbol(level), summary.toHtmlEscaped(), tr("What this protects against")));
}

void ProfileEditor::updateModeMeaning()
{
    const QString tip = m_ui->sslmodeCombo->currentData(Qt::ToolTipRole).toString();
    m_ui->sslmodeMeaning->setText(tip);
    m_ui->sslmodeMeaning->setVisible(!tip.isEmpty());
    m_ui->sslmodeCombo->setAccessibleDescription(tip);
}

void ProfileEditor::setValue(const QString& keyword, const QString& value)
{
    if (QLineEdit* edit = m_lineFields.value(keyword)) {
        edit->setText(value);
    } else if (QComboBox* combo = m_combos.value(keyword)) {
        selectComboValue(combo, value);
    } else if (keyword == u"sslrootcert" && value == u"system") {
        m_ui->systemRootsCheck->setChecked(true);
        m_ui->rootCertField->setEnabled(false);
    } else if (FileField* field = m_files.value(keyword)) {
        if (keyword == u"sslrootcert") {
            m_ui->systemRootsCheck->setChecked(false);
            m_ui->rootCertField->setEnabled(true);
        }
        field->setPath(value);
    } else if (const int row = m_advanced->rowOf(keyword); row >= 0) {
        m_advanced->setData(m_advanced->index(row, AdvancedOptionsModel::ValueColumn), value);
        return; // edited() already collected
    } else {
        return;
    }
    onEdited();
    refresh();
}

void ProfileEditor::showSetting(const QString& keyword)
{
    QWidget* target = m_lineFields.value(keyword);
    if (!target)
        target = m_combos.value(keyword);
    if (!target && keyword == u"sslrootcert" && m_ui->systemRootsCheck->isChecked())
        target = m_ui->systemRootsCheck;
    if (!target)
        target = m_files.value(keyword);
    if (target) {
        for (QWidget* tab : {m_ui->connectionTab, m_ui->sslTab}) {
            if (tab->isAncestorOf(target)) {
                m_ui->editorTabs->setCurrentWidget(tab);
                if (auto* scroll = tab->findChild<QScrollArea*>())
                    scroll->ensureWidgetVisible(target);
            }
        }
        target->setFocus(Qt::OtherFocusReason);
        return;
    }
    const int row = m_advanced->rowOf(keyword);
    if (row < 0)
        return;
    m_ui->editorTabs->setCurrentWidget(m_ui->advancedTab);
    const QModelIndex index = m_advanced->index(row, AdvancedOptionsModel::ValueColumn);
    m_ui->advancedTable->setCurrentIndex(index);
    m_ui->advancedTable->scrollTo(index);
    m_ui->advancedTable->setFocus(Qt::OtherFocusReason);
}

void ProfileEditor::applyConninfoText()
{
    const auto parsed = settings::ConnInfo::parse(m_ui->conninfoEdit->text().trimmed());
    if (!parsed) {
        m_ui->conninfoMessage->setText(statusSymbol(StatusLevel::Error) + u' ' + parsed.error().message);
        m_ui->conninfoMessage->show();
        return;
    }
    settings::ConnInfo next = *parsed;
    // A string without secrets keeps the ones typed in this session.
    for (const QString& keyword : {u"password"_s, u"sslpassword"_s}) {
        if (!next.contains(keyword) && m_profile.conninfo.contains(keyword))
            next.setValue(keyword, *m_profile.conninfo.value(keyword));
    }
    m_profile.conninfo = next;
    loadFields();
    m_ui->conninfoMessage->setText(statusSymbol(StatusLevel::Ok) + u' ' + tr("Settings replaced."));
    m_ui->conninfoMessage->show();
    Q_EMIT profileEdited(m_profile);
    refresh();
}

void ProfileEditor::focusName()
{
    m_ui->profileNameEdit->setFocus(Qt::OtherFocusReason);
    m_ui->profileNameEdit->selectAll();
}

void ProfileEditor::addPage(QWidget* page, const QString& title)
{
    m_ui->editorTabs->addTab(page, title);
}

void ProfileEditor::showPage(QWidget* page)
{
    m_ui->editorTabs->setCurrentWidget(page);
}

QTabWidget* ProfileEditor::tabs() const
{
    return m_ui->editorTabs;
}

RiskTable* ProfileEditor::riskTable() const
{
    return m_ui->riskTable;
}

FileField* ProfileEditor::fileField(const QString& keyword) const
{
    return m_files.value(keyword);
}

} // namespace vf::ui
