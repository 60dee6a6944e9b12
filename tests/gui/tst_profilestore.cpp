// ProfileStore (ui/profiles): the profile file's format 2 (options as an ordered list, bytes that are
// not UTF-8 kept, keychain choices, no secrets), the migration from format 1 with its backup, newer
// files opened read-only, every kind of unusable file set aside with a timestamp (never overwritten),
// atomic private writes, the lock, and two stores on one file merging each other's changes.

#include "TestPki.h"
#include "profiles/Profile.h"
#include "profiles/ProfileStore.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QRegularExpression>
#include <QSysInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using vf::ui::Profile;
using vf::ui::ProfileStore;
using vf::ui::SecretKind;

namespace {

Profile named(const QString& name, const QString& host)
{
    Profile p = Profile::createNew(name);
    p.conninfo.setValue(u"host"_s, host);
    return p;
}

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject readJson(const QString& path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

const Profile* byName(const QList<Profile>& list, const QString& name)
{
    for (const Profile& p : list) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

const Profile* byId(const QList<Profile>& list, const QUuid& id)
{
    for (const Profile& p : list) {
        if (p.id == id)
            return &p;
    }
    return nullptr;
}

// A format 1 file as VerifyFull 0.1 wrote it.
QByteArray v1File(const QUuid& id)
{
    return u"{\n"
           "  \"format\": \"verifyfull-profiles\",\n"
           "  \"version\": 1,\n"
           "  \"profiles\": [\n"
           "    {\"id\": \"%1\", \"name\": \"Old prod\",\n"
           "     \"params\": {\"host\": \"db.example.com\", \"port\": \"6432\", \"sslmode\": "
           "\"verify-full\",\n"
           "                \"sslrootcert\": \"/etc/ssl/root.crt\", \"password\": \"v1-typed-secret\"},\n"
           "     \"lastTest\": {\"result\": \"passed\", \"at\": \"2025-03-04T05:06:07Z\"}}\n"
           "  ]\n"
           "}\n"_s.arg(id.toString(QUuid::WithoutBraces))
               .toUtf8();
}

} // namespace

class TestProfileStore : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void roundTripFormat2();
    void writesAreAtomicPrivateAndOnlyWhenNeeded();
    void migratesFormat1WithBackup();
    void secondMigrationKeepsFirstBackup();
    void newerFileIsReadOnly();
    void unusableFileIsSetAside_data();
    void unusableFileIsSetAside();
    void badEntryKeepsTheGoodOnes();
    void unreadableFile();
    void fileCorruptedWhileRunning();
    void twoStoresMerge();
    void conflictKeepsBoth();
    void deletionAndEditAcrossStores();
    void lockHeldByAnotherInstance();
    void fileDeletedWhileRunning();

private:
    QString path() const { return m_dir->filePath(u"cfg/profiles.json"_s); }
    QStringList siblings() const
    {
        return QDir(m_dir->filePath(u"cfg"_s))
            .entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDir::Name);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestProfileStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(QDir().mkpath(m_dir->filePath(u"cfg"_s)));
}

void TestProfileStore::roundTripFormat2()
{
    const ProfileStore store(path());
    const auto empty = store.load();
    QVERIFY(empty.has_value());
    QVERIFY(empty->profiles.isEmpty());
    QCOMPARE(empty->fileVersion, 0);
    QVERIFY(!QFile::exists(path())); // loading writes nothing

    Profile a = named(u"Alpha"_s, u"alpha.example.com"_s);
    a.conninfo.setValue(u"sslrootcert"_s, u"/etc/ssl/ca.pem"_s);
    a.conninfo.setValue(u"port"_s, u"6432"_s);
    QVERIFY(a.conninfo.setValueBytes(u"application_name"_s, QByteArray("caf\xe9", 4))); // Latin-1, not UTF-8
    a.setSecret(SecretKind::Password, u"round-trip-password"_s);
    a.setSecret(SecretKind::KeyPassword, u"round-trip-keypass"_s);
    a.rememberPassword = true;
    a.lastResult = Profile::TestResult::Failed;
    a.lastTestedAt = QDateTime(QDate(2025, 1, 2), QTime(3, 4, 5), QTimeZone::utc());
    Profile b = named(u"Beta \u00e9\u2713"_s, u"beta"_s);
    b.rememberKeyPassword = true;

    const auto saved = store.save({a, b});
    QVERIFY2(saved ? true : false, saved ? "" : qPrintable(saved.error().message));
    QVERIFY(saved->written);
    QCOMPARE(saved->profiles.first().secret(SecretKind::Password),
             u"round-trip-password"_s); // session keeps it

    const QByteArray bytes = readAll(path());
    QVERIFY(!bytes.contains("round-trip-password"));
    QVERIFY(!bytes.contains("round-trip-keypass"));
    QVERIFY(!bytes.contains("\"password\":"));
    const QJsonObject root = readJson(path());
    QCOMPARE(root.value(u"format"_s).toString(), u"verifyfull-profiles"_s);
    QCOMPARE(root.value(u"version"_s).toInt(), 2);
    QCOMPARE(root.value(u"revision"_s).toInt(), 1);
    const QJsonObject first = root.value(u"profiles"_s).toArray().first().toObject();
    // Options are an ordered list in libpq's order; the non-UTF-8 value as base64.
    const QJsonArray options = first.value(u"options"_s).toArray();
    QStringList keywords;
    for (const QJsonValue& v : options)
        keywords << v.toObject().value(u"keyword"_s).toString();
    QStringList libpqOrder; // ConnInfo::params() is in libpq's option-table order
    for (const vf::settings::ConnParam& param : a.conninfo.params()) {
        if (param.keyword != u"password" && param.keyword != u"sslpassword")
            libpqOrder << param.keyword;
    }
    QCOMPARE(libpqOrder.size(), 5);
    QCOMPARE(keywords, libpqOrder);
    const QJsonObject appName = options.at(int(keywords.indexOf(u"application_name"_s))).toObject();
    QCOMPARE(appName.value(u"valueBase64"_s).toString(), u"Y2Fm6Q=="_s);
    QVERIFY(!appName.contains(u"value"_s));
    QCOMPARE(first.value(u"keychain"_s).toArray(), QJsonArray{u"password"_s});

    const ProfileStore other(path());
    const auto loaded = other.load();
    QVERIFY(loaded.has_value());
    QCOMPARE(loaded->fileVersion, 2);
    QCOMPARE(loaded->profiles.size(), 2);
    Profile expected = a;
    expected.setSecret(SecretKind::Password, {});
    expected.setSecret(SecretKind::KeyPassword, {});
    QCOMPARE(loaded->profiles.at(0), expected);
    QCOMPARE(loaded->profiles.at(0).conninfo.valueBytes(u"application_name"), QByteArray("caf\xe9", 4));
    QCOMPARE(loaded->profiles.at(1), b);
    QVERIFY(loaded->profiles.at(1).rememberKeyPassword);
    QVERIFY(!loaded->profiles.at(1).rememberPassword);

    // A secret typed into the file by hand does not come back.
    QByteArray tampered = bytes;
    tampered.replace("\"options\": [",
                     "\"options\": [{\"keyword\": \"password\", \"value\": \"hand-typed\"},");
    QVERIFY(tampered != bytes);
    QVERIFY(vf::test::TestPki::writeFile(path(), tampered));
    const auto again = ProfileStore(path()).load();
    QVERIFY(again.has_value());
    QVERIFY(again->setAsidePath.isEmpty());
    QVERIFY(!again->profiles.first().conninfo.contains(u"password"));
}

void TestProfileStore::writesAreAtomicPrivateAndOnlyWhenNeeded()
{
    const ProfileStore store(path());
    QVERIFY(store.load().has_value());
    const Profile a = named(u"A"_s, u"a"_s);
    QVERIFY(store.save({a}).has_value());
    const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                            QFileDevice::WriteOther | QFileDevice::ExeOther;
    QCOMPARE(QFileInfo(path()).permissions() & others, QFileDevice::Permissions());
    QVERIFY(QFileInfo(path()).permissions().testFlags(QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    // No temporary file (QSaveFile) and no lock file stay behind.
    QCOMPARE(siblings(), QStringList{u"profiles.json"_s});

    const QByteArray before = readAll(path());
    const auto same = store.save({a});
    QVERIFY(same.has_value());
    QVERIFY(!same->written);
    QCOMPARE(readAll(path()), before);

    Profile changed = a;
    changed.name = u"A2"_s;
    const auto second = store.save({changed});
    QVERIFY(second.has_value());
    QVERIFY(second->written);
    QCOMPARE(readJson(path()).value(u"revision"_s).toInt(), 2);

    // A file that is read-only for its owner: the write fails cleanly and the old file stays.
    if (geteuid() != 0) {
        QVERIFY(vf::test::TestPki::chmod(m_dir->filePath(u"cfg"_s), 0500));
        Profile third = changed;
        third.name = u"A3"_s;
        const auto failed = store.save({third});
        QVERIFY(vf::test::TestPki::chmod(m_dir->filePath(u"cfg"_s), 0700));
        QVERIFY(!failed.has_value());
        QCOMPARE(failed.error().code, u"profiles.unwritable"_s);
        QVERIFY(readAll(path()).contains("\"A2\""));
    }
}

void TestProfileStore::migratesFormat1WithBackup()
{
    const QUuid id = QUuid::createUuid();
    const QByteArray old = v1File(id);
    QVERIFY(vf::test::TestPki::writeFile(path(), old));

    const ProfileStore store(path());
    const auto loaded = store.load();
    QVERIFY2(loaded ? true : false, loaded ? "" : qPrintable(loaded.error().message));
    QCOMPARE(loaded->migratedFrom, 1);
    QCOMPARE(loaded->fileVersion, 1);
    QCOMPARE(loaded->backupPath, path() + u".v1-backup"_s);
    QVERIFY(loaded->written);
    QCOMPARE(readAll(loaded->backupPath), old); // byte for byte
    QCOMPARE(QFileInfo(loaded->backupPath).permissions() & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());

    QCOMPARE(loaded->profiles.size(), 1);
    const Profile& p = loaded->profiles.first();
    QCOMPARE(p.id, id);
    QCOMPARE(p.name, u"Old prod"_s);
    QCOMPARE(p.conninfo.value(u"host"), std::optional(u"db.example.com"_s));
    QCOMPARE(p.conninfo.value(u"port"), std::optional(u"6432"_s));
    QCOMPARE(p.conninfo.value(u"sslrootcert"), std::optional(u"/etc/ssl/root.crt"_s));
    QVERIFY(!p.conninfo.contains(u"password")); // a secret in the old file is not carried over
    QCOMPARE(p.lastResult, Profile::TestResult::Passed);
    QVERIFY(!p.rememberPassword);

    const QJsonObject root = readJson(path());
    QCOMPARE(root.value(u"version"_s).toInt(), 2);
    QVERIFY(!readAll(path()).contains("v1-typed-secret"));
    QVERIFY(root.value(u"profiles"_s).toArray().first().toObject().value(u"options"_s).isArray());

    // Loaded again: already current, nothing to do.
    const auto next = ProfileStore(path()).load();
    QVERIFY(next.has_value());
    QCOMPARE(next->migratedFrom, 0);
    QCOMPARE(next->fileVersion, 2);
    QCOMPARE(next->profiles.first(), p);
}

void TestProfileStore::secondMigrationKeepsFirstBackup()
{
    const QByteArray first = v1File(QUuid::createUuid());
    QVERIFY(vf::test::TestPki::writeFile(path() + u".v1-backup"_s, "an earlier backup"));
    QVERIFY(vf::test::TestPki::writeFile(path(), first));
    const auto loaded = ProfileStore(path()).load();
    QVERIFY(loaded.has_value());
    QCOMPARE(loaded->backupPath, path() + u".v1-backup-2"_s);
    QCOMPARE(readAll(path() + u".v1-backup"_s), QByteArray("an earlier backup"));
    QCOMPARE(readAll(loaded->backupPath), first);
}

void TestProfileStore::newerFileIsReadOnly()
{
    const QUuid id = QUuid::createUuid();
    const QByteArray newer =
        u"{\"format\":\"verifyfull-profiles\",\"version\":3,\"revision\":9,\"profiles\":[{\"id\":\"%1\","
        "\"name\":\"From the future\",\"options\":[{\"keyword\":\"host\",\"value\":\"future\"}],"
        "\"newField\":{\"x\":1}}],\"somethingNew\":true}"_s.arg(id.toString(QUuid::WithoutBraces))
            .toUtf8();
    QVERIFY(vf::test::TestPki::writeFile(path(), newer));
    const ProfileStore store(path());
    const auto loaded = store.load();
    QVERIFY(loaded.has_value());
    QVERIFY(loaded->readOnly);
    QVERIFY(store.isReadOnly());
    QVERIFY(loaded->setAsidePath.isEmpty());
    QVERIFY2(loaded->problem.contains(u"newer"_s), qPrintable(loaded->problem));
    QVERIFY(loaded->problem.contains(u'3'));
    QCOMPARE(loaded->profiles.size(), 1); // read as far as possible
    QCOMPARE(loaded->profiles.first().conninfo.value(u"host"), std::optional(u"future"_s));

    Profile edited = loaded->profiles.first();
    edited.name = u"changed here"_s;
    const auto saved = store.save({edited});
    QVERIFY(!saved.has_value());
    QCOMPARE(saved.error().code, u"profiles.read-only"_s);
    QCOMPARE(readAll(path()), newer);
    QCOMPARE(siblings(), QStringList{u"profiles.json"_s});

    // Even a newer file this version cannot read at all is left alone.
    const QByteArray strange = "{\"format\":\"verifyfull-profiles\",\"version\":7,\"profiles\":{\"a\":1}}";
    QVERIFY(vf::test::TestPki::writeFile(path(), strange));
    const auto strangeLoad = ProfileStore(path()).load();
    QVERIFY(strangeLoad.has_value());
    QVERIFY(strangeLoad->readOnly);
    QVERIFY(strangeLoad->profiles.isEmpty());
    QCOMPARE(readAll(path()), strange);

    // A store that finds a newer file only when it saves stops writing too.
    QVERIFY(QFile::remove(path()));
    const ProfileStore fresh(path());
    QVERIFY(fresh.load().has_value());
    QVERIFY(vf::test::TestPki::writeFile(path(), newer));
    const auto blocked = fresh.save({named(u"x"_s, u"x"_s)});
    QVERIFY(!blocked.has_value());
    QCOMPARE(blocked.error().code, u"profiles.read-only"_s);
    QVERIFY(fresh.isReadOnly());
    QCOMPARE(readAll(path()), newer);
}

void TestProfileStore::unusableFileIsSetAside_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("kind"); // "file", "dir", "loop", "dangling", "fifo", "huge"
    QTest::addColumn<QString>("problem");

    const QByteArray good = "{\"format\":\"verifyfull-profiles\",\"version\":2,\"profiles\":[]}";
    QTest::addRow("empty") << QByteArray() << u"file"_s << u"empty"_s;
    QTest::addRow("only spaces") << QByteArray(" \n\t\n") << u"file"_s << u"empty"_s;
    QTest::addRow("truncated") << good.left(good.size() - 9) << u"file"_s << u"JSON"_s;
    QTest::addRow("garbage") << QByteArray("SECRET-LOOKING-GARBAGE \x01\x02\xff\xfe") << u"file"_s
                             << u"JSON"_s;
    QTest::addRow("binary zeros") << QByteArray(4096, '\0') << u"file"_s << u"JSON"_s;
    QTest::addRow("top-level array") << QByteArray("[1,2,3]") << u"file"_s << u"profile file"_s;
    QTest::addRow("top-level string") << QByteArray("\"profiles\"") << u"file"_s << QString();
    QTest::addRow("other format") << QByteArray("{\"format\":\"pgadmin\",\"version\":2}") << u"file"_s
                                  << u"profile file"_s;
    QTest::addRow("no version") << QByteArray("{\"format\":\"verifyfull-profiles\",\"profiles\":[]}")
                                << u"file"_s << u"version"_s;
    QTest::addRow("version as text")
        << QByteArray("{\"format\":\"verifyfull-profiles\",\"version\":\"2\",\"profiles\":[]}") << u"file"_s
        << u"version"_s;
    QTest::addRow("version 0") << QByteArray("{\"format\":\"verifyfull-profiles\",\"version\":0}")
                               << u"file"_s << u"version"_s;
    QTest::addRow("version 1.5") << QByteArray("{\"format\":\"verifyfull-profiles\",\"version\":1.5}")
                                 << u"file"_s << u"version"_s;
    QTest::addRow("profiles not a list")
        << QByteArray("{\"format\":\"verifyfull-profiles\",\"version\":2,\"profiles\":{\"a\":{}}}")
        << u"file"_s << u"list"_s;
    QTest::addRow("settings of the wrong type")
        << QByteArray("{\"format\":\"verifyfull-profiles\",\"version\":2,\"profiles\":[{\"id\":\"" +
                      QUuid::createUuid().toByteArray(QUuid::WithoutBraces) + "\",\"options\":\"host=x\"}]}")
        << u"file"_s << u"entry"_s;
    QTest::addRow("larger than 16 MiB") << QByteArray() << u"huge"_s << u"large"_s;
    QTest::addRow("a folder") << QByteArray() << u"dir"_s << u"folder"_s;
    QTest::addRow("symlink loop") << QByteArray() << u"loop"_s << QString();
    QTest::addRow("dangling symlink") << QByteArray() << u"dangling"_s << u"link"_s;
    QTest::addRow("named pipe") << QByteArray() << u"fifo"_s << u"regular"_s;
}

void TestProfileStore::unusableFileIsSetAside()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, kind);
    QFETCH(QString, problem);

