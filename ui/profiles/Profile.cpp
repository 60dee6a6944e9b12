#include "Profile.h"

#include "settings/ConnOptions.h"

#include <QJsonArray>
#include <QJsonValue>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

QString resultKey(Profile::TestResult r)
{
    switch (r) {
    case Profile::TestResult::Passed:
        return u"passed"_s;
    case Profile::TestResult::Failed:
        return u"failed"_s;
    case Profile::TestResult::Untested:
        break;
    }
    return u"untested"_s;
}

} // namespace

Profile Profile::createNew(const QString& name)
{
    Profile p;
    p.id = QUuid::createUuid();
    p.name = name;
    p.conninfo.setValue(u"sslmode"_s, u"verify-full"_s);
    return p;
}

Profile Profile::duplicated(const QString& newName) const
{
    Profile p = *this;
    p.id = QUuid::createUuid();
    p.name = newName;
    p.lastResult = TestResult::Untested;
    p.lastTestedAt = {};
    return p;
}

QString Profile::summary() const
{
    const QString host = conninfo.value(u"host").value_or(conninfo.value(u"hostaddr").value_or(QString()));
    const QString user = conninfo.value(u"user").value_or(QString());
    const QString port = conninfo.value(u"port").value_or(QString());
    const QString db = conninfo.value(u"dbname").value_or(QString());
    QString out;
    if (!user.isEmpty())
        out += user + u'@';
    out += host.isEmpty() ? tr("(local socket)") : host;
    if (!port.isEmpty())
        out += u':' + port;
    if (!db.isEmpty())
        out += u'/' + db;
    return out;
}

QString Profile::sslmode() const
{
    return conninfo.value(u"sslmode").value_or(QString());
}

QString Profile::resultLabel(TestResult result)
{
    switch (result) {
    case TestResult::Passed:
        return tr("passed");
    case TestResult::Failed:
        return tr("failed");
    case TestResult::Untested:
        break;
    }
    return tr("not tested");
}

bool Profile::remembers(SecretKind kind) const
{
    return kind == SecretKind::Password ? rememberPassword : rememberKeyPassword;
}

void Profile::setRemembers(SecretKind kind, bool remember)
{
    (kind == SecretKind::Password ? rememberPassword : rememberKeyPassword) = remember;
}

QString Profile::secret(SecretKind kind) const
{
    return conninfo.value(secretKeyword(kind)).value_or(QString());
}

void Profile::setSecret(SecretKind kind, const QString& value)
{
    if (value.isEmpty())
        conninfo.remove(secretKeyword(kind));
    else
        conninfo.setValue(secretKeyword(kind), value);
}

bool Profile::sameSettings(const Profile& other) const
{
    QJsonObject a = toJson();
    QJsonObject b = other.toJson();
    a.remove(u"lastTest"_s);
    b.remove(u"lastTest"_s);
    return a == b;
}

QJsonObject Profile::toJson() const
{
    QJsonArray options;
    for (const settings::ConnParam& p : conninfo.params()) {
        const settings::ConnOptionInfo* option = settings::findConnOption(p.keyword);
        if (!option || option->isSecret())
            continue;
        QJsonObject entry;
        entry.insert(u"keyword"_s, p.keyword);
        const QByteArray bytes = conninfo.valueBytes(p.keyword).value_or(QByteArray());
        if (QString::fromUtf8(bytes).toUtf8() == bytes)
            entry.insert(u"value"_s, p.value);
        else
            entry.insert(u"valueBase64"_s, QString::fromLatin1(bytes.toBase64()));
        options.append(entry);
    }
    QJsonArray remember;
    for (const SecretKind kind : kSecretKinds) {
        if (remembers(kind))
            remember.append(secretKeyword(kind));
    }
    QJsonObject o;
    o.insert(u"id"_s, id.toString(QUuid::WithoutBraces));
    o.insert(u"name"_s, name);
    o.insert(u"options"_s, options);
    o.insert(u"keychain"_s, remember);
    QJsonObject last;
    last.insert(u"result"_s, resultKey(lastResult));
    if (lastTestedAt.isValid())
        last.insert(u"at"_s, lastTestedAt.toUTC().toString(Qt::ISODate));
    o.insert(u"lastTest"_s, last);
    return o;
}

Result<Profile> Profile::fromJson(const QJsonObject& o)
{
    Profile p;
    p.id = QUuid::fromString(o.value(u"id"_s).toString());
    if (p.id.isNull())
        return makeError(u"profiles.bad-entry"_s, tr("a profile has no valid id"),
                         tr("The entry was written by another program or edited by hand."));
    p.name = o.value(u"name"_s).toString();
    const QJsonValue options = o.value(u"options"_s);
    if (!options.isArray() && !options.isUndefined())
        return makeError(u"profiles.bad-entry"_s, tr("profile \"%1\" has no list of settings").arg(p.name));
    const QJsonArray optionArray = options.toArray();
    for (const QJsonValue& v : optionArray) {
        const QJsonObject entry = v.toObject();
        const QString keyword = entry.value(u"keyword"_s).toString();
        const settings::ConnOptionInfo* option = settings::findConnOption(keyword);
        if (!option || option->isSecret())
            continue; // unknown to this libpq, or a secret that has no place in the file
        if (const QJsonValue text = entry.value(u"value"_s); text.isString()) {
            p.conninfo.setValue(keyword, text.toString());
        } else if (const QJsonValue base64 = entry.value(u"valueBase64"_s); base64.isString()) {
            const auto decoded = QByteArray::fromBase64Encoding(base64.toString().toLatin1(),
                                                                QByteArray::AbortOnBase64DecodingErrors);
            if (decoded)
                p.conninfo.setValueBytes(keyword, *decoded);
        }
    }
    const QJsonArray remember = o.value(u"keychain"_s).toArray();
    for (const SecretKind kind : kSecretKinds)
        p.setRemembers(kind, remember.contains(QJsonValue(secretKeyword(kind))));
    const QJsonObject last = o.value(u"lastTest"_s).toObject();
    const QString result = last.value(u"result"_s).toString();
    p.lastResult = result == u"passed"   ? TestResult::Passed
                   : result == u"failed" ? TestResult::Failed
                                         : TestResult::Untested;
    p.lastTestedAt = QDateTime::fromString(last.value(u"at"_s).toString(), Qt::ISODate);
    return p;
}

} // namespace vf::ui
