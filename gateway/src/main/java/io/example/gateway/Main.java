package io.example.gateway;

import java.util.List;
import java.util.logging.Logger;

import io.example.commons.server.ServiceServer;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts the gateway, the only entry point: reads config, builds a client per backend, serves HTTP.
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
        WebServer server = ServiceServer.start(config, routing -> routing(routing, config), List.of());
        LOGGER.info(() -> "gateway listening on http://localhost:" + server.port());
    }

    /**
     * The gateway's routes; tests call this same method.
     *
     * @param routing routing to add to
     * @param config  root config
     */
    static void routing(HttpRouting.Builder routing, Config config) {
        Backend auth = Backend.create("auth-service", config.get("auth.service"), "http://localhost:8081");
        Backend products = Backend.create("product-service", config.get("product.service"), "http://localhost:8082");
        Backend orders = Backend.create("order-service", config.get("order.service"), "http://localhost:8083");
        routing.register(new ProxyRoutes(auth, products, orders));
    }
}
