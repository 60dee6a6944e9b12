#include "PsqlCommandWriter.h"

#include "SourceLiteral.h"
#include "settings/ConnOptions.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

ExportResult PsqlCommandWriter::write(const settings::ConnInfo& info)
{
    ExportResult out;
    out.suggestedFileName = u"connect.sh"_s;
    settings::ConnInfo rest; // settings without an environment variable
    QByteArray command;
    for (const settings::ConnOptionInfo& option : settings::connOptions()) {
        const std::optional<QByteArray> value = info.valueBytes(option.keywordString());
        if (!value)
            continue;
        if (option.isSecret())
            out.containsSecrets = true;
        if (option.envVar == nullptr) {
            rest.setValueBytes(option.keywordString(), *value);
            continue;
        }
        command += QByteArrayView(option.envVar) + '=' + SourceLiteral::shell(*value) + " \\\n";
    }
    command += "psql";
    if (!rest.isEmpty())
        command += ' ' + SourceLiteral::shell(rest.toKeywordValueBytes(true));
    out.bytes = command;

    if (info.contains(u"password")) {
        out.notes << tr("The password is in PGPASSWORD: it stays in your shell history and is visible to "
                        "programs that can read this process's environment. A ~/.pgpass line is safer.");
    }
    out.notes << tr("Written for sh, bash and zsh. Add psql's own options (-c, -f…) at the end.");
    return out;
}

} // namespace vf::interop
