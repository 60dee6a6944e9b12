#include "TestPki.h"
#include "pki/KeyPermissions.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <unistd.h>

using namespace Qt::StringLiterals;
using vf::pki::KeyFileStat;
using vf::pki::KeyPermissions;
using vf::test::TestPki;

namespace {

constexpr uint kUser = 1000;
constexpr uint kOtherUser = 2000;
constexpr uint kRoot = 0;

const QString kClientTooOpen =
    u"has group or world access; file must have permissions u=rw (0600) or less if owned by the current "
    u"user, or permissions u=rw,g=r (0640) or less if owned by root"_s;

// The real stat() of the file, with the owner replaced (the tests run as root, and a file owned by
// someone else cannot be made without that privilege anyway).
KeyPermissions::StatFunction ownedBy(uint owner)
{
    return [owner](const QString& path) -> std::expected<KeyFileStat, int> {
        auto st = KeyPermissions::statFile(path);
        if (st)
            st->ownerUid = owner;
        return st;
    };
}

} // namespace

class TestKeyPermissions : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString keyFile(const QString& name, int mode)
    {
        const QString path = m_dir.filePath(name);
        if (!TestPki::writeFile(path, QByteArrayLiteral("-----BEGIN PRIVATE KEY-----\n")))
            return {};
        if (!TestPki::chmod(path, mode))
            return {};
        return path;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void clientRule_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<uint>("owner");
        QTest::addColumn<bool>("allowed");

        struct Row
        {
            int mode;
            bool userAllowed;
            bool rootAllowed;
        };
        const Row rows[] = {
            {0600, true, true},   {0400, true, true},   {0700, true, true},   {0200, true, true},
            {0000, true, true},   {0640, false, true},  {0440, false, true},  {0740, false, true},
            {0644, false, false}, {0604, false, false}, {0660, false, false}, {0620, false, false},
            {0610, false, false}, {0601, false, false}, {0602, false, false}, {0650, false, false},
            {0666, false, false}, {0777, false, false}, {0041, false, false}, {04600, true, true},
        };
        for (const Row& r : rows) {
            QTest::addRow("%04o user", r.mode) << r.mode << kUser << r.userAllowed;
            QTest::addRow("%04o root", r.mode) << r.mode << kRoot << r.rootAllowed;
        }
    }

    void clientRule()
    {
        QFETCH(int, mode);
        QFETCH(uint, owner);
        QFETCH(bool, allowed);

        QCOMPARE(KeyPermissions::clientModeAllowed(owner, uint(mode)), allowed);

        const QString path = keyFile(u"client-%1-%2.key"_s.arg(mode, 0, 8).arg(owner), mode);
        QVERIFY(!path.isEmpty());
        const KeyPermissions checker(ownedBy(owner));
        const auto result = checker.checkClientKeyFile(path);
        QCOMPARE(result.has_value(), allowed);
        if (allowed) {
            QCOMPARE(result->mode, uint(mode) & 07777u);
            QCOMPARE(result->ownerUid, owner);
            QVERIFY(result->isRegularFile);
        } else {
            QCOMPARE(result.error().code, u"pki.key-permissions"_s);
            QCOMPARE(result.error().message, u"private key file \"%1\" "_s.arg(path) + kClientTooOpen);
            // The explanation tells the fix in the file's own terms.
            QVERIFY2(result.error().explanation.contains(owner == kRoot ? u"chmod 0640"_s : u"chmod 0600"_s),
                     qPrintable(result.error().explanation));
            QVERIFY(result.error().explanation.contains(u"0"_s + QString::number(mode, 8)));
        }
    }

    void serverRule_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<uint>("owner");
        QTest::addColumn<uint>("euid");
        QTest::addColumn<QString>("code");

        const QString ok;
        const QString perms = u"pki.key-permissions"_s;
        const QString owner = u"pki.key-owner"_s;
        QTest::addRow("db user 0600") << 0600 << kUser << kUser << ok;
        QTest::addRow("db user 0400") << 0400 << kUser << kUser << ok;
        QTest::addRow("db user 0700") << 0700 << kUser << kUser << ok;
        QTest::addRow("db user 0640") << 0640 << kUser << kUser << perms;
        QTest::addRow("db user 0644") << 0644 << kUser << kUser << perms;
        QTest::addRow("db user 0604") << 0604 << kUser << kUser << perms;
        QTest::addRow("db user 0610") << 0610 << kUser << kUser << perms;
        QTest::addRow("root 0600") << 0600 << kRoot << kUser << ok;
        QTest::addRow("root 0640") << 0640 << kRoot << kUser << ok;
        QTest::addRow("root 0440") << 0440 << kRoot << kUser << ok;
        QTest::addRow("root 0644") << 0644 << kRoot << kUser << perms;
        QTest::addRow("root 0660") << 0660 << kRoot << kUser << perms;
        QTest::addRow("root 0650") << 0650 << kRoot << kUser << perms;
        QTest::addRow("root 0604") << 0604 << kRoot << kUser << perms;
        QTest::addRow("other 0600") << 0600 << kOtherUser << kUser << owner;
        QTest::addRow("other 0644") << 0644 << kOtherUser << kUser << owner;
        // The server checks "owned by the database user" first, so a server running as root holds
        // a root-owned key to the strict rule.
        QTest::addRow("root server, root 0640") << 0640 << kRoot << kRoot << perms;
        QTest::addRow("root server, root 0600") << 0600 << kRoot << kRoot << ok;
    }

    void serverRule()
    {
        QFETCH(int, mode);
        QFETCH(uint, owner);
        QFETCH(uint, euid);
        QFETCH(QString, code);

        QCOMPARE(KeyPermissions::serverOwnerAllowed(owner, euid) &&
                     KeyPermissions::serverModeAllowed(owner, uint(mode), euid),
                 code.isEmpty());
        const QString path = keyFile(u"server-%1-%2-%3.key"_s.arg(mode, 0, 8).arg(owner).arg(euid), mode);
        QVERIFY(!path.isEmpty());
        const KeyPermissions checker(ownedBy(owner), euid);
        const auto result = checker.checkServerKeyFile(path);
        QCOMPARE(result.has_value(), code.isEmpty());
        if (code.isEmpty())
            return;
        QCOMPARE(result.error().code, code);
        if (code == u"pki.key-owner") {
            QCOMPARE(result.error().message,
                     u"private key file \"%1\" must be owned by the database user or root"_s.arg(path));
        } else {
            QCOMPARE(result.error().message,
                     u"private key file \"%1\" has group or world access"_s.arg(path));
            QCOMPARE(result.error().detail,
                     QStringList{u"File must have permissions u=rw (0600) or less if owned by the database "
                                 u"user, or permissions u=rw,g=r (0640) or less if owned by root."_s});
        }
    }

    // The real owner of a file this process creates, without injection.
    void realOwner()
    {
        const QString path = keyFile(u"real-0640.key"_s, 0640);
        QVERIFY(!path.isEmpty());
        const auto st = KeyPermissions::statFile(path);
        QVERIFY(st.has_value());
        QCOMPARE(st->ownerUid, uint(::geteuid()));
        QCOMPARE(st->mode, 0640u);
        const auto result = KeyPermissions().checkClientKeyFile(path);
        // libpq accepts 0640 only for root-owned files (confirmed against libpq 15).
        QCOMPARE(result.has_value(), ::geteuid() == 0);
        // The server check with this process as the database user.
        const auto server = KeyPermissions().checkServerKeyFile(path);
        QVERIFY(!server.has_value());
        QCOMPARE(server.error().code, u"pki.key-permissions"_s);

        QVERIFY(TestPki::chmod(path, 0600));
        QVERIFY(KeyPermissions().checkClientKeyFile(path).has_value());
        QVERIFY(KeyPermissions().checkServerKeyFile(path).has_value());
    }

    void missingFile()
    {
        const QString path = m_dir.filePath(u"does-not-exist.key"_s);
        const auto client = KeyPermissions().checkClientKeyFile(path);
        QVERIFY(!client);
        QCOMPARE(client.error().code, u"pki.key-missing"_s);
        QCOMPARE(client.error().message, u"certificate present, but not private key file \"%1\""_s.arg(path));
        const auto server = KeyPermissions().checkServerKeyFile(path);
        QVERIFY(!server);
        QCOMPARE(server.error().code, u"pki.key-stat-failed"_s);
        QCOMPARE(server.error().message,
                 u"could not access private key file \"%1\": No such file or directory"_s.arg(path));
    }

    void emptyPath()
    {
        const auto client = KeyPermissions().checkClientKeyFile(QString());
        QVERIFY(!client);
        QCOMPARE(client.error().code, u"pki.key-missing"_s);
        QCOMPARE(client.error().message, u"certificate present, but not private key file \"\""_s);
        QVERIFY(client.error().explanation.contains(u"No private key file path"_s));
    }

    void pathWithNul()
    {
        const QString path = keyFile(u"nul.key"_s, 0600);
        QVERIFY(!path.isEmpty());
        // A path that only names the existing file up to the NUL is not that file.
        const auto r = KeyPermissions().checkClientKeyFile(path + QChar(u'\0') + u"x"_s);
        QVERIFY(!r);
        QCOMPARE(r.error().code, u"pki.key-missing"_s);
    }

    void directory()
    {
        const QString path = m_dir.filePath(u"keydir"_s);
        QVERIFY(QDir().mkpath(path));
        QVERIFY(TestPki::chmod(path, 0700));
        for (const auto& result :
             {KeyPermissions().checkClientKeyFile(path), KeyPermissions().checkServerKeyFile(path)}) {
            QVERIFY(!result);
            QCOMPARE(result.error().code, u"pki.key-not-regular"_s);
            QCOMPARE(result.error().message, u"private key file \"%1\" is not a regular file"_s.arg(path));
        }
    }

    void deviceFile()
    {
        const auto result = KeyPermissions().checkClientKeyFile(u"/dev/null"_s);
        QVERIFY(!result);
        QCOMPARE(result.error().code, u"pki.key-not-regular"_s);
    }

    void symlinkIsFollowed()
    {
        const QString target = keyFile(u"target-0600.key"_s, 0600);
        const QString open = keyFile(u"target-0644.key"_s, 0644);
        QVERIFY(!target.isEmpty() && !open.isEmpty());
        const QString good = m_dir.filePath(u"link-good.key"_s);
        const QString bad = m_dir.filePath(u"link-bad.key"_s);
        QVERIFY(QFile::link(target, good));
        QVERIFY(QFile::link(open, bad));
        // The link's own mode (0777) does not matter: stat() follows it.
        const auto ok = KeyPermissions(ownedBy(kUser)).checkClientKeyFile(good);
        QVERIFY(ok.has_value());
        QCOMPARE(ok->mode, 0600u);
        const auto rejected = KeyPermissions(ownedBy(kUser)).checkClientKeyFile(bad);
        QVERIFY(!rejected);
        QCOMPARE(rejected.error().code, u"pki.key-permissions"_s);
        QVERIFY(rejected.error().message.contains(bad)); // libpq names the path it was given

        const QString dangling = m_dir.filePath(u"dangling.key"_s);
        QVERIFY(QFile::link(m_dir.filePath(u"nowhere"_s), dangling));
        QCOMPARE(KeyPermissions().checkClientKeyFile(dangling).error().code, u"pki.key-missing"_s);
    }

    void symlinkLoop()
    {
        const QString a = m_dir.filePath(u"loop-a.key"_s);
        const QString b = m_dir.filePath(u"loop-b.key"_s);
        QVERIFY(QFile::link(b, a));
        QVERIFY(QFile::link(a, b));
        const auto client = KeyPermissions().checkClientKeyFile(a);
        QVERIFY(!client);
        QCOMPARE(client.error().code, u"pki.key-stat-failed"_s);
        QCOMPARE(client.error().message,
                 u"could not stat private key file \"%1\": Too many levels of symbolic links"_s.arg(a));
        const auto server = KeyPermissions().checkServerKeyFile(a);
        QCOMPARE(server.error().message,
                 u"could not access private key file \"%1\": Too many levels of symbolic links"_s.arg(a));
    }

    void notADirectory()
    {
        const QString file = keyFile(u"plain.key"_s, 0600);
        QVERIFY(!file.isEmpty());
        const QString path = file + u"/sub.key"_s;
        const auto r = KeyPermissions().checkClientKeyFile(path);
        QVERIFY(!r);
        QCOMPARE(r.error().message, u"could not stat private key file \"%1\": Not a directory"_s.arg(path));
    }

    void hugePath()
    {
        const QString path = m_dir.filePath(QString(5000, u'k'));
        const auto r = KeyPermissions().checkClientKeyFile(path);
        QVERIFY(!r);
        QCOMPARE(r.error().message,
                 u"could not stat private key file \"%1\": File name too long"_s.arg(path));
    }

    void unreadableDirectory()
    {
        // EACCES from stat() needs a directory this user may not search; root bypasses modes.
        const auto injected = KeyPermissions([](const QString&) -> std::expected<KeyFileStat, int> {
                                  return std::unexpected(EACCES);
                              }).checkClientKeyFile(u"/secret/dir/client.key"_s);
        QVERIFY(!injected);
        QCOMPARE(injected.error().message,
                 u"could not stat private key file \"/secret/dir/client.key\": Permission denied"_s);

        if (::geteuid() == 0)
            QSKIP("running as root: a directory without search permission does not stop root (the injected "
                  "EACCES case above covers the message)");
        const QString dir = m_dir.filePath(u"closed"_s);
        QVERIFY(QDir().mkpath(dir));
        const QString path = dir + u"/client.key"_s;
        QVERIFY(TestPki::writeFile(path, QByteArrayLiteral("x")));
        QVERIFY(TestPki::chmod(dir, 0));
        const auto real = KeyPermissions().checkClientKeyFile(path);
        QVERIFY(TestPki::chmod(dir, 0700));
        QVERIFY(!real);
        QCOMPARE(real.error().message,
                 u"could not stat private key file \"%1\": Permission denied"_s.arg(path));
    }
};

QTEST_GUILESS_MAIN(TestKeyPermissions)
#include "tst_keypermissions.moc"
