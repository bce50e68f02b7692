package de.amtsbote.bench.load;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latencies recorded from several threads into one HdrHistogram (microsecond resolution, three significant digits,
 * resized as needed), summarised as percentiles in milliseconds.
 */
final class Latencies {

    /** Count, mean and percentiles in milliseconds; all zero when nothing was recorded. */
    record Summary(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
        static final Summary EMPTY = new Summary(0, 0, 0, 0, 0, 0);
    }

    private final Histogram histogram = new ConcurrentHistogram(3);

    void recordNanos(long nanos) {
        histogram.recordValue(Math.max(0, nanos / 1000));
    }

    void recordMicros(long micros) {
        histogram.recordValue(Math.max(0, micros));
    }

    long count() {
        return histogram.getTotalCount();
    }

    Summary summary() {
        if (histogram.getTotalCount() == 0) {
            return Summary.EMPTY;
        }
        return new Summary(histogram.getTotalCount(), histogram.getMean() / 1000.0, ms(50), ms(90), ms(99),
                histogram.getMaxValue() / 1000.0);
    }

    private double ms(double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
