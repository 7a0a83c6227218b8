package io.example.commons.observe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

/**
 * Request count and latency per route template and status, published at {@code /metrics} as
 * {@code http_server_requests_seconds{method,route,status}}. Labels are route templates, never raw
 * paths, so the number of series stays bounded whatever clients send.
 */
public final class RouteMetrics {
    private static final String NAME = "http.server.requests";
    private static final Map<String, Timer> TIMERS = new ConcurrentHashMap<>();

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
        String key = method + ' ' + route + ' ' + status;
        TIMERS.computeIfAbsent(key, k -> Metrics.globalRegistry().getOrCreate(
                        Timer.builder(NAME)
                                .description("HTTP requests served, by route template and status")
                                .tags(List.of(Tag.create("method", method),
                                              Tag.create("route", route),
                                              Tag.create("status", Integer.toString(status))))))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
