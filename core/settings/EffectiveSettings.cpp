#include "EffectiveSettings.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace vf::settings {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::settings::EffectiveSettings)
};

} // namespace

QString EffectiveValue::displayValue() const
{
    if (!value)
        return Tr::tr("(not set)");
    if (secret)
        return value->isEmpty() ? QString() : u"********"_s;
    return *value;
}

const EffectiveValue* EffectiveSettings::find(QStringView keyword) const
{
    for (const EffectiveValue& v : m_values) {
        if (v.keyword == keyword)
            return &v;
    }
    return nullptr;
}

EffectiveValue* EffectiveSettings::findMutable(QStringView keyword)
{
    for (EffectiveValue& v : m_values) {
        if (v.keyword == keyword)
            return &v;
    }
    return nullptr;
}

std::optional<QString> EffectiveSettings::value(QStringView keyword) const
{
    const EffectiveValue* v = find(keyword);
    return v ? v->value : std::nullopt;
}

QString EffectiveSettings::valueOr(QStringView keyword, const QString& fallback) const
{
    return value(keyword).value_or(fallback);
}

ValueOrigin EffectiveSettings::origin(QStringView keyword) const
{
    const EffectiveValue* v = find(keyword);
    return v ? v->origin : ValueOrigin{};
}

std::optional<EffectiveValue> EffectiveSettings::effectiveFile(QStringView keyword) const
{
    if (const EffectiveValue* v = find(keyword); v && v->value && !v->value->isEmpty())
        return *v;
    for (const EffectiveValue& f : m_defaultFiles) {
        if (f.keyword == keyword)
            return f;
    }
    return std::nullopt;
}

} // namespace vf::settings
