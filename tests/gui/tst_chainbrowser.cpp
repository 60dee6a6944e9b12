// The certificate chain browser driven as a person uses it: open files (button seam, drop, openFile),
// search a bundle, read the cards of a broken chain, select a certificate and export it.

#include "TestPki.h"
#include "chain/CertificateAssessment.h"
#include "chain/CertificateDetailsTree.h"
#include "chain/CertificateListModel.h"
#include "chain/CertificateLoader.h"
#include "chain/CertificateRowBuilder.h"
#include "chain/ChainBrowser.h"
#include "chain/ChainCardDelegate.h"
#include "i18n/Translations.h"
#include "pki/HostNameMatcher.h"
#include "pki/PkiLoader.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace vf::test;
using vf::ui::CertificateAssessment;
using vf::ui::CertificateListModel;
using vf::ui::ChainBrowser;
using Status = CertificateAssessment::Status;

namespace {

// The longest time the GUI thread did not get to a 5 ms timer while `running` is true.
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
        m_last = 0;
        m_timer.start();
    }
    qint64 maxGapMs() const { return m_maxGapNs / 1000000; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    qint64 m_maxGapNs = 0;
};

} // namespace

class TestChainBrowser : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::shared_ptr<EVP_PKEY> m_sharedKey;
    TestCert m_root, m_expiredInter, m_revokedLeaf, m_goodInter, m_goodLeaf;
    QString m_rootFile, m_crlFile;

    QString write(const QString& name, const QByteArray& data)
    {
        const QString path = m_dir.filePath(name);
        TestPki::writeFile(path, data);
        return path;
    }

    // n certificates sharing one key (fast to make): every tenth a self-signed root, the others issued
    // by m_root. Names "Bundle Cert 0000"…
    QByteArray bundle(int n)
    {
        QByteArray pem;
        for (int i = 0; i < n; ++i) {
            const QString cn = u"Bundle Cert %1"_s.arg(i, 4, 10, QLatin1Char('0'));
            if (i % 10 == 0) {
                pem += TestPki::makeCertWithKey(TestPki::rootSpec(cn), m_sharedKey).pem();
            } else {
                CertSpec spec = TestPki::serverSpec(cn, {u"host%1.example.com"_s.arg(i)});
                pem += TestPki::makeCertWithKey(spec, m_sharedKey, &m_root).pem();
            }
        }
        return pem;
    }

    static QPushButton* button(QWidget& w, const char* name)
    {
        return w.findChild<QPushButton*>(QString::fromLatin1(name));
    }

    static Status statusOf(const QAbstractItemModel* model, int row)
    {
        return static_cast<Status>(model->index(row, 0).data(CertificateListModel::StatusRole).toInt());
    }

    vf::pki::ChainVerification verifyBrokenChain()
    {
        vf::pki::ChainVerifier verifier;
        verifier.setRootFile(m_rootFile);
        verifier.setCrlFile(m_crlFile);
        const QList<vf::pki::Certificate> presented{vf::pki::Certificate::fromDer(m_revokedLeaf.der()),
                                                    vf::pki::Certificate::fromDer(m_expiredInter.der())};
        auto result = verifier.verify(presented);
        return result ? *result : vf::pki::ChainVerification{};
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The English catalogue holds the plural forms ("%n certificate(s)" → "1 certificate"), as in the
        // app.
        QCOMPARE(vf::ui::Translations::install(u"en"_s), u"en"_s);
        m_sharedKey = TestPki::makeKey(KeyType::EcP256);
        m_root = TestPki::makeCert(TestPki::rootSpec(u"Corp Root"_s));
        CertSpec expired = TestPki::intermediateSpec(u"Corp Expired Issuing CA"_s);
        expired.notBeforeOffset = -400LL * 86400;
        expired.notAfterOffset = -3LL * 86400;
        m_expiredInter = TestPki::makeCert(expired, &m_root);
        m_revokedLeaf = TestPki::makeCert(TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s}),
                                          &m_expiredInter);
        m_goodInter = TestPki::makeCert(TestPki::intermediateSpec(u"Corp Issuing CA"_s), &m_root);
        m_goodLeaf = TestPki::makeCert(
            TestPki::serverSpec(u"db.example.com"_s, {u"db.example.com"_s, u"db2.example.com"_s}),
            &m_goodInter);
        m_rootFile = write(u"root.crt"_s, m_root.pem());
        m_crlFile = write(u"crls.pem"_s,
                          TestPki::crlPem(m_root, {}) + TestPki::crlPem(m_expiredInter, {m_revokedLeaf}));
    }

    void modelPassesModelTester()
    {
        CertificateListModel model;
        QSortFilterProxyModel proxy;
        proxy.setSourceModel(&model);
        proxy.setFilterRole(CertificateListModel::SearchRole);
        QAbstractItemModelTester sourceTester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const auto certs = vf::pki::PkiLoader::parseCertificates(bundle(25));
        QVERIFY(certs.has_value());
        const auto rows =
            vf::ui::CertificateRowBuilder::fromCertificates(*certs, QDateTime::currentDateTimeUtc());
        model.appendRows(rows.mid(0, 10));
        model.appendRows(rows.mid(10));
        QCOMPARE(model.rowCount(), 25);
        proxy.setFilterFixedString(u"cert 0013"_s);
        QCOMPARE(proxy.rowCount(), 1);
        proxy.setFilterFixedString({});
        model.setRows(rows.mid(0, 3));
        QCOMPARE(proxy.rowCount(), 3);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        QVERIFY(!model.index(0, 0).isValid());
    }

    void openBundleAndSearch()
    {
        const QString path = write(u"bundle.pem"_s, bundle(1000));
        ChainBrowser browser;
        browser.resize(1100, 700);
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QSignalSpy inserted(browser.certificateModel(), &QAbstractItemModel::rowsInserted);
        QElapsedTimer clock;
        clock.start();
        Heartbeat heartbeat;
        QVERIFY(browser.openFile(path));
        QVERIFY(browser.isLoading());
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.first().at(0).toBool(), true);
        QCOMPARE(finished.first().at(1).toInt(), 1000);
        QCOMPARE(browser.certificateCount(), 1000);
        QVERIFY2(inserted.size() >= 2, "a bundle arrives in batches, the first ones early");
        QVERIFY2(heartbeat.maxGapMs() < 500,
                 qPrintable(u"GUI thread stalled %1 ms"_s.arg(heartbeat.maxGapMs())));
        qInfo("1000-certificate bundle: %lld ms, longest GUI stall %lld ms", clock.elapsed(),
              heartbeat.maxGapMs());

        auto* search = browser.findChild<QLineEdit*>(u"searchEdit"_s);
        QVERIFY(search);
        QTest::keyClicks(search, u"cert 0042"_s);
        QCOMPARE(browser.visibleModel()->rowCount(), 1);
        QCOMPARE(browser.visibleModel()->index(0, 0).data().toString(), u"Bundle Cert 0042"_s);
        QCOMPARE(browser.currentCertificate()->commonName(), u"Bundle Cert 0042"_s);
        QVERIFY(browser.findChild<QLabel*>(u"countLabel"_s)->text().contains(u"1 of 1,000"_s) ||
                browser.findChild<QLabel*>(u"countLabel"_s)->text().contains(u"1 of 1000"_s));
        // By SAN, then by a fingerprint.
        search->clear();
        QTest::keyClicks(search, u"host77.example"_s);
        QCOMPARE(browser.visibleModel()->rowCount(), 1);
        const QString fp = QString::fromLatin1(browser.currentCertificate()->sha256Fingerprint().toHex());
        search->clear();
        QTest::keyClicks(search, fp.left(20).toUpper());
        QCOMPARE(browser.visibleModel()->rowCount(), 1);
        search->clear();
        QTest::keyClicks(search, u"no such certificate"_s);
        QCOMPARE(browser.visibleModel()->rowCount(), 0);
        search->clear();
        QCOMPARE(browser.visibleModel()->rowCount(), 1000);
        // Self-signed roots and issued certificates are told apart.
        QCOMPARE(statusOf(browser.visibleModel(), 0), Status::SelfSigned);
        QCOMPARE(statusOf(browser.visibleModel(), 1), Status::IssuerUnknown); // m_root is not in the file
    }

    void fastDecodeMatchesPkiLoader()
    {
        const QByteArray pem = bundle(50);
        const auto fast = vf::ui::CertificateLoader::decodeCertificateBlocks(pem);
        const auto reference = vf::pki::PkiLoader::parseCertificates(pem);
        QVERIFY(fast && reference);
        QCOMPARE(*fast, *reference);
        // Anything unusual is left to PkiLoader.
        QVERIFY(!vf::ui::CertificateLoader::decodeCertificateBlocks(QByteArray(pem).replace("MII", "M!I")));
        QVERIFY(!vf::ui::CertificateLoader::decodeCertificateBlocks("no PEM here"));
        QVERIFY(!vf::ui::CertificateLoader::decodeCertificateBlocks(pem.left(pem.size() - 40)));
    }

    void corruptBlockInABigBundle()
    {
        QByteArray pem = bundle(300);
        const qsizetype at = pem.indexOf("-----BEGIN CERTIFICATE-----", pem.size() / 2);
        pem.replace(at + 40, 30, QByteArray(30, '!'));
        ChainBrowser browser;
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QVERIFY(browser.openFile(write(u"corrupt-bundle.pem"_s, pem)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(browser.certificateCount(), 0);
        QVERIFY(!browser.message().isEmpty());
    }

    void issuerFurtherDownIsFound()
    {
        // 300 certificates issued by m_root, and m_root last: read in slices, the first ones are
        // sent before their issuer is seen, then corrected.
        QByteArray pem;
        for (int i = 0; i < 300; ++i)
            pem += TestPki::makeCertWithKey(TestPki::serverSpec(u"Late %1"_s.arg(i)), m_sharedKey, &m_root)
                       .pem();
        pem += m_root.pem();
        ChainBrowser browser;
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QSignalSpy changed(browser.certificateModel(), &QAbstractItemModel::dataChanged);
        QVERIFY(browser.openFile(write(u"late-issuer.pem"_s, pem)));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 20000);
        QCOMPARE(browser.certificateCount(), 301);
        QVERIFY(changed.size() > 0);
        for (int row = 0; row < 300; ++row)
            QCOMPARE(statusOf(browser.visibleModel(), row), Status::Valid);
        QCOMPARE(statusOf(browser.visibleModel(), 300), Status::SelfSigned);
        QVERIFY(browser.visibleModel()->index(299, 0).data(CertificateListModel::LinksToNextRole).toBool());
        QVERIFY(!browser.visibleModel()->index(63, 0).data(CertificateListModel::LinksToNextRole).toBool());
    }

    void openSystemBundle()
    {
        const QString path = u"/etc/ssl/certs/ca-certificates.crt"_s;
        if (!QFileInfo::exists(path))
            QSKIP("no system CA bundle on this machine");
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const int expected = int(f.readAll().count("-----BEGIN CERTIFICATE-----"));
        ChainBrowser browser;
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(browser.openFile(path));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10000);
        qInfo("system bundle (%d certificates): %lld ms", expected, clock.elapsed());
        QCOMPARE(browser.certificateCount(), expected);
        QVERIFY(clock.elapsed() < 5000);
    }

    void cardsOfABrokenChain()
    {
        const vf::pki::ChainVerification v = verifyBrokenChain();
        QVERIFY(!v.ok);
        QVERIFY(v.crlCheck);
        ChainBrowser browser;
        browser.resize(1100, 700);
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        const QList<vf::pki::Certificate> presented{vf::pki::Certificate::fromDer(m_revokedLeaf.der()),
                                                    vf::pki::Certificate::fromDer(m_expiredInter.der())};
        browser.showChain(presented, u"Broken chain"_s, v);
        QCOMPARE(finished.size(), 1);
        const QAbstractItemModel* model = browser.visibleModel();
        QCOMPARE(model->rowCount(), 3); // leaf, intermediate, root from the root file
        QCOMPARE(statusOf(model, 0), Status::Revoked);
        QCOMPARE(statusOf(model, 1), Status::Expired);
        QCOMPARE(statusOf(model, 2), Status::Trusted);
        QCOMPARE(model->index(0, 0).data(CertificateListModel::StatusNameRole).toString(), u"revoked"_s);
        QCOMPARE(model->index(0, 0).data(CertificateListModel::LabelRole).toString(), u"Revoked"_s);
        const QStringList interReasons =
            model->index(1, 0).data(CertificateListModel::ReasonsRole).toStringList();
        QVERIFY2(interReasons.first().startsWith(u"Expired on "_s), qPrintable(interReasons.join(u" | "_s)));
        QVERIFY(model->index(1, 0)
                    .data(CertificateListModel::LabelRole)
                    .toString()
                    .startsWith(u"Expired 3 days ago"_s));
        QCOMPARE(model->index(2, 0).data(CertificateListModel::RoleTextRole).toString(),
                 u"Root (trust store)"_s);
        QVERIFY(model->index(0, 0).data(Qt::ToolTipRole).toString().contains(u"the CRL of its issuer"_s));
        // The connectors: leaf → intermediate → root.
        QVERIFY(vf::ui::ChainCardDelegate::drawsConnector(model->index(0, 0)));
        QVERIFY(vf::ui::ChainCardDelegate::drawsConnector(model->index(1, 0)));
        QVERIFY(!vf::ui::ChainCardDelegate::drawsConnector(model->index(2, 0)));
        QVERIFY(browser.findChild<QLabel*>(u"summaryLabel"_s)->text().contains(u"does not verify"_s));

        // The painted cards carry their status colours in the stripe.
        auto* list = browser.findChild<QListView*>(u"certificateList"_s);
        QVERIFY(list);
        const QImage image = list->viewport()->grab().toImage();
        const qreal dpr = image.devicePixelRatio();
        for (int row = 0; row < 3; ++row) {
            const QRect r = list->visualRect(model->index(row, 0));
            const QPoint p = QPoint(r.left() + 6 + 2, r.top() + 6 + 12) * dpr;
            const QColor expected = CertificateAssessment::accentColor(statusOf(model, row), list->palette());
            QCOMPARE(image.pixelColor(p).name(), expected.name());
        }
        QVERIFY(CertificateAssessment::accentColor(Status::Revoked, list->palette()) !=
                CertificateAssessment::accentColor(Status::Trusted, list->palette()));

        // Selecting the intermediate shows its fields.
        browser.selectVisibleRow(1);
        auto* tree = browser.findChild<vf::ui::CertificateDetailsTree*>(u"detailsTree"_s);
        QVERIFY(tree);
        QCOMPARE(tree->findField(u"Subject"_s)->text(1), browser.currentCertificate()->subjectDn());
        QCOMPARE(tree->findField(u"Status"_s)->text(1),
                 model->index(1, 0).data(CertificateListModel::LabelRole));
        const QTreeWidgetItem* fps = tree->findField(u"Fingerprints"_s);
        QVERIFY(fps && fps->childCount() == 2);
        QCOMPARE(fps->child(0)->text(1),
                 vf::pki::Certificate::formatFingerprint(
                     vf::pki::Certificate::fromDer(m_expiredInter.der()).sha256Fingerprint()));
        QCOMPARE(browser.findChild<QPlainTextEdit*>(u"pemView"_s)->toPlainText(),
                 QString::fromLatin1(m_expiredInter.pem()));
    }

    void nameMismatchAndTrustedChain()
    {
        vf::pki::ChainVerifier verifier;
        verifier.setRootFile(m_rootFile);
        const QList<vf::pki::Certificate> presented{vf::pki::Certificate::fromDer(m_goodLeaf.der()),
                                                    vf::pki::Certificate::fromDer(m_goodInter.der())};
        const auto v = verifier.verify(presented);
        QVERIFY(v && v->ok);
        ChainBrowser browser;
        browser.showServerChain(presented, u"good"_s, *v,
                                vf::pki::HostNameMatcher::match(presented.first(), u"db.example.com"_s));
        QCOMPARE(statusOf(browser.visibleModel(), 0), Status::Trusted);
        QCOMPARE(statusOf(browser.visibleModel(), 1), Status::Trusted);
        browser.showServerChain(presented, u"mismatch"_s, *v,
                                vf::pki::HostNameMatcher::match(presented.first(), u"other.example.org"_s));
        QCOMPARE(statusOf(browser.visibleModel(), 0), Status::NameMismatch);
        const QString reason = browser.visibleModel()
                                   ->index(0, 0)
                                   .data(CertificateListModel::ReasonsRole)
                                   .toStringList()
                                   .first();
        QVERIFY2(reason.contains(u"other.example.org"_s) && reason.contains(u"db2.example.com"_s),
                 qPrintable(reason));
        QCOMPARE(statusOf(browser.visibleModel(), 1), Status::Trusted);
    }

    void fileChecks_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QList<int>>("statuses");
        QTest::addColumn<QString>("firstLabel");
        // leaf + intermediate, no root: the intermediate's issuer is unknown.
        QTest::addRow("chain without root") << (m_goodLeaf.pem() + m_goodInter.pem())
                                            << QList<int>{int(Status::Valid), int(Status::IssuerUnknown)}
                                            << u"Chain fails at \u201CCorp Issuing CA\u201D"_s;
        QTest::addRow("chain with root")
            << (m_goodLeaf.pem() + m_goodInter.pem() + m_root.pem())
            << QList<int>{int(Status::Valid), int(Status::Valid), int(Status::SelfSigned)}
            << u"Chains to the included root"_s;
        CertSpec soon = TestPki::rootSpec(u"Soon Root"_s);
        soon.notAfterOffset = 10LL * 86400;
        CertSpec future = TestPki::rootSpec(u"Future Root"_s);
        future.notBeforeOffset = 5LL * 86400;
        future.notAfterOffset = 50LL * 86400;
        QTest::addRow("roots: expiring, not yet valid, fine")
            << (TestPki::makeCert(soon).pem() + TestPki::makeCert(future).pem() + m_root.pem())
            << QList<int>{int(Status::Expiring), int(Status::NotYetValid), int(Status::SelfSigned)}
            << u"Expires in 9 days"_s;
    }

    void fileChecks()
    {
        QFETCH(QByteArray, content);
        QFETCH(QList<int>, statuses);
        QFETCH(QString, firstLabel);
        ChainBrowser browser;
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QVERIFY(browser.openFile(write(u"check.pem"_s, content)));
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(browser.certificateCount(), statuses.size());
        for (int i = 0; i < statuses.size(); ++i)
            QCOMPARE(int(statusOf(browser.visibleModel(), i)), statuses.at(i));
        const QString label =
            browser.visibleModel()->index(0, 0).data(CertificateListModel::LabelRole).toString();
        QVERIFY2(label.startsWith(firstLabel) ||
                     (firstLabel.startsWith(u"Expires in 9"_s) && label.startsWith(u"Expires in 10"_s)),
                 qPrintable(label));
    }

    void exportThroughTheSeam()
    {
        ChainBrowser browser;
        QString suggested;
        QString target;
        browser.setSaveFileChooser(
            [&](QWidget*, const QString&, const QString& s, const QString&, ChainBrowser::PathCallback done) {
                suggested = s;
                done(target);
            });
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QVERIFY(browser.openFile(write(u"chain.pem"_s, m_goodLeaf.pem() + m_goodInter.pem() + m_root.pem())));
        QTRY_COMPARE(finished.size(), 1);
        browser.selectVisibleRow(1);
        const vf::pki::Certificate inter = vf::pki::Certificate::fromDer(m_goodInter.der());
        QCOMPARE(*browser.currentCertificate(), inter);

        QSignalSpy exported(&browser, &ChainBrowser::exported);
        target = m_dir.filePath(u"out.crt"_s);
        QTest::mouseClick(button(browser, "exportPemButton"), Qt::LeftButton);
        QCOMPARE(exported.size(), 1);
        QVERIFY2(suggested.endsWith(u"Corp_Issuing_CA.crt"_s), qPrintable(suggested));
        QFile pem(target);
        QVERIFY(pem.open(QIODevice::ReadOnly));
        QCOMPARE(pem.readAll(), inter.toPem());

        target = m_dir.filePath(u"out.der"_s);
        QTest::mouseClick(button(browser, "exportDerButton"), Qt::LeftButton);
        QCOMPARE(exported.size(), 2);
        QFile der(target);
        QVERIFY(der.open(QIODevice::ReadOnly));
        QCOMPARE(der.readAll(), inter.toDer());
        const auto back = vf::pki::PkiLoader::loadCertificates(target);
        QVERIFY(back && back->size() == 1 && back->first() == inter);

        target = m_dir.filePath(u"all.pem"_s);
        QTest::mouseClick(button(browser, "exportAllButton"), Qt::LeftButton);
        QCOMPARE(exported.size(), 3);
        const auto all = vf::pki::PkiLoader::loadCertificates(target);
        QVERIFY(all && all->size() == 3);

        // Canceling the dialog writes nothing; an unwritable target says why.
        target.clear();
        QTest::mouseClick(button(browser, "exportPemButton"), Qt::LeftButton);
        QCOMPARE(exported.size(), 3);
        target = m_dir.filePath(u"no/such/dir/x.crt"_s);
        QTest::mouseClick(button(browser, "exportPemButton"), Qt::LeftButton);
        QCOMPARE(exported.size(), 3);
        QVERIFY2(browser.message().startsWith(u"Could not save"_s), qPrintable(browser.message()));
    }

    void openChooserAndDrop()
    {
        ChainBrowser browser;
        const QString path = write(u"dropped.pem"_s, m_goodLeaf.pem());
        browser.setOpenFileChooser([&](QWidget*, ChainBrowser::PathCallback done) { done(path); });
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QTest::mouseClick(button(browser, "openButton"), Qt::LeftButton);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(browser.title(), u"dropped.pem"_s);

        const QString other = write(u"dropped2.pem"_s, m_goodInter.pem() + m_root.pem());
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(other)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&browser, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(&browser, &drop);
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(browser.title(), u"dropped2.pem"_s);
        QCOMPARE(browser.certificateCount(), 2);
    }

    void badFiles_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("openReturns");
        QTest::addColumn<QString>("messagePart");
        QTest::addRow("missing") << u"missing"_s << false << u"does not exist"_s;
        QTest::addRow("directory") << u"directory"_s << false << u"directory"_s;
        QTest::addRow("empty path") << u"empty-path"_s << false << u"No file"_s;
        QTest::addRow("empty file") << u"empty"_s << true << u""_s;
        QTest::addRow("garbage") << u"garbage"_s << true << u""_s;
        QTest::addRow("truncated PEM") << u"truncated"_s << true << u""_s;
        QTest::addRow("a private key") << u"key"_s << true << u""_s;
        QTest::addRow("symlink loop") << u"loop"_s << false << u"does not exist"_s;
    }

    void badFiles()
    {
        QFETCH(QString, kind);
        QFETCH(bool, openReturns);
        QFETCH(QString, messagePart);
        QString path;
        if (kind == u"missing"_s)
            path = m_dir.filePath(u"nope.pem"_s);
        else if (kind == u"directory"_s)
            path = m_dir.path();
        else if (kind == u"empty"_s)
            path = write(u"empty.pem"_s, {});
        else if (kind == u"garbage"_s)
            path = write(u"garbage.bin"_s, QByteArray(4096, '\x07'));
        else if (kind == u"truncated"_s)
            path = write(u"truncated.pem"_s, m_root.pem().left(200));
        else if (kind == u"key"_s)
            path = write(u"key.pem"_s, m_root.keyBytes());
        else if (kind == u"loop"_s) {
            path = m_dir.filePath(u"loop-a"_s);
            QFile::link(m_dir.filePath(u"loop-b"_s), path);
            QFile::link(path, m_dir.filePath(u"loop-b"_s));
        }
        ChainBrowser browser;
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QCOMPARE(browser.openFile(path), openReturns);
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.first().at(0).toBool(), false);
        QCOMPARE(browser.certificateCount(), 0);
        QVERIFY(!browser.isLoading());
        QVERIFY2(!browser.message().isEmpty(), "the reason is shown");
        QVERIFY2(browser.message().contains(messagePart), qPrintable(browser.message()));
    }

    void passwordProtectedPkcs12()
    {
        const QString path = write(u"client.p12"_s, TestPki::pkcs12(m_goodLeaf, {m_goodInter}, "s3cret"));
        ChainBrowser browser;
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QVERIFY(browser.openFile(path));
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.last().at(0).toBool(), false);
        auto* row = browser.findChild<QWidget*>(u"passwordRow"_s);
        QVERIFY(row->isVisible());
        auto* edit = browser.findChild<QLineEdit*>(u"passwordEdit"_s);
        QTest::keyClicks(edit, u"wrong"_s);
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(finished.size(), 2);
        QCOMPARE(finished.last().at(0).toBool(), false);
        QVERIFY(row->isVisible());
        QVERIFY(edit->text().isEmpty()); // never kept
        QTest::keyClicks(edit, u"s3cret"_s);
        QTest::mouseClick(browser.findChild<QPushButton*>(u"passwordButton"_s), Qt::LeftButton);
        QTRY_COMPARE(finished.size(), 3);
        QCOMPARE(finished.last().at(0).toBool(), true);
        QCOMPARE(browser.certificateCount(), 2);
        QVERIFY(!row->isVisible());
    }

    void newerRequestWins()
    {
        const QString big = write(u"big.pem"_s, bundle(600));
        const QString small = write(u"small.pem"_s, m_root.pem());
        ChainBrowser browser;
        QSignalSpy finished(&browser, &ChainBrowser::loadFinished);
        QVERIFY(browser.openFile(big));
        QVERIFY(browser.openFile(small));
        QTRY_VERIFY(!browser.isLoading());
        QTest::qWait(300); // anything late from the first request would arrive now
        QCOMPARE(browser.certificateCount(), 1);
        QCOMPARE(browser.title(), u"small.pem"_s);
        QCOMPARE(finished.size(), 1);
    }

    void destroyWhileLoading()
    {
        const QString big = write(u"big2.pem"_s, bundle(800));
        auto browser = std::make_unique<ChainBrowser>();
        QVERIFY(browser->openFile(big));
        browser.reset(); // must neither hang nor crash
        QVERIFY(true);
    }
};

QTEST_MAIN(TestChainBrowser)
#include "tst_chainbrowser.moc"
