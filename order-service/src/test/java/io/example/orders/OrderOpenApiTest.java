package io.example.orders;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.events.Outbox;
import io.example.commons.security.ServiceTokens;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.DocumentedRoutes;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.RouteRecorder;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

/**
 * The order service's OpenAPI document against the routes Main registers.
 */
@ServerTest
class OrderOpenApiTest {
    private static final RouteRecorder RECORDER = new RouteRecorder();
    private final TestHttp http;

    OrderOpenApiTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        // neither the JWKS nor the product service is called: this test sends no token
        Config config = TestConfig.of(Map.of("server.port", "0", "db.url", TestDatabases.h2Url(),
                                             "auth.service.url", "http://localhost:9",
                                             "product.service.url", "http://localhost:9",
                                             ServiceTokens.secretKey(FakeAuthServer.SERVICE_CLIENT), FakeAuthServer.SERVICE_SECRET));
        Database database = Main.database(config);
        OrderRepository orders = new OrderRepository(database.client(), new Outbox(Clock.systemUTC()));
        ServiceServer.configure(server, config, routing -> Main.routing(RECORDER.around(routing), config, orders,
                                                                        Main.productClient(config)),
                                List.of(database.readiness()));
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() throws Exception {
        DocumentedRoutes.assertMatch(http, RECORDER);
    }
}
