package io.example.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import io.example.commons.security.JwksCache;
import io.example.commons.testing.ScrapedMetrics;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's own metrics for its dashboard and alerts (docs/operations.md), read at {@code /metrics}: cache
 * hits and misses, the time of each backend call, and failed reads of the auth service's keys and revocations.
 * The registry is one per JVM and other tests' gateways count in it too, so each test compares before and after.
 * Rate-limit refusals have no metric of their own: they are the route histogram's {@code status="429"}, which the
 * alert RateLimitRejectionsSpiking reads (docs/operations.md).
 */
@ServerTest
class GatewayMetricsTest {
    private static final String ONE_PRODUCT = "/api/products/{id}";
    private static FakeServices services;
    private final GatewayClient gateway;

    GatewayMetricsTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        services.configure(server, Map.of("cache.ttl.seconds", "60"));
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void aCachedReadCountsOneMissThenHits() {
        gateway.products.json("GET", "/api/products/metrics-1", 200, "{\"id\":\"metrics-1\"}");
        ScrapedMetrics before = ScrapedMetrics.of(gateway.http);

        gateway.get("/api/products/metrics-1");
        gateway.get("/api/products/metrics-1");
        gateway.get("/api/products/metrics-1");
        ScrapedMetrics after = ScrapedMetrics.of(gateway.http);

        assertThat(increase(before, after, "gateway_cache_requests_total", "route", ONE_PRODUCT, "result", "miss"))
                .isEqualTo(1);
        assertThat(increase(before, after, "gateway_cache_requests_total", "route", ONE_PRODUCT, "result", "hit"))
                .isEqualTo(2);
    }

    @Test
    void everyBackendCallIsTimedByBackendMethodAndStatus() {
        gateway.orders.json("GET", "/api/orders", 200, "{\"items\":[]}");
        String token = gateway.tokens.token("u-metrics", "USER");
        ScrapedMetrics before = ScrapedMetrics.of(gateway.http);

        gateway.send("GET", "/api/orders", token, null);
        gateway.send("GET", "/api/orders", token, null);
        ScrapedMetrics after = ScrapedMetrics.of(gateway.http);

        String[] labels = {"backend", "order-service", "method", "GET", "status", "200"};
        assertThat(increase(before, after, "gateway_backend_requests_seconds_count", labels)).isEqualTo(2);
        assertThat(increase(before, after, "gateway_backend_requests_seconds_bucket", with(labels, "le", "+Inf")))
                .isEqualTo(2);
        assertThat(increase(before, after, "gateway_backend_requests_seconds_sum", labels)).isPositive();
    }

    @Test
    void aCallThatGotNoAnswerCountsAsStatusNone() {
        try (TestGateway stopped = TestGateway.start(Map.of("cache.ttl.seconds", "0"))) {
            stopped.products.close();
            ScrapedMetrics before = ScrapedMetrics.of(stopped.http);

            assertThat(stopped.get("/api/products/p-1").statusCode()).isEqualTo(503);

            assertThat(increase(before, ScrapedMetrics.of(stopped.http), "gateway_backend_requests_seconds_count",
                                "backend", "product-service", "method", "GET", "status", "none")).isEqualTo(1);
        }
    }

    @Test
    void aFailedReadOfTheKeysCountsAsAJwksRefreshFailure() {
        try (TestGateway keysDown = TestGateway.start(Map.of("jwt.jwks-min-refresh", "PT1H"))) {
            keysDown.auth.json("GET", JwksCache.JWKS_PATH, 503, "{}");
            ScrapedMetrics before = ScrapedMetrics.of(keysDown.http);

            keysDown.send("GET", "/api/orders", keysDown.tokens.token("u-1", "USER"), null);

            // one read at most: the next is due an hour later
            assertThat(increase(before, ScrapedMetrics.of(keysDown.http), "security_refresh_failures_total",
                                "source", "jwks")).isEqualTo(1);
        }
    }

    @Test
    void failedReadsOfTheRevocationsCountAsRevocationRefreshFailures() throws InterruptedException {
        Duration poll = Duration.ofMillis(20);
        try (TestGateway revocationsDown = TestGateway.start(Map.of("jwt.revocation.poll.interval", poll.toString()))) {
            revocationsDown.auth.json("GET", "/internal/revocations", 503, "{}");
            ScrapedMetrics before = ScrapedMetrics.of(revocationsDown.http);

            Thread.sleep(poll.multipliedBy(100));

            // the verifiers of earlier tests' gateways keep polling their stopped fakes every 5 s and count in the
            // same series: a quarter of this one's hundred failed reads is more than they could add meanwhile
            assertThat(increase(before, ScrapedMetrics.of(revocationsDown.http), "security_refresh_failures_total",
                                "source", "revocations")).isGreaterThanOrEqualTo(25);
        }
    }

    @Test
    void aMethodHttpDoesNotDefineIsCountedAsOtherAndNeverBecomesALabel() {
        ScrapedMetrics before = ScrapedMetrics.of(gateway.http);

        // whatever they are answered (the fake services answer any method); a real service answers 405
        gateway.raw.send("FROBNICATE", "/api/products/p-1");
        gateway.raw.send("XYZZY", "/api/products");
        String after = gateway.http.send(gateway.http.request("/metrics").header("Accept", "text/plain")).body();

        assertThat(increase(before, ScrapedMetrics.parse(after), "http_server_requests_seconds_count", "method", "other"))
                .isEqualTo(2);
        assertThat(after).doesNotContain("FROBNICATE").doesNotContain("XYZZY");
    }

    @Test
    void aRateLimitedRequestCountsAs429OnTheUnmatchedRoute() {
        try (TestGateway limited = TestGateway.start(Map.of("rate.limit.burst", "1", "rate.limit.per.second", "1"))) {
            limited.products.json("GET", "/api/products/p-1", 200, "{}");
            ScrapedMetrics before = ScrapedMetrics.of(limited.http);

            limited.get("/api/products/p-1");
            assertThat(limited.get("/api/products/p-1").statusCode()).isEqualTo(429);

            // refused before routing: the limiter's 429s are the only ones without a route
            assertThat(increase(before, ScrapedMetrics.of(limited.http), "http_server_requests_seconds_count",
                                "route", "unmatched", "status", "429")).isEqualTo(1);
        }
    }

    private static double increase(ScrapedMetrics before, ScrapedMetrics after, String name, String... labels) {
        assertThat(after.has(name, labels)).as(name + " with " + String.join(",", labels)).isTrue();
        return after.value(name, labels) - before.value(name, labels);
    }

    private static String[] with(String[] labels, String name, String value) {
        String[] more = Arrays.copyOf(labels, labels.length + 2);
        more[labels.length] = name;
        more[labels.length + 1] = value;
        return more;
    }
}
