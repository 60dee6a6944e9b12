#pragma once

#include <QString>
#include <QStringList>

namespace vf::bench {

// Wall time of one child process, from just before posix_spawn() to wait4() returning, and its CPU time.
struct ProcessRun
{
    qint64 wallNs = -1;
    qint64 cpuNs = -1; // user + system CPU time of the child (wait4 rusage)
    int exitCode = -1; // -1 when the process did not exit normally
    QString error;     // set when the process could not be started

    bool ok() const { return error.isEmpty() && exitCode == 0; }
};

// Starts programs the same way for every tool being compared: posix_spawn with an explicit environment
// (nothing inherited), stdin from /dev/null, stdout and stderr into one file (or /dev/null), no shell,
// no Qt event loop in between. Both tools therefore pay exactly the same spawning cost.
class ProcessTimer final
{
public:
    // environment: "NAME=value" entries, the child's complete environment.
    // outputFile: where stdout and stderr go; empty: /dev/null.
    static ProcessRun run(const QStringList& argv, const QStringList& environment,
                          const QString& outputFile = {});
};

} // namespace vf::bench
