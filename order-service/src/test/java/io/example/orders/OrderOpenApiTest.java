package io.example.orders;

import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.security.ServiceTokens;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.DocumentedRoutes;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.RouteRecorder;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

/**
 * The order service's OpenAPI document against the routes Main registers.
 */
class OrderOpenApiTest {
    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() throws Exception {
        // neither the JWKS nor the product service is called: this test sends no token
        Config config = Config.just(ConfigSources.create(Map.of("server.port", "0", "db.url", TestDatabases.h2Url(),
                                                                "auth.service.url", "http://localhost:9",
                                                                "product.service.url", "http://localhost:9",
                                                                ServiceTokens.secretKey(FakeAuthServer.SERVICE_CLIENT), FakeAuthServer.SERVICE_SECRET)));
        Database database = Database.start(config.get("db"), "order-service");
        OrderRepository orders = new OrderRepository(database.client());
        RouteRecorder recorder = new RouteRecorder();
        WebServer server = ServiceServer.start(config, routing -> Main.routing(recorder.around(routing), config, orders,
                                                                              Main.productClient(config)),
                                               List.of(database.readiness()));
        try {
            DocumentedRoutes.assertMatch(new TestHttp("http://localhost:" + server.port()), recorder);
        } finally {
            server.stop();
        }
    }
}
