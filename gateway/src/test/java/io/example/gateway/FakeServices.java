package io.example.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import io.example.commons.security.JwksCache;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;
import io.example.gateway.cache.ProductReads;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;

/**
 * The three services behind a gateway under test, as fakes; the fake auth service publishes the JWKS of a
 * {@link FakeAuthServer}, which signs the tests' tokens. The fakes are not what is tested, so they are
 * started by hand, here and only here; the gateway in front of them is set up by {@link #configure}, with
 * {@code Main.routing}.
 */
final class FakeServices implements AutoCloseable {
    final FakeAuthServer tokens = FakeAuthServer.start();
    final FakeBackend auth = FakeBackend.start();
    final FakeBackend products = FakeBackend.start();
    final FakeBackend orders = FakeBackend.start();
    // the product reads of the gateways set up in front of these services: they may follow product events
    private final List<ProductReads> gateways = new ArrayList<>();

    private FakeServices() {
        serveJwks();
    }

    static FakeServices start() {
        return new FakeServices();
    }

    /**
     * Set up a gateway in front of these services with {@code Main.routing}.
     *
     * @param server    the server to set up
     * @param overrides the test's own keys (see {@link #config})
     */
    void configure(WebServerConfig.Builder server, Map<String, String> overrides) {
        gateways.add(configure(server, config(overrides), UnaryOperator.identity()));
    }

    /**
     * @param overrides the test's own keys
     * @return the gateway's application.yaml, under these services' URLs and limits no test reaches unless it
     *         asks to, under {@code overrides}
     */
    Config config(Map<String, String> overrides) {
        Map<String, String> keys = new HashMap<>();
        keys.put("server.port", "0");
        keys.put("auth.service.url", auth.url());
        keys.put("product.service.url", products.url());
        keys.put("order.service.url", orders.url());
        keys.put("rate.limit.per.second", "10000");
        keys.put("rate.limit.burst", "10000");
        keys.put("login.rate.limit.per.minute", "10000");
        keys.put("cache.ttl.seconds", "60");
        keys.putAll(overrides);
        return TestConfig.of(keys);
    }

    /**
     * Set up a gateway as {@code Main} does.
     *
     * @param server  the server to set up
     * @param config  root config
     * @param routing wraps the routing Main adds to (e.g. a route recorder)
     * @return the gateway's product reads, to close when it stops (they may follow the product events)
     */
    static ProductReads configure(WebServerConfig.Builder server, Config config,
                                  UnaryOperator<HttpRouting.Builder> routing) {
        JwksCache jwks = JwksCache.create(config);
        ProductReads productReads = Main.productReads(config);
        ServiceServer.configure(server, config, builder -> Main.routing(routing.apply(builder), config, jwks, productReads),
                                Main.readiness(jwks, productReads));
        return productReads;
    }

    /**
     * Have the fake auth service publish the signer's keys (again, after a test made it fail).
     */
    void serveJwks() {
        HttpClient jwksClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        auth.on("GET", JwksCache.JWKS_PATH, (req, res) -> {
            HttpResponse<String> jwks = jwksClient.send(HttpRequest.newBuilder(URI.create(tokens.url() + JwksCache.JWKS_PATH))
                                                                .build(), HttpResponse.BodyHandlers.ofString());
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(jwks.body());
        });
    }

    @Override
    public void close() {
        gateways.forEach(ProductReads::close);
        auth.close();
        products.close();
        orders.close();
        tokens.close();
    }
}
