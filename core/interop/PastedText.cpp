#include "PastedText.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

bool startsWithUriPrefix(QStringView text, Qt::CaseSensitivity cs)
{
    return text.startsWith(u"postgresql://", cs) || text.startsWith(u"postgres://", cs);
}

} // namespace

PastedText::Kind PastedText::detect(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Kind::Empty;
    return startsWithUriPrefix(trimmed, Qt::CaseSensitive) ? Kind::Uri : Kind::KeywordValue;
}

QString PastedText::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Empty:
        return {};
    case Kind::KeywordValue:
        return tr("keyword/value string");
    case Kind::Uri:
        return tr("URI");
    }
    return {};
}

Result<ImportedProfile> PastedText::parse(QStringView text)
{
    if (text.size() > kMaxChars) {
        return makeError(u"interop.paste-too-large"_s,
                         tr("the pasted text is too long (%n characters)", nullptr, int(text.size())),
                         tr("A connection string is a line or two. Paste only the connection string."));
    }
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty()) {
        return makeError(u"interop.paste-empty"_s, tr("nothing to import"),
                         tr("Paste a keyword/value string such as host=db.example.com dbname=app, or a URI "
                            "such as postgresql://alice@db.example.com/app."));
    }

    Result<settings::ConnInfo> info = settings::ConnInfo::parse(trimmed);
    if (!info) {
        Error e = std::move(info.error());
        if (trimmed.startsWith(u"jdbc:", Qt::CaseInsensitive)) {
            e.explanation = tr("This is a JDBC URL. libpq does not read those: remove the \"jdbc:\" prefix "
                               "and check the parameters (JDBC names such as ApplicationName or "
                               "sslfactory are not libpq keywords).");
        } else if (startsWithUriPrefix(trimmed, Qt::CaseInsensitive)) {
            e.explanation = tr("libpq recognises a URI only by the lower-case prefix \"postgresql://\" or "
                               "\"postgres://\". Write the scheme in lower case.");
        } else if (trimmed.startsWith(u"psql ") || trimmed.startsWith(u"psql\t")) {
            e.explanation = tr("This looks like a psql command line. Paste only its connection string: the "
                               "quoted keyword/value string or the URI.");
        }
        return std::unexpected(std::move(e));
    }

    ImportedProfile p;
    p.conninfo = std::move(*info);
    p.suggestedName = ImportedProfile::nameFor(p.conninfo);
    p.source = detect(trimmed) == Kind::Uri ? tr("pasted URI") : tr("pasted keyword/value string");
    if (p.hasSecrets())
        p.notes << tr("The pasted text contains a password or another secret.");
    return p;
}

} // namespace vf::interop
