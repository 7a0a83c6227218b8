package io.example.products;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.example.commons.db.Database;
import io.example.commons.events.EventConsumer;
import io.example.commons.events.EventSettings;
import io.example.commons.events.Outbox;
import io.example.commons.events.OutboxRelay;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;
import io.example.products.inventory.Inventory;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;

/**
 * The product service as its HTTP tests run it, on the server {@code @ServerTest} starts: a fresh H2 file, a
 * fake auth service, the routes {@code Main} registers, and, when the test names a broker
 * ({@code kafka.bootstrap.servers}), its outbox relay and its consumer of order events, as {@code Main} starts them.
 *
 * @param database its database
 * @param relay    its outbox relay, running when a broker is configured
 * @param consumer its consumer of order events, running when a broker is configured
 */
record ProductServiceUnderTest(Database database, Optional<OutboxRelay> relay, Optional<EventConsumer> consumer)
        implements AutoCloseable {
    /**
     * @param server the server builder of {@code @SetUpServer}
     * @param auth   the auth service it reads keys from
     * @return what a test may look at besides HTTP
     */
    static ProductServiceUnderTest configure(WebServerConfig.Builder server, FakeAuthServer auth) {
        return configure(server, auth, Map.of());
    }

    /**
     * @param server the server builder
     * @param auth   the auth service it reads keys from
     * @param more   keys of the test's own, over the ones above
     * @return what a test may look at besides HTTP
     */
    static ProductServiceUnderTest configure(WebServerConfig.Builder server, FakeAuthServer auth, Map<String, String> more) {
        Map<String, String> keys = new HashMap<>(Map.of(
                "server.port", "0",
                "db.url", TestDatabases.h2Url(),
                "auth.service.url", auth.url()));
        keys.putAll(more);
        Config config = TestConfig.of(keys);
        Database database = Main.database(config);
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, database),
                                List.of(database.readiness()));
        EventSettings events = EventSettings.from(config, "product-service");
        Optional<OutboxRelay> relay = OutboxRelay.start(database.client(), events);
        Optional<EventConsumer> consumer = Main.releaseCancelledOrders(
                events, new Inventory(database.client(), new Outbox(Clock.systemUTC()), Clock.systemUTC()));
        return new ProductServiceUnderTest(database, relay, consumer);
    }

    /** Stop reading and relaying, as the service's shutdown does. */
    @Override
    public void close() {
        consumer.ifPresent(EventConsumer::close);
        relay.ifPresent(OutboxRelay::close);
    }
}
