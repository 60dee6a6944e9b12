#pragma once

#include <QString>

namespace vf::bench {

// What the figures depend on, printed with every benchmark run.
struct MachineInfo
{
    // /proc/loadavg's first three fields ("0.42 0.61 0.80").
    static QString loadAverage();
    // CPU model, online CPUs, kernel release.
    static QString describe();
    // CPU time (user + system) of this process so far, all threads, children not included.
    static qint64 processCpuNs();
};

} // namespace vf::bench