    if (kind == u"file") {
        QVERIFY(vf::test::TestPki::writeFile(path(), content));
    } else if (kind == u"huge") {
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(ProfileStore::kMaxFileSize + 1)); // sparse
    } else if (kind == u"dir") {
        QVERIFY(QDir().mkpath(path() + u"/inside"_s));
    } else if (kind == u"loop") {
        QVERIFY(QFile::link(path(), path())); // profiles.json -> profiles.json
    } else if (kind == u"dangling") {
        QVERIFY(QFile::link(m_dir->filePath(u"nowhere/profiles.json"_s), path()));
    } else if (kind == u"fifo") {
        QVERIFY(::mkfifo(QFile::encodeName(path()).constData(), 0600) == 0);
    }

    QElapsedTimer clock;
    clock.start();
    const ProfileStore store(path());
    const auto loaded = store.load();
    QVERIFY(clock.elapsed() < 5000); // no hang (a pipe is never opened)
    QVERIFY2(loaded ? true : false, loaded ? "" : qPrintable(loaded.error().message));
    QVERIFY(loaded->profiles.isEmpty());
    QVERIFY(!loaded->problem.isEmpty());
    if (!problem.isEmpty())
        QVERIFY2(loaded->problem.contains(problem), qPrintable(loaded->problem));
    QVERIFY(!loaded->problem.contains(u"SECRET-LOOKING"_s)); // says what is wrong, never shows the content
    QVERIFY(!loaded->written);

    // Renamed aside with a UTC timestamp, byte for byte; nothing left at the path.
    const QString aside = loaded->setAsidePath;
    QVERIFY2(aside.startsWith(path() + u".corrupt-"_s), qPrintable(aside));
    QVERIFY(QRegularExpression(u"\\.corrupt-\\d{8}-\\d{6}$"_s).match(aside).hasMatch());
    QVERIFY(QFileInfo(aside).exists() || QFileInfo(aside).isSymLink());
    QVERIFY(!QFileInfo(path()).exists() && !QFileInfo(path()).isSymLink());
    if (kind == u"file")
        QCOMPARE(readAll(aside), content);

    // New profiles are saved normally; the set-aside file is not touched.
    const auto saved = store.save({named(u"fresh"_s, u"h"_s)});
    QVERIFY(saved.has_value());
    QVERIFY(saved->setAsidePath.isEmpty());
    QCOMPARE(readJson(path()).value(u"profiles"_s).toArray().size(), 1);
    if (kind == u"file")
        QCOMPARE(readAll(aside), content);

    // A second bad file the same second gets its own name.
    if (kind == u"file") {
        QVERIFY(vf::test::TestPki::writeFile(path(), content));
        const auto second = ProfileStore(path()).load();
        QVERIFY(second.has_value());
        QVERIFY(second->setAsidePath != aside);
        QVERIFY(QFile::exists(aside));
        QVERIFY(QFile::exists(second->setAsidePath));
    }
}

