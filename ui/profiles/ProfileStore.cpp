#include "ProfileStore.h"

#include "common/Version.h"
#include "settings/ConnOptions.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>

#include <cmath>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

Q_LOGGING_CATEGORY(lcStore, "vf.profiles")

const QString kFormat = u"verifyfull-profiles"_s;

// What is on disk, read once.
struct DiskState
{
    enum class Kind
    {
        Missing,    // no file
        Current,    // our format version
        Older,      // an older format version we can upgrade
        Newer,      // written by a newer VerifyFull
        Unusable,   // anything else: set aside
        Unreadable, // could not even be opened
    };
    Kind kind = Kind::Missing;
    QList<Profile> profiles; // Unusable: the entries that could be read
    int version = 0;
    qint64 revision = 0;
    QByteArray hash; // SHA-256 of the bytes
    QString problem;
};

// Format 1 stored each profile's settings as {"keyword": "value"}.
Result<Profile> profileFromV1(const QJsonObject& o)
{
    QJsonObject v2 = o;
    QJsonArray options;
    const QJsonObject params = o.value(u"params"_s).toObject();
    if (!o.value(u"params"_s).isObject() && !o.value(u"params"_s).isUndefined())
        return makeError(
            u"profiles.bad-entry"_s,
            ProfileStore::tr("profile \"%1\" has no settings object").arg(o.value(u"name"_s).toString()));
    for (auto it = params.constBegin(); it != params.constEnd(); ++it) {
        QJsonObject entry;
        entry.insert(u"keyword"_s, it.key());
        entry.insert(u"value"_s, it.value());
        options.append(entry);
    }
    v2.remove(u"params"_s);
    v2.insert(u"options"_s, options);
    return Profile::fromJson(v2);
}

DiskState readDisk(const QString& path)
{
    DiskState s;
    const QFileInfo info(path);
    if (!info.exists() && !info.isSymLink())
        return s;
    if (!info.exists()) {
        s.kind = DiskState::Kind::Unreadable;
        s.problem = ProfileStore::tr("it is a link to a file that does not exist");
        return s;
    }
    if (info.isDir()) {
        s.kind = DiskState::Kind::Unusable;
        s.problem = ProfileStore::tr("it is a folder, not a file");
        return s;
    }
    if (!info.isFile()) {
        s.kind = DiskState::Kind::Unusable;
        s.problem = ProfileStore::tr("it is not a regular file");
        return s;
    }
    if (info.size() > ProfileStore::kMaxFileSize) {
        s.kind = DiskState::Kind::Unusable;
        s.problem = ProfileStore::tr("it is too large to be a profile file (%1 MiB; the limit is %2 MiB)")
                        .arg(info.size() / (1024 * 1024))
                        .arg(ProfileStore::kMaxFileSize / (1024 * 1024));
        return s;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        s.kind = DiskState::Kind::Unreadable;
        s.problem = ProfileStore::tr("it cannot be read: %1").arg(file.errorString());
        return s;
    }
    const QByteArray data = file.read(ProfileStore::kMaxFileSize + 1);
    if (file.error() != QFileDevice::NoError) {
        s.kind = DiskState::Kind::Unreadable;
        s.problem = ProfileStore::tr("it cannot be read: %1").arg(file.errorString());
        return s;
    }
    file.close();
    s.hash = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    s.kind = DiskState::Kind::Unusable;
    if (data.size() > ProfileStore::kMaxFileSize) {
        s.problem = ProfileStore::tr("it is too large to be a profile file (the limit is %1 MiB)")
                        .arg(ProfileStore::kMaxFileSize / (1024 * 1024));
        return s;
    }
    if (data.trimmed().isEmpty()) {
        s.problem = ProfileStore::tr("it is empty");
        return s;
    }
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        s.problem =
            ProfileStore::tr("it is not valid JSON (%1 at byte %2): it may have been cut off or edited")
                .arg(parseError.errorString())
                .arg(parseError.offset);
        return s;
    }
    const QJsonObject root = doc.object();
    if (!doc.isObject() || root.value(u"format"_s).toString() != kFormat) {
        s.problem = ProfileStore::tr("it is not a VerifyFull profile file");
        return s;
    }
    const QJsonValue versionValue = root.value(u"version"_s);
    const double version = versionValue.toDouble(-1);
    if (!versionValue.isDouble() || version < 1 || version != std::floor(version) || version > 1e6) {
        s.problem = ProfileStore::tr("it has no valid format version");
        return s;
    }
    s.version = int(version);
    s.revision = qint64(root.value(u"revision"_s).toDouble(0));
    const bool newer = s.version > ProfileStore::kFormatVersion;
    if (newer) {
        // Read as far as possible, never written, never set aside.
        s.kind = DiskState::Kind::Newer;
        s.problem = ProfileStore::tr("it was written by a newer VerifyFull (format %1; this version writes "
                                     "format %2)")
                        .arg(s.version)
                        .arg(ProfileStore::kFormatVersion);
    }
    const QJsonValue profiles = root.value(u"profiles"_s);
    if (!profiles.isArray() && !profiles.isUndefined()) {
        if (!newer)
            s.problem = ProfileStore::tr("its list of profiles is not a list");
        return s;
    }

    // Entries: every good one is kept, the first problem is reported.
    QString entryProblem;
    QSet<QUuid> ids;
    const QJsonArray array = profiles.toArray();
    for (const QJsonValue& v : array) {
        auto p = s.version == 1 ? profileFromV1(v.toObject()) : Profile::fromJson(v.toObject());
        if (!p) {
            if (entryProblem.isEmpty())
                entryProblem = p.error().message;
            continue;
        }
        if (ids.contains(p->id)) {
            if (entryProblem.isEmpty())
                entryProblem = ProfileStore::tr("two profiles have the same id %1")
                                   .arg(p->id.toString(QUuid::WithoutBraces));
            continue;
        }
        ids.insert(p->id);
        s.profiles << *p;
    }
    if (newer)
        return s;
    if (!entryProblem.isEmpty()) {
        s.problem = ProfileStore::tr("an entry cannot be read: %1").arg(entryProblem);
        return s;
    }
    s.kind = s.version < ProfileStore::kFormatVersion ? DiskState::Kind::Older : DiskState::Kind::Current;
    s.problem.clear();
    return s;
}

