// GUI tests of the sslmode risk table (ui/risk): libpq's table as a model, the profile's effective
// mode highlighted, the core's reasons beside it, the one-click step to verify-full, and the table
// following the sslmode chosen in the profile editor.

#include "TestPki.h"
#include "profiles/Profile.h"
#include "profiles/ProfileEditor.h"
#include "risk/AssessmentInputBuilder.h"
#include "risk/RiskTable.h"
#include "risk/SslModeRiskModel.h"
#include "security/SslModeTable.h"
#include "settings/Environment.h"
#include "settings/SettingsResolver.h"
#include "widgets/FileField.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace vf::security;
using vf::ui::RiskTable;
using vf::ui::SslModeRiskModel;

Q_DECLARE_METATYPE(vf::security::AssessmentInput)

namespace {

AssessmentInput input(const QString& mode, bool rootExists)
{
    AssessmentInput in;
    in.sslmode = mode;
    in.sslmodeExplicit = !mode.isEmpty();
    in.rootCertPath = u"/home/u/.postgresql/root.crt"_s;
    in.rootFileExists = rootExists;
    in.gssencmode = u"disable"_s;
    return in;
}

// The rows the model marks with a role.
QList<int> rowsWith(const SslModeRiskModel& model, int role)
{
    QList<int> rows;
    for (int r = 0; r < model.rowCount(); ++r) {
        if (model.index(r, 0).data(role).toBool())
            rows << r;
    }
    return rows;
}

int rowOf(const QString& keyword)
{
    return SslModeRiskModel::rowOf(*parseSslMode(keyword));
}

} // namespace

class TestRiskTable : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void modelIsLibpqsTable();
    void highlightsEffectiveMode_data();
    void highlightsEffectiveMode();
    void oneClickStepToVerifyFull();
    void stepThatNeedsAFile();
    void willFailShowsLibpqsMessage();
    void builderReadsFilesLikeLibpq();
    void followsTheEditor();

private:
    QTemporaryDir m_dir;
    QString m_home;
};

void TestRiskTable::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_home = m_dir.filePath(u"home"_s);
    QVERIFY(QDir().mkpath(m_home + u"/.postgresql"_s));
}

void TestRiskTable::modelIsLibpqsTable()
{
    SslModeRiskModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.columnCount(), 4);
    const QStringList modes{u"disable"_s, u"allow"_s,     u"prefer"_s,
                            u"require"_s, u"verify-ca"_s, u"verify-full"_s};
    for (int r = 0; r < 6; ++r) {
        const SslModeDescription& row = sslModeTable()[std::size_t(r)];
        QCOMPARE(model.index(r, 0).data(SslModeRiskModel::ModeRole).toString(), modes.at(r));
        QCOMPARE(model.index(r, SslModeRiskModel::EavesdroppingColumn).data().toString(),
                 row.eavesdroppingLabel());
        QCOMPARE(model.index(r, SslModeRiskModel::MitmColumn).data().toString(), row.mitmLabel());
        QCOMPARE(model.index(r, SslModeRiskModel::StatementColumn).data().toString(), row.statementText());
    }
    QCOMPARE(model.index(4, SslModeRiskModel::MitmColumn).data().toString(), u"Depends on CA policy"_s);
    QCOMPARE(model.index(0, SslModeRiskModel::StatementColumn).data().toString(),
             u"I don't care about security, and I don't want to pay the overhead of encryption."_s);
    QCOMPARE(model.headerData(SslModeRiskModel::MitmColumn, Qt::Horizontal, Qt::ToolTipRole).toString(),
             u"MITM protection"_s);
    QVERIFY(rowsWith(model, SslModeRiskModel::EffectiveRole).isEmpty());
}

