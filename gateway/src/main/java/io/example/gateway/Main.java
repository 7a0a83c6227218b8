package io.example.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

import io.example.commons.security.BearerAuth;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.server.ServiceServer;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts the gateway, the only entry point: reads config, builds a client per backend, the JWT verifier,
 * the rate limits, the product cache and the overview, and serves HTTP. Ready once the JWKS is loaded.
 */
public final class Main {
    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * @param args ignored; configuration comes from application.yaml and the environment
     */
    public static void main(String[] args) {
        WebServer server = start(ServiceServer.loadConfig());
        LOGGER.info(() -> "gateway listening on http://localhost:" + server.port());
    }

    /**
     * Start the gateway as configured; tests call this same method.
     *
     * @param config root config
     * @return the started server
     */
    static WebServer start(Config config) {
        JwksCache jwks = JwksCache.create(config);
        return ServiceServer.start(config, routing -> routing(routing, config, jwks), List.of(jwks.readiness()));
    }

    /**
     * The gateway's filter and routes.
     *
     * @param routing routing to add to
     * @param config  root config
     * @param jwks    the auth service's keys
     */
    static void routing(HttpRouting.Builder routing, Config config, JwksCache jwks) {
        JwtVerifier verifier = JwtVerifier.create(jwks, config);
        BearerAuth auth = new BearerAuth(verifier);
        Backend authService = Backend.create("auth-service", config.get("auth.service"));
        Backend productService = Backend.create("product-service", config.get("product.service"));
        Backend orderService = Backend.create("order-service", config.get("order.service"));

        long maxClients = config.get("rate.limit.max-clients").asLong().orElse(100_000L);
        RateLimiter general = new RateLimiter(config.get("rate.limit.burst").asLong().orElse(100L),
                                              config.get("rate.limit.per.second").asLong().orElse(50L),
                                              Duration.ofSeconds(1), maxClients);
        long loginPerMinute = config.get("login.rate.limit.per.minute").asLong().orElse(10L);
        RateLimiter login = new RateLimiter(loginPerMinute, loginPerMinute, Duration.ofMinutes(1), maxClients);
        ClientAddress clients = new ClientAddress(TrustedProxies.parse(trustedProxies(config)));
        routing.addFilter(new RateLimitFilter(general, login, clients, verifier));
        // after the rate limit: refused requests count, and their answers carry the RateLimit-* headers too
        routing.addFilter(new StrictRequestFilter());

        ProductCache cache = productCache(config);
        OverviewHandler.ProductLookup products = cache == null
                ? id -> productService.get(ProductCache.PRODUCTS + "/" + id)
                : id -> {
                    String path = ProductCache.PRODUCTS + "/" + id;
                    return cache.get(path, () -> productService.get(path)).entry().answer();
                };
        // one virtual thread per backend call; calls are bounded by the clients' timeouts
        ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
        OverviewHandler overview = new OverviewHandler(auth, authService, orderService, products,
                                                       config.get("overview.call-timeout").as(Duration.class)
                                                               .orElse(Duration.ofSeconds(2)),
                                                       calls);
        routing.register(new GatewayRoutes(auth, authService, productService, orderService, cache, overview));
    }

    // CACHE_TTL_SECONDS=0 turns the cache off
    private static ProductCache productCache(Config config) {
        long ttlSeconds = config.get("cache.ttl.seconds").asLong().orElse(5L);
        if (ttlSeconds <= 0) {
            return null;
        }
        Config products = config.get("product.service");
        Duration maxWait = products.get("connect-timeout").as(Duration.class).orElse(Duration.ofSeconds(2))
                .plus(products.get("read-timeout").as(Duration.class).orElse(Duration.ofSeconds(5)))
                .plusSeconds(1);
        return new ProductCache(Duration.ofSeconds(ttlSeconds),
                                config.get("cache.max-bytes").asLong().orElse(32L * 1024 * 1024),
                                maxWait);
    }

    // TRUSTED_PROXIES arrives as one comma-separated string; application.yaml may also give a list
    private static String trustedProxies(Config config) {
        Config node = config.get("trusted.proxies");
        if (node.isList()) {
            return String.join(",", node.asList(String.class).orElse(List.of()));
        }
        return node.asString().orElse("");
    }
}
