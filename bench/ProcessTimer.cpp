#include "ProcessTimer.h"

#include <QByteArrayList>
#include <QElapsedTimer>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <vector>

namespace vf::bench {

namespace {

// NUL-terminated pointer array into `storage` (which must outlive it).
std::vector<char*> pointersInto(QByteArrayList& storage)
{
    std::vector<char*> result;
    result.reserve(size_t(storage.size()) + 1);
    for (QByteArray& item : storage)
        result.push_back(item.data());
    result.push_back(nullptr);
    return result;
}

QByteArrayList encoded(const QStringList& list)
{
    QByteArrayList result;
    result.reserve(list.size());
    for (const QString& s : list)
        result << QFile::encodeName(s);
    return result;
}

} // namespace

ProcessRun ProcessTimer::run(const QStringList& argv, const QStringList& environment,
                             const QString& outputFile)
{
    ProcessRun result;
    if (argv.isEmpty()) {
        result.error = QStringLiteral("no program");
        return result;
    }
    QByteArrayList argStorage = encoded(argv);
    QByteArrayList envStorage = encoded(environment);
    std::vector<char*> args = pointersInto(argStorage);
    std::vector<char*> env = pointersInto(envStorage);
    const QByteArray output = outputFile.isEmpty() ? QByteArray("/dev/null") : QFile::encodeName(outputFile);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, output.constData(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);

    QElapsedTimer timer;
    timer.start();
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args.front(), &actions, nullptr, args.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        result.error = QStringLiteral("cannot start %1: %2")
                           .arg(argv.first(), QString::fromLocal8Bit(std::strerror(rc)));
        return result;
    }
    int status = 0;
    rusage usage{};
    while (wait4(pid, &status, 0, &usage) < 0) {
        if (errno != EINTR) {
            result.error =
                QStringLiteral("wait4 failed: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
            return result;
        }
    }
    result.wallNs = timer.nsecsElapsed();
    auto ns = [](const timeval& t) { return qint64(t.tv_sec) * 1000000000 + qint64(t.tv_usec) * 1000; };
    result.cpuNs = ns(usage.ru_utime) + ns(usage.ru_stime);
    result.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

} // namespace vf::bench