void TestProfileStore::badEntryKeepsTheGoodOnes()
{
    const Profile good1 = named(u"Good one"_s, u"g1"_s);
    const Profile good2 = named(u"Good two"_s, u"g2"_s);
    QJsonArray array{good1.toJson(), QJsonObject{{u"name"_s, u"no id"_s}}, good2.toJson(), good1.toJson()};
    QJsonObject root{{u"format"_s, u"verifyfull-profiles"_s}, {u"version"_s, 2}, {u"profiles"_s, array}};
    const QByteArray bytes = QJsonDocument(root).toJson();
    QVERIFY(vf::test::TestPki::writeFile(path(), bytes));

    const ProfileStore store(path());
    const auto loaded = store.load();
    QVERIFY(loaded.has_value());
    QCOMPARE(loaded->profiles.size(), 2);
    QCOMPARE(loaded->profiles.at(0), good1);
    QCOMPARE(loaded->profiles.at(1), good2);
    QVERIFY(!loaded->setAsidePath.isEmpty());
    QVERIFY2(loaded->problem.contains(u"id"_s), qPrintable(loaded->problem));
    QCOMPARE(readAll(loaded->setAsidePath), bytes);
    // What could be read is written back at once, so another instance sees it too.
    QVERIFY(loaded->written);
    QCOMPARE(readJson(path()).value(u"profiles"_s).toArray().size(), 2);
}

