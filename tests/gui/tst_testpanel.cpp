// The interactive test panel against a real PostgreSQL 15 with TLS (tests/support PgServer) and
// against servers that never answer: the live timeline, the verdict and diagnosis, the chain sent to
// the chain browser, "Trust this server's CA", the passphrase prompt before the worker starts, and
// Cancel at every phase with the window staying responsive.

#include "FakeServer.h"
#include "PgServer.h"
#include "TestPki.h"
#include "chain/CertificateListModel.h"
#include "chain/ChainBrowser.h"
#include "settings/ConnInfo.h"
#include "settings/SettingsResolver.h"
#include "test/TestPanel.h"
#include "widgets/TimelineView.h"

#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Qt::StringLiterals;
using namespace vf::test;
using vf::session::Phase;
using vf::ui::TestPanel;
using vf::ui::TimelineView;

namespace {

// The longest time the GUI thread did not get to a 5 ms timer.
class Heartbeat final
{
public:
    Heartbeat()
    {
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_maxGapNs = std::max(m_maxGapNs, now - m_last);
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    qint64 maxGapMs() const { return m_maxGapNs / 1000000; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGapNs = 0;
};

// Accepts connections and never says anything, or answers an SSLRequest with 'S' and then stays
// silent in the middle of the TLS handshake.
class SilentServer final : public QObject
{
public:
    explicit SilentServer(bool answerSslRequest)
    {
        m_server.listen(QHostAddress::LocalHost);
        connect(&m_server, &QTcpServer::newConnection, this, [this, answerSslRequest] {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                if (answerSslRequest) {
                    connect(s, &QTcpSocket::readyRead, s, [s] {
                        if (s->property("answered").toBool()) {
                            s->readAll();
                            return;
                        }
                        if (s->bytesAvailable() >= 8) {
                            s->read(8);
                            s->write("S");
                            s->setProperty("answered", true);
                        }
                    });
                }
            }
        });
    }
    quint16 port() const { return m_server.serverPort(); }

private:
    QTcpServer m_server;
};

QPushButton* button(QWidget& w, const char* name)
{
    return w.findChild<QPushButton*>(QString::fromLatin1(name));
}

} // namespace

class TestTestPanel : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<PgServer> m_pg;
    TestCert m_root, m_inter, m_server, m_client, m_otherRoot;
    vf::settings::Environment m_env;

