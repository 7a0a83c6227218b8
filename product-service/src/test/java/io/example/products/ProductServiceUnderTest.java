package io.example.products;

import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;

/**
 * The product service as its HTTP tests run it, on the server {@code @ServerTest} starts: a fresh H2 file, a
 * fake auth service, and the routes {@code Main} registers.
 */
final class ProductServiceUnderTest {
    private ProductServiceUnderTest() {
    }

    /**
     * @param server the server builder of {@code @SetUpServer}
     * @param auth   the auth service it reads keys from
     */
    static void configure(WebServerConfig.Builder server, FakeAuthServer auth) {
        Config config = TestConfig.of(Map.of(
                "server.port", "0",
                "db.url", TestDatabases.h2Url(),
                "auth.service.url", auth.url()));
        Database database = Main.database(config);
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, database),
                                List.of(database.readiness()));
    }
}
