package io.example.products;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.DoublePredicate;
import java.util.function.DoubleSupplier;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.ScrapedMetrics;
import io.example.commons.testing.TestHttp;

import io.helidon.dbclient.DbTransaction;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product service's own metrics for its alerts (docs/operations.md), read at {@code /metrics}: holds past
 * their timeout, and its database pool's use. Every hold here expires at once ({@code hold-timeout} 0) and no
 * sweeper runs (Main starts it, not the routing), so a hold stays expired until it is released. The holds'
 * gauge answers the count its previous scrape started, hence the polling.
 */
@ServerTest
class ProductMetricsHttpTest {
    private static final int POOL_SIZE = 2;
    private static FakeAuthServer auth;
    private static ProductServiceUnderTest service;

    private final TestHttp http;

    ProductMetricsHttpTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        auth = FakeAuthServer.start();
        service = ProductServiceUnderTest.configure(server, auth, Map.of("inventory.hold-timeout", "PT0S",
                                                                         "db.pool-size", Integer.toString(POOL_SIZE)));
    }

    @AfterAll
    static void stop() {
        service.close();
        auth.close();
    }

    @Test
    void anUnconfirmedHoldPastItsTimeoutCountsUntilItIsReleased() {
        String orderId = "metrics-" + UUID.randomUUID();
        String product = firstProductId();
        assertThat(eventually(() -> metric("inventory_expired_holds"), 0)).isZero();

        http.postJson("/internal/reservations",
                      "{\"orderId\":\"" + orderId + "\",\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}",
                      orderService());

        assertThat(eventually(() -> metric("inventory_expired_holds"), 1)).isEqualTo(1);

        send("DELETE", "/internal/reservations/" + orderId);

        assertThat(eventually(() -> metric("inventory_expired_holds"), 0)).isZero();
    }

    @Test
    void thePoolShowsItsSizeAndTheConnectionsInUseAndAwaited() throws InterruptedException {
        assertThat(metric("hikaricp_connections_max", "pool", "product-service")).isEqualTo(POOL_SIZE);
        DbTransaction first = service.database().client().transaction();
        DbTransaction second = service.database().client().transaction();
        CountDownLatch waiting = new CountDownLatch(1);
        try {
            first.query("SELECT 1").count();
            second.query("SELECT 1").count();
            Thread.ofVirtual().start(() -> {
                waiting.countDown();
                DbTransaction third = service.database().client().transaction();
                third.query("SELECT 1").count();
                third.rollback();
            });
            waiting.await();

            assertThat(eventually(() -> metric("hikaricp_connections_active", "pool", "product-service"), POOL_SIZE))
                    .isEqualTo(POOL_SIZE);
            // at least: a scrape's count of expired holds waits for a connection too
            assertThat(eventually(() -> metric("hikaricp_connections_pending", "pool", "product-service"),
                                  pending -> pending >= 1)).isGreaterThanOrEqualTo(1);
        } finally {
            first.rollback();
            second.rollback();
        }

        assertThat(eventually(() -> metric("hikaricp_connections_pending", "pool", "product-service"), 0)).isZero();
    }

    private double metric(String name, String... labels) {
        return ScrapedMetrics.of(http).value(name, labels);
    }

    private static double eventually(DoubleSupplier value, double expected) {
        return eventually(value, seen -> seen == expected);
    }

    // the pool's numbers are refreshed at most once a second
    private static double eventually(DoubleSupplier value, DoublePredicate expected) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        double seen = value.getAsDouble();
        while (!expected.test(seen) && Instant.now().isBefore(deadline)) {
            sleep();
            seen = value.getAsDouble();
        }
        return seen;
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String firstProductId() {
        String page = http.get("/api/products?limit=1&inStock=true").body();
        return page.replaceFirst("(?s).*?\"id\":\"([^\"]+)\".*", "$1");
    }

    private static String orderService() {
        return auth.serviceToken("order-service", "inventory");
    }

    private void send(String method, String path) {
        http.send(http.request(path).method(method, HttpRequest.BodyPublishers.noBody())
                          .header("Authorization", "Bearer " + orderService()));
    }
}
