package io.example.loadgen;

import java.time.Duration;
import java.util.Arrays;

/**
 * Latencies in whole milliseconds (rounded up, so a 0.3 ms answer counts as 1 ms), one counter per
 * millisecond up to a ceiling: constant memory however long the run, and exact percentiles at that
 * resolution. Longer latencies count at the ceiling; the maximum is kept exactly.
 */
final class LatencyHistogram {
    private final long[] counts;
    private long total;
    private long maxNanos;

    LatencyHistogram(Duration ceiling) {
        counts = new long[(int) ceiling.toMillis() + 1];
    }

    synchronized void record(long nanos) {
        long millis = (Math.max(nanos, 0) + 999_999) / 1_000_000;
        counts[(int) Math.min(millis, counts.length - 1)]++;
        total++;
        maxNanos = Math.max(maxNanos, nanos);
    }

    synchronized long count() {
        return total;
    }

    /**
     * Nearest rank: the smallest latency that at least {@code percent} % of the recorded ones do not exceed.
     *
     * @param percent 0 (exclusive) to 100
     * @return milliseconds; 0 when nothing was recorded
     */
    synchronized long percentileMillis(double percent) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percent / 100 * total);
        long seen = 0;
        for (int millis = 0; millis < counts.length; millis++) {
            seen += counts[millis];
            if (seen >= rank) {
                return millis;
            }
        }
        return counts.length - 1;
    }

    synchronized double maxMillis() {
        return maxNanos / 1e6;
    }

    /** Forgets everything recorded: the histogram of the next interval, without a new array each time. */
    synchronized void clear() {
        Arrays.fill(counts, 0);
        total = 0;
        maxNanos = 0;
    }
}
