package io.example.orders;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.security.ServiceTokens;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;

/**
 * The order service as its HTTP tests run it, on the server {@code @ServerTest} starts: a fresh H2 file, a fake
 * auth and product service, and the routes {@code Main} registers.
 *
 * @param config        the config it runs with
 * @param repository    its orders
 * @param productClient its product service client
 */
record OrderServiceUnderTest(Config config, OrderRepository repository, ProductClient productClient) {
    /**
     * @param server   the server builder of {@code @SetUpServer}
     * @param auth     the auth service it reads keys and service tokens from
     * @param products the product service it reserves stock at
     * @param more     keys of the test's own, over the ones above
     * @return what a test may look at besides HTTP
     */
    static OrderServiceUnderTest configure(WebServerConfig.Builder server, FakeAuthServer auth,
                                           FakeProductService products, Map<String, String> more) {
        Map<String, String> keys = new HashMap<>(Map.of(
                "server.port", "0",
                "db.url", TestDatabases.h2Url(),
                "auth.service.url", auth.url(),
                "product.service.url", products.url(),
                ServiceTokens.secretKey(FakeAuthServer.SERVICE_CLIENT), FakeAuthServer.SERVICE_SECRET));
        keys.putAll(more);
        Config config = TestConfig.of(keys);
        Database database = Database.start(config.get("db"), "order-service");
        OrderRepository repository = new OrderRepository(database.client());
        ProductClient productClient = Main.productClient(config);
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, repository, productClient),
                                List.of(database.readiness()));
        return new OrderServiceUnderTest(config, repository, productClient);
    }
}
