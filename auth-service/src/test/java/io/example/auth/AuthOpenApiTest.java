package io.example.auth;

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
 * The auth service's OpenAPI document against the routes Main registers.
 */
@ServerTest
class AuthOpenApiTest {
    private static final RouteRecorder RECORDER = new RouteRecorder();
    private final TestHttp http;

    AuthOpenApiTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = TestConfig.of(Map.of("server.port", "0", "db.url", TestDatabases.h2Url()));
        Database database = Database.start(config.get("db"), "auth-service");
        ServiceServer.configure(server, config, routing -> Main.routing(RECORDER.around(routing), config, database),
                                List.of(database.readiness()));
    }

    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() throws Exception {
        DocumentedRoutes.assertMatch(http, RECORDER);
    }
}
