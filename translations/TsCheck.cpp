// vf_tscheck: the translations check behind the ctest `translations_complete`.
//
// Copies the committed .ts files into a temporary directory, runs lupdate over the sources into the
// copies (the same options as the update_translations target), and fails when
//   - lupdate found a string the committed file does not have yet (a new or changed source text),
//   - a message of a shipped language is unfinished or has an empty translation (or plural form),
//   - a translation lost or invented a %1…%99 placeholder of its source text.
// Strings the committed files still hold but lupdate dropped (obsolete) are only reported.
// The committed files are never written. Exit code 0: clean; 1: problems; 2: the check could not run.
//
// Paths come from the build (compile definitions); they can be overridden for a manual run:
//   vf_tscheck [--lupdate PATH] [--list LST-FILE] [--ts FILE]... [--plural-only FILE]...

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTextStream>
#include <QXmlStreamReader>

#include <optional>

using namespace Qt::StringLiterals;

namespace {

constexpr int kMaxListed = 30;

struct Message
{
    QString context;
    QString source;
    QString comment;
    QString type; // "", "unfinished", "vanished", "obsolete"
    bool numerus = false;
    QStringList translations; // one entry, or one per plural form
    int line = 0;             // in the .ts file, for the report

    bool current() const { return type != u"vanished" && type != u"obsolete"; }
    QString key() const { return context + QChar(0x1f) + source + QChar(0x1f) + comment; }
    bool finished() const
    {
        if (type == u"unfinished" || translations.isEmpty())
            return false;
        for (const QString& t : translations) {
            if (t.trimmed().isEmpty())
                return false;
        }
        return true;
    }
};

struct TsFile
{
    QString language;
    QList<Message> messages;
};

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

std::optional<TsFile> readTs(const QString& path, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1: %2"_s.arg(path, file.errorString());
        return std::nullopt;
    }
    TsFile ts;
    QXmlStreamReader xml(&file);
    QString context;
    std::optional<Message> message;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isEndElement() && xml.name() == u"message" && message) {
            ts.messages << *message;
            message.reset();
        }
        if (!xml.isStartElement())
            continue;
        const auto name = xml.name();
        if (name == u"TS") {
            ts.language = xml.attributes().value("language"_L1).toString();
        } else if (name == u"name" && !message) {
            context = xml.readElementText();
        } else if (name == u"message") {
            message = Message{};
            message->context = context;
            message->numerus = xml.attributes().value("numerus"_L1) == u"yes";
            message->line = int(xml.lineNumber());
        } else if (message && name == u"source") {
            message->source = xml.readElementText();
        } else if (message && name == u"comment") {
            message->comment = xml.readElementText();
        } else if (message && name == u"translation") {
            message->type = xml.attributes().value("type"_L1).toString();
            if (!message->numerus)
                message->translations << xml.readElementText(QXmlStreamReader::IncludeChildElements);
        } else if (message && name == u"numerusform") {
            message->translations << xml.readElementText();
        }
    }
    if (xml.hasError()) {
        *error = u"%1:%2: %3"_s.arg(path).arg(xml.lineNumber()).arg(xml.errorString());
        return std::nullopt;
    }
    return ts;
}

// %1…%99 of a text (not %n: a singular form may spell the number out).
QSet<QString> placeholders(const QString& text)
{
    static const QRegularExpression re(u"%(\\d{1,2})"_s);
    QSet<QString> found;
    for (auto it = re.globalMatch(text); it.hasNext();)
        found.insert(it.next().captured(0));
    return found;
}

QString oneLine(QString text)
{
    text.replace(u'\n', u"\\n"_s);
    if (text.size() > 100)
        text = text.left(97) + u"...";
    return text;
}

struct Problems
{
    QString title;
    QStringList lines;
    bool fatal = true;
};

void print(const Problems& p)
{
    if (p.lines.isEmpty())
        return;
    out() << p.title << u": "_s << p.lines.size() << Qt::endl;
    for (int i = 0; i < p.lines.size() && i < kMaxListed; ++i)
        out() << u"  "_s << p.lines.at(i) << Qt::endl;
    if (p.lines.size() > kMaxListed)
        out() << u"  … and "_s << p.lines.size() - kMaxListed << u" more"_s << Qt::endl;
}

bool runLupdate(const QString& lupdate, const QStringList& options, const QString& list,
                const QStringList& tsFiles)
{
    QProcess proc;
    proc.setProcessChannelMode(QProcess::MergedChannels);
    proc.start(lupdate, QStringList(options) << u"@"_s + list << u"-ts"_s << tsFiles);
    if (!proc.waitForStarted(30'000) || !proc.waitForFinished(600'000)) {
        out() << u"cannot run "_s << lupdate << u": "_s << proc.errorString() << Qt::endl;
        return false;
    }
    const QString output = QString::fromLocal8Bit(proc.readAll()).trimmed();
    if (proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0) {
        out() << lupdate << u" failed ("_s << proc.exitCode() << u"):\n"_s << output << Qt::endl;
        return false;
    }
    // lupdate warns about tr() it cannot attribute ("Cannot invoke tr() like this"): show those.
    if (!output.isEmpty())
        out() << u"lupdate says:\n"_s << output << Qt::endl;
    return true;
}

