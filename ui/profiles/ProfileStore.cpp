#include "ProfileStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>
#include <QStandardPaths>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

constexpr qint64 kMaxFileSize = 64LL * 1024 * 1024;
const QString kFormat = u"verifyfull-profiles"_s;

} // namespace

ProfileStore::ProfileStore(QString path)
    : m_path(std::move(path))
{}

QString ProfileStore::defaultPath()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation))
        .filePath(u"profiles.json"_s);
}

Result<QList<Profile>> ProfileStore::load() const
{
    QFile file(m_path);
    if (!file.exists())
        return QList<Profile>{};
    if (!file.open(QIODevice::ReadOnly))
        return makeError(u"profiles.unreadable"_s,
                         tr("could not read \"%1\": %2").arg(m_path, file.errorString()),
                         tr("Check the file's permissions. The profiles are not shown, and the file is left "
                            "as it is."));
    if (file.size() > kMaxFileSize)
        return makeError(u"profiles.unreadable"_s,
                         tr("\"%1\" is too large to be a profile file").arg(m_path));
    const QByteArray data = file.readAll();
    file.close();

    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(data, &parseError);
    QString problem;
    if (parseError.error != QJsonParseError::NoError)
        problem = tr("%1 at offset %2").arg(parseError.errorString()).arg(parseError.offset);
    else if (!doc.isObject() || doc.object().value(u"format"_s).toString() != kFormat)
        problem = tr("not a VerifyFull profile file");
    else if (doc.object().value(u"version"_s).toInt() > kFormatVersion)
        problem =
            tr("written by a newer VerifyFull (format %1)").arg(doc.object().value(u"version"_s).toInt());

    QList<Profile> out;
    if (problem.isEmpty()) {
        const QJsonArray array = doc.object().value(u"profiles"_s).toArray();
        for (const QJsonValue& v : array) {
            auto p = Profile::fromJson(v.toObject());
            if (!p) {
                problem = p.error().message;
                break;
            }
            out << *p;
        }
    }
    if (problem.isEmpty())
        return out;

    const QString backup =
        m_path + u".corrupt-"_s + QDateTime::currentDateTimeUtc().toString(u"yyyyMMdd-hhmmss"_s);
    const bool copied = QFile::copy(m_path, backup);
    return makeError(
        u"profiles.corrupt"_s, tr("could not read the profiles in \"%1\": %2").arg(m_path, problem),
        copied ? tr("The file was kept as \"%1\"; new profiles start from an empty list.").arg(backup)
               : tr("The file could not be copied aside; it is left as it is."));
}

Result<void> ProfileStore::save(const QList<Profile>& profiles) const
{
    QJsonArray array;
    for (const Profile& p : profiles)
        array.append(p.toJson());
    QJsonObject root;
    root.insert(u"format"_s, kFormat);
    root.insert(u"version"_s, kFormatVersion);
    root.insert(u"profiles"_s, array);

    const QFileInfo info(m_path);
    if (!QDir().mkpath(info.absolutePath()))
        return makeError(u"profiles.unwritable"_s,
                         tr("could not create the folder \"%1\"").arg(info.absolutePath()));
    QSaveFile file(m_path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(u"profiles.unwritable"_s,
                         tr("could not write \"%1\": %2").arg(m_path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return makeError(
            u"profiles.unwritable"_s, tr("could not write \"%1\": %2").arg(m_path, file.errorString()),
            tr("Check the free space and the folder's permissions; the previous file is unchanged."));
    return {};
}

} // namespace vf::ui
