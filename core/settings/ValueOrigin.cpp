#include "ValueOrigin.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace vf::settings {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::settings::ValueOrigin)
};

} // namespace

QString ValueOrigin::label() const
{
    switch (source) {
    case ValueSource::Unset:
        return Tr::tr("not set");
    case ValueSource::Typed:
        return Tr::tr("typed");
    case ValueSource::Uri:
        return Tr::tr("from the URI");
    case ValueSource::ServiceFile:
        return Tr::tr("from service file %1 [%2]").arg(displayPath, service);
    case ValueSource::Environment:
        return Tr::tr("from %1").arg(variable);
    case ValueSource::RequireSslEnv:
        return Tr::tr("from %1=1").arg(variable);
    case ValueSource::CompiledDefault:
        return Tr::tr("default");
    case ValueSource::OsUser:
        return Tr::tr("default (operating-system user name)");
    case ValueSource::SameAsUser:
        return Tr::tr("default (same as the user name)");
    case ValueSource::SystemRoots:
        return Tr::tr("default, raised to verify-full by sslrootcert=system");
    case ValueSource::DefaultFile:
        return (fileExists ? Tr::tr("default file %1 (exists)") : Tr::tr("default file %1 (missing)"))
            .arg(displayPath);
    }
    return {};
}

QString ValueOrigin::detailedLabel() const
{
    if (source == ValueSource::ServiceFile && line > 0)
        return Tr::tr("%1, line %2").arg(label(), QString::number(line));
    return label();
}

QString displayPath(const QString& path, const QString& home)
{
    if (home.isEmpty() || home == u"/")
        return path;
    QString prefix = home;
    while (prefix.size() > 1 && prefix.endsWith(u'/'))
        prefix.chop(1);
    if (path.startsWith(prefix + u'/'))
        return u"~"_s + path.mid(prefix.size());
    return path;
}

} // namespace vf::settings