void TestRiskTable::highlightsEffectiveMode_data()
{
    QTest::addColumn<AssessmentInput>("in");
    QTest::addColumn<QString>("chosen");
    QTest::addColumn<QString>("effective");
    QTest::addColumn<QString>("reason");
    QTest::addRow("require with a root file")
        << input(u"require"_s, true) << u"require"_s << u"verify-ca"_s
        << u"require behaves as verify-ca here because a root file exists"_s;
    QTest::addRow("require without a root file")
        << input(u"require"_s, false) << u"require"_s << u"require"_s << u"accepts any certificate"_s;
    QTest::addRow("prefer") << input(u"prefer"_s, false) << u"prefer"_s << u"prefer"_s
                            << u"silently connects without encryption"_s;
    QTest::addRow("nothing set: prefer") << input({}, false) << u"prefer"_s << u"prefer"_s << u"prefer"_s;
    QTest::addRow("verify-full") << input(u"verify-full"_s, true) << u"verify-full"_s << u"verify-full"_s
                                 << u"names the host"_s;
    AssessmentInput system = input({}, false);
    system.sslrootcert = u"system"_s;
    QTest::addRow("system roots raise the default")
        << system << u"verify-full"_s << u"verify-full"_s << u"sslrootcert=system"_s;
}

void TestRiskTable::highlightsEffectiveMode()
{
    QFETCH(AssessmentInput, in);
    QFETCH(QString, chosen);
    QFETCH(QString, effective);
    QFETCH(QString, reason);
    RiskTable table;
    table.resize(800, 700);
    table.show();
    table.setAssessment(SslModeAssessment::assess(in));
    SslModeRiskModel* model = table.model();
    QCOMPARE(rowsWith(*model, SslModeRiskModel::EffectiveRole), QList<int>{rowOf(effective)});
    QCOMPARE(rowsWith(*model, SslModeRiskModel::ChosenRole), QList<int>{rowOf(chosen)});
    for (int r = 0; r < model->rowCount(); ++r) {
        const bool marked = r == rowOf(effective) || r == rowOf(chosen);
        QCOMPARE(model->index(r, SslModeRiskModel::StatementColumn).data(Qt::BackgroundRole).isValid(),
                 marked);
    }
    const QString modeCell = model->index(rowOf(effective), 0).data().toString();
    QVERIFY2(modeCell.contains(chosen == effective ? u"(this profile)"_s : u"(in effect)"_s),
             qPrintable(modeCell));

    auto* reasons = table.findChild<QLabel*>(u"reasonsLabel"_s);
    QVERIFY(reasons && reasons->isVisible());
    QVERIFY2(reasons->text().contains(reason), qPrintable(reasons->text()));
    auto* verdict = table.findChild<QLabel*>(u"verdictLabel"_s);
    QVERIFY(verdict->text().contains(table.verdictText()));
    QVERIFY(!table.verdictText().isEmpty());
}

void TestRiskTable::oneClickStepToVerifyFull()
{
    RiskTable table;
    table.show();
    table.setAssessment(SslModeAssessment::assess(input(u"require"_s, true)));
    auto* apply = table.findChild<QPushButton*>(u"stepButton_sslmode-verify-full"_s);
    QVERIFY(apply);
    QCOMPARE(apply->text(), u"Apply"_s);
    QSignalSpy spy(&table, &RiskTable::applyRequested);
    QTest::mouseClick(apply, Qt::LeftButton);
    QCOMPARE(spy.count(), 1);
    QCOMPARE(spy.first().at(0).toString(), u"sslmode"_s);
    QCOMPARE(spy.first().at(1).toString(), u"verify-full"_s);

    // Already verify-full: nothing left to do.
    table.setAssessment(SslModeAssessment::assess(input(u"verify-full"_s, true)));
    QTRY_VERIFY(!table.findChild<QPushButton*>(u"stepButton_sslmode-verify-full"_s));
    QVERIFY(!table.findChild<QLabel*>(u"stepsHeading"_s)->isVisible());
}