QJsonArray toArray(const QList<Profile>& profiles)
{
    QJsonArray array;
    for (const Profile& p : profiles)
        array.append(p.toJson());
    return array;
}

// The same profiles with the same content, in any order.
bool sameContent(const QList<Profile>& a, const QList<Profile>& b)
{
    if (a.size() != b.size())
        return false;
    QHash<QUuid, QJsonObject> byId;
    for (const Profile& p : b)
        byId.insert(p.id, p.toJson());
    for (const Profile& p : a) {
        const auto it = byId.constFind(p.id);
        if (it == byId.cend() || *it != p.toJson())
            return false;
    }
    return true;
}

QString timestamp()
{
    return QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-HHmmss"_s);
}

// "<path><suffix>", or with "-2", "-3"… when that exists already.
QString unusedPath(const QString& path, const QString& suffix)
{
    QString candidate = path + suffix;
    for (int n = 2; QFileInfo(candidate).exists() || QFileInfo(candidate).isSymLink(); ++n)
        candidate = path + suffix + u'-' + QString::number(n);
    return candidate;
}

// The profile with the more recent of the two last tests.
Profile withNewerTest(Profile target, const Profile& other)
{
    if (other.lastTestedAt.isValid() &&
        (!target.lastTestedAt.isValid() || other.lastTestedAt > target.lastTestedAt)) {
        target.lastResult = other.lastResult;
        target.lastTestedAt = other.lastTestedAt;
    }
    return target;
}

// The other side's settings with this session's secrets.
Profile theirsWithMySecrets(const Profile& theirs, const Profile& mine)
{
    Profile out = theirs;
    for (const SecretKind kind : kSecretKinds)
        out.setSecret(kind, mine.secret(kind));
    return out;
}

struct Merge
{
    QList<Profile> profiles;
    QList<ProfileStore::Conflict> conflicts;
};

