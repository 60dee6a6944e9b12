#include "PgPass.h"

#include "settings/OptionValidator.h"

#include <QCoreApplication>
#include <QFile>
#include <QLoggingCategory>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sys/stat.h>
#include <vector>

using namespace Qt::StringLiterals;

namespace vf::settings {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::settings::PgPass)
};

Q_LOGGING_CATEGORY(lcPgPass, "vf.settings")

struct FileCloser
{
    void operator()(FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<FILE, FileCloser>;

void wipe(QByteArray& bytes)
{
    if (!bytes.isEmpty())
        explicit_bzero(bytes.data(), static_cast<std::size_t>(bytes.size()));
    bytes.clear();
}

void wipe(std::vector<char>& bytes)
{
    if (!bytes.empty())
        explicit_bzero(bytes.data(), bytes.size());
}

// pwdfMatchesString(): the rest of the line after a matching field, or nullptr.
const char* matchField(const char* buf, const char* token)
{
    if (buf[0] == '*' && buf[1] == ':')
        return buf + 2;
    const char* tok = token;
    bool backslash = false;
    while (*buf != '\0') {
        if (*buf == '\\' && !backslash) {
            ++buf;
            backslash = true;
        }
        if (*buf == ':' && *tok == '\0' && !backslash)
            return buf + 1;
        backslash = false;
        if (*tok == '\0')
            return nullptr;
        if (*buf != *tok)
            return nullptr;
        ++buf;
        ++tok;
    }
    return nullptr;
}

// Reads lines the way passwordFromFile() does: fgets() into a PQExpBuffer that starts at 256 bytes
// and doubles to keep 128 bytes free, keeping strlen() of each chunk (so a NUL byte drops the rest of
// its chunk), until the buffer ends with '\n' or the file ends.
class LineReader
{
public:
    explicit LineReader(FILE* file)
        : m_file(file)
    {}
    ~LineReader() { wipe(m_chunk); }
    Q_DISABLE_COPY_MOVE(LineReader)

    // false at end of file. `overlong` is set when the line passed PgPass::kMaxLineBytes (its text is
    // then dropped).
    bool next(QByteArray& line, bool& overlong)
    {
        wipe(line);
        overlong = false;
        qsizetype len = 0; // libpq's buf.len
        char last = '\0';
        for (;;) {
            const qsizetype needed = len + 128 + 1;
            if (needed > m_maxlen) {
                qsizetype grown = m_maxlen * 2;
                while (needed > grown)
                    grown *= 2;
                m_maxlen = grown;
            }
            const qsizetype size = std::min<qsizetype>(m_maxlen - len, kMaxChunk);
            m_chunk.resize(static_cast<std::size_t>(size));
            if (std::fgets(m_chunk.data(), static_cast<int>(size), m_file) == nullptr)
                return false; // libpq drops an unfinished buffer here, as we do
            const std::size_t n = ::strnlen(m_chunk.data(), m_chunk.size());
            if (n > 0)
                last = m_chunk[n - 1];
            len += static_cast<qsizetype>(n);
            if (!overlong) {
                line.append(m_chunk.data(), static_cast<qsizetype>(n));
                if (line.size() > PgPass::kMaxLineBytes) {
                    overlong = true;
                    wipe(line);
                }
            }
            if ((len > 0 && last == '\n') || std::feof(m_file))
                return true;
        }
    }

private:
    static constexpr qsizetype kMaxChunk = 64 * 1024;
    FILE* m_file;
    qsizetype m_maxlen = 256; // INITIAL_EXPBUFFER_SIZE
    std::vector<char> m_chunk;
};

} // namespace

QString PgPass::matchHost(const QString& host)
{
    if (host.isEmpty())
        return u"localhost"_s;
    const bool socketPath = host.startsWith(u'/') || host.startsWith(u'@');
    if (socketPath && host == OptionValidator::kDefaultSocketDir)
        return u"localhost"_s;
    return host;
}

QList<PgPassQuery> PgPass::queries(const EffectiveSettings& settings, const ValidatedOptions& options)
{
    QList<PgPassQuery> out;
    if (!settings.valueOr(u"password").isEmpty())
        return out;
    for (const HostEntry& h : options.hosts) {
        out.append(PgPassQuery{h.host.isEmpty() ? h.hostaddr : h.host, h.port, settings.valueOr(u"dbname"),
                               settings.valueOr(u"user")});
    }
    return out;
}

PgPassResult PgPass::lookup(const PgPassQuery& query) const
{
    PgPassResult result;
    result.path = m_path;
    if (query.dbname.isEmpty() || query.user.isEmpty())
        return result;

    const QByteArray host = matchHost(query.host).toUtf8();
    const QByteArray port = query.port.isEmpty() ? QByteArrayLiteral("5432") : query.port.toUtf8();
    const QByteArray dbname = query.dbname.toUtf8();
    const QByteArray user = query.user.toUtf8();

    errno = 0;
    FilePtr file(std::fopen(QFile::encodeName(m_path).constData(), "re"));
    if (!file) {
        const int err = errno;
        result.status = PgPassStatus::NoFile;
        result.warning = vf::Error{u"settings.pgpass-unreadable"_s,
                                   u"could not open password file \"%1\": %2"_s.arg(
                                       m_path, QString::fromLocal8Bit(std::strerror(err))),
                                   Tr::tr("libpq skips a password file it cannot open, without a message, "
                                          "and connects without a stored password."),
                                   {}};
        return result;
    }

    struct stat st
    {
    };
    if (::fstat(::fileno(file.get()), &st) != 0) {
        result.status = PgPassStatus::NoFile;
        return result;
    }
    if (!S_ISREG(st.st_mode)) {
        result.status = PgPassStatus::NotRegular;
        result.warning =
            vf::Error{u"settings.pgpass-not-regular"_s,
                      u"WARNING: password file \"%1\" is not a plain file"_s.arg(m_path),
                      Tr::tr("libpq ignores a password file that is a directory or a device. Point "
                             "passfile/PGPASSFILE at a regular file, or remove the setting."),
                      {}};
        return result;
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        result.status = PgPassStatus::Insecure;
        result.warning = vf::Error{
            u"settings.pgpass-insecure"_s,
            u"WARNING: password file \"%1\" has group or world access; permissions should be u=rw (0600) "
            "or less"_s.arg(m_path),
            Tr::tr("Other users could read the stored passwords, so libpq ignores the whole file (mode %1). "
                   "Run: chmod 600 %2")
                .arg(QString::number(st.st_mode & 07777, 8), m_path),
            {}};
        return result;
    }

    result.status = PgPassStatus::NoMatch;
    LineReader reader(file.get());
    QByteArray line;
    bool overlong = false;
    int lineNumber = 0;
    while (reader.next(line, overlong)) {
        ++lineNumber;
        if (overlong) {
            result.notes.append(
                Tr::tr("Line %1 is longer than %2 bytes and was skipped (libpq would read it).")
                    .arg(QString::number(lineNumber), QString::number(kMaxLineBytes)));
            continue;
        }
        if (line.startsWith('#'))
            continue;
        while (line.endsWith('\n') || line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        const char* t = line.constData();
        for (const QByteArray* field : {&host, &port, &dbname, &user}) {
            t = matchField(t, field->constData());
            if (t == nullptr)
                break;
        }
        if (t == nullptr)
            continue;

        QByteArray password;
        for (const char* p = t; *p != ':' && *p != '\0'; ++p) {
            if (*p == '\\' && p[1] != '\0')
                ++p;
            password.append(*p);
        }
        result.status = PgPassStatus::Matched;
        result.line = lineNumber;
        result.password = QString::fromUtf8(password);
        wipe(password);
        break;
    }
    wipe(line);
    qCDebug(lcPgPass) << "password file" << m_path << "status" << static_cast<int>(result.status) << "line"
                      << result.line;
    return result;
}

} // namespace vf::settings
