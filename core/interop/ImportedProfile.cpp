#include "ImportedProfile.h"

#include "settings/ConnOptions.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

bool ImportedProfile::hasSecrets() const
{
    const QList<settings::ConnParam> params = conninfo.params();
    for (const settings::ConnParam& p : params) {
        const settings::ConnOptionInfo* option = settings::findConnOption(p.keyword);
        if (option != nullptr && option->isSecret())
            return true;
    }
    return false;
}

const settings::ValueOrigin* ImportedProfile::originOf(QStringView keyword) const
{
    for (const ImportedValue& v : origins) {
        if (v.keyword == keyword)
            return &v.origin;
    }
    return nullptr;
}

QString ImportedProfile::nameFor(const settings::ConnInfo& info)
{
    const QString service = info.value(u"service").value_or(QString());
    QString host = info.value(u"host").value_or(QString());
    if (host.isEmpty())
        host = info.value(u"hostaddr").value_or(QString());
    if (host.contains(u','))
        host = host.section(u',', 0, 0);
    const QString dbname = info.value(u"dbname").value_or(QString());
    const QString user = info.value(u"user").value_or(QString());

    if (host.isEmpty() && !service.isEmpty())
        return tr("service %1").arg(service);
    if (host.isEmpty() || host.startsWith(u'/') || host.startsWith(u'@'))
        host = tr("local socket");
    if (!dbname.isEmpty())
        return tr("%1 on %2").arg(dbname, host);
    if (!user.isEmpty())
        return u"%1@%2"_s.arg(user, host);
    return host;
}

} // namespace vf::interop