void TestProfileStore::unreadableFile()
{
    // Root reads a mode 000 file anyway (and renames in a read-only folder): this case needs a normal user.
    if (geteuid() == 0)
        QSKIP("running as root: file modes do not stop root from reading or renaming");
    QVERIFY(vf::test::TestPki::writeFile(path(), "{\"format\":\"verifyfull-profiles\",\"version\":2}"));
    QVERIFY(vf::test::TestPki::chmod(path(), 0000));
    QVERIFY(vf::test::TestPki::chmod(m_dir->filePath(u"cfg"_s), 0500)); // and it cannot be moved aside
    const ProfileStore store(path());
    const auto loaded = store.load();
    QVERIFY(vf::test::TestPki::chmod(m_dir->filePath(u"cfg"_s), 0700));
    QVERIFY(!loaded.has_value());
    QCOMPARE(loaded.error().code, u"profiles.unreadable"_s);
    QVERIFY(loaded.error().message.contains(u"cannot be read"_s));
    const auto saved = store.save({named(u"x"_s, u"x"_s)});
    QVERIFY(!saved.has_value()); // never written over
    QCOMPARE(saved.error().code, u"profiles.unreadable"_s);
    QVERIFY(vf::test::TestPki::chmod(path(), 0600));
    QCOMPARE(readAll(path()), QByteArray("{\"format\":\"verifyfull-profiles\",\"version\":2}"));
}

