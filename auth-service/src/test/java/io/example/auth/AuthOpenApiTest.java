package io.example.auth;

import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.DocumentedRoutes;
import io.example.commons.testing.RouteRecorder;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

/**
 * The auth service's OpenAPI document against the routes Main registers.
 */
class AuthOpenApiTest {
    @Test
    void everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() throws Exception {
        Config config = Config.just(ConfigSources.create(Map.of("server.port", "0", "db.url", TestDatabases.h2Url())),
                                    ConfigSources.classpath("application.yaml"));
        Database database = Database.start(config.get("db"), "auth-service");
        RouteRecorder recorder = new RouteRecorder();
        WebServer server = ServiceServer.start(config, routing -> Main.routing(recorder.around(routing), config, database),
                                               List.of(database.readiness()));
        try {
            DocumentedRoutes.assertMatch(new TestHttp("http://localhost:" + server.port()), recorder);
        } finally {
            server.stop();
        }
    }
}