// Three-way merge of this side's list and the file's, both descended from `base`.
Merge merge(const QList<Profile>& base, const QList<Profile>& mine, const QList<Profile>& theirs)
{
    QHash<QUuid, const Profile*> baseById;
    QHash<QUuid, const Profile*> mineById;
    QHash<QUuid, const Profile*> theirsById;
    for (const Profile& p : base)
        baseById.insert(p.id, &p);
    for (const Profile& p : mine)
        mineById.insert(p.id, &p);
    for (const Profile& p : theirs)
        theirsById.insert(p.id, &p);

    Merge out;
    auto keepBoth = [&out](const Profile& m, const Profile& t) {
        out.profiles << m;
        Profile copy = t;
        copy.id = QUuid::createUuid();
        copy.name = ProfileStore::tr("%1 (conflict)").arg(t.name);
        out.profiles << copy;
        out.conflicts << ProfileStore::Conflict{m.id, copy.id, copy.name};
    };
    for (const Profile& m : mine) {
        const Profile* b = baseById.value(m.id);
        const Profile* t = theirsById.value(m.id);
        if (!t) {
            // New here, or deleted there: a deletion there wins unless it was edited here.
            if (!b || !m.sameSettings(*b))
                out.profiles << m;
            continue;
        }
        const bool changedHere = !b || !m.sameSettings(*b);
        const bool changedThere = !b || !t->sameSettings(*b);
        if (!changedThere || m.sameSettings(*t))
            out.profiles << withNewerTest(m, *t);
        else if (!changedHere)
            out.profiles << withNewerTest(theirsWithMySecrets(*t, m), m);
        else
            keepBoth(m, *t);
    }
    for (const Profile& t : theirs) {
        if (mineById.contains(t.id))
            continue;
        const Profile* b = baseById.value(t.id);
        // New there, or deleted here: a deletion here wins unless it was edited there.
        if (!b || !t.sameSettings(*b))
            out.profiles << t;
    }
    return out;
}

} // namespace

struct ProfileStore::State
{
    QString path;
    QList<Profile> base; // the profiles as this store last read or wrote them
    QByteArray baseHash; // that file's SHA-256 (empty: there was no file)
    qint64 revision = 0;
    bool readOnly = false;
    bool broken = false; // the file can neither be read nor set aside: never written
    QString problem;
};

ProfileStore::ProfileStore(QString path)
    : d(std::make_shared<State>())
{
    d->path = std::move(path);
}

QString ProfileStore::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(u"profiles.json"_s);
}

const QString& ProfileStore::path() const
{
    return d->path;
}

QString ProfileStore::lockPath() const
{
    return d->path + u".lock"_s;
}

bool ProfileStore::isReadOnly() const
{
    return d->readOnly;
}

namespace {

// The critical section: held while the file is read, merged and written.
class WriteLock
{
public:
    explicit WriteLock(const QString& path)
        : m_path(path)
        , m_lock(path)
    {
        m_lock.setStaleLockTime(10000); // a crashed instance's lock is taken over after 10 s
    }
    Result<void> acquire(const QString& filePath)
    {
        const QString dir = QFileInfo(filePath).absolutePath();
        if (!QDir().mkpath(dir))
            return makeError(u"profiles.unwritable"_s,
                             ProfileStore::tr("could not create the folder \"%1\"").arg(dir),
                             ProfileStore::tr("Check the folder's permissions; the profiles are not saved."));
        if (m_lock.tryLock(ProfileStore::kLockTimeoutMs))
            return {};
        if (m_lock.error() != QLockFile::LockFailedError)
            return makeError(u"profiles.unwritable"_s,
                             ProfileStore::tr("could not create the lock file \"%1\"")
                                 .arg(QDir::toNativeSeparators(m_path)),
                             ProfileStore::tr("Check the folder's permissions; the profiles are not saved."));
        return makeError(
            u"profiles.locked"_s,
            ProfileStore::tr("\"%1\" stayed locked by another VerifyFull")
                .arg(QDir::toNativeSeparators(filePath)),
            ProfileStore::tr(
                "Another running VerifyFull is writing its profiles; they are saved again shortly."));
    }

private:
    QString m_path;
    QLockFile m_lock;
};

struct Written
{
    QByteArray hash;
};

Result<Written> writeFile(const QString& path, const QList<Profile>& profiles, qint64 revision)
{
    QJsonObject root;
    root.insert(u"format"_s, kFormat);
    root.insert(u"version"_s, ProfileStore::kFormatVersion);
    root.insert(u"revision"_s, double(revision));
    root.insert(u"savedBy"_s, u"VerifyFull %1"_s.arg(QString::fromLatin1(vf::kVersion)));
    root.insert(u"savedAt"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    root.insert(u"profiles"_s, toArray(profiles));
    const QByteArray data = QJsonDocument(root).toJson(QJsonDocument::Indented);

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"profiles.unwritable"_s,
                         ProfileStore::tr("could not write \"%1\": %2")
                             .arg(QDir::toNativeSeparators(path), file.errorString()),
                         ProfileStore::tr("Check the folder's permissions; the previous file is unchanged."));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (file.write(data) != data.size() || !file.commit())
        return makeError(
            u"profiles.unwritable"_s,
            ProfileStore::tr("could not write \"%1\": %2")
                .arg(QDir::toNativeSeparators(path), file.errorString()),
            ProfileStore::tr(
                "Check the free space and the folder's permissions; the previous file is unchanged."));
    return Written{QCryptographicHash::hash(data, QCryptographicHash::Sha256)};
}

} // namespace