void TestProfileStore::fileCorruptedWhileRunning()
{
    const ProfileStore store(path());
    QVERIFY(store.load().has_value());
    const Profile a = named(u"A"_s, u"a"_s);
    QVERIFY(store.save({a}).has_value());
    QVERIFY(vf::test::TestPki::writeFile(path(), "{\"format\": \"verifyfull-profiles\", \"profiles\": [ {"));

    // The watcher's sync finds it: set aside, and this instance's profiles written.
    const auto synced = store.sync({a});
    QVERIFY(synced.has_value());
    QVERIFY(!synced->setAsidePath.isEmpty());
    QVERIFY(synced->written);
    QCOMPARE(readAll(synced->setAsidePath),
             QByteArray("{\"format\": \"verifyfull-profiles\", \"profiles\": [ {"));
    QCOMPARE(ProfileStore(path()).load()->profiles, QList<Profile>{a});

    // The same on save.
    QVERIFY(vf::test::TestPki::writeFile(path(), "not json"));
    Profile b = a;
    b.name = u"B"_s;
    const auto saved = store.save({b});
    QVERIFY(saved.has_value());
    QVERIFY(!saved->setAsidePath.isEmpty());
    QCOMPARE(readAll(saved->setAsidePath), QByteArray("not json"));
    QCOMPARE(ProfileStore(path()).load()->profiles, QList<Profile>{b});
}

