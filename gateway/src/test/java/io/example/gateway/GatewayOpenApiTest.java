package io.example.gateway;

import java.util.List;
import java.util.Map;

import io.example.commons.security.JwksCache;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.DocumentedRoutes;
import io.example.commons.testing.RouteRecorder;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's OpenAPI document against the routes Main registers. That every backend operation under
 * {@code /api} is in it, with the backend's shapes, is checked in e2e against the documents the running
 * services serve.
 */
class GatewayOpenApiTest {
    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() {
        // no backend is called: the HTTP checks are of the gateway's own endpoints
        Config config = Config.just(ConfigSources.create(Map.of("server.port", "0",
                                                                "auth.service.url", "http://localhost:9",
                                                                "product.service.url", "http://localhost:9",
                                                                "order.service.url", "http://localhost:9")));
        JwksCache jwks = JwksCache.create(config);
        RouteRecorder recorder = new RouteRecorder();
        WebServer server = ServiceServer.start(config, routing -> Main.routing(recorder.around(routing), config, jwks),
                                               List.of(jwks.readiness()));
        try {
            DocumentedRoutes.assertMatch(new TestHttp("http://localhost:" + server.port()), recorder);
        } finally {
            server.stop();
        }
    }

    @Test
    void servesItsOwnDocumentWithoutCallingABackend() {
        try (TestGateway gateway = TestGateway.start()) {
            var document = gateway.get(ServiceServer.OPENAPI_PATH);

            assertThat(document.statusCode()).isEqualTo(200);
            assertThat(document.headers().firstValue("RateLimit-Limit")).isPresent();
            assertThat(gateway.get("/api" + ServiceServer.OPENAPI_PATH).statusCode()).isEqualTo(404);
            assertThat(gateway.get(ServiceServer.OPENAPI_PATH + "/x").statusCode()).isEqualTo(404);
            // its own route label in the metrics, like the other endpoints ServiceServer adds
            assertThat(gateway.get("/metrics", "Accept", "text/plain").body())
                    .contains("method=\"GET\",route=\"/openapi\"");
            assertThat(document.body()).contains("title: gateway");
            assertThat(DocumentedRoutes.operations(document.body()))
                    .extracting(DocumentedRoutes.Operation::path)
                    .noneMatch(path -> path.startsWith("/internal"));
            // the auth backend may only have been asked for the JWKS
            assertThat(gateway.auth.requests()).extracting(FakeBackend.Seen::path).doesNotContain(ServiceServer.OPENAPI_PATH);
            assertThat(gateway.products.requests()).isEmpty();
            assertThat(gateway.orders.requests()).isEmpty();
        }
    }
}
