#include "LanguageSettings.h"

#include <QSettings>

namespace vf::ui {

QString LanguageSettings::choice(const QSettings& settings)
{
    return settings.value(kKey).toString().trimmed();
}

void LanguageSettings::setChoice(QSettings& settings, const QString& code)
{
    if (code.isEmpty())
        settings.remove(kKey);
    else
        settings.setValue(kKey, code);
}

} // namespace vf::ui