void TestProfileStore::twoStoresMerge()
{
    const ProfileStore one(path());
    const ProfileStore two(path());
    QVERIFY(one.load().has_value());
    QVERIFY(two.load().has_value());

    Profile p1 = named(u"From one"_s, u"h1"_s);
    Profile p2 = named(u"From two"_s, u"h2"_s);
    QVERIFY(one.save({p1}).has_value());
    const auto twoSaved = two.save({p2});
    QVERIFY(twoSaved.has_value());
    QVERIFY(twoSaved->changedElsewhere);
    QVERIFY(twoSaved->conflicts.isEmpty());
    QCOMPARE(twoSaved->profiles.size(), 2); // the first instance's profile is not clobbered
    QVERIFY(byId(twoSaved->profiles, p1.id));
    QCOMPARE(ProfileStore(path()).load()->profiles.size(), 2);

    // The first one picks that up (its watcher calls sync()).
    p1.setSecret(SecretKind::Password, u"session-only"_s);
    const auto synced = one.sync({p1});
    QVERIFY(synced.has_value());
    QVERIFY(synced->changedElsewhere);
    QVERIFY(!synced->needsSave);
    QCOMPARE(synced->profiles.size(), 2);
    QVERIFY(byId(synced->profiles, p2.id));

    // An edit there is taken here, keeping this session's password; a test here stays.
    Profile p1There = p1;
    p1There.setSecret(SecretKind::Password, {});
    p1There.conninfo.setValue(u"port"_s, u"5433"_s);
    QVERIFY(two.save({p1There, p2}).has_value());
    Profile p1Here = p1;
    p1Here.lastResult = Profile::TestResult::Passed;
    p1Here.lastTestedAt = QDateTime::currentDateTimeUtc();
    const auto merged = one.save({p1Here, p2});
    QVERIFY(merged.has_value());
    QVERIFY(merged->changedElsewhere);
    QVERIFY(merged->conflicts.isEmpty());
    const Profile* m = byId(merged->profiles, p1.id);
    QVERIFY(m);
    QCOMPARE(m->conninfo.value(u"port"), std::optional(u"5433"_s));
    QCOMPARE(m->secret(SecretKind::Password), u"session-only"_s);
    QCOMPARE(m->lastResult, Profile::TestResult::Passed);
    const auto onDisk = ProfileStore(path()).load();
    QCOMPARE(byId(onDisk->profiles, p1.id)->lastResult, Profile::TestResult::Passed);
    QCOMPARE(byId(onDisk->profiles, p1.id)->conninfo.value(u"port"), std::optional(u"5433"_s));
    QVERIFY(!readAll(path()).contains("session-only"));

    // Nothing changed anywhere: sync is a no-op.
    const auto quiet = one.sync(merged->profiles);
    QVERIFY(quiet.has_value());
    QVERIFY(!quiet->changedElsewhere);
}

