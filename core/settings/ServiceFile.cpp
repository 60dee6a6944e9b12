#include "ServiceFile.h"

#include "settings/ConnOptions.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>
#include <QSet>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace vf::settings {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::settings::ServiceFile)
};

Q_LOGGING_CATEGORY(lcServiceFile, "vf.settings")

// libpq reads service files with fgets() into char buf[1024].
constexpr int kLineBuffer = 1024;

// isspace() in the C locale.
bool isCSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

struct FileCloser
{
    void operator()(FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

QString arg(const char* format, const QString& a)
{
    return QString::fromLatin1(format).arg(a);
}

vf::Error syntaxError(const QString& path, int line)
{
    return vf::Error{u"settings.service-file-syntax"_s,
                     u"syntax error in service file \"%1\", line %2"_s.arg(path, QString::number(line)),
                     QCoreApplication::translate(
                         "vf::settings::ServiceFile",
                         "Line %1 of the service file is not a keyword=value line with a keyword libpq "
                         "knows. Write one setting per line as keyword=value, with no spaces around \"=\" "
                         "(libpq does not trim them), e.g. sslmode=verify-full.")
                         .arg(line),
                     {}};
}

} // namespace

Result<std::optional<ServiceSection>> ServiceFile::find(const QString& service) const
{
    // A FIFO or a device would block the caller (libpq blocks there too): only regular files are read.
    struct stat st = {};
    if (::stat(QFile::encodeName(m_path).constData(), &st) == 0 && !S_ISREG(st.st_mode) &&
        !S_ISDIR(st.st_mode))
        return makeError(
            u"settings.service-file-not-regular"_s, arg("service file \"%1\" not found", m_path),
            Tr::tr("The service file is not a regular file (a pipe, socket or device); it is not "
                   "read, since reading it could wait forever. Point servicefile= or "
                   "PGSERVICEFILE at a pg_service.conf file."));
    errno = 0;
    FilePtr file(std::fopen(QFile::encodeName(m_path).constData(), "re"));
    if (!file) {
        const int err = errno;
        return makeError(u"settings.service-file-missing"_s, arg("service file \"%1\" not found", m_path),
                         Tr::tr("The service file could not be opened (%1). Check the path given by "
                                "servicefile= or PGSERVICEFILE, or unset it so libpq looks in "
                                "~/.pg_service.conf and the system pg_service.conf.")
                             .arg(QString::fromLocal8Bit(std::strerror(err))));
    }

    const QByteArray wanted = service.toUtf8();
    std::optional<ServiceSection> section;
    QSet<QString> seen;
    std::array<char, kLineBuffer> buf{};
    int lineNumber = 0;

    while (std::fgets(buf.data(), kLineBuffer, file.get()) != nullptr) {
        ++lineNumber;
        // strlen(), as libpq: a NUL byte ends the line's text.
        std::size_t len = ::strnlen(buf.data(), buf.size());
        if (len >= static_cast<std::size_t>(kLineBuffer - 1)) {
            return makeError(
                u"settings.service-file-line-too-long"_s,
                u"line %1 too long in service file \"%2\""_s.arg(QString::number(lineNumber), m_path),
                Tr::tr("libpq reads service files with a 1024-byte line buffer, so every line must be "
                       "shorter than 1023 bytes including its newline. Shorten line %1 (is this really a "
                       "service file?).")
                    .arg(lineNumber));
        }
        while (len > 0 && isCSpace(buf[len - 1]))
            --len;
        std::size_t start = 0;
        while (start < len && isCSpace(buf[start]))
            ++start;
        // A view into the buffer: nothing is allocated for lines outside the wanted section.
        const QByteArrayView line(buf.data() + start, static_cast<qsizetype>(len - start));

        if (line.isEmpty() || line.startsWith('#'))
            continue;

        if (line.startsWith('[')) {
            if (section)
                break; // end of the wanted section
            if (line.sliced(1).startsWith(wanted) && line.size() > wanted.size() + 1 &&
                line.at(wanted.size() + 1) == ']') {
                section = ServiceSection{service, m_path, lineNumber, {}};
            }
            continue;
        }
        if (!section)
            continue;

        // libpq built with LDAP (Debian's is) hands every line starting with "ldap" to
        // ldapServiceLookup().
        if (line.startsWith("ldap")) {
            if (line.size() >= 7 && qstrnicmp(line.data(), "ldap://", 7) == 0) {
                return makeError(
                    u"settings.service-file-ldap"_s,
                    u"LDAP lookup in service file \"%1\", line %2 is not supported"_s.arg(
                        m_path, QString::number(lineNumber)),
                    Tr::tr(
                        "This service reads its settings from an LDAP server, which VerifyFull cannot query. "
                        "Copy the settings into the service file or the connection string instead."));
            }
            return makeError(u"settings.service-file-ldap"_s,
                             arg("invalid LDAP URL \"%1\": scheme must be ldap://", QString::fromUtf8(line)),
                             Tr::tr("libpq treats any service-file line that starts with \"ldap\" as an LDAP "
                                    "URL. Line %1 is not one; rename or remove it.")
                                 .arg(lineNumber));
        }

        const qsizetype eq = line.indexOf('=');
        if (eq < 0)
            return std::unexpected(syntaxError(m_path, lineNumber));
        const QString key = QString::fromUtf8(line.first(eq));
        if (key == u"service") {
            return makeError(
                u"settings.service-file-nested"_s,
                u"nested \"service\" specifications not supported in service file \"%1\", line %2"_s.arg(
                    m_path, QString::number(lineNumber)),
                Tr::tr("A service section cannot name another service. Copy the settings you need into this "
                       "section and remove the service= line."));
        }
        if (key == u"servicefile") {
            return makeError(
                u"settings.service-file-nested"_s,
                u"nested \"servicefile\" specifications not supported in service file \"%1\", "
                "line %2"_s.arg(m_path, QString::number(lineNumber)),
                Tr::tr(
                    "A service section cannot point to another service file. Remove the servicefile= line."));
        }
        if (findConnOption(key) == nullptr)
            return std::unexpected(syntaxError(m_path, lineNumber));
        if (seen.contains(key))
            continue; // libpq keeps the first value
        seen.insert(key);
        section->entries.append(ServiceEntry{key, QString::fromUtf8(line.sliced(eq + 1)), lineNumber});
    }

    qCDebug(lcServiceFile) << "service file" << m_path << "section" << service
                           << (section ? "found" : "not found") << "after" << lineNumber << "lines";
    return section;
}

} // namespace vf::settings
