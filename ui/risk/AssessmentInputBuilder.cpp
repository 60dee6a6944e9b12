#include "AssessmentInputBuilder.h"

#include "settings/ValueOrigin.h"
#include "widgets/FileCheckJob.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace vf::ui {

namespace {

bool setByUser(settings::ValueSource source)
{
    using settings::ValueSource;
    switch (source) {
    case ValueSource::Typed:
    case ValueSource::Uri:
    case ValueSource::ServiceFile:
    case ValueSource::Environment:
    case ValueSource::RequireSslEnv:
        return true;
    default:
        return false;
    }
}

QString firstOfList(const QString& list)
{
    return list.section(u',', 0, 0).trimmed();
}

// stat() succeeds: a file, a directory, anything but a missing path or a dangling link.
bool statOk(const QString& path)
{
    return !path.isEmpty() && QFileInfo::exists(path);
}

} // namespace

QString AssessmentInputBuilder::rootFileError(const FileCheckResult& check)
{
    if (!check.inspection) {
        const Error& e = check.inspection.error();
        if (e.code == u"pki.file-missing")
            return {};
        return e.message;
    }
    const pki::FileInspection& fi = *check.inspection;
    if (fi.libpqCanRead || !fi.libpqProblem)
        return {};
    // `could not read root certificate file "<path>": <reason>`: the reason is after the quoted path.
    const QString& message = fi.libpqProblem->message;
    const QString marker = u"\": "_s;
    const qsizetype at = message.lastIndexOf(marker);
    return at >= 0 ? message.mid(at + marker.size()) : message;
}

security::AssessmentInput AssessmentInputBuilder::build(const settings::EffectiveSettings& s,
                                                        const std::optional<FileCheckResult>& rootCheck,
                                                        const std::optional<FileCheckResult>& crlCheck)
{
    security::AssessmentInput in;
    const settings::ValueOrigin modeOrigin = s.origin(u"sslmode");
    in.sslmode = s.valueOr(u"sslmode");
    in.sslmodeExplicit = setByUser(modeOrigin.source);
    if (!in.sslmodeExplicit && modeOrigin.source != settings::ValueSource::SystemRoots)
        in.sslmode.clear(); // libpq's default applies

    in.sslrootcert = s.valueOr(u"sslrootcert");
    in.homeDirectoryKnown = s.homeDirectory().has_value();
    if (in.sslrootcert != u"system") {
        if (const auto root = s.effectiveFile(u"sslrootcert"); root && root->value) {
            in.rootCertPath = root->origin.source == settings::ValueSource::DefaultFile
                                  ? root->origin.displayPath
                                  : *root->value;
            in.rootFileExists = statOk(*root->value);
            if (in.rootFileExists && rootCheck && rootCheck->path == *root->value)
                in.rootFileError = rootFileError(*rootCheck);
        }
    }

    in.sslnegotiation = s.valueOr(u"sslnegotiation");
    in.gssencmode = s.valueOr(u"gssencmode");

    const QString host = firstOfList(s.valueOr(u"host"));
    const QString hostaddr = firstOfList(s.valueOr(u"hostaddr"));
    if (!host.isEmpty())
        in.hostIsUnixSocket = host.startsWith(u'/') || host.startsWith(u'@');
    else
        in.hostIsUnixSocket = hostaddr.isEmpty();
    in.hostIsIpOnly = host.isEmpty() && !hostaddr.isEmpty();

    in.sslcrl = s.valueOr(u"sslcrl");
    in.sslcrldir = s.valueOr(u"sslcrldir");
    QString crlFile;
    if (const auto crl = s.effectiveFile(u"sslcrl"); crl && crl->value)
        crlFile = *crl->value;
    const bool crlFileExists = statOk(crlFile);
    bool crlFileLoads = true;
    if (crlFileExists && crlCheck && crlCheck->path == crlFile)
        crlFileLoads = crlCheck->inspection && crlCheck->inspection->libpqCanRead;
    in.crlLoads = (crlFileExists || !in.sslcrldir.isEmpty()) && (!crlFileExists || crlFileLoads);
    return in;
}

} // namespace vf::ui