void TestProfileStore::conflictKeepsBoth()
{
    const ProfileStore one(path());
    const ProfileStore two(path());
    const Profile shared = named(u"Shared"_s, u"db"_s);
    QVERIFY(one.load().has_value());
    QVERIFY(one.save({shared}).has_value());
    QVERIFY(two.load().has_value());

    Profile mine = shared;
    mine.conninfo.setValue(u"sslmode"_s, u"verify-ca"_s);
    Profile theirs = shared;
    theirs.conninfo.setValue(u"port"_s, u"7000"_s);
    theirs.rememberPassword = true;
    QVERIFY(two.save({theirs}).has_value());
    const auto saved = one.save({mine});
    QVERIFY(saved.has_value());
    QCOMPARE(saved->conflicts.size(), 1);
    const ProfileStore::Conflict c = saved->conflicts.first();
    QCOMPARE(c.original, shared.id);
    QVERIFY(c.copy != shared.id);
    QCOMPARE(c.copyName, u"Shared (conflict)"_s);
    QCOMPARE(saved->profiles.size(), 2);
    QCOMPARE(byId(saved->profiles, shared.id)->conninfo.value(u"sslmode"), std::optional(u"verify-ca"_s));
    const Profile* copy = byId(saved->profiles, c.copy);
    QVERIFY(copy);
    QCOMPARE(copy->conninfo.value(u"port"), std::optional(u"7000"_s));
    QVERIFY(copy->rememberPassword);

    // The other instance converges on the same two.
    const auto synced = two.sync({theirs});
    QVERIFY(synced.has_value());
    QCOMPARE(synced->profiles.size(), 2);
    QCOMPARE(byId(synced->profiles, shared.id)->conninfo.value(u"sslmode"), std::optional(u"verify-ca"_s));
    QVERIFY(byName(synced->profiles, u"Shared (conflict)"_s));
    QVERIFY(!synced->needsSave);
}

