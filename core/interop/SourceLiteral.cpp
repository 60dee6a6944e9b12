#include "SourceLiteral.h"

using namespace Qt::StringLiterals;

namespace vf::interop {

namespace {

QString hex(char16_t c, int width)
{
    return QString::number(c, 16).rightJustified(width, u'0');
}

} // namespace

QByteArray SourceLiteral::shell(QByteArrayView value)
{
    QByteArray out;
    out.reserve(value.size() + 2);
    out += '\'';
    for (char c : value) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    out += '\'';
    return out;
}

QString SourceLiteral::python(QStringView value)
{
    QString out;
    out.reserve(value.size() + 2);
    out += u'"';
    for (QChar qc : value) {
        const char16_t c = qc.unicode();
        switch (c) {
        case u'\\':
            out += u"\\\\"_s;
            break;
        case u'"':
            out += u"\\\""_s;
            break;
        case u'\n':
            out += u"\\n"_s;
            break;
        case u'\r':
            out += u"\\r"_s;
            break;
        case u'\t':
            out += u"\\t"_s;
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                out += u"\\x"_s + hex(c, 2);
            else if (c == 0x2028 || c == 0x2029 || c == 0x85)
                out += u"\\u"_s + hex(c, 4);
            else
                out += qc;
        }
    }
    out += u'"';
    return out;
}

QString SourceLiteral::javaScript(QStringView value)
{
    QString out;
    out.reserve(value.size() + 2);
    out += u'"';
    for (QChar qc : value) {
        const char16_t c = qc.unicode();
        switch (c) {
        case u'\\':
            out += u"\\\\"_s;
            break;
        case u'"':
            out += u"\\\""_s;
            break;
        case u'\n':
            out += u"\\n"_s;
            break;
        case u'\r':
            out += u"\\r"_s;
            break;
        case u'\t':
            out += u"\\t"_s;
            break;
        default:
            if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029)
                out += u"\\u"_s + hex(c, 4);
            else
                out += qc;
        }
    }
    out += u'"';
    return out;
}

} // namespace vf::interop
