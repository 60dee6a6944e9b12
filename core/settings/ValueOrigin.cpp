#include "ValueOrigin.h"

using namespace Qt::StringLiterals;

namespace vf::settings {

QString ValueOrigin::label() const
{
    switch (source) {
    case ValueSource::Unset:
        return u"not set"_s;
    case ValueSource::Typed:
        return u"typed"_s;
    case ValueSource::Uri:
        return u"from the URI"_s;
    case ValueSource::ServiceFile:
        return u"from service file "_s + displayPath + u" ["_s + service + u']';
    case ValueSource::Environment:
        return u"from "_s + variable;
    case ValueSource::RequireSslEnv:
        return u"from "_s + variable + u"=1"_s;
    case ValueSource::CompiledDefault:
        return u"default"_s;
    case ValueSource::OsUser:
        return u"default (operating-system user name)"_s;
    case ValueSource::SameAsUser:
        return u"default (same as the user name)"_s;
    case ValueSource::SystemRoots:
        return u"default, raised to verify-full by sslrootcert=system"_s;
    case ValueSource::DefaultFile:
        return u"default file "_s + displayPath + (fileExists ? u" (exists)"_s : u" (missing)"_s);
    }
    return {};
}

QString ValueOrigin::detailedLabel() const
{
    if (source == ValueSource::ServiceFile && line > 0)
        return label() + u", line "_s + QString::number(line);
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
