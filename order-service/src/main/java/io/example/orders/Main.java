package io.example.orders;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import io.example.commons.client.ServiceClients;
import io.example.commons.db.Database;
import io.example.commons.events.EventSettings;
import io.example.commons.events.Outbox;
import io.example.commons.events.OutboxRelay;
import io.example.commons.security.BearerAuth;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.security.ServiceTokens;
import io.example.commons.server.PeriodicTask;
import io.example.commons.server.ServiceServer;
import io.example.commons.tracing.Tracing;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts the order service: reads config, opens its database (with the events outbox), wires its pieces by
 * hand, starts the sweeper and the outbox relay (which publishes the orders' events to Kafka; without
 * {@code KAFKA_BOOTSTRAP_SERVERS} they wait in the outbox), serves HTTP ({@link OrderRoutes}, mounted at
 * {@code /api/orders}).
 */
public final class Main {
    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());
    // who this service is to the others (its service tokens' client id, its events' source)
    private static final String CLIENT_ID = "order-service";

    private Main() {
    }

    /**
     * @param args ignored; configuration comes from application.yaml and the environment
     */
    public static void main(String[] args) {
        Config config = ServiceServer.loadConfig();
        Tracing.start("order-service");
        Database database = database(config);
        OrderRepository orders = new OrderRepository(database.client(), new Outbox(Clock.systemUTC()));
        ProductClient products = productClient(config);
        PendingOrderSweeper sweeper = new PendingOrderSweeper(orders, products, Clock.systemUTC(),
                                                              config.get("sweeper.pending-timeout").as(Duration.class).get());
        PeriodicTask.start("order-sweeper", config.get("sweeper.interval").as(Duration.class).get(), sweeper::sweep);
        OutboxRelay.start(database.client(), EventSettings.from(config, CLIENT_ID));
        WebServer server = ServiceServer.start(config, routing -> routing(routing, config, orders, products),
                                               List.of(database.readiness()));
        LOGGER.info(() -> "order-service listening on http://localhost:" + server.port());
    }

    /**
     * @param config root config
     * @return the service's database ({@code db.*}), migrated, with the events outbox
     */
    static Database database(Config config) {
        return Database.start(config.get("db"), CLIENT_ID, Database.SharedSchema.OUTBOX);
    }

    /**
     * @param config root config
     * @return the product service client ({@code product.service.*}), sending this service's service token
     */
    static ProductClient productClient(Config config) {
        ServiceTokens identity = ServiceTokens.create(config, CLIENT_ID);
        return new ProductClient(ServiceClients.create(config.get("product.service"), identity.clientService()));
    }

    /**
     * The service's routes; tests call this same method.
     *
     * @param routing  routing to add to
     * @param config   root config
     * @param orders   order repository
     * @param products product service client
     */
    static void routing(HttpRouting.Builder routing, Config config, OrderRepository orders, ProductClient products) {
        BearerAuth bearer = new BearerAuth(JwtVerifier.create(JwksCache.create(config), config));
        OrderService service = new OrderService(orders, products, Clock.systemUTC(),
                                                config.get("orders.replay-wait").as(Duration.class).get());
        routing.register("/api/orders", new OrderRoutes(service, bearer));
    }
}
