package io.example.commons.observe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Request count and latency per route template and status, published at {@code /metrics} as the histogram
 * {@code http_server_requests_seconds{method,route,status}} (count, sum and buckets from 5 ms to 10 s). Labels are route templates, never raw
 * paths, so the number of series stays bounded whatever clients send.
 */
public final class RouteMetrics {
    private static final String NAME = "http.server.requests";
    private static final Map<String, Timer> TIMERS = new ConcurrentHashMap<>();
    // RFC 9110's and RFC 5789's (PATCH)
    private static final Set<String> STANDARD_METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    private static final String OTHER_METHOD = "other";
    private static final Duration[] BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
            .map(Duration::ofMillis).toArray(Duration[]::new);

    private RouteMetrics() {
    }

    /**
     * Record one served request.
     *
     * @param method HTTP method
     * @param route  route template, or {@code unmatched}
     * @param status response status code
     * @param nanos  time to serve it
     */
    public static void record(String method, String route, int status, long nanos) {
        String label = methodLabel(method);
        String key = label + ' ' + route + ' ' + status;
        TIMERS.computeIfAbsent(key, k -> Metrics.globalRegistry().getOrCreate(
                        latency(NAME, "HTTP requests served, by route template and status",
                                List.of(Tag.create("method", label),
                                        Tag.create("route", route),
                                        Tag.create("status", Integer.toString(status))))))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The {@code method} label of a request: its method when HTTP defines it, {@code other} for any other name.
     * A client may send any token as a method (each gets a 405); as labels they would make a new series each, and
     * {@code /metrics} and the registry would grow with every name a client makes up.
     *
     * @param method the request's method
     * @return the label
     */
    public static String methodLabel(String method) {
        return STANDARD_METHODS.contains(method) ? method : OTHER_METHOD;
    }

    /**
     * A latency histogram shaped like the route histogram, so that the two can be read side by side (e.g. the
     * gateway's calls to a backend against that backend's own routes).
     *
     * @param name        meter name, dotted (published with {@code _seconds})
     * @param description what it measures
     * @param tags        its labels
     * @return the timer's builder
     */
    public static Timer.Builder latency(String name, String description, List<Tag> tags) {
        return Timer.builder(name)
                .description(description)
                // fixed buckets, not percentiles: a bucket is one atomic increment per request,
                // percentiles cost a lock and a histogram window (and cannot be aggregated)
                .percentiles(new double[0])
                .buckets(BUCKETS)
                .tags(tags);
    }
}
