package io.example.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Every call's outcome and latency, per route, from the start of the run; safe for concurrent users. */
final class TrafficStats {
    /** longer than any call can take: the client's request timeout is below it */
    static final Duration LATENCY_CEILING = Duration.ofSeconds(60);

    private final Map<Route, AtomicLongArray> outcomes = new EnumMap<>(Route.class);
    private final Map<Route, LatencyHistogram> latencies = new EnumMap<>(Route.class);
    /** statuses seen, for --fail-on entries that name one (401) */
    private final AtomicLongArray statuses = new AtomicLongArray(600);
    /** the calls since the last {@link #takeInterval()}: each second's row of --per-second and the progress line */
    private final IntervalStats interval = new IntervalStats();

    TrafficStats() {
        for (Route route : Route.values()) {
            outcomes.put(route, new AtomicLongArray(StatusClass.values().length));
            latencies.put(route, new LatencyHistogram(LATENCY_CEILING));
        }
    }

    void answered(Route route, int status, long nanos) {
        outcomes.get(route).incrementAndGet(StatusClass.of(status).ordinal());
        statuses.incrementAndGet(Math.floorMod(status, statuses.length()));
        latencies.get(route).record(nanos);
        interval.record(StatusClass.of(status), nanos);
    }

    void unanswered(Route route, long nanos) {
        outcomes.get(route).incrementAndGet(StatusClass.NO_ANSWER.ordinal());
        latencies.get(route).record(nanos);
        interval.record(StatusClass.NO_ANSWER, nanos);
    }

    /** @return every route's calls since the last call of this, which starts the next interval */
    IntervalStats.Interval takeInterval() {
        return interval.take();
    }

    long withStatus(int status) {
        return statuses.get(status);
    }

    long inClass(StatusClass statusClass) {
        return outcomes.values().stream().mapToLong(counts -> counts.get(statusClass.ordinal())).sum();
    }

    /** @return one row per route, in the order of {@link Route} */
    List<RouteSummary> summary() {
        List<RouteSummary> rows = new ArrayList<>();
        for (Route route : Route.values()) {
            AtomicLongArray counts = outcomes.get(route);
            Map<StatusClass, Long> byClass = new EnumMap<>(StatusClass.class);
            for (StatusClass statusClass : StatusClass.values()) {
                byClass.put(statusClass, counts.get(statusClass.ordinal()));
            }
            LatencyHistogram latency = latencies.get(route);
            rows.add(new RouteSummary(route.toString(), latency.count(), byClass,
                    latency.percentileMillis(50), latency.percentileMillis(90), latency.percentileMillis(99),
                    latency.maxMillis()));
        }
        return rows;
    }

    /** One row of the table. */
    record RouteSummary(String route, long count, Map<StatusClass, Long> byClass,
                        long p50Millis, long p90Millis, long p99Millis, double maxMillis) {
    }
}
