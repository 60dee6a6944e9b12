#include "ScreenshotDriver.h"

#include "chain/ChainBrowser.h"
#include "main/MainWindow.h"
#include "pki/ChainVerifier.h"
#include "profiles/Profile.h"
#include "profiles/ProfileEditor.h"
#include "profiles/ProfileListModel.h"
#include "profiles/ProfileListWidget.h"
#include "profiles/ProfileStore.h"
#include "test/TestPanel.h"

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QPixmap>
#include <QPushButton>
#include <QScreen>
#include <QTabWidget>
#include <QTimer>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace vf::tools {

namespace {

// Long enough for layouts, the editor's background file checks and a repaint.
constexpr int kSettleMs = 900;

void say(const QString& text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

} // namespace

ScreenshotDriver::ScreenshotDriver(QString outDir, QSize size, QStringList only, QString suffix)
    : m_outDir(std::move(outDir))
    , m_size(size)
    , m_only(std::move(only))
    , m_suffix(std::move(suffix))
{}

ScreenshotDriver::~ScreenshotDriver() = default;

QString ScreenshotDriver::writeFixture(const QString& name, const QByteArray& data)
{
    const QString path = m_tmp.filePath(u"pki/"_s + name);
    test::TestPki::writeFile(path, data);
    return path;
}

bool ScreenshotDriver::setUp()
{
    if (!m_tmp.isValid() || !QDir().mkpath(m_outDir) || !QDir().mkpath(m_tmp.filePath(u"pki"_s)) ||
        !QDir().mkpath(m_tmp.filePath(u"home"_s))) {
        say(u"cannot create the output or temporary directories"_s);
        return false;
    }
    // A clean home: no ~/.postgresql files, settings or keychain of the person running this.
    qputenv("HOME", QFile::encodeName(m_tmp.filePath(u"home"_s)));
    qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_tmp.filePath(u"home/.config"_s)));
    qputenv("XDG_DATA_HOME", QFile::encodeName(m_tmp.filePath(u"home/.local/share"_s)));
    for (const char* v :
         {"PGSSLMODE", "PGSSLROOTCERT", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGSERVICE"})
        qunsetenv(v);

    using test::TestPki;
    m_root = TestPki::makeCert(TestPki::rootSpec(u"Example Corp Root CA"_s));
    m_inter = TestPki::makeCert(TestPki::intermediateSpec(u"Example Corp Issuing CA 2"_s), &m_root);
    m_leaf = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &m_inter);
    m_otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Example Corp Root CA 2019"_s));
    m_acmeRoot = TestPki::makeCert(TestPki::rootSpec(u"ACME Global Root"_s));
    test::CertSpec expired = TestPki::intermediateSpec(u"ACME Issuing CA 2021"_s);
    expired.notBeforeOffset = -3LL * 365 * 86400;
    expired.notAfterOffset = -12LL * 86400;
    m_acmeExpired = TestPki::makeCert(expired, &m_acmeRoot);
    m_acmeLeaf = TestPki::makeCert(
        TestPki::serverSpec(u"db.acme.example"_s, {u"db.acme.example"_s, u"db-replica.acme.example"_s}),
        &m_acmeExpired);
    const QString rootFile = writeFixture(u"root.crt"_s, m_root.pem());
    const QString oldRootFile = writeFixture(u"old-root.crt"_s, m_otherRoot.pem());

    int port = 5432;
    if (test::PgServer::available()) {
        test::PgServer::Options o;
        o.serverCertChainPem = m_leaf.pem() + m_inter.pem() + m_root.pem();
        o.serverKeyPem = m_leaf.keyBytes();
        o.hbaLines = {u"hostssl all all 127.0.0.1/32 trust"_s, u"host all all 127.0.0.1/32 reject"_s};
        QString error;
        m_pg = test::PgServer::start(o, &error);
        if (m_pg)
            port = m_pg->port();
        else
            say(u"no test server (the test screens are skipped): "_s + error);
    } else {
        say(u"PostgreSQL 15 is not installed: the test screens are skipped"_s);
    }

    auto profile = [](const QString& name, const QString& conninfo) {
        ui::Profile p = ui::Profile::createNew(name);
        p.conninfo = *settings::ConnInfo::parse(conninfo);
        return p;
    };
    const QString local =
        u"host=localhost hostaddr=127.0.0.1 port=%1 dbname=postgres user=postgres "_s.arg(port);
    QList<ui::Profile> profiles{
        profile(u"Production (verify-full)"_s, local + u"sslmode=verify-full sslrootcert="_s + rootFile),
        profile(u"Staging (old root file)"_s, local + u"sslmode=verify-full sslrootcert="_s + oldRootFile),
        profile(u"Reporting replica"_s,
                u"host=replica.internal.example port=5432 dbname=reports user=analyst sslmode=require"_s),
        profile(
            u"Cloud SQL (verify-ca)"_s,
            u"host=10.20.0.5 dbname=app user=app sslmode=verify-ca sslrootcert=/etc/ssl/cloudsql/server-ca.pem"_s),
    };
    const ui::ProfileStore store(m_tmp.filePath(u"profiles.json"_s));
    if (auto saved = store.save(profiles); !saved) {
        say(u"cannot write the profiles: "_s + saved.error().message);
        return false;
    }
    m_window = std::make_unique<ui::MainWindow>(store);
    m_window->resize(m_size);
    m_window->move(0, 0);
    m_window->show();

    auto selectProfile = [this](const QString& name) {
        for (const ui::Profile& p : m_window->profileModel()->profiles()) {
            if (p.name == name)
                m_window->profileList()->selectProfile(p.id);
        }
    };
    auto trigger = [this](const char* action) {
        if (auto* a = m_window->findChild<QAction*>(QString::fromLatin1(action)))
            a->trigger();
        else
            say(u"no action "_s + QString::fromLatin1(action));
    };
    auto editorTab = [this](const char* tab) {
        if (auto* page = m_window->profileEditor()->findChild<QWidget*>(QString::fromLatin1(tab)))
            m_window->profileEditor()->showPage(page);
    };

    m_steps = {
        {u"main-window"_s,
         [=, this](Done done) {
             trigger("actionShowConnections");
             selectProfile(u"Production (verify-full)"_s);
             editorTab("connectionTab");
             done();
         }},
        {u"profile-editor-ssl"_s,
         [=, this](Done done) {
             trigger("actionShowConnections");
             selectProfile(u"Production (verify-full)"_s);
             editorTab("sslTab");
             done();
         }},
        {u"sslmode-risk-table"_s,
         [=, this](Done done) {
             trigger("actionShowConnections");
             selectProfile(u"Reporting replica"_s);
             editorTab("protectionTab");
             done();
         }},
        {u"test-success"_s, [=, this](Done done) { runTestOf(u"Production (verify-full)"_s, done); }, true},
        {u"test-failed"_s, [=, this](Done done) { runTestOf(u"Staging (old root file)"_s, done); }, true},
        {u"test-trust-ca"_s,
         [=, this](Done done) {
             if (auto* b = m_window->testPanel()->findChild<QPushButton*>(u"offerTrustButton"_s);
                 b && b->isVisible())
                 b->click();
             else
                 say(u"no trust offer after the failed test"_s);
             done();
         },
         true},
        {u"chain-server"_s,
         [=, this](Done done) {
             trigger("actionShowCertificates");
             done();
         },
         true},
        {u"chain-expired-intermediate"_s,
         [=, this](Done done) {
             trigger("actionShowCertificates");
             pki::ChainVerifier verifier;
             verifier.setRootFile(writeFixture(u"acme-root.crt"_s, m_acmeRoot.pem()));
             const QList<pki::Certificate> chain{pki::Certificate::fromDer(m_acmeLeaf.der()),
                                                 pki::Certificate::fromDer(m_acmeExpired.der())};
             const auto v = verifier.verify(chain);
             ui::ChainBrowser* browser = m_window->chainBrowser();
             browser->showChain(chain, u"db.acme.example \u2014 chain checked against acme-root.crt"_s,
                                v ? std::optional<pki::ChainVerification>(*v) : std::nullopt);
             browser->selectVisibleRow(1);
             done();
         }},
        {u"chain-bundle"_s,
         [=, this](Done done) {
             trigger("actionShowCertificates");
             ui::ChainBrowser* browser = m_window->chainBrowser();
             QString bundle = u"/etc/ssl/certs/ca-certificates.crt"_s;
             if (!QFileInfo::exists(bundle)) {
                 QByteArray pem;
                 for (int i = 0; i < 150; ++i)
                     pem +=
                         test::TestPki::makeCert(test::TestPki::rootSpec(u"Bundle Root %1"_s.arg(i))).pem();
                 bundle = writeFixture(u"ca-bundle.crt"_s, pem);
             }
             auto connection = std::make_shared<QMetaObject::Connection>();
             *connection = connect(browser, &ui::ChainBrowser::loadFinished, this, [connection, done] {
                 QObject::disconnect(*connection);
                 done();
             });
             browser->openFile(bundle);
         }},
    };
    return true;
}

