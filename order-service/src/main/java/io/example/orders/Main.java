package io.example.orders;

import java.util.List;
import java.util.logging.Logger;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts the order-service: reads config, opens its database, wires its pieces by hand, serves HTTP.
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
        Database database = Database.start(config.get("db"), "order-service");
        WebServer server = ServiceServer.start(config, routing -> routing(routing, config, database),
                                               List.of(database.readiness()));
        LOGGER.info(() -> "order-service listening on http://localhost:" + server.port());
    }

    /**
     * The service's routes; tests call this same method.
     *
     * @param routing  routing to add to
     * @param config   root config
     * @param database the service's database
     */
    static void routing(HttpRouting.Builder routing, Config config, Database database) {
    }
}