Result<ProfileStore::Outcome> ProfileStore::load() const
{
    WriteLock lock(lockPath());
    if (auto locked = lock.acquire(d->path); !locked)
        return std::unexpected(locked.error());

    const DiskState disk = readDisk(d->path);
    Outcome out;
    out.fileVersion = disk.version;
    d->readOnly = false;
    d->broken = false;
    d->problem.clear();
    switch (disk.kind) {
    case DiskState::Kind::Missing:
        d->base.clear();
        d->baseHash.clear();
        d->revision = 0;
        return out;
    case DiskState::Kind::Current:
        d->base = disk.profiles;
        d->baseHash = disk.hash;
        d->revision = disk.revision;
        out.profiles = disk.profiles;
        return out;
    case DiskState::Kind::Newer:
        d->readOnly = true;
        d->problem = disk.problem;
        d->base = disk.profiles;
        d->baseHash = disk.hash;
        d->revision = disk.revision;
        out.profiles = disk.profiles;
        out.readOnly = true;
        out.problem = disk.problem;
        qCInfo(lcStore) << "newer profile file, opened read-only:" << d->path;
        return out;
    case DiskState::Kind::Older: {
        out.profiles = disk.profiles;
        const QString backup = unusedPath(d->path, u".v%1-backup"_s.arg(disk.version));
        if (!QFile::copy(d->path, backup)) {
            // Without a copy of the old file it is not replaced.
            d->readOnly = true;
            d->problem = tr("it is in the older format %1, and a copy could not be kept as \"%2\" before "
                            "upgrading it")
                             .arg(disk.version)
                             .arg(QDir::toNativeSeparators(backup));
            d->base = disk.profiles;
            d->baseHash = disk.hash;
            out.readOnly = true;
            out.problem = d->problem;
            return out;
        }
        QFile::setPermissions(backup, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        const auto written = writeFile(d->path, disk.profiles, disk.revision + 1);
        if (!written)
            return std::unexpected(written.error());
        d->base = disk.profiles;
        d->baseHash = written->hash;
        d->revision = disk.revision + 1;
        out.migratedFrom = disk.version;
        out.backupPath = backup;
        out.written = true;
        qCInfo(lcStore) << "profile file upgraded from format" << disk.version << "; old file kept as"
                        << backup;
        return out;
    }
    case DiskState::Kind::Unusable:
    case DiskState::Kind::Unreadable:
        break;
    }

    // Set aside, then start again from what could be read.
    const QString aside = unusedPath(d->path, u".corrupt-"_s + timestamp());
    if (!QFile::rename(d->path, aside)) {
        d->broken = true;
        d->problem = disk.problem;
        return makeError(u"profiles.unreadable"_s,
                         tr("could not read the profiles in \"%1\": %2")
                             .arg(QDir::toNativeSeparators(d->path), disk.problem),
                         tr("It could not be moved aside either, so it is left as it is and nothing is saved "
                            "over it. Move or repair the file, then start VerifyFull again."));
    }
    qCWarning(lcStore) << "unusable profile file set aside as" << aside;
    out.setAsidePath = aside;
    out.problem = disk.problem;
    out.profiles = disk.profiles;
    d->base.clear();
    d->baseHash.clear();
    d->revision = disk.revision;
    if (!disk.profiles.isEmpty()) {
        const auto written = writeFile(d->path, disk.profiles, disk.revision + 1);
        if (!written)
            return std::unexpected(written.error());
        d->base = disk.profiles;
        d->baseHash = written->hash;
        d->revision = disk.revision + 1;
        out.written = true;
    }
    return out;
}

Result<ProfileStore::Outcome> ProfileStore::save(const QList<Profile>& profiles) const
{
    if (d->broken)
        return makeError(u"profiles.unreadable"_s,
                         tr("the profiles are not saved: \"%1\" could not be read and is left as it is")
                             .arg(QDir::toNativeSeparators(d->path)),
                         d->problem);
    if (d->readOnly)
        return makeError(
            u"profiles.read-only"_s,
            tr("the profiles are not saved: \"%1\" is open read-only").arg(QDir::toNativeSeparators(d->path)),
            d->problem);

    WriteLock lock(lockPath());
    if (auto locked = lock.acquire(d->path); !locked)
        return std::unexpected(locked.error());

    const DiskState disk = readDisk(d->path);
    Outcome out;
    out.fileVersion = disk.version;
    out.profiles = profiles;
    QList<Profile> onDisk;
    switch (disk.kind) {
    case DiskState::Kind::Missing:
        break; // first save, or deleted meanwhile: nothing to merge (and nothing lost by writing)
    case DiskState::Kind::Current:
    case DiskState::Kind::Older:
        onDisk = disk.profiles;
        if (disk.hash != d->baseHash) {
            Merge merged = merge(d->base, profiles, disk.profiles);
            out.profiles = std::move(merged.profiles);
            out.conflicts = std::move(merged.conflicts);
            out.changedElsewhere = true;
        }
        if (disk.kind == DiskState::Kind::Older) {
            // An older VerifyFull wrote it meanwhile: keep its file too.
            const QString backup = unusedPath(d->path, u".v%1-backup"_s.arg(disk.version));
            if (!QFile::copy(d->path, backup))
                return makeError(u"profiles.unwritable"_s,
                                 tr("could not keep a copy of the older profile file as \"%1\"")
                                     .arg(QDir::toNativeSeparators(backup)),
                                 tr("The file is left as it is; the profiles are not saved."));
            out.backupPath = backup;
        }
        break;
    case DiskState::Kind::Newer:
        d->readOnly = true;
        d->problem = disk.problem;
        return makeError(u"profiles.read-only"_s,
                         tr("the profiles are not saved: a newer VerifyFull wrote \"%1\"")
                             .arg(QDir::toNativeSeparators(d->path)),
                         disk.problem);
    case DiskState::Kind::Unusable:
    case DiskState::Kind::Unreadable: {
        const QString aside = unusedPath(d->path, u".corrupt-"_s + timestamp());
        if (!QFile::rename(d->path, aside)) {
            d->broken = true;
            d->problem = disk.problem;
            return makeError(u"profiles.unreadable"_s,
                             tr("could not read the profiles in \"%1\": %2")
                                 .arg(QDir::toNativeSeparators(d->path), disk.problem),
                             tr("It could not be moved aside either, so nothing is saved over it."));
        }
        qCWarning(lcStore) << "unusable profile file set aside as" << aside;
        out.setAsidePath = aside;
        out.problem = disk.problem;
        break;
    }
    }

    const bool upToDate = disk.kind == DiskState::Kind::Current && sameContent(out.profiles, onDisk);
    if (!upToDate) {
        const qint64 revision = std::max(d->revision, disk.revision) + 1;
        const auto written = writeFile(d->path, out.profiles, revision);
        if (!written)
            return std::unexpected(written.error());
        d->baseHash = written->hash;
        d->revision = revision;
        out.written = true;
    } else {
        d->baseHash = disk.hash;
        d->revision = disk.revision;
    }
    d->base = out.profiles;
    return out;
}

Result<ProfileStore::Outcome> ProfileStore::sync(const QList<Profile>& profiles) const
{
    Outcome out;
    out.profiles = profiles;
    if (d->broken || d->readOnly)
        return out;
    const DiskState disk = readDisk(d->path);
    out.fileVersion = disk.version;
    switch (disk.kind) {
    case DiskState::Kind::Missing:
        out.needsSave = !profiles.isEmpty();
        return out;
    case DiskState::Kind::Current:
    case DiskState::Kind::Older: {
        if (disk.hash == d->baseHash)
            return out;
        Merge merged = merge(d->base, profiles, disk.profiles);
        out.profiles = std::move(merged.profiles);
        out.conflicts = std::move(merged.conflicts);
        out.changedElsewhere = true;
        out.needsSave = disk.kind == DiskState::Kind::Older || !sameContent(out.profiles, disk.profiles);
        d->base = disk.profiles;
        d->baseHash = disk.hash;
        d->revision = disk.revision;
        return out;
    }
    case DiskState::Kind::Newer:
        d->readOnly = true;
        d->problem = disk.problem;
        out.readOnly = true;
        out.problem = disk.problem;
        return out;
    case DiskState::Kind::Unusable:
    case DiskState::Kind::Unreadable:
        break;
    }
    // Someone left an unusable file: set it aside and write ours.
    return save(profiles);
}

} // namespace vf::ui
