#include "ServiceSectionWriter.h"

#include "settings/ConnOptions.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

// libpq reads service files with fgets() into char buf[1024]: a line (newline included) must be
// shorter than 1023 bytes.
constexpr qsizetype kMaxLineBytes = 1022;

bool isCSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

} // namespace

Result<void> ServiceSectionWriter::checkServiceName(const QString& name)
{
    const QByteArray bytes = name.toUtf8();
    QString problem;
    if (bytes.isEmpty())
        problem = tr("The name is empty.");
    else if (bytes.contains(']'))
        problem = tr("The name contains \"]\", which ends a section header.");
    else if (bytes.contains('\n') || bytes.contains('\r') || bytes.contains('\0'))
        problem = tr("The name contains a line break.");
    else if (isCSpace(bytes.front()) || isCSpace(bytes.back()))
        problem = tr("The name starts or ends with white space.");
    else if (bytes.size() + 3 > kMaxLineBytes)
        problem = tr("The name is too long for libpq's line buffer.");
    if (problem.isEmpty())
        return {};
    return makeError(u"interop.service-name"_s, tr("\"%1\" cannot be a service name").arg(name), problem);
}

QString ServiceSectionWriter::suggestServiceName(const QString& profileName)
{
    QString out;
    for (const QChar c : profileName.toLower()) {
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_')
            out += c;
        else if (!out.isEmpty() && !out.endsWith(u'-'))
            out += u'-';
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    return out.isEmpty() ? u"db"_s : out.left(60);
}

Result<ExportResult> ServiceSectionWriter::write(const settings::ConnInfo& info, const QString& serviceName)
{
    if (Result<void> ok = checkServiceName(serviceName); !ok)
        return std::unexpected(ok.error());

    ExportResult out;
    out.suggestedFileName = u"pg_service.conf"_s;
    out.bytes = '[' + serviceName.toUtf8() + "]\n";
    for (const settings::ConnOptionInfo& option : settings::connOptions()) {
        const QString keyword = option.keywordString();
        const std::optional<QByteArray> value = info.valueBytes(keyword);
        if (!value)
            continue;
        if (keyword == u"service" || keyword == u"servicefile") {
            out.notes << tr("%1 is left out: a service section cannot name another service or service file.")
                             .arg(keyword);
            continue;
        }
        QString problem;
        if (value->contains('\n')) {
            problem = tr("A service file has no quoting, so a value with a line break cannot be written. Use "
                         "the keyword/value string or the URI for this profile instead.");
        } else if (!value->isEmpty() && (isCSpace(value->front()) || isCSpace(value->back()))) {
            problem = tr("libpq trims white space from both ends of a service-file line, so this value would "
                         "be read back without it. Use the keyword/value string or the URI for this profile "
                         "instead.");
        } else if (qsizetype(qstrlen(option.keyword)) + 1 + value->size() + 1 > kMaxLineBytes) {
            problem = tr("libpq reads service files with a 1024-byte line buffer, and this line would be "
                         "longer. Use the keyword/value string or the URI for this profile instead.");
        }
        if (!problem.isEmpty()) {
            return makeError(u"interop.service-value"_s,
                             tr("the value of %1 cannot be written in a service file").arg(keyword), problem);
        }
        out.bytes += QByteArrayView(option.keyword) + '=' + *value + '\n';
        if (option.isSecret())
            out.containsSecrets = true;
    }
    return out;
}

} // namespace vf::interop
