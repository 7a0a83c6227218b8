package io.example.e2e;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.example.commons.testing.TestHttp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The four processes come up, answer health and metrics, and the gateway carries the request id to the
 * service it calls.
 */
class StackHealthTest {
    private final ServiceStack stack = ServiceStack.get();

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "auth-service", "product-service", "order-service"})
    void everyServiceIsLiveAndReady(String service) {
        TestHttp http = stack.http(service);

        HttpResponse<String> live = http.get("/health/live");
        HttpResponse<String> ready = http.get("/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "auth-service", "product-service", "order-service"})
    void everyServicePublishesPrometheusMetrics(String service) {
        HttpResponse<String> metrics = stack.http(service)
                .send(stack.http(service).request("/metrics").header("Accept", "text/plain"));

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE");
    }

    @Test
    void gatewayPassesTheRequestIdToTheService() {
        String requestId = "e2e-" + UUID.randomUUID();
        TestHttp gateway = stack.http("gateway");

        // a query of its own: a path another test read may be answered from the gateway's cache, never reaching
        // the service
        HttpResponse<String> response = gateway.send(gateway.request("/api/products?q=" + UUID.randomUUID())
                                                              .header("X-Request-Id", requestId));

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue(requestId);
        assertThat(stack.eventuallyLogged("product-service", requestId)).isTrue();
    }

    @Test
    void gatewayNeverRoutesInternalPaths() {
        TestHttp gateway = stack.http("gateway");

        assertThat(gateway.get("/internal/reservations").statusCode()).isEqualTo(404);
        assertThat(gateway.get("/api/products/%2e%2e/internal/reservations").statusCode()).isEqualTo(400);
    }
}
