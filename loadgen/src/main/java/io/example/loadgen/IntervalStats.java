package io.example.loadgen;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/** The calls that ended since the last {@link #take()}: counts per status class and latency percentiles. */
final class IntervalStats {
    private final long[] byClass = new long[StatusClass.values().length];
    private final LatencyHistogram latency = new LatencyHistogram(TrafficStats.LATENCY_CEILING);

    synchronized void record(StatusClass statusClass, long nanos) {
        byClass[statusClass.ordinal()]++;
        latency.record(nanos);
    }

    /** @return what was recorded since the last call, and starts again from nothing */
    synchronized Interval take() {
        Map<StatusClass, Long> counts = new EnumMap<>(StatusClass.class);
        for (StatusClass statusClass : StatusClass.values()) {
            counts.put(statusClass, byClass[statusClass.ordinal()]);
        }
        Interval interval = new Interval(latency.count(), counts, latency.percentileMillis(50), latency.percentileMillis(90),
                latency.percentileMillis(99), latency.maxMillis());
        Arrays.fill(byClass, 0);
        latency.clear();
        return interval;
    }

    /** One interval's calls; its percentiles mean nothing when {@code calls} is 0. */
    record Interval(long calls, Map<StatusClass, Long> byClass, long p50Millis, long p90Millis, long p99Millis,
                    double maxMillis) {
    }
}