void TestRiskTable::stepThatNeedsAFile()
{
    // require without a root file: verify-full would fail until a root certificate is chosen, so
    // there is no one-click "Apply", only the way to the setting.
    RiskTable table;
    table.show();
    table.setAssessment(SslModeAssessment::assess(input(u"require"_s, false)));
    QSignalSpy apply(&table, &RiskTable::applyRequested);
    QSignalSpy show(&table, &RiskTable::showSettingRequested);
    auto* mode = table.findChild<QPushButton*>(u"stepButton_sslmode-verify-full"_s);
    QVERIFY(mode);
    QCOMPARE(mode->text(), u"Show setting"_s);
    auto* root = table.findChild<QPushButton*>(u"stepButton_sslrootcert"_s);
    QVERIFY(root);
    QTest::mouseClick(root, Qt::LeftButton);
    QCOMPARE(apply.count(), 0);
    QCOMPARE(show.count(), 1);
    QCOMPARE(show.first().at(0).toString(), u"sslrootcert"_s);
}

void TestRiskTable::willFailShowsLibpqsMessage()
{
    RiskTable table;
    table.show();
    table.setAssessment(SslModeAssessment::assess(input(u"verify-full"_s, false)));
    auto* failure = table.findChild<QLabel*>(u"failureLabel"_s);
    QVERIFY(failure->isVisible());
    QVERIFY2(failure->text().contains(u"root certificate file"_s) &&
                 failure->text().contains(u"does not exist"_s),
             qPrintable(failure->text()));
    QVERIFY(rowsWith(*table.model(), SslModeRiskModel::EffectiveRole) == QList<int>{rowOf(u"verify-full"_s)});

    // An invalid sslmode: libpq refuses before choosing a mode, nothing is highlighted.
    AssessmentInput bad = input(u"Require"_s, true);
    table.setAssessment(SslModeAssessment::assess(bad));
    QVERIFY(rowsWith(*table.model(), SslModeRiskModel::EffectiveRole).isEmpty());
    QVERIFY(failure->text().contains(u"invalid sslmode value"_s));
}

void TestRiskTable::builderReadsFilesLikeLibpq()
{
    const QString home = m_dir.filePath(u"builder-home"_s);
    QVERIFY(QDir().mkpath(home + u"/.postgresql"_s));
    vf::settings::Environment env;
    env.setVariable(u"HOME"_s, home);
    auto assess = [&](const QString& conninfo) {
        auto info = vf::settings::ConnInfo::parse(conninfo);
        auto eff = vf::settings::SettingsResolver(env).resolve(*info);
        return vf::ui::AssessmentInputBuilder::build(*eff, std::nullopt, std::nullopt);
    };
    auto in = assess(u"host=db sslmode=require"_s);
    QVERIFY(in.sslmodeExplicit);
    QVERIFY(!in.rootFileExists);
    QVERIFY(!in.hostIsUnixSocket);
    QCOMPARE(in.rootCertPath, u"~/.postgresql/root.crt"_s);

    const vf::test::TestCert root = vf::test::TestPki::makeCert(vf::test::TestPki::rootSpec(u"Root"_s));
    QVERIFY(vf::test::TestPki::writeFile(home + u"/.postgresql/root.crt"_s, root.pem()));
    in = assess(u"host=db sslmode=require"_s);
    QVERIFY(in.rootFileExists);

    in = assess(u"host=/var/run/postgresql"_s);
    QVERIFY(in.hostIsUnixSocket);
    QVERIFY(!in.sslmodeExplicit);
    QVERIFY(in.sslmode.isEmpty());
    in = assess(u"hostaddr=192.0.2.1 sslmode=verify-full"_s);
    QVERIFY(in.hostIsIpOnly);
    in = assess(u""_s);
    QVERIFY(in.hostIsUnixSocket); // no host at all: the default socket

    env.setVariable(u"PGSSLMODE"_s, u"verify-ca"_s);
    in = assess(u"host=db"_s);
    QCOMPARE(in.sslmode, u"verify-ca"_s);
    QVERIFY(in.sslmodeExplicit);

    // A root file OpenSSL cannot read: the reason, as libpq prints it after the path.
    vf::ui::FileCheckResult check;
    check.path = home + u"/.postgresql/root.crt"_s;
    vf::pki::FileInspection fi;
    fi.libpqProblem = vf::Error{
        u"pki.libpq-cannot-read"_s,
        u"could not read root certificate file \"%1\": no certificate or crl found"_s.arg(check.path),
        {},
        {}};
    check.inspection = fi;
    QCOMPARE(vf::ui::AssessmentInputBuilder::rootFileError(check), u"no certificate or crl found"_s);
}

