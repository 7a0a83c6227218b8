package io.example.gateway;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a client gets when a service behind the gateway fails: quick 503/504 problems, a backend's own
 * problem passed through, anything else replaced; and the request id and trace headers reach the service.
 */
class BackendFailureTest {

    @Test
    void aStoppedServiceGives503Quickly() {
        try (TestGateway gateway = TestGateway.start(Map.of("cache.ttl.seconds", "0"))) {
            gateway.products.close();
            Instant start = Instant.now();

            HttpResponse<String> response = gateway.get("/api/products/p-1");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.headers().firstValue("Retry-After")).isPresent();
            assertThat(response.body()).contains("product-service").doesNotContain("localhost").doesNotContain("Exception");
        }
    }

    @Test
    void aStoppedServiceGives503ThroughTheCacheToo() {
        try (TestGateway gateway = TestGateway.start()) {
            gateway.products.close();

            assertThat(gateway.get("/api/products?q=x").statusCode()).isEqualTo(503);
        }
    }

    @Test
    void aSlowServiceGives504AfterTheReadTimeout() {
        try (TestGateway gateway = TestGateway.start(Map.of("order.service.read-timeout", "PT0.5S"))) {
            gateway.orders.hang("GET", "/api/orders");
            Instant start = Instant.now();

            HttpResponse<String> response = gateway.send("GET", "/api/orders", gateway.tokens.token("u-1", "USER"), null);

            assertThat(response.statusCode()).isEqualTo(504);
            assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(3));
            assertThat(response.body()).contains("order-service did not answer in time");
        }
    }

    @Test
    void aSlowServiceGives504OnCachedReads() {
        try (TestGateway gateway = TestGateway.start(Map.of("product.service.read-timeout", "PT0.5S"))) {
            gateway.products.hang("GET", "/api/products/p-slow");

            assertThat(gateway.get("/api/products/p-slow").statusCode()).isEqualTo(504);
        }
    }

    @Test
    void aServiceProblemIsPassedThrough() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,\"detail\":\"db down\"}";
        try (TestGateway gateway = TestGateway.start()) {
            gateway.auth.on("POST", "/api/auth/login", (req, res) -> {
                res.status(Status.SERVICE_UNAVAILABLE_503);
                res.header(HeaderNames.CONTENT_TYPE, "application/problem+json");
                res.send(problem);
            });

            HttpResponse<String> response = gateway.send("POST", "/api/auth/login", null, "{}");

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).isEqualTo(problem);
        }
    }

    @Test
    void aServiceErrorThatIsNotAProblemIsReplaced() {
        try (TestGateway gateway = TestGateway.start()) {
            gateway.orders.on("GET", "/api/orders", (req, res) -> {
                res.status(Status.INTERNAL_SERVER_ERROR_500);
                res.header(HeaderNames.CONTENT_TYPE, "text/html");
                res.send("<html>java.lang.NullPointerException at Foo.bar</html>");
            });

            HttpResponse<String> response = gateway.send("GET", "/api/orders", gateway.tokens.token("u-1", "USER"), null);

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("order-service failed").doesNotContain("NullPointerException");
        }
    }

    @Test
    void theRequestIdAndTraceHeadersReachTheService() {
        try (TestGateway gateway = TestGateway.start()) {
            String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

            HttpResponse<String> response = gateway.http.send(gateway.http.request("/api/products/categories")
                                                                      .header("X-Request-Id", "rid-42")
                                                                      .header("traceparent", traceparent)
                                                                      .header("b3", "80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1"));

            assertThat(response.headers().firstValue("X-Request-Id")).hasValue("rid-42");
            FakeBackend.Seen seen = gateway.products.requests().getFirst();
            assertThat(seen.header("X-Request-Id")).isEqualTo("rid-42");
            assertThat(seen.header("traceparent")).isEqualTo(traceparent);
            // the two forms disagreed: traceparent is the trace continued, and B3 now names it too
            assertThat(seen.header("b3")).isEqualTo("0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1");
        }
    }

    @Test
    void aGeneratedRequestIdIsReturnedAndPassedOn() {
        try (TestGateway gateway = TestGateway.start()) {
            HttpResponse<String> response = gateway.send("POST", "/api/auth/register", null, "{}");

            String requestId = response.headers().firstValue("X-Request-Id").orElseThrow();
            assertThat(gateway.auth.requests()).filteredOn(seen -> seen.path().equals("/api/auth/register"))
                    .singleElement()
                    .satisfies(seen -> assertThat(seen.header("X-Request-Id")).isEqualTo(requestId));
        }
    }

    @Test
    void theGatewayIsReadyOnlyOnceItHasTheKeys() {
        try (TestGateway gateway = TestGateway.start()) {
            assertThat(gateway.get("/health/ready").statusCode()).isEqualTo(200);
        }
        try (TestGateway gateway = TestGateway.start()) {
            gateway.auth.close();

            HttpResponse<String> ready = gateway.get("/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
        }
    }
}
