#pragma once

#include <QLatin1StringView>
#include <QString>

class QSettings;

namespace vf::ui {

// The person's language choice, kept in the application's QSettings. An empty choice (the default)
// follows the system locale.
class LanguageSettings final
{
public:
    LanguageSettings() = delete;

    static constexpr QLatin1StringView kKey{"ui/language"};

    // The saved language code ("de"), or "" to follow the system.
    static QString choice(const QSettings& settings);
    // Saves a language code; "" goes back to following the system.
    static void setChoice(QSettings& settings, const QString& code);
};

} // namespace vf::ui
