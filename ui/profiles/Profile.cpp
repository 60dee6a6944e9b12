#include "Profile.h"

#include "settings/ConnOptions.h"

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

QJsonObject Profile::toJson() const
{
    QJsonObject params;
    for (const settings::ConnParam& p : conninfo.params()) {
        const settings::ConnOptionInfo* option = settings::findConnOption(p.keyword);
        if (!option || option->isSecret())
            continue;
        params.insert(p.keyword, p.value);
    }
    QJsonObject o;
    o.insert(u"id"_s, id.toString(QUuid::WithoutBraces));
    o.insert(u"name"_s, name);
    o.insert(u"params"_s, params);
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
    const QJsonValue params = o.value(u"params"_s);
    if (!params.isObject() && !params.isUndefined())
        return makeError(u"profiles.bad-entry"_s, tr("profile \"%1\" has no settings object").arg(p.name));
    const QJsonObject paramObject = params.toObject();
    for (auto it = paramObject.constBegin(); it != paramObject.constEnd(); ++it) {
        const settings::ConnOptionInfo* option = settings::findConnOption(it.key());
        if (!option || option->isSecret() || !it.value().isString())
            continue;
        p.conninfo.setValue(it.key(), it.value().toString());
    }
    const QJsonObject last = o.value(u"lastTest"_s).toObject();
    const QString result = last.value(u"result"_s).toString();
    p.lastResult = result == u"passed"   ? TestResult::Passed
                   : result == u"failed" ? TestResult::Failed
                                         : TestResult::Untested;
    p.lastTestedAt = QDateTime::fromString(last.value(u"at"_s).toString(), Qt::ISODate);
    return p;
}

} // namespace vf::ui
