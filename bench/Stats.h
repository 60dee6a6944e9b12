#pragma once

#include <QList>
#include <QString>

namespace vf::bench {

// Summary statistics of a list of samples (milliseconds, or any unit: the class does not care).
struct Stats
{
    qsizetype count = 0;
    double median = 0;
    double p90 = 0; // nearest-rank 90th percentile
    double min = 0;
    double max = 0;
    double mean = 0;

    static Stats of(QList<double> samples);
    // At least one sample, and every figure a positive finite number.
    bool isValid() const;
    // "median 12.34  p90 13.10  min 11.90" with the given number of decimals.
    QString summary(int decimals = 2) const;
};

} // namespace vf::bench
