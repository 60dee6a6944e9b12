#include "Stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace vf::bench {

Stats Stats::of(QList<double> samples)
{
    Stats s;
    s.count = samples.size();
    if (samples.isEmpty())
        return s;
    std::sort(samples.begin(), samples.end());
    const qsizetype n = samples.size();
    s.median = n % 2 == 1 ? samples.at(n / 2) : (samples.at(n / 2 - 1) + samples.at(n / 2)) / 2.0;
    const auto rank = qsizetype(std::ceil(0.9 * double(n)));
    s.p90 = samples.at(std::clamp<qsizetype>(rank - 1, 0, n - 1));
    s.min = samples.first();
    s.max = samples.last();
    s.mean = std::accumulate(samples.cbegin(), samples.cend(), 0.0) / double(n);
    return s;
}

bool Stats::isValid() const
{
    const auto good = [](double v) { return std::isfinite(v) && v > 0; };
    return count > 0 && good(median) && good(p90) && good(min) && good(max) && good(mean);
}

QString Stats::summary(int decimals) const
{
    return QStringLiteral("median %1  p90 %2  min %3")
        .arg(median, 0, 'f', decimals)
        .arg(p90, 0, 'f', decimals)
        .arg(min, 0, 'f', decimals);
}

} // namespace vf::bench
