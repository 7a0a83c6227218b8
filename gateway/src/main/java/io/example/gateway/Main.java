package io.example.gateway;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;

import io.example.commons.events.EventSettings;
import io.example.commons.security.BearerAuth;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.server.ServiceServer;
import io.example.commons.tracing.Tracing;
import io.example.gateway.cache.CachedProductReads;
import io.example.gateway.cache.DirectProductReads;
import io.example.gateway.cache.ProductCache;
import io.example.gateway.cache.ProductReads;
import io.example.gateway.overview.OverviewHandler;
import io.example.gateway.proxy.Backend;
import io.example.gateway.proxy.StrictRequestFilter;
import io.example.gateway.ratelimit.ClientAddress;
import io.example.gateway.ratelimit.RateLimitFilter;
import io.example.gateway.ratelimit.RateLimiter;
import io.example.gateway.ratelimit.TrustedProxies;

import io.helidon.config.Config;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts the gateway, the only entry point: reads config, builds a client per backend, the JWT verifier,
 * the rate limits, the product reads (cached or not; a cache follows the product events from Kafka when
 * {@code KAFKA_BOOTSTRAP_SERVERS} is set) and the overview, and serves HTTP. Ready once the JWKS is loaded,
 * whatever the broker does. Every default is in {@code application.yaml}.
 *
 * <p>Where things live: {@link GatewayRoutes} is the route table; {@code proxy} passes requests to the
 * services exactly as received ({@code ProxyHandler}, {@code Backend}, {@code RequestTarget},
 * {@code StrictRequestFilter}); {@code ratelimit} limits per client ({@code RateLimitFilter},
 * {@code RateLimiter}, {@code ClientAddress}, {@code TrustedProxies}); {@code cache} serves public product
 * reads ({@code ProductReads}, direct or through {@code ProductCache}, which {@code ProductChanges} keeps in
 * step with the product events and {@code ProductEventsCheck} reports on); {@code overview} composes
 * {@code GET /api/overview}.
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
        Tracing.start("gateway");
        JwksCache jwks = JwksCache.create(config);
        // closed by the JVM's exit: the product events' consumer has its own shutdown hook
        ProductReads productReads = productReads(config);
        WebServer server = ServiceServer.start(config, routing -> routing(routing, config, jwks, productReads),
                                               readiness(jwks, productReads));
        LOGGER.info(() -> "gateway listening on http://localhost:" + server.port());
    }

    /**
     * The gateway's filters and routes; tests call this same method.
     *
     * @param routing      routing to add to
     * @param config       root config
     * @param jwks         the auth service's keys
     * @param productReads public product reads, from {@link #productReads}
     */
    static void routing(HttpRouting.Builder routing, Config config, JwksCache jwks, ProductReads productReads) {
        JwtVerifier verifier = JwtVerifier.create(jwks, config);
        BearerAuth auth = new BearerAuth(verifier);
        Backend authService = Backend.create("auth-service", config.get("auth.service"));
        Backend productService = Backend.create("product-service", config.get("product.service"));
        Backend orderService = Backend.create("order-service", config.get("order.service"));

        long maxClients = config.get("rate.limit.max-clients").asLong().get();
        RateLimiter general = new RateLimiter(config.get("rate.limit.burst").asLong().get(),
                                              config.get("rate.limit.per.second").asLong().get(),
                                              Duration.ofSeconds(1), maxClients);
        long loginPerMinute = config.get("login.rate.limit.per.minute").asLong().get();
        RateLimiter login = new RateLimiter(loginPerMinute, loginPerMinute, Duration.ofMinutes(1), maxClients);
        ClientAddress clients = new ClientAddress(TrustedProxies.parse(trustedProxies(config)));
        routing.addFilter(new RateLimitFilter(general, login, clients, verifier));
        // after the rate limit: refused requests count, and their answers carry the RateLimit-* headers too
        routing.addFilter(new StrictRequestFilter());

        // one virtual thread per backend call; calls are bounded by the clients' timeouts
        ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
        OverviewHandler overview = new OverviewHandler(auth, authService, orderService, productReads,
                                                       config.get("overview.call-timeout").as(Duration.class).get(),
                                                       calls);
        routing.register(new GatewayRoutes(auth, authService, productService, orderService, productReads, overview));
    }

    /**
     * Ready once the JWKS is loaded; the product events' check is always UP and only informs.
     *
     * @param jwks         the auth service's keys
     * @param productReads public product reads
     * @return the readiness checks
     */
    static List<HealthCheck> readiness(JwksCache jwks, ProductReads productReads) {
        return List.of(jwks.readiness(), productReads.freshness());
    }

    /**
     * Public product reads: direct when {@code CACHE_TTL_SECONDS} is 0, else through the cache, which follows
     * the product events when {@code KAFKA_BOOTSTRAP_SERVERS} is set.
     *
     * @param config root config
     * @return the reads; close them to stop following the events
     */
    static ProductReads productReads(Config config) {
        // a client of its own, since the reads are built before the routing (the readiness checks need them):
        // it makes only the gateway's own reads (the overview's); clients' reads go through the routing's
        Backend productService = Backend.create("product-service", config.get("product.service"));
        long ttlSeconds = config.get("cache.ttl.seconds").asLong().get();
        if (ttlSeconds <= 0) {
            return new DirectProductReads(productService);
        }
        Config products = config.get("product.service");
        Duration maxWait = products.get("connect-timeout").as(Duration.class).get()
                .plus(products.get("read-timeout").as(Duration.class).get())
                .plusSeconds(1);
        ProductCache cache = new ProductCache(Duration.ofSeconds(ttlSeconds), config.get("cache.max-bytes").asLong().get(),
                                              maxWait);
        return CachedProductReads.start(cache, productService, EventSettings.from(config, "gateway"));
    }

    // TRUSTED_PROXIES arrives as one comma-separated string; application.yaml may also give a list
    private static String trustedProxies(Config config) {
        Config node = config.get("trusted.proxies");
        if (node.isList()) {
            return String.join(",", node.asList(String.class).get());
        }
        return node.asString().get();
    }
}
