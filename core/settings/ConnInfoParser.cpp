#include "ConnInfoParser.h"

#include "ConnOptions.h"

#include <QCoreApplication>
#include <QString>

using namespace Qt::StringLiterals;

namespace vf::settings::conninfo {

namespace {

// The context of this file's translated text.
class Tr final
{
    Q_DECLARE_TR_FUNCTIONS(vf::settings::ConnInfoParser)
};

constexpr QByteArrayView kUriDesignator = "postgresql://";
constexpr QByteArrayView kShortUriDesignator = "postgres://";

qsizetype uriPrefixLength(QByteArrayView text)
{
    if (text.startsWith(kUriDesignator))
        return kUriDesignator.size();
    if (text.startsWith(kShortUriDesignator))
        return kShortUriDesignator.size();
    return 0;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

QByteArray quoted(QByteArrayView text)
{
    return '"' + text.toByteArray() + '"';
}

Error makeParseError(QString code, const QByteArray& message, QString explanation)
{
    // libpq's message is the bytes it formatted; a byte that is not UTF-8 shows as U+FFFD.
    return Error{std::move(code), QString::fromUtf8(message), std::move(explanation), {}};
}

// One parse of one connection string. Each step mirrors the fe-connect.c function named above it;
// the first error stops the parse, as in libpq.
class Parser final
{
    Q_DISABLE_COPY_MOVE(Parser)

public:
    explicit Parser(QByteArrayView text)
        : m_text(text)
        , m_values(qsizetype(connOptions().size()))
    {}

    Result<OptionValues> run()
    {
        if (m_text.contains('\0')) {
            return std::unexpected(
                makeParseError(u"settings.conninfo.nul-byte"_s, "connection string contains a NUL byte",
                               Tr::tr("libpq reads a connection string as a C string, so it would silently "
                                      "ignore everything after the NUL. Remove the NUL character.")));
        }
        const bool ok = uriPrefixLength(m_text) != 0 ? parseUri() : parseKeywordValue();
        if (!ok)
            return std::unexpected(std::move(*m_error));
        return std::move(m_values);
    }

private:
    bool fail(QString code, const QByteArray& message, QString explanation)
    {
        m_error = makeParseError(std::move(code), message, std::move(explanation));
        return false;
    }

    // conninfo_storeval(): "requiressl" becomes sslmode; an unknown keyword is an error unless
    // ignoreMissing (the URI query parser then reports its own message); URI parts are decoded.
    enum class Store
    {
        Stored,
        Missing,
        Failed,
    };
    Store storeValue(QByteArrayView keyword, QByteArrayView value, bool ignoreMissing, bool uriDecode)
    {
        if (keyword == "requiressl") {
            keyword = "sslmode";
            value = value.startsWith('1') ? QByteArrayView("require") : QByteArrayView("prefer");
        }
        const qsizetype index = optionIndex(keyword);
        if (index < 0) {
            if (ignoreMissing)
                return Store::Missing;
            fail(u"settings.conninfo.invalid-option"_s, "invalid connection option " + quoted(keyword),
                 Tr::tr("libpq does not know this keyword. Check its spelling (keywords are lower case) "
                        "against the list of connection parameters."));
            return Store::Failed;
        }
        if (uriDecode) {
            std::optional<QByteArray> decoded = uriDecodeValue(value);
            if (!decoded)
                return Store::Failed;
            m_values[index] = std::move(*decoded);
        } else {
            m_values[index] = value.toByteArray();
        }
        return Store::Stored;
    }

    // conninfo_parse(): whitespace-separated keyword = value pairs; a value is either a run of
    // non-blank bytes or a single-quoted string; a backslash takes the next byte literally in both.
    bool parseKeywordValue()
    {
        const qsizetype n = m_text.size();
        qsizetype i = 0;
        while (i < n) {
            if (isSpace(m_text[i])) {
                ++i;
                continue;
            }

            const qsizetype nameStart = i;
            qsizetype nameEnd = -1;
            while (i < n) {
                if (m_text[i] == '=')
                    break;
                if (isSpace(m_text[i])) {
                    nameEnd = i++;
                    while (i < n && isSpace(m_text[i]))
                        ++i;
                    break;
                }
                ++i;
            }
            if (nameEnd < 0)
                nameEnd = i;
            const QByteArrayView name = m_text.sliced(nameStart, nameEnd - nameStart);
            if (i >= n || m_text[i] != '=') {
                return fail(u"settings.conninfo.missing-equals"_s,
                            "missing \"=\" after " + quoted(name) + " in connection info string",
                            Tr::tr("Every parameter needs the form keyword=value. To give a value that "
                                   "contains spaces, put it in single quotes: keyword='a value'."));
            }
            ++i; // past '='
            while (i < n && isSpace(m_text[i]))
                ++i;

            QByteArray value;
            if (i < n && m_text[i] == '\'') {
                ++i;
                for (;;) {
                    if (i >= n) {
                        return fail(u"settings.conninfo.unterminated-quote"_s,
                                    "unterminated quoted string in connection info string",
                                    Tr::tr("A value opened with a single quote has no closing quote. Add the "
                                           "closing ' and write a quote inside a value as \\'."));
                    }
                    if (m_text[i] == '\\') {
                        ++i;
                        if (i < n)
                            value += m_text[i++];
                        continue;
                    }
                    if (m_text[i] == '\'') {
                        ++i;
                        break;
                    }
                    value += m_text[i++];
                }
            } else {
                while (i < n) {
                    if (isSpace(m_text[i])) {
                        ++i;
                        break;
                    }
                    if (m_text[i] == '\\') {
                        ++i;
                        if (i < n)
                            value += m_text[i++];
                    } else {
                        value += m_text[i++];
                    }
                }
            }

            if (storeValue(name, value, false, false) != Store::Stored)
                return false;
        }
        return true;
    }

    // conninfo_uri_parse_options():
    // postgresql://[user[:password]@][netloc][:port][,...][/dbname][?param1=value1&...]
    bool parseUri()
    {
        const qsizetype n = m_text.size();
        const qsizetype start = uriPrefixLength(m_text);
        auto at = [&](qsizetype i) { return i < n ? m_text[i] : '\0'; };

        // Look ahead for the user credentials designator: an '@' before any '/'.
        qsizetype p = start;
        while (p < n && m_text[p] != '@' && m_text[p] != '/')
            ++p;
        if (at(p) == '@') {
            const qsizetype atSign = p;
            p = start;
            while (m_text[p] != ':' && m_text[p] != '@')
                ++p;
            const QByteArrayView user = m_text.sliced(start, p - start);
            if (!user.isEmpty() && storeValue("user", user, false, true) != Store::Stored)
                return false;
            if (m_text[p] == ':') {
                const QByteArrayView password = m_text.sliced(p + 1, atSign - p - 1);
                if (!password.isEmpty() && storeValue("password", password, false, true) != Store::Stored)
                    return false;
            }
            p = atSign + 1;
        } else {
            p = start;
        }

        // One or more netloc[:port], separated by commas; netloc may be an [IPv6] address.
        auto endsHost = [](char c) { return c == '\0' || c == ':' || c == '/' || c == '?' || c == ','; };
        QByteArray hosts;
        QByteArray ports;
        char prevChar = '\0';
        for (;;) {
            QByteArrayView host;
            if (at(p) == '[') {
                const qsizetype hostStart = ++p;
                while (p < n && m_text[p] != ']')
                    ++p;
                if (p >= n) {
                    return fail(u"settings.conninfo.uri-ipv6-unterminated"_s,
                                "end of string reached when looking for matching \"]\" in IPv6 host "
                                "address in URI: " +
                                    quoted(m_text),
                                Tr::tr("An IPv6 address in a URI is written in square brackets, and the "
                                       "closing ] is missing."));
                }
                if (p == hostStart) {
                    return fail(u"settings.conninfo.uri-ipv6-empty"_s,
                                "IPv6 host address may not be empty in URI: " + quoted(m_text),
                                Tr::tr("The square brackets for an IPv6 address are empty. Put the address "
                                       "between them, e.g. [::1], or remove them."));
                }
                host = m_text.sliced(hostStart, p - hostStart);
                ++p; // past ']'
                if (!endsHost(at(p))) {
                    return fail(u"settings.conninfo.uri-unexpected-character"_s,
                                "unexpected character \"" + QByteArray(1, m_text[p]) + "\" at position " +
                                    QByteArray::number(p + 1) +
                                    " in URI (expected \":\" or \"/\"): " + quoted(m_text),
                                Tr::tr("After the ] of an IPv6 address a URI continues with :port, /dbname, "
                                       "?parameters or a comma and the next host."));
                }
            } else {
                const qsizetype hostStart = p;
                while (!endsHost(at(p)))
                    ++p;
                host = m_text.sliced(hostStart, p - hostStart);
            }
            prevChar = at(p);
            hosts += host;

            if (prevChar == ':') {
                const qsizetype portStart = ++p;
                while (p < n && m_text[p] != '/' && m_text[p] != '?' && m_text[p] != ',')
                    ++p;
                prevChar = at(p);
                ports += m_text.sliced(portStart, p - portStart);
            }

            if (prevChar != ',')
                break;
            ++p;
            hosts += ',';
            ports += ',';
        }

        if (!hosts.isEmpty() && storeValue("host", hosts, false, true) != Store::Stored)
            return false;
        if (!ports.isEmpty() && storeValue("port", ports, false, true) != Store::Stored)
            return false;

        if (prevChar != '\0' && prevChar != '?') {
            const qsizetype dbStart = ++p;
            while (p < n && m_text[p] != '?')
                ++p;
            prevChar = at(p);
            // An empty dbname is not stored, so that PGDATABASE still applies.
            const QByteArrayView dbname = m_text.sliced(dbStart, p - dbStart);
            if (!dbname.isEmpty() && storeValue("dbname", dbname, false, true) != Store::Stored)
                return false;
        }

        if (prevChar != '\0')
            return parseUriParams(p + 1);
        return true;
    }

    // conninfo_uri_parse_params(): key=value pairs separated by '&', both parts percent-decoded;
    // ssl=true means sslmode=require (JDBC compatibility).
    bool parseUriParams(qsizetype p)
    {
        const qsizetype n = m_text.size();
        while (p < n) {
            const qsizetype keywordStart = p;
            qsizetype keywordEnd = -1;
            qsizetype valueEnd = -1;
            for (;;) {
                if (p < n && m_text[p] == '=') {
                    if (keywordEnd >= 0) {
                        return fail(u"settings.conninfo.uri-extra-separator"_s,
                                    "extra key/value separator \"=\" in URI query parameter: " +
                                        quoted(m_text.sliced(keywordStart, keywordEnd - keywordStart)),
                                    Tr::tr("A query parameter has more than one '='. Write an '=' inside a "
                                           "value as %3D."));
                    }
                    keywordEnd = p++;
                } else if (p >= n || m_text[p] == '&') {
                    valueEnd = p;
                    if (p < n)
                        ++p;
                    if (keywordEnd < 0) {
                        return fail(
                            u"settings.conninfo.uri-missing-separator"_s,
                            "missing key/value separator \"=\" in URI query parameter: " +
                                quoted(m_text.sliced(keywordStart, valueEnd - keywordStart)),
                            Tr::tr("Every query parameter needs the form keyword=value, and parameters are "
                                   "separated by '&'. Write an '&' inside a value as %26."));
                    }
                    break;
                } else {
                    ++p;
                }
            }

            std::optional<QByteArray> keyword =
                uriDecodeValue(m_text.sliced(keywordStart, keywordEnd - keywordStart));
            if (!keyword)
                return false;
            std::optional<QByteArray> value =
                uriDecodeValue(m_text.sliced(keywordEnd + 1, valueEnd - keywordEnd - 1));
            if (!value)
                return false;
            if (*keyword == "ssl" && *value == "true") {
                *keyword = "sslmode";
                *value = "require";
            }

            switch (storeValue(*keyword, *value, true, false)) {
            case Store::Stored:
                break;
            case Store::Missing:
                return fail(u"settings.conninfo.uri-invalid-parameter"_s,
                            "invalid URI query parameter: " + quoted(*keyword),
                            Tr::tr("libpq does not know this query parameter. Check its spelling against the "
                                   "list of connection parameters."));
            case Store::Failed:
                return false;
            }
        }
        return true;
    }

    // conninfo_uri_decode() of PostgreSQL 17+: %xx becomes the byte xx (%00 is refused); blanks at
    // either end are dropped, a blank inside is an error (before 17, libpq kept every blank).
    std::optional<QByteArray> uriDecodeValue(QByteArrayView raw)
    {
        const qsizetype n = raw.size();
        qsizetype q = 0;
        while (q < n && raw[q] == ' ')
            ++q;

        QByteArray out;
        out.reserve(n);
        while (q < n && raw[q] != ' ') {
            if (raw[q] != '%') {
                out += raw[q++];
                continue;
            }
            ++q;
            const int hi = q < n ? hexDigit(raw[q]) : -1;
            const int lo = q + 1 < n ? hexDigit(raw[q + 1]) : -1;
            if (hi < 0 || lo < 0) {
                fail(u"settings.conninfo.uri-invalid-percent"_s,
                     "invalid percent-encoded token: " + quoted(raw),
                     Tr::tr("In a URI a '%' must be followed by two hexadecimal digits. Write a literal '%' "
                            "as %25."));
                return std::nullopt;
            }
            q += 2;
            const char c = char((hi << 4) | lo);
            if (c == '\0') {
                fail(u"settings.conninfo.uri-percent-nul"_s,
                     "forbidden value %00 in percent-encoded value: " + quoted(raw),
                     Tr::tr("%00 would put a NUL byte into a value, which libpq cannot pass on. Remove it."));
                return std::nullopt;
            }
            out += c;
        }

        while (q < n && raw[q] == ' ')
            ++q;
        if (q < n) {
            fail(u"settings.conninfo.uri-unexpected-spaces"_s,
                 "unexpected spaces found in " + quoted(raw) + ", use percent-encoded spaces (%20) instead",
                 Tr::tr("A URI cannot contain a blank inside a value. Write each space as %20 (libpq 17 and "
                        "later drop blanks at either end of a value and refuse the others)."));
            return std::nullopt;
        }
        return out;
    }

    QByteArrayView m_text;
    OptionValues m_values;
    std::optional<Error> m_error;
};

} // namespace

bool isUri(QByteArrayView text)
{
    return uriPrefixLength(text) != 0;
}

qsizetype optionIndex(QByteArrayView keyword)
{
    const auto options = connOptions();
    for (qsizetype i = 0; i < qsizetype(options.size()); ++i) {
        if (keyword == QByteArrayView(options[size_t(i)].keyword))
            return i;
    }
    return -1;
}

Result<OptionValues> parse(QByteArrayView text)
{
    return Parser(text).run();
}

} // namespace vf::settings::conninfo
