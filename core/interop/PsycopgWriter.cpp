#include "PsycopgWriter.h"

#include "SourceLiteral.h"
#include "settings/ConnOptions.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

ExportResult PsycopgWriter::write(const settings::ConnInfo& info)
{
    ExportResult out;
    out.suggestedFileName = u"connect.py"_s;
    QString code = u"import psycopg\n\nwith psycopg.connect(\n"_s;
    for (const settings::ConnOptionInfo& option : settings::connOptions()) {
        const std::optional<QString> value = info.value(option.keywordString());
        if (!value)
            continue;
        if (option.isSecret())
            out.containsSecrets = true;
        code += u"    "_s + option.keywordString() + u'=' + SourceLiteral::python(*value) + u",\n"_s;
    }
    if (!info.contains(u"password"))
        code += u"    # password: libpq reads ~/.pgpass or PGPASSWORD\n"_s;
    code += u") as conn:\n    print(conn.execute(\"SELECT 1\").fetchone())\n"_s;
    out.bytes = code.toUtf8();
    if (info.hasNonUtf8Value()) {
        out.notes << tr("Some values are not valid UTF-8; Python strings cannot carry those bytes. Use the "
                        "URI (percent-encoded) instead.");
    }
    out.notes << tr("psycopg passes these settings to libpq unchanged: the libpq version psycopg uses "
                    "decides which keywords it knows (psycopg.pq.version()).");
    return out;
}

} // namespace vf::interop
