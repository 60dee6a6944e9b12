#include "MachineInfo.h"

#include <QFile>
#include <QStringList>
#include <QSysInfo>
#include <QThread>

#include <sys/resource.h>

using namespace Qt::StringLiterals;

namespace vf::bench {

namespace {

QString readSmallFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(f.read(64 * 1024));
}

} // namespace

QString MachineInfo::loadAverage()
{
    const QStringList fields = readSmallFile(u"/proc/loadavg"_s).split(u' ', Qt::SkipEmptyParts);
    if (fields.size() < 3)
        return u"unknown"_s;
    return fields.mid(0, 3).join(u' ');
}

qint64 MachineInfo::processCpuNs()
{
    rusage usage{};
    if (getrusage(RUSAGE_SELF, &usage) != 0)
        return -1;
    auto ns = [](const timeval& t) { return qint64(t.tv_sec) * 1000000000 + qint64(t.tv_usec) * 1000; };
    return ns(usage.ru_utime) + ns(usage.ru_stime);
}

QString MachineInfo::describe()
{
    QString model = u"unknown CPU"_s;
    for (const QString& line : readSmallFile(u"/proc/cpuinfo"_s).split(u'\n')) {
        if (line.startsWith(u"model name")) {
            model = line.section(u':', 1).trimmed();
            break;
        }
    }
    return u"%1, %2 CPUs online, %3 %4"_s.arg(model)
        .arg(QThread::idealThreadCount())
        .arg(QSysInfo::kernelType(), QSysInfo::kernelVersion());
}

} // namespace vf::bench
