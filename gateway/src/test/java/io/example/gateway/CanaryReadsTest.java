package io.example.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tester who sends {@code x-canary} is routed by the mesh to the canary release; the product cache must
 * neither serve that tester an answer cached for everyone nor keep the canary's answer for everyone. The fake
 * product service plays the mesh: it answers as v2 to requests carrying the header, as v1 to the others.
 */
@ServerTest
class CanaryReadsTest {
    private static final String V1 = "\"release\":\"v1\"";
    private static final String V2 = "\"release\":\"v2\"";
    private static final String V2_PRODUCT = "{\"availability\":\"LOW_STOCK\",\"category\":\"home\",\"createdAt\":"
            + "\"2026-01-01T00:00:00Z\",\"currency\":\"EUR\",\"description\":\"\",\"id\":\"v2-product\",\"name\":\"Lamp\","
            + "\"price\":9.90,\"sku\":\"L-1\",\"stock\":2,\"updatedAt\":\"2026-01-01T00:00:00Z\"}";
    private static FakeServices services;
    private final GatewayClient gateway;

    CanaryReadsTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        services.configure(server, Map.of("cache.ttl.seconds", "60"));
        services.products.on("GET", "*", (req, res) -> {
            String release = req.headers().contains(HeaderNames.create("x-canary")) ? "v2" : "v1";
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"path\":\"" + req.path().rawPath() + "\",\"release\":\"" + release + "\"}");
        });
        services.products.json("GET", "/api/products/v2-product", 200, V2_PRODUCT);
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void aTesterIsNotServedTheAnswerCachedForEveryone() {
        String path = "/api/products/" + UUID.randomUUID();
        gateway.get(path);

        HttpResponse<String> tester = gateway.get(path, "x-canary", "always");

        assertThat(tester.statusCode()).isEqualTo(200);
        assertThat(tester.body()).contains(V2);
        assertThat(tester.headers().firstValue("X-Cache")).isEmpty();
        assertThat(gateway.products.count("GET", path)).isEqualTo(2);
    }

    @Test
    void aTestersAnswerIsNotKeptForEveryone() {
        String path = "/api/products/" + UUID.randomUUID();
        gateway.get(path, "x-canary", "always");

        HttpResponse<String> first = gateway.get(path);
        HttpResponse<String> second = gateway.get(path);

        assertThat(first.body()).contains(V1);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.body()).contains(V1);
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void listsAndCategoriesPassTheCacheByForATesterToo() {
        String list = "/api/products?q=" + UUID.randomUUID();
        String categories = "/api/products/categories";
        gateway.get(list);
        gateway.get(categories);

        assertThat(gateway.get(list, "x-canary", "always").body()).contains(V2);
        assertThat(gateway.get(categories, "x-canary", "always").body()).contains(V2);
        assertThat(gateway.get(list).body()).contains(V1);
        assertThat(gateway.get(categories).body()).contains(V1);
    }

    @Test
    void aV2ProductIsRelayedAsTheServiceWroteItThroughTheCacheAndPastIt() {
        HttpResponse<String> missed = gateway.get("/api/products/v2-product");
        HttpResponse<String> hit = gateway.get("/api/products/v2-product");
        HttpResponse<String> tester = gateway.get("/api/products/v2-product", "x-canary", "always");

        assertThat(hit.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(List.of(missed, hit, tester)).extracting(response -> response.body()).containsOnly(V2_PRODUCT);
    }

    @Test
    void cachedAnswersSayTheyVaryWithTheHeader() {
        HttpResponse<String> cached = gateway.get("/api/products/" + UUID.randomUUID());

        assertThat(cached.headers().allValues("Vary")).contains("x-canary");
    }
}
