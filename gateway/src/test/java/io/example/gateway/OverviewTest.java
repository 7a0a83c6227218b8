package io.example.gateway;

import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.example.commons.security.RevocationFeed;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/overview} composed from fake auth, order and product services, with each of them failing
 * in turn. Every test gets its own gateway and services, so stopping one affects no other test.
 */
class OverviewTest {
    private static final String ME = "{\"id\":\"u-1\",\"email\":\"u-1@example.com\",\"name\":\"Ann\",\"roles\":[\"USER\"]}";
    private static final String ORDERS = """
            {"items":[
              {"id":"o-2","userId":"u-1","status":"CONFIRMED","items":[
                {"productId":"p-1","name":"Book","quantity":1,"unitPrice":10.5,"lineTotal":10.5},
                {"productId":"p-2","name":"Pen","quantity":2,"unitPrice":1.25,"lineTotal":2.5}],"total":13.0},
              {"id":"o-1","userId":"u-1","status":"CANCELLED","items":[
                {"productId":"p-1","name":"Book","quantity":3,"unitPrice":10.5,"lineTotal":31.5}],"total":31.5}
            ],"total":2,"limit":5,"offset":0}""";

    private TestGateway gateway;
    private String token;

    @BeforeEach
    void start() {
        gateway = TestGateway.start(Map.of("overview.call-timeout", "PT1S"));
        gateway.auth.json("GET", "/api/auth/me", 200, ME);
        gateway.orders.json("GET", "/api/orders", 200, ORDERS);
        gateway.products.json("GET", "/api/products/p-1", 200, "{\"id\":\"p-1\",\"stock\":7}");
        gateway.products.json("GET", "/api/products/p-2", 200, "{\"id\":\"p-2\",\"stock\":0}");
        token = gateway.tokens.token("u-1", "USER");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void theOverviewHasTheProfileTheRecentOrdersAndEachItemsStock() {
        HttpResponse<String> response = overview();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = json(response.body());
        assertThat(body.getJsonObject("user").getString("name")).isEqualTo("Ann");
        assertThat(body.getJsonArray("recentOrders")).hasSize(2);
        JsonObject newest = body.getJsonArray("recentOrders").getJsonObject(0);
        assertThat(newest.getString("id")).isEqualTo("o-2");
        assertThat(newest.getJsonNumber("total").doubleValue()).isEqualTo(13.0);
        assertThat(newest.getJsonArray("items").getJsonObject(0).getInt("stock")).isEqualTo(7);
        assertThat(newest.getJsonArray("items").getJsonObject(1).getInt("stock")).isEqualTo(0);
        assertThat(body.getJsonArray("degraded")).isEmpty();
        assertThat(gateway.orders.requests()).singleElement().satisfies(seen -> {
            assertThat(seen.query()).isEqualTo("limit=5");
            assertThat(seen.header("Authorization")).isEqualTo("Bearer " + token);
        });
        // each distinct product once
        assertThat(gateway.products.count("GET", "/api/products/p-1")).isEqualTo(1);
    }

    @Test
    void withTheOrderServiceDownTheOrdersAreLeftOutAndNamed() {
        gateway.orders.close();

        HttpResponse<String> response = overview();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = json(response.body());
        assertThat(body.getJsonObject("user").getString("name")).isEqualTo("Ann");
        assertThat(body.containsKey("recentOrders")).isFalse();
        assertThat(body.getJsonArray("degraded").getString(0)).isEqualTo("orders");
    }

    @Test
    void withTheProductServiceDownTheOrdersComeWithoutStock() {
        gateway.products.close();

        HttpResponse<String> response = overview();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = json(response.body());
        JsonObject item = body.getJsonArray("recentOrders").getJsonObject(0).getJsonArray("items").getJsonObject(0);
        assertThat(item.getString("productId")).isEqualTo("p-1");
        assertThat(item.containsKey("stock")).isFalse();
        assertThat(body.getJsonArray("degraded")).hasSize(1);
        assertThat(body.getJsonArray("degraded").getString(0)).isEqualTo("products");
    }

    @Test
    void withTheAuthServiceDownTheUserComesFromTheVerifiedToken() {
        // the gateway holds the keys once it has verified a token
        assertThat(overview().statusCode()).isEqualTo(200);
        gateway.auth.close();

        HttpResponse<String> response = overview();

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = json(response.body());
        assertThat(body.getJsonObject("user").getString("id")).isEqualTo("u-1");
        assertThat(body.getJsonObject("user").getString("email")).isEqualTo("u-1@example.com");
        assertThat(body.getJsonArray("recentOrders")).hasSize(2);
        assertThat(body.getJsonArray("degraded").getString(0)).isEqualTo("user");
    }

    @Test
    void aHangingServiceIsCutOffByTheCallTimeout() {
        gateway.orders.hang("GET", "/api/orders");
        Instant start = Instant.now();

        HttpResponse<String> response = overview();

        assertThat(Duration.between(start, Instant.now())).isLessThan(Duration.ofSeconds(4));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response.body()).getJsonArray("degraded").getString(0)).isEqualTo("orders");
    }

    @Test
    void aProductThatNoLongerExistsHasNoStockAndDegradesNothing() {
        gateway.products.json("GET", "/api/products/p-2", 404, "{\"status\":404}");

        JsonObject body = json(overview().body());

        JsonObject pen = body.getJsonArray("recentOrders").getJsonObject(0).getJsonArray("items").getJsonObject(1);
        assertThat(pen.containsKey("stock")).isFalse();
        assertThat(body.getJsonArray("degraded")).isEmpty();
    }

    @Test
    void aUserTheAuthServiceDoesNotKnowIsRefused() {
        gateway.auth.json("GET", "/api/auth/me", 404, "{\"status\":404}");

        HttpResponse<String> response = overview();

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isPresent();
    }

    @Test
    void everyCallOfTheOverviewCarriesTheRequestIdAndTraceHeaders() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

        HttpResponse<String> response = gateway.http.send(gateway.http.request("/api/overview")
                                                                  .header("Authorization", "Bearer " + token)
                                                                  .header("X-Request-Id", "overview-rid-1")
                                                                  .header("traceparent", traceparent)
                                                                  .header("x-b3-sampled", "1"));

        assertThat(response.statusCode()).isEqualTo(200);
        for (FakeBackend backend : new FakeBackend[] {gateway.auth, gateway.orders, gateway.products}) {
            // the JWKS and the revocation polls are made on no request's behalf
            assertThat(backend.requests()).filteredOn(seen -> !seen.path().startsWith("/.well-known")
                                                             && !seen.path().equals(RevocationFeed.PATH))
                    .isNotEmpty()
                    .allSatisfy(seen -> {
                        assertThat(seen.header("X-Request-Id")).isEqualTo("overview-rid-1");
                        assertThat(seen.header("traceparent")).isEqualTo(traceparent);
                        assertThat(seen.header("x-b3-sampled")).isEqualTo("1");
                    });
        }
    }

    @Test
    void onlyGetAndHeadAreAllowed() {
        HttpResponse<String> response = gateway.send("POST", "/api/overview", token, "{}");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
    }

    @Test
    void headAnswersTheOverviewsHeadersWithoutItsBody() {
        HttpResponse<String> get = overview();
        HttpResponse<String> head = gateway.send("HEAD", "/api/overview", token, null);

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).isEqualTo(get.headers().firstValue("Content-Type"));
        assertThat(head.headers().firstValue("Content-Length"))
                .hasValue(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length));
    }

    private HttpResponse<String> overview() {
        return gateway.send("GET", "/api/overview", token, null);
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
