package io.example.products;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.DocumentedRoutes;
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
 * The product service's OpenAPI document against the routes Main registers.
 */
@ServerTest
class ProductOpenApiTest {
    private static final RouteRecorder RECORDER = new RouteRecorder();
    private final TestHttp http;

    ProductOpenApiTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        // the JWKS is fetched only when a token is checked, and this test sends none
        Config config = TestConfig.of(Map.of("server.port", "0", "db.url", TestDatabases.h2Url(),
                                             "auth.service.url", "http://localhost:9"));
        Database database = Main.database(config);
        ServiceServer.configure(server, config, routing -> Main.routing(RECORDER.around(routing), config, database),
                                List.of(database.readiness()));
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() throws Exception {
        DocumentedRoutes.assertMatch(http, RECORDER);
    }
}
