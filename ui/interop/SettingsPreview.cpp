#include "SettingsPreview.h"

#include "settings/ConnOptions.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QTreeWidget>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace vf::ui {

QString SettingsPreview::maskedValue(const QString& keyword, const QString& value)
{
    const settings::ConnOptionInfo* option = settings::findConnOption(keyword);
    if (option != nullptr && option->isSecret())
        return value.isEmpty() ? tr("(empty)") : tr("•••••• (hidden)");
    if (value.isEmpty())
        return tr("(empty)");
    return value;
}

void SettingsPreview::fill(QTreeWidget* tree, const interop::ImportedProfile& profile, Origins origins)
{
    tree->clear();
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    const QList<settings::ConnParam> params = profile.conninfo.params();
    for (const settings::ConnParam& p : params) {
        auto* item = new QTreeWidgetItem(tree);
        item->setText(0, p.keyword);
        // One line per value: a newline in a value shows as "⏎".
        QString shown = maskedValue(p.keyword, p.value);
        shown.replace(u'\n', u'⏎');
        item->setText(1, shown);
        item->setFont(1, mono);
        item->setToolTip(1, shown);
        if (const settings::ValueOrigin* origin = profile.originOf(p.keyword)) {
            if (origins == Origins::Full)
                item->setText(2, origin->detailedLabel());
            else if (origins == Origins::LineOnly && origin->line > 0)
                item->setText(2, tr("line %1").arg(origin->line));
            item->setToolTip(2, origin->detailedLabel());
        }
    }
    tree->resizeColumnToContents(0);
    if (tree->columnCount() > 2) {
        tree->resizeColumnToContents(1);
        tree->setColumnWidth(1, std::min(tree->columnWidth(1) + 12, std::max(tree->width() / 2, 120)));
    }
}

QString SettingsPreview::summary(const settings::ConnInfo& info, int maxChars)
{
    // Where it connects first, then the rest in libpq's order.
    static const QStringList kFirst = {u"host"_s,   u"hostaddr"_s, u"port"_s,
                                       u"dbname"_s, u"user"_s,     u"sslmode"_s};
    QList<settings::ConnParam> params = info.params();
    std::stable_sort(params.begin(), params.end(),
                     [](const settings::ConnParam& a, const settings::ConnParam& b) {
                         const qsizetype ia = kFirst.indexOf(a.keyword);
                         const qsizetype ib = kFirst.indexOf(b.keyword);
                         return (ia < 0 ? kFirst.size() : ia) < (ib < 0 ? kFirst.size() : ib);
                     });
    QStringList parts;
    for (const settings::ConnParam& p : std::as_const(params)) {
        const settings::ConnOptionInfo* option = settings::findConnOption(p.keyword);
        parts << p.keyword + u'=' + (option != nullptr && option->isSecret() ? u"••••"_s : p.value);
    }
    QString out = parts.join(u' ');
    out.replace(u'\n', u'⏎');
    if (out.size() > maxChars)
        out = out.left(maxChars - 1) + u'…';
    return out.isEmpty() ? tr("(no settings)") : out;
}

QStringList SettingsPreview::noteLines(const interop::ImportedProfile& profile)
{
    QStringList out;
    if (profile.error) {
        out << profile.error->message;
        if (!profile.error->explanation.isEmpty())
            out << profile.error->explanation;
    }
    if (!profile.comment.isEmpty())
        out << tr("Comment: %1").arg(profile.comment);
    out << profile.notes;
    return out;
}

} // namespace vf::ui
