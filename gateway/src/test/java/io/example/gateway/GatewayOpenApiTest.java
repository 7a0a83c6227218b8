package io.example.gateway;

import java.net.URI;
import java.util.Map;

import io.example.commons.server.ServiceServer;
import io.example.commons.testing.DocumentedRoutes;
import io.example.commons.testing.RouteRecorder;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's OpenAPI document against the routes Main registers. That every backend operation under
 * {@code /api} is in it, with the backend's shapes, is checked in e2e against the documents the running
 * services serve.
 */
@ServerTest
class GatewayOpenApiTest {
    private static final RouteRecorder RECORDER = new RouteRecorder();
    private static FakeServices services;
    private final GatewayClient gateway;

    GatewayOpenApiTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        FakeServices.configure(server, services.config(Map.of()), RECORDER::around);
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() {
        // only the gateway's own endpoints are called: no backend is
        DocumentedRoutes.assertMatch(gateway.http, RECORDER);
    }

    @Test
    void servesItsOwnDocumentWithoutCallingABackend() {
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
