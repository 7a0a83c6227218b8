package io.example.orders;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.example.commons.db.Database;
import io.example.commons.events.EventSettings;
import io.example.commons.events.Outbox;
import io.example.commons.events.OutboxRelay;
import io.example.commons.security.ServiceTokens;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;

/**
 * The order service as its HTTP tests run it, on the server {@code @ServerTest} starts: a fresh H2 file, a fake
 * auth and product service, the routes {@code Main} registers, and its outbox relay when the test names a broker
 * ({@code kafka.bootstrap.servers}).
 *
 * @param config        the config it runs with
 * @param database      its database
 * @param repository    its orders
 * @param productClient its product service client
 * @param relay         its outbox relay, running when a broker is configured; the test closes it
 */
record OrderServiceUnderTest(Config config, Database database, OrderRepository repository, ProductClient productClient,
                             Optional<OutboxRelay> relay) {
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
        Database database = Main.database(config);
        OrderRepository repository = new OrderRepository(database.client(), new Outbox(Clock.systemUTC()));
        ProductClient productClient = Main.productClient(config);
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, repository, productClient),
                                List.of(database.readiness()));
        Optional<OutboxRelay> relay = OutboxRelay.start(database.client(), EventSettings.from(config, "order-service"));
        return new OrderServiceUnderTest(config, database, repository, productClient, relay);
    }
}