QStringList split(const char* joined)
{
    return QString::fromUtf8(joined).split(u'|', Qt::SkipEmptyParts);
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QString lupdate = QString::fromUtf8(VF_LUPDATE);
    QString list = QString::fromUtf8(VF_LUPDATE_LIST);
    QStringList translated = split(VF_TS_TRANSLATED);
    QStringList pluralOnly = split(VF_TS_PLURAL_ONLY);
    const QStringList options = split(VF_LUPDATE_OPTIONS) << u"-silent"_s;

    const QStringList args = QCoreApplication::arguments();
    bool clearedTs = false;
    bool clearedPlural = false;
    for (int i = 1; i < args.size(); ++i) {
        const QString& a = args.at(i);
        const bool hasValue = i + 1 < args.size();
        if (a == u"--lupdate" && hasValue) {
            lupdate = args.at(++i);
        } else if (a == u"--list" && hasValue) {
            list = args.at(++i);
        } else if (a == u"--ts" && hasValue) {
            if (!std::exchange(clearedTs, true))
                translated.clear();
            translated << args.at(++i);
        } else if (a == u"--plural-only" && hasValue) {
            if (!std::exchange(clearedPlural, true))
                pluralOnly.clear();
            pluralOnly << args.at(++i);
        } else {
            out() << u"usage: vf_tscheck [--lupdate PATH] [--list LST-FILE] [--ts FILE]... "
                     u"[--plural-only FILE]...\n"_s;
            return 2;
        }
    }

    QTemporaryDir tmp;
    if (!tmp.isValid()) {
        out() << u"cannot create a temporary directory: "_s << tmp.errorString() << Qt::endl;
        return 2;
    }
    // The copies keep their names: lupdate takes the target language from the file name and the
    // <TS language> attribute.
    auto copyAll = [&](const QStringList& files, QStringList* copies) {
        for (const QString& f : files) {
            const QString copy = tmp.filePath(QFileInfo(f).fileName());
            if (!QFile::copy(f, copy)) {
                out() << u"cannot copy "_s << f << u" to "_s << copy << Qt::endl;
                return false;
            }
            QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);
            *copies << copy;
        }
        return true;
    };
    QStringList translatedCopies;
    QStringList pluralCopies;
    if (!copyAll(translated, &translatedCopies) || !copyAll(pluralOnly, &pluralCopies))
        return 2;
    if (!translatedCopies.isEmpty() && !runLupdate(lupdate, options, list, translatedCopies))
        return 2;
    if (!pluralCopies.isEmpty() &&
        !runLupdate(lupdate, QStringList(options) << u"-pluralonly"_s, list, pluralCopies))
        return 2;

    Problems added{u"New strings lupdate found that the committed .ts files lack (run the "
                   u"update_translations target, then translate them)"_s,
                   {}};
    Problems unfinished{u"Unfinished or empty translations"_s, {}};
    Problems placeholderMismatch{u"Translations whose %1…%99 placeholders differ from the source"_s, {}};
    Problems dropped{
        u"Obsolete strings the committed files still hold (update_translations drops them)"_s, {}, false};

    const QStringList committed = QStringList(translated) << pluralOnly;
    const QStringList updated = QStringList(translatedCopies) << pluralCopies;
    QMap<QString, int> unfinishedPerFile;
    for (int f = 0; f < committed.size(); ++f) {
        QString error;
        const auto before = readTs(committed.at(f), &error);
        const auto after = before ? readTs(updated.at(f), &error) : std::nullopt;
        if (!before || !after) {
            out() << error << Qt::endl;
            return 2;
        }
        const QString name = QFileInfo(committed.at(f)).fileName();
        QSet<QString> beforeKeys;
        for (const Message& m : before->messages) {
            if (m.current())
                beforeKeys.insert(m.key());
        }
        QSet<QString> afterKeys;
        for (const Message& m : after->messages) {
            if (!m.current())
                continue;
            afterKeys.insert(m.key());
            const QString where = u"%1: %2: \"%3\""_s.arg(name, m.context, oneLine(m.source));
            if (!beforeKeys.contains(m.key()))
                added.lines << where;
            if (!m.finished()) {
                unfinished.lines << where;
                ++unfinishedPerFile[name];
                continue;
            }
            const QSet<QString> wanted = placeholders(m.source);
            for (const QString& t : m.translations) {
                if (placeholders(t) != wanted) {
                    placeholderMismatch.lines << where + u" → \""_s + oneLine(t) + u'"';
                    break;
                }
            }
        }
        for (const Message& m : before->messages) {
            if (m.current() && !afterKeys.contains(m.key()))
                dropped.lines << u"%1:%2: %3: \"%4\""_s.arg(name).arg(m.line).arg(m.context,
                                                                                  oneLine(m.source));
        }
        out() << name << u": "_s << afterKeys.size() << u" strings, "_s << unfinishedPerFile.value(name)
              << u" unfinished"_s << Qt::endl;
    }

    bool failed = false;
    for (const Problems* p : {&added, &unfinished, &placeholderMismatch, &dropped}) {
        print(*p);
        failed = failed || (p->fatal && !p->lines.isEmpty());
    }
    out() << (failed ? u"FAIL: the translations are not complete"_s : u"OK: the translations are complete"_s)
          << Qt::endl;
    return failed ? 1 : 0;
}
