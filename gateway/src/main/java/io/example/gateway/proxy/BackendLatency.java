package io.example.gateway.proxy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.example.commons.observe.RouteMetrics;

import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;

/**
 * {@code gateway_backend_requests_seconds{backend,method,status}}: how long each call to a backend took until
 * its answer's headers arrived (a streamed body is not waited for), with the backend's status, or
 * {@code status="none"} when no answer came (refused, reset, timed out). Beside the gateway's own route
 * histogram it tells the gateway's time from the backend's; the buckets are the same.
 */
final class BackendLatency implements WebClientService {
    private static final String NO_ANSWER = "none";

    private final String backend;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    BackendLatency(String backend) {
        this.backend = backend;
    }

    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
        long start = System.nanoTime();
        String method = RouteMetrics.methodLabel(request.method().text());
        try {
            WebClientServiceResponse response = chain.proceed(request);
            record(method, Integer.toString(response.status().code()), start);
            return response;
        } catch (RuntimeException e) {
            record(method, NO_ANSWER, start);
            throw e;
        }
    }

    private void record(String method, String status, long start) {
        long nanos = System.nanoTime() - start;
        timers.computeIfAbsent(method + ' ' + status, key -> Metrics.globalRegistry().getOrCreate(
                        RouteMetrics.latency("gateway.backend.requests", "Calls to a backend until its answer's headers",
                                             List.of(Tag.create("backend", backend), Tag.create("method", method),
                                                     Tag.create("status", status)))))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
