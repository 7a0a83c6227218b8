package io.example.products;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.example.commons.events.Outbox;
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
 * The bad release's share of failures: with {@code release.fault.error.percent} 30, about 30 % of catalogue
 * requests fail, each a 503 problem naming the injected fault and its request, the rest answered as usual.
 */
@ServerTest
class ReleaseFaultShareHttpTest {
    private static final int REQUESTS = 600;
    private static final int PERCENT = 30;
    private static FakeAuthServer auth;
    private static ProductServiceUnderTest service;

    private final TestHttp http;

    ReleaseFaultShareHttpTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        auth = FakeAuthServer.start();
        service = ProductServiceUnderTest.configure(server, auth, Map.of("release.fault.error.percent", Integer.toString(PERCENT)));
    }

    @AfterAll
    static void stop() {
        service.close();
        auth.close();
    }

    @Test
    void aboutThatShareOfRequestsFailsEachWithAProblemNamingTheFault() {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now();
        new ProductRepository(service.database().client(), new Outbox(Clock.systemUTC()))
                .insert(new Product(id, "F-" + id, "Flaky", "", "test", new BigDecimal("1.00"), "EUR", 9, now, now));
        List<HttpResponse<String>> failed = new ArrayList<>();
        int succeeded = 0;

        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> response = http.get("/api/products/" + id);
            if (response.statusCode() == 200) {
                succeeded++;
            } else {
                failed.add(response);
            }
        }

        // Binomial(600, 0.3): mean 180, standard deviation 11.2; these bounds are more than 5 deviations away, so
        // a correct service fails this about once in ten million runs, and 0 %, 10 % or 50 % never passes
        assertThat(failed).hasSizeBetween(120, 240);
        assertThat(succeeded + failed.size()).isEqualTo(REQUESTS);
        assertThat(failed).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("\"type\":\"https://example.io/problems/release-fault\"",
                                                 "injected release fault", "\"requestId\":\"", "\"traceId\":\"");
        });
    }
}
