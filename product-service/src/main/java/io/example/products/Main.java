package io.example.products;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import io.example.commons.db.Database;
import io.example.commons.security.BearerAuth;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.server.PeriodicTask;
import io.example.commons.server.ServiceServer;
import io.example.products.catalogue.Catalogue;
import io.example.products.catalogue.ProductRepository;
import io.example.products.catalogue.ProductRoutes;
import io.example.products.inventory.ExpiredHoldSweeper;
import io.example.products.inventory.Inventory;
import io.example.products.inventory.InventoryCallerCheck;
import io.example.products.inventory.ReservationRoutes;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts the product service: reads config, opens its database, wires its pieces by hand, starts the
 * sweeper of expired holds, serves HTTP. Two features, each in its package: the public catalogue
 * ({@code catalogue}, mounted at {@code /api/products}) and the inventory API the order service reserves
 * stock through ({@code inventory}, at {@code /internal/reservations}, every {@code /internal} request
 * checked for the order service's token first).
 */
public final class Main {
    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * @param args ignored; configuration comes from application.yaml and the environment
     */
    public static void main(String[] args) {
        Config config = ServiceServer.loadConfig();
        Database database = Database.start(config.get("db"), "product-service");
        ExpiredHoldSweeper holds = new ExpiredHoldSweeper(new Inventory(database.client(), Clock.systemUTC()),
                                                          Clock.systemUTC(),
                                                          config.get("inventory.hold-timeout").as(Duration.class).get());
        PeriodicTask.start("hold-sweeper", config.get("inventory.sweep-interval").as(Duration.class).get(), holds::sweep);
        WebServer server = ServiceServer.start(config, routing -> routing(routing, config, database),
                                               List.of(database.readiness()));
        LOGGER.info(() -> "product-service listening on http://localhost:" + server.port());
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
        Catalogue catalogue = new Catalogue(new ProductRepository(database.client()), clock);
        Inventory inventory = new Inventory(database.client(), clock);
        routing.register("/api/products", new ProductRoutes(catalogue, bearer));
        routing.register("/internal", new InventoryCallerCheck(bearer));
        routing.register("/internal/reservations", new ReservationRoutes(inventory));
    }
}