void TestProfileStore::deletionAndEditAcrossStores()
{
    const ProfileStore one(path());
    const ProfileStore two(path());
    const Profile a = named(u"A"_s, u"a"_s);
    const Profile b = named(u"B"_s, u"b"_s);
    QVERIFY(one.load().has_value());
    QVERIFY(one.save({a, b}).has_value());
    QVERIFY(two.load().has_value());

    // Deleted there, untouched here: gone here too.
    QVERIFY(two.save({a}).has_value());
    const auto synced = one.sync({a, b});
    QVERIFY(synced.has_value());
    QCOMPARE(synced->profiles, QList<Profile>{a});

    // Deleted here, edited there: the edit wins (nothing is lost).
    QVERIFY(one.save({}).has_value()); // one deletes A
    Profile edited = a;
    edited.name = u"A edited"_s;
    const auto kept = two.save({edited});
    QVERIFY(kept.has_value());
    QCOMPARE(kept->profiles, QList<Profile>{edited});
    QCOMPARE(ProfileStore(path()).load()->profiles, QList<Profile>{edited});

    // Edited here, deleted there: kept as well.
    const auto oneSynced = one.sync({});
    QCOMPARE(oneSynced->profiles, QList<Profile>{edited});
    Profile again = edited;
    again.name = u"A again"_s;
    QVERIFY(two.save({}).has_value()); // two deletes it
    const auto oneSaved = one.save({again});
    QVERIFY(oneSaved.has_value());
    QCOMPARE(oneSaved->profiles, QList<Profile>{again});
}

void TestProfileStore::lockHeldByAnotherInstance()
{
    const ProfileStore store(path());
    QVERIFY(store.load().has_value());
    QLockFile other(store.lockPath());
    QVERIFY(other.tryLock(0));
    QElapsedTimer clock;
    clock.start();
    const auto saved = store.save({named(u"x"_s, u"x"_s)});
    QVERIFY(!saved.has_value());
    QCOMPARE(saved.error().code, u"profiles.locked"_s);
    QVERIFY(clock.elapsed() >= ProfileStore::kLockTimeoutMs - 100);
    QVERIFY(!QFile::exists(path()));
    other.unlock();
    QVERIFY(store.save({named(u"x"_s, u"x"_s)}).has_value());

    // A lock left by a process that no longer runs is taken over.
    QFile stale(store.lockPath());
    QVERIFY(stale.open(QIODevice::WriteOnly));
    // QLockFile's format: pid, application name, host name. No process has this pid.
    stale.write("4194303\ntst_profilestore\n" + QSysInfo::machineHostName().toUtf8() + "\n");
    stale.close();
    QVERIFY(store.save({named(u"y"_s, u"y"_s)}).has_value());
}

void TestProfileStore::fileDeletedWhileRunning()
{
    const ProfileStore store(path());
    QVERIFY(store.load().has_value());
    const Profile a = named(u"A"_s, u"a"_s);
    QVERIFY(store.save({a}).has_value());
    QVERIFY(QFile::remove(path()));
    // Nothing is merged away: the profiles held here are written again.
    const auto synced = store.sync({a});
    QVERIFY(synced.has_value());
    QCOMPARE(synced->profiles, QList<Profile>{a});
    QVERIFY(synced->needsSave);
    QVERIFY(store.save({a})->written);
    QCOMPARE(ProfileStore(path()).load()->profiles, QList<Profile>{a});
}

QTEST_GUILESS_MAIN(TestProfileStore)
#include "tst_profilestore.moc"
