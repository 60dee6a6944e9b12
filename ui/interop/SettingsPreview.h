#pragma once

#include "interop/ImportedProfile.h"

#include <QCoreApplication>
#include <QString>

class QTreeWidget;

namespace vf::ui {

// Shows an imported profile's settings in a QTreeWidget (columns: setting, value[, from]): one row per
// keyword in libpq's order, secrets masked, the origin when known. Also the one-line summary for lists.
class SettingsPreview final
{
    Q_DECLARE_TR_FUNCTIONS(vf::ui::SettingsPreview)

public:
    SettingsPreview() = delete;

    enum class Origins
    {
        None,     // two columns
        Full,     // third column: "from PGHOST", "default file ~/.postgresql/root.crt (exists)"…
        LineOnly, // third column: "line 3" (the file is shown elsewhere)
    };

    // Replaces the rows.
    static void fill(QTreeWidget* tree, const interop::ImportedProfile& profile,
                     Origins origins = Origins::None);
    // "host=db port=5432 sslmode=verify-full …" with secrets masked, at most maxChars characters.
    static QString summary(const settings::ConnInfo& info, int maxChars = 120);
    // The error, comment and notes of a candidate, one plain-text line each.
    static QStringList noteLines(const interop::ImportedProfile& profile);
    static QString maskedValue(const QString& keyword, const QString& value);
};

} // namespace vf::ui