void TestRiskTable::followsTheEditor()
{
    // A root file in ~/.postgresql makes require behave as verify-ca, and verify-full one click away.
    const vf::test::TestCert root = vf::test::TestPki::makeCert(vf::test::TestPki::rootSpec(u"Home Root"_s));
    QVERIFY(vf::test::TestPki::writeFile(m_home + u"/.postgresql/root.crt"_s, root.pem()));
    vf::settings::Environment env;
    env.setVariable(u"HOME"_s, m_home);
    env.setVariable(u"PGGSSENCMODE"_s, u"disable"_s);

    vf::ui::ProfileEditor editor;
    editor.setEnvironment(env);
    vf::ui::Profile profile = vf::ui::Profile::createNew(u"p"_s);
    profile.conninfo.setValue(u"host"_s, u"db.example.com"_s);
    editor.setProfile(profile);
    editor.resize(900, 700);
    editor.show();
    SslModeRiskModel* model = editor.riskTable()->model();
    QTRY_COMPARE(model->behavesAs(), std::optional(SslMode::VerifyFull));

    auto* combo = editor.findChild<QComboBox*>(u"sslmodeCombo"_s);
    QVERIFY(combo);
    auto choose = [&](const QString& mode) {
        const int target = combo->findData(mode);
        QVERIFY(target >= 0);
        combo->setFocus();
        while (combo->currentIndex() != target)
            QTest::keyClick(combo, combo->currentIndex() < target ? Qt::Key_Down : Qt::Key_Up);
    };
    choose(u"require"_s);
    QTRY_COMPARE(model->behavesAs(), std::optional(SslMode::VerifyCa));
    QCOMPARE(model->chosen(), std::optional(SslMode::Require));
    QVERIFY(editor.riskTable()->verdictText().contains(u"verify-ca"_s));

    choose(u"prefer"_s);
    QTRY_COMPARE(model->chosen(), std::optional(SslMode::Prefer));
    QCOMPARE(model->behavesAs(), std::optional(SslMode::Prefer));

    choose(u"disable"_s);
    QTRY_COMPARE(model->behavesAs(), std::optional(SslMode::Disable));

    // The one-click step moves the profile itself to verify-full.
    auto* apply = editor.riskTable()->findChild<QPushButton*>(u"stepButton_sslmode-verify-full"_s);
    QTRY_VERIFY(apply = editor.riskTable()->findChild<QPushButton*>(u"stepButton_sslmode-verify-full"_s));
    QSignalSpy edited(&editor, &vf::ui::ProfileEditor::profileEdited);
    QTest::mouseClick(apply, Qt::LeftButton);
    QCOMPARE(combo->currentData().toString(), u"verify-full"_s);
    QCOMPARE(editor.profile().conninfo.value(u"sslmode"), std::optional(u"verify-full"_s));
    QVERIFY(edited.count() >= 1);
    QTRY_COMPARE(model->behavesAs(), std::optional(SslMode::VerifyFull));
    QCOMPARE(editor.assessment()->severity(), Severity::Safe);
}

QTEST_MAIN(TestRiskTable)
#include "tst_risktable.moc"
