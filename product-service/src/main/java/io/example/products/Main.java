package io.example.products;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import io.example.commons.db.Database;
import io.example.commons.events.EventConsumer;
import io.example.commons.events.EventSettings;
import io.example.commons.events.Outbox;
import io.example.commons.events.OutboxRelay;
import io.example.commons.events.Subscription;
import io.example.commons.events.Topics;
import io.example.commons.security.BearerAuth;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.server.PeriodicTask;
import io.example.commons.server.ServiceServer;
import io.example.commons.tracing.Tracing;
import io.example.products.catalogue.Catalogue;
import io.example.products.catalogue.ProductRepository;
import io.example.products.catalogue.ProductRoutes;
import io.example.products.catalogue.ProductView;
import io.example.products.inventory.CancelledOrderReleases;
import io.example.products.inventory.ExpiredHoldSweeper;
import io.example.products.inventory.ExpiredHoldsGauge;
import io.example.products.inventory.Inventory;
import io.example.products.inventory.InventoryCallerCheck;
import io.example.products.inventory.ReservationRoutes;
import io.example.products.release.ReleaseFault;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts the product service: reads config, opens its database (with the events outbox), wires its pieces by
 * hand, starts the sweeper of expired holds, the outbox relay (the catalogue's and the stock's events to
 * Kafka) and the consumer of order events (a cancelled order's stock comes back), serves HTTP. Without
 * {@code KAFKA_BOOTSTRAP_SERVERS} events wait in the outbox and none are read; readiness never depends on
 * Kafka. Two features, each in its package: the public catalogue ({@code catalogue}, mounted at
 * {@code /api/products}) and the inventory API the order service reserves stock through ({@code inventory},
 * at {@code /internal/reservations}, every {@code /internal} request checked for the order service's token
 * first). Two settings make the canary releases of the same code (issue 18, docs/canary.md): products answered
 * with their availability (v2, {@code PRODUCT_AVAILABILITY}), and a bad release's injected faults on the
 * catalogue only ({@code release}, {@code RELEASE_FAULT_*}); an invalid value of either stops the start. Beside
 * the metrics every service has, {@code inventory_expired_holds} ({@code ExpiredHoldsGauge}).
 */
public final class Main {
    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());
    private static final String SERVICE = "product-service";

    private Main() {
    }

    /**
     * @param args ignored; configuration comes from application.yaml and the environment
     */
    public static void main(String[] args) {
        Config config = ServiceServer.loadConfig();
        Tracing.start("product-service");
        Database database = database(config);
        Inventory inventory = new Inventory(database.client(), new Outbox(Clock.systemUTC()), Clock.systemUTC());
        ExpiredHoldSweeper holds = new ExpiredHoldSweeper(inventory, Clock.systemUTC(),
                                                          config.get("inventory.hold-timeout").as(Duration.class).get());
        PeriodicTask.start("hold-sweeper", config.get("inventory.sweep-interval").as(Duration.class).get(), holds::sweep);
        EventSettings events = EventSettings.from(config, SERVICE);
        OutboxRelay.start(database.client(), events);
        releaseCancelledOrders(events, inventory);
        WebServer server = ServiceServer.start(config, routing -> routing(routing, config, database),
                                               List.of(database.readiness()));
        LOGGER.info(() -> "product-service listening on http://localhost:" + server.port());
    }

    /**
     * @param config root config
     * @return the service's database ({@code db.*}), migrated, with the events outbox
     */
    static Database database(Config config) {
        return Database.start(config.get("db"), SERVICE, Database.SharedSchema.OUTBOX);
    }

    /**
     * Read the {@code orders} topic, as one consumer group with the service's other replicas, and release the
     * stock of each cancelled order; tests call this same method.
     *
     * @param events    event settings
     * @param inventory the inventory
     * @return the consumer (it closes itself at shutdown), running when a broker is configured
     */
    static Optional<EventConsumer> releaseCancelledOrders(EventSettings events, Inventory inventory) {
        return EventConsumer.start(events, Subscription.sharedByReplicas(SERVICE, Topics.ORDERS),
                                   new CancelledOrderReleases(inventory));
    }

    /**
     * The service's routes; tests call this same method.
     *
     * @param routing  routing to add to
     * @param config   root config
     * @param database the service's database
     */
    static void routing(HttpRouting.Builder routing, Config config, Database database) {
        Clock clock = Clock.systemUTC();
        BearerAuth bearer = new BearerAuth(JwtVerifier.create(JwksCache.create(config), config));
        Outbox outbox = new Outbox(clock);
        Catalogue catalogue = new Catalogue(new ProductRepository(database.client(), outbox), clock);
        Inventory inventory = new Inventory(database.client(), outbox, clock);
        ExpiredHoldsGauge.register(inventory, clock, config.get("inventory.hold-timeout").as(Duration.class).get());
        routing.register("/api/products", new ProductRoutes(catalogue, ProductView.from(config), bearer,
                                                            ReleaseFault.from(config)));
        routing.register("/internal", new InventoryCallerCheck(bearer));
        routing.register("/internal/reservations", new ReservationRoutes(inventory));
    }
}