void ScreenshotDriver::runTestOf(const QString& profileName, Done done)
{
    for (const ui::Profile& p : m_window->profileModel()->profiles()) {
        if (p.name == profileName)
            m_window->profileList()->selectProfile(p.id);
    }
    ui::TestPanel* panel = m_window->testPanel();
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = connect(panel, &ui::TestPanel::testFinished, this, [connection, done] {
        QObject::disconnect(*connection);
        done();
    });
    // Let the editor settle on the profile, then test it as a person would (the list's Test action).
    QTimer::singleShot(kSettleMs, this, [this] { m_window->profileList()->testAction()->trigger(); });
}

void ScreenshotDriver::run()
{
    next();
}

void ScreenshotDriver::next()
{
    ++m_index;
    while (m_index < m_steps.size() && ((!m_only.isEmpty() && !m_only.contains(m_steps.at(m_index).name)) ||
                                        (m_steps.at(m_index).needsServer && !m_pg))) {
        ++m_index;
    }
    if (m_index >= m_steps.size()) {
        QApplication::exit(m_failures == 0 ? 0 : 1);
        return;
    }
    const Step& step = m_steps.at(m_index);
    const QString name = step.name;
    step.prepare([this, name] {
        QTimer::singleShot(kSettleMs, this, [this, name] {
            save(name);
            next();
        });
    });
}

void ScreenshotDriver::save(const QString& name)
{
    const QString suffix =
        m_size == QSize(1280, 800) ? QString() : u"-%1x%2"_s.arg(m_size.width()).arg(m_size.height());
    const QString path = QDir(m_outDir).filePath(name + suffix + m_suffix + u".png"_s);
    QPixmap pixmap;
    if (QScreen* screen = m_window->screen())
        pixmap = screen->grabWindow(m_window->winId());
    if (pixmap.isNull())
        pixmap = m_window->grab();
    if (pixmap.isNull() || !pixmap.save(path)) {
        say(u"could not save "_s + path);
        ++m_failures;
        return;
    }
    say(u"wrote "_s + path);
}

} // namespace vf::tools