    QString file(const QString& name, const QByteArray& data, int mode = 0600)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        TestPki::chmod(path, mode);
        return path;
    }

    QString base() const
    {
        return u"host=localhost hostaddr=127.0.0.1 port=%1 dbname=postgres "_s.arg(m_pg->port());
    }

    void prepare(TestPanel& panel, const QString& conninfo)
    {
        panel.setEnvironment(m_env);
        panel.setConnection(conninfo);
        panel.resize(1000, 700);
        panel.show();
    }

    bool needsServer() { return m_pg != nullptr; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QDir().mkpath(m_dir.filePath(u"home"_s));
        m_env.setVariable(u"HOME"_s, m_dir.filePath(u"home"_s));
        m_root = TestPki::makeCert(TestPki::rootSpec(u"Panel Root"_s));
        m_inter = TestPki::makeCert(TestPki::intermediateSpec(u"Panel Issuing CA"_s), &m_root);
        m_server = TestPki::makeCert(TestPki::serverSpec(u"localhost"_s, {u"localhost"_s}), &m_inter);
        m_client = TestPki::makeCert(TestPki::clientSpec(u"certuser"_s), &m_root);
        m_otherRoot = TestPki::makeCert(TestPki::rootSpec(u"Some Other Root"_s));
        if (!PgServer::available())
            return; // the server tests skip; the silent-server tests still run
        PgServer::Options o;
        // The server sends its root too, so that "Trust this server's CA" has a root to offer.
        o.serverCertChainPem = m_server.pem() + m_inter.pem() + m_root.pem();
        o.serverKeyPem = m_server.keyBytes();
        o.clientCaPem = m_root.pem();
        o.hbaLines = {u"hostssl all certuser 127.0.0.1/32 cert"_s,
                      u"hostssl all scramuser 127.0.0.1/32 scram-sha-256"_s,
                      u"host all all 127.0.0.1/32 trust"_s};
        QString error;
        m_pg = PgServer::start(o, &error);
        QVERIFY2(m_pg, qPrintable(error));
        QString sqlError;
        QVERIFY2(!m_pg->psql(u"create role scramuser login password 'scram-pw'; create role certuser login"_s,
                             &sqlError)
                      .isNull(),
                 qPrintable(sqlError));
    }

    void successShowsTimelineResultAndChain()
    {
        if (!needsServer())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
        const QString root = file(u"root.crt"_s, m_root.pem());
        TestPanel panel;
        vf::ui::ChainBrowser browser;
        panel.setChainBrowser(&browser);
        prepare(panel,
                base() + u"user=scramuser password=scram-pw sslmode=verify-full sslrootcert="_s + root);
        QSignalSpy started(&panel, &TestPanel::testStarted);
        QSignalSpy finished(&panel, &TestPanel::testFinished);
        QSignalSpy chain(&panel, &TestPanel::chainReceived);
        QSignalSpy phaseRows(panel.timeline()->model(), &QAbstractItemModel::rowsInserted);
        Heartbeat heartbeat;
        QTest::mouseClick(button(panel, "testButton"), Qt::LeftButton);
        QCOMPARE(started.size(), 1);
        QVERIFY(panel.isRunning());
        QVERIFY(!button(panel, "testButton")->isEnabled());
        QVERIFY(button(panel, "cancelButton")->isEnabled());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.first().first().toBool(), true);
        qInfo("longest GUI stall during the test: %lld ms", heartbeat.maxGapMs());
        QVERIFY2(heartbeat.maxGapMs() < 300, qPrintable(u"GUI stalled %1 ms"_s.arg(heartbeat.maxGapMs())));

        const QList<Phase> expected{Phase::TcpConnect, Phase::SslNegotiation, Phase::TlsHandshake,
                                    Phase::Startup,    Phase::Authentication, Phase::Query,
                                    Phase::Terminate};
        QCOMPARE(panel.timeline()->phases(0), expected);
        QVERIFY(phaseRows.size() >= expected.size()); // rows appeared one by one, live
        for (Phase p : expected)
            QCOMPARE(panel.timeline()->phaseState(0, p), TimelineView::State::Ok);
        const QTreeWidgetItem* tls = panel.timeline()->topLevelItem(0)->child(2);
        QCOMPARE(tls->text(TimelineView::PhaseColumn), u"TLS handshake"_s);
        QVERIFY(tls->text(TimelineView::DurationColumn).endsWith(u" ms"_s));
        QVERIFY(!panel.timeline()->isLive());

        QVERIFY2(panel.verdictText().startsWith(u"Connected"_s), qPrintable(panel.verdictText()));
        const QString result = panel.resultText();
        QVERIFY2(result.contains(u"TLSv1.3"_s), qPrintable(result));
        QVERIFY(result.contains(u"SCRAM-SHA-256-PLUS"_s));
        QVERIFY(result.contains(u"Panel Issuing CA"_s));
        QVERIFY(!result.contains(u"scram-pw"_s)); // never the password
        QVERIFY(!panel.trustCandidate());
        QVERIFY(!button(panel, "offerTrustButton")->isVisible());

        QCOMPARE(chain.size(), 1);
        const auto presented = chain.first().first().value<QList<vf::pki::Certificate>>();
        QCOMPARE(presented.size(), 3);
        QCOMPARE(presented.first().commonName(), u"localhost"_s);
        QCOMPARE(browser.certificateCount(), 3);
        for (int row = 0; row < 3; ++row) {
            QCOMPARE(browser.visibleModel()
                         ->index(row, 0)
                         .data(vf::ui::CertificateListModel::StatusNameRole)
                         .toString(),
                     u"trusted"_s);
        }
        QVERIFY(browser.title().contains(u"localhost"_s));
    }

    void untrustedServerOffersItsCa()
    {
        if (!needsServer())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
        const QString other = file(u"other-root.crt"_s, m_otherRoot.pem());
        TestPanel panel;
        vf::ui::ChainBrowser browser;
        panel.setChainBrowser(&browser);
        prepare(panel,
                base() + u"user=scramuser password=scram-pw sslmode=verify-full sslrootcert="_s + other);
        QSignalSpy finished(&panel, &TestPanel::testFinished);
        QSignalSpy trust(&panel, &TestPanel::trustRequested);
        QTest::mouseClick(button(panel, "testButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.first().first().toBool(), false);
        QCOMPARE(panel.verdictText(), u"Failed: SSL error: certificate verify failed"_s);
        QVERIFY2(panel.resultText().contains(u"certificate verify failed"_s), qPrintable(panel.resultText()));
        QCOMPARE(panel.timeline()->phaseState(0, Phase::TlsHandshake), TimelineView::State::Failed);
        // The chain browser shows the server's chain with its root not trusted.
        QCOMPARE(
            browser.visibleModel()->index(2, 0).data(vf::ui::CertificateListModel::StatusNameRole).toString(),
            u"issuer-unknown"_s);

        QVERIFY(panel.trustCandidate());
        const vf::pki::Certificate root = vf::pki::Certificate::fromDer(m_root.der());
        QCOMPARE(*panel.trustCandidate(), root);
        auto* offer = button(panel, "offerTrustButton");
        QVERIFY(offer->isVisible());
        QTest::mouseClick(offer, Qt::LeftButton);
        auto* box = panel.findChild<QWidget*>(u"trustBox"_s);
        QVERIFY(box->isVisible());
        const QString shown = panel.findChild<QLabel*>(u"fingerprintLabel"_s)->text().remove(u'\n');
        QCOMPARE(shown, vf::pki::Certificate::formatFingerprint(root.sha256Fingerprint()));
        QVERIFY(panel.findChild<QLabel*>(u"trustLabel"_s)->text().contains(u"Panel Root"_s));
        // "Not now" closes it without trusting.
        QTest::mouseClick(button(panel, "trustCancelButton"), Qt::LeftButton);
        QVERIFY(!box->isVisible());
        QCOMPARE(trust.size(), 0);
        QTest::mouseClick(offer, Qt::LeftButton);
        QTest::mouseClick(button(panel, "trustConfirmButton"), Qt::LeftButton);
        QCOMPARE(trust.size(), 1);
        QCOMPARE(trust.first().first().value<vf::pki::Certificate>(), root);

        // What the main window does next: save it as the root file, verify-full, retest.
        const QString saved =
            file(u"trusted-root.crt"_s, trust.first().first().value<vf::pki::Certificate>().toPem());
        panel.setConnection(base() + u"user=scramuser password=scram-pw sslmode=verify-full sslrootcert="_s +
                            saved);
        panel.startTest();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 30000);
        QCOMPARE(finished.last().first().toBool(), true);
        QVERIFY(!offer->isVisible());
    }

    void unverifiedModeOffersTrustToo()
    {
        if (!needsServer())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
        TestPanel panel;
        prepare(panel, base() + u"user=scramuser password=scram-pw sslmode=require"_s);
        QSignalSpy finished(&panel, &TestPanel::testFinished);
        panel.startTest();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.first().first().toBool(), true);
        QCOMPARE(panel.lastDiagnosis()->verdict, vf::report::Diagnosis::Verdict::ConnectedWithWarnings);
        QVERIFY2(panel.verdictText().contains(u"warnings"_s), qPrintable(panel.verdictText()));
        QVERIFY(panel.trustCandidate());
        QVERIFY(button(panel, "offerTrustButton")->isVisible());
    }

    void passphraseIsAskedBeforeTheWorkerStarts_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<bool>("cancelPrompt");
        QTest::addColumn<bool>("expectStarted");
        QTest::addColumn<bool>("expectSuccess");
        QTest::addRow("right passphrase") << QByteArray("k3y-pass") << false << true << true;
        QTest::addRow("wrong passphrase") << QByteArray("nope") << false << true << false;
        QTest::addRow("prompt canceled") << QByteArray() << true << false << false;
    }

    void passphraseIsAskedBeforeTheWorkerStarts()
    {
        if (!needsServer())
            QSKIP("PostgreSQL 15 server is not installed (tools/test installs it)");
        QFETCH(QByteArray, answer);
        QFETCH(bool, cancelPrompt);
        QFETCH(bool, expectStarted);
        QFETCH(bool, expectSuccess);
        const QString root = file(u"root.crt"_s, m_root.pem());
        const QString cert = file(u"client.crt"_s, m_client.pem());
        const QString key = file(u"client.key"_s, m_client.keyBytes(KeyFormat::Pkcs8Pem, "k3y-pass"));
        TestPanel panel;
        prepare(panel,
                base() + u"user=certuser sslmode=verify-full sslrootcert=%1 sslcert=%2 sslkey=%3"_s.arg(
                             root, cert, key));
        QStringList events;
        connect(&panel, &TestPanel::testStarted, this, [&] { events << u"started"_s; });
        panel.setPassphrasePrompt([&](QWidget*, const QString& keyPath, TestPanel::PassphraseReply reply) {
            events << u"asked:"_s + keyPath;
            // Answer later, from the event loop, as a dialog would.
            QTimer::singleShot(20, &panel, [reply, answer, cancelPrompt] {
                reply(cancelPrompt ? std::nullopt : std::optional<QByteArray>(answer));
            });
        });
        QSignalSpy finished(&panel, &TestPanel::testFinished);
        QTest::mouseClick(button(panel, "testButton"), Qt::LeftButton);
        QVERIFY(panel.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 30000);
        QCOMPARE(finished.first().first().toBool(), expectSuccess);
        QCOMPARE(events.first(), u"asked:"_s + key);
        QCOMPARE(events.count(u"asked:"_s + key), 1); // once per test
        QCOMPARE(events.contains(u"started"_s), expectStarted);
        if (!expectStarted) {
            QVERIFY(panel.verdictText().startsWith(u"Canceled"_s));
            QCOMPARE(panel.timeline()->attemptCount(), 0);
        } else if (!expectSuccess) {
            QVERIFY2(panel.resultText().contains(u"could not load private key file"_s),
                     qPrintable(panel.resultText()));
        } else {
            QVERIFY(panel.resultText().contains(u"certuser"_s));
        }
        QVERIFY(!panel.resultText().contains(
            QString::fromLatin1(answer.isEmpty() ? "\x01" : answer.constData())));
    }

    void noPromptWhenSslpasswordIsSet()
    {
        const QString cert = file(u"client2.crt"_s, m_client.pem());
        const QString key = file(u"client2.key"_s, m_client.keyBytes(KeyFormat::Pkcs8Pem, "k3y-pass"));
        const QString plainKey = file(u"client3.key"_s, m_client.keyBytes());
        vf::settings::Environment env = m_env;
        auto resolve = [&](const QString& conninfo) {
            auto info = vf::settings::ConnInfo::parse(conninfo);
            return vf::settings::SettingsResolver(env).resolve(*info);
        };
        const QString common = u"host=localhost sslcert=%1 "_s.arg(cert);
        QCOMPARE(TestPanel::keyNeedingPassphrase(*resolve(common + u"sslkey="_s + key)),
                 std::optional<QString>(key));
        QVERIFY(!TestPanel::keyNeedingPassphrase(
            *resolve(common + u"sslkey="_s + key + u" sslpassword=k3y-pass"_s)));
        QVERIFY(
            !TestPanel::keyNeedingPassphrase(*resolve(common + u"sslkey="_s + key + u" sslmode=disable"_s)));
        QVERIFY(!TestPanel::keyNeedingPassphrase(*resolve(common + u"sslkey="_s + plainKey)));
        QVERIFY(!TestPanel::keyNeedingPassphrase(
            *resolve(u"host=localhost sslcert=%1 sslkey=%2"_s.arg(m_dir.filePath(u"missing.crt"_s), key))));
    }

    void cancelAtEveryPhase_data()
    {
        // The phase a fake server stops answering in, and its script (TLS with the panel's PKI).
        QTest::addColumn<Phase>("phase");
        QTest::addColumn<bool>("stalledConnect");
        QTest::addColumn<FakeScript>("script");
        auto tls = [this] {
            FakeTlsOptions o;
            o.certChainPem = m_server.pem() + m_inter.pem();
            o.keyPem = m_server.keyBytes();
            return o;
        };
        QTest::addRow("TCP connect never completes") << Phase::TcpConnect << true << FakeScript();
        QTest::addRow("silent after connect") << Phase::SslNegotiation << false << FakeScript();
        QTest::addRow("silent in the TLS handshake")
            << Phase::TlsHandshake << false << FakeScript().expectSslRequest().send("S");
        QTest::addRow("silent after the startup message")
            << Phase::Startup << false
            << FakeScript().expectSslRequest().send("S").startTls(tls()).expectStartup();
        QTest::addRow("silent after the password") << Phase::Authentication << false
                                                   << FakeScript()
                                                          .expectSslRequest()
                                                          .send("S")
                                                          .startTls(tls())
                                                          .expectStartup()
                                                          .send(FakePg::authRequest(3))
                                                          .expectMessage('p');
        QTest::addRow("silent during the query")
            << Phase::Query << false
            << FakeScript().expectSslRequest().send("S").startTls(tls()).expectStartup().send(
                   FakePg::trustedSession());
    }

    void cancelAtEveryPhase()
    {
        QFETCH(Phase, phase);
        QFETCH(bool, stalledConnect);
        QFETCH(FakeScript, script);
        FakeServer server;
        QString error;
        QVERIFY2(stalledConnect ? server.startStalled(&error) : server.start({script}, &error),
                 qPrintable(error));
        TestPanel panel;
        prepare(panel,
                u"host=127.0.0.1 port=%1 user=x dbname=x password=pw sslmode=require"_s.arg(server.port()));
        QSignalSpy finished(&panel, &TestPanel::testFinished);
        Heartbeat heartbeat;
        QTest::mouseClick(button(panel, "testButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(panel.timeline()->phases(0).contains(phase), 10000);
        QTest::qWait(200); // it is really stuck there
        QCOMPARE(panel.timeline()->phaseState(0, phase), TimelineView::State::Running);
        QCOMPARE(finished.size(), 0);
        QElapsedTimer clock;
        clock.start();
        QTest::mouseClick(button(panel, "cancelButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
        qInfo("canceled in %lld ms; longest GUI stall %lld ms", clock.elapsed(), heartbeat.maxGapMs());
        QVERIFY(clock.elapsed() < 1000);
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(panel.verdictText().startsWith(u"Canceled"_s), qPrintable(panel.verdictText()));
        QCOMPARE(panel.timeline()->phaseState(0, phase), TimelineView::State::Canceled);
        QVERIFY(!panel.isRunning());
        QVERIFY(button(panel, "testButton")->isEnabled());
        QVERIFY(heartbeat.maxGapMs() < 300);
    }

    void escapeCancels()
    {
        SilentServer server(false);
        TestPanel panel;
        prepare(panel, u"host=127.0.0.1 port=%1 user=x dbname=x sslmode=prefer"_s.arg(server.port()));
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy finished(&panel, &TestPanel::testFinished);
        panel.startTest();
        QTRY_VERIFY_WITH_TIMEOUT(panel.timeline()->phases(0).contains(Phase::SslNegotiation), 10000);
        QTest::keyClick(&panel, Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 2000);
        QVERIFY(panel.verdictText().startsWith(u"Canceled"_s));
    }

    void invalidSettingsNeverStartAWorker_data()
    {
        QTest::addColumn<QString>("conninfo");
        QTest::addColumn<QString>("message");
        QTest::addRow("unknown keyword") << u"host=x bogus=1"_s << u"invalid connection option \"bogus\""_s;
        QTest::addRow("bad sslmode") << u"host=x sslmode=verify"_s << u"invalid sslmode value: \"verify\""_s;
        QTest::addRow("unterminated quote") << u"host='x"_s << u"unterminated quoted string"_s;
    }

    void invalidSettingsNeverStartAWorker()
    {
        QFETCH(QString, conninfo);
        QFETCH(QString, message);
        TestPanel panel;
        prepare(panel, conninfo);
        QSignalSpy started(&panel, &TestPanel::testStarted);
        QSignalSpy finished(&panel, &TestPanel::testFinished);
        QTest::mouseClick(button(panel, "testButton"), Qt::LeftButton);
        QCOMPARE(finished.size(), 1);
        QCOMPARE(started.size(), 0);
        QVERIFY2(panel.resultText().contains(message), qPrintable(panel.resultText()));
        QVERIFY(!panel.isRunning());
    }

    void destroyWhileRunning()
    {
        SilentServer server(true);
        auto panel = std::make_unique<TestPanel>();
        panel->setEnvironment(m_env);
        panel->setConnection(u"host=127.0.0.1 port=%1 user=x dbname=x sslmode=require"_s.arg(server.port()));
        panel->startTest();
        QTRY_VERIFY_WITH_TIMEOUT(panel->timeline()->phases(0).contains(Phase::TlsHandshake), 10000);
        QElapsedTimer clock;
        clock.start();
        panel.reset();
        QVERIFY(clock.elapsed() < 1000);
    }
};

QTEST_MAIN(TestTestPanel)
#include "tst_testpanel.moc"
