package io.example.products;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import io.example.commons.events.Outbox;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestHttp;
import io.example.products.catalogue.Product;
import io.example.products.catalogue.ProductRepository;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the bad release's fault reaches, with every catalogue request failed and delayed: all of
 * {@code /api/products}, after the delay, and nothing else. Health, metrics and OpenAPI answer at once, and
 * the order service's reservations keep moving stock exactly.
 */
@ServerTest
class ReleaseFaultScopeHttpTest {
    // long enough that a cold first call of a route that is not delayed stays well under it on a busy machine
    private static final Duration DELAY = Duration.ofSeconds(2);
    private static FakeAuthServer auth;
    private static ProductServiceUnderTest service;

    private final TestHttp http;

    ReleaseFaultScopeHttpTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        auth = FakeAuthServer.start();
        service = ProductServiceUnderTest.configure(server, auth, Map.of("release.fault.error.percent", "100",
                                                                         "release.fault.delay", DELAY.toString()));
    }

    @AfterAll
    static void stop() {
        service.close();
        auth.close();
    }

    @Test
    void everyCatalogueRouteFailsAfterTheDelayAndIsCountedUnderItsRoute() {
        String admin = "Bearer " + auth.token("admin-1", "ADMIN");

        Timed<HttpResponse<String>> one = timed(() -> http.get("/api/products/" + UUID.randomUUID()));
        Timed<HttpResponse<String>> list = timed(() -> http.get("/api/products"));
        Timed<HttpResponse<String>> write = timed(() -> http.send(
                http.request("/api/products").header("Authorization", admin).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))));

        for (Timed<HttpResponse<String>> call : List.of(one, list, write)) {
            assertThat(call.value().statusCode()).isEqualTo(503);
            assertThat(call.value().body()).contains("release-fault");
            assertThat(call.elapsed()).isGreaterThanOrEqualTo(DELAY);
        }
        // the metrics registry is the JVM's, shared with other tests: only this one has a write answered 503
        assertThat(http.send(http.request("/metrics").header("Accept", "text/plain")).body())
                .contains("{method=\"POST\",route=\"/api/products\",scope=\"application\",status=\"503\"");
    }

    @Test
    void healthMetricsAndTheDocumentAreNeitherFailedNorDelayed() {
        for (String path : List.of("/health/live", "/health/ready", "/metrics", ServiceServer.OPENAPI_PATH)) {
            Timed<HttpResponse<String>> call = timed(() -> http.get(path));

            assertThat(call.value().statusCode()).as(path).isEqualTo(200);
            assertThat(call.elapsed()).as(path).isLessThan(DELAY);
        }
    }

    @Test
    void reservationsAreNeitherFailedNorDelayedAndMoveStockExactly() {
        ProductRepository products = new ProductRepository(service.database().client(), new Outbox(Clock.systemUTC()));
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        products.insert(new Product(id, "R-" + id, "Steady", "", "test", new BigDecimal("2.00"), "EUR", 10, now, now));
        String orderService = auth.serviceToken("order-service", "inventory");
        String orderId = "fault-" + id;

        Timed<HttpResponse<String>> reserved = timed(() -> http.postJson("/internal/reservations",
                "{\"orderId\":\"" + orderId + "\",\"items\":[{\"productId\":\"" + id + "\",\"quantity\":3}]}", orderService));
        int held = products.find(id).orElseThrow().stock();
        Timed<HttpResponse<String>> confirmed = timed(() -> http.send(
                http.request("/internal/reservations/" + orderId + "/confirm").header("Authorization", "Bearer " + orderService)
                        .POST(HttpRequest.BodyPublishers.noBody())));
        Timed<HttpResponse<String>> released = timed(() -> http.send(
                http.request("/internal/reservations/" + orderId).header("Authorization", "Bearer " + orderService).DELETE()));

        assertThat(reserved.value().statusCode()).isEqualTo(201);
        assertThat(held).isEqualTo(7);
        assertThat(confirmed.value().statusCode()).isEqualTo(204);
        assertThat(released.value().statusCode()).isEqualTo(204);
        assertThat(products.find(id).orElseThrow().stock()).isEqualTo(10);
        assertThat(List.of(reserved, confirmed, released)).allSatisfy(call -> assertThat(call.elapsed()).isLessThan(DELAY));
    }

    private record Timed<T>(T value, Duration elapsed) {
    }

    private static <T> Timed<T> timed(Supplier<T> call) {
        long start = System.nanoTime();
        T value = call.get();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }
}
