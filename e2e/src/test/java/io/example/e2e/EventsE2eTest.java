package io.example.e2e;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import io.example.commons.testing.TestHttp;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's promises, through the gateway: with two gateway replicas, an admin's price change through
 * one is visible through the other within a second; a cancelled order's stock comes back even when the
 * product service was down during the cancel, once it returns; and once only, when it is killed while it
 * reads the cancels. A stack of its own: it has a second gateway and stops and kills the product service.
 */
class EventsE2eTest {
    // far beyond the test's deadlines: a change seen in time came by an event, not by an entry expiring
    private static final String CACHE_TTL_SECONDS = "600";
    private static final Duration REPLICAS_AGREE = Duration.ofSeconds(1);
    private static final Duration STOCK_BACK = Duration.ofSeconds(5);
    private static final Duration CONSUMER_START = Duration.ofSeconds(30);

    private static ServiceStack stack;
    private static TestHttp gatewayA;
    private static TestHttp gatewayB;

    @BeforeAll
    static void start() {
        Map<String, String> gateway = Map.of("cache.ttl.seconds", CACHE_TTL_SECONDS);
        stack = ServiceStack.start(List.of("auth-service", "product-service", "order-service", "gateway",
                                           ServiceStack.SECOND_GATEWAY),
                                   Map.of("gateway", gateway, ServiceStack.SECOND_GATEWAY, gateway,
                                          // the sweeper runs at start and then not within the test, so a
                                          // stock that comes back came by the order.cancelled event
                                          "order-service", Map.of("sweeper.interval", "PT1H")));
        gatewayA = stack.http("gateway");
        gatewayB = stack.http(ServiceStack.SECOND_GATEWAY);
        awaitReceiving(gatewayA);
        awaitReceiving(gatewayB);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void aPriceChangeThroughOneReplicaIsVisibleThroughTheOtherWithinASecond() {
        String admin = Users.admin(gatewayA);
        String tag = UUID.randomUUID().toString();
        String search = "/api/products?q=" + tag;
        assertThat(json(gatewayB.get(search).body()).getInt("total")).isZero();
        JsonObject product = newProduct(admin, "E2E event lamp " + tag, "12.50", 10);
        String path = "/api/products/" + product.getString("id");
        // B answers its cached search from before the product existed until the created event drops it: once B
        // finds it, the created event is behind B, and what B caches of the product now stays until a change
        awaitProduct(gatewayB, search, page -> page.getInt("total") == 1, Instant.now().plus(Duration.ofSeconds(10)));
        HttpResponse<String> firstB = gatewayB.get(path);
        HttpResponse<String> cachedB = gatewayB.get(path);
        assertThat(cachedB.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(cachedB.headers().firstValue("ETag")).isEqualTo(firstB.headers().firstValue("ETag"));
        assertThat(price(json(cachedB.body()))).isEqualByComparingTo("12.50");

        HttpResponse<String> changed = send(gatewayA, "PUT", path, admin, withPrice(product, "17.25"));
        Instant changedAt = Instant.now();
        assertThat(changed.statusCode()).isEqualTo(200);

        Instant seenAt = awaitProduct(gatewayB, path, json -> price(json).equals(new BigDecimal("17.25")),
                                      changedAt.plus(Duration.ofSeconds(10)));
        assertThat(Duration.between(changedAt, seenAt)).isLessThan(REPLICAS_AGREE);
        assertThat(price(json(gatewayA.get(path).body()))).isEqualByComparingTo("17.25");
    }

    @Test
    void aCancelledOrdersStockIsBackOnceTheProductServiceReturns() {
        String admin = Users.admin(gatewayA);
        String user = Users.newUser(gatewayA);
        String id = newProduct(admin, "E2E event lamp", "3.00", 10).getString("id");
        String path = "/api/products/" + id;
        HttpResponse<String> placed = send(gatewayA, "POST", "/api/orders", user,
                                           "{\"items\":[{\"productId\":\"" + id + "\",\"quantity\":3}]}");
        assertThat(placed.statusCode()).isEqualTo(201);
        assertThat(stock(gatewayA, path)).isEqualTo(7);
        String order = json(placed.body()).getString("id");

        stack.stop("product-service");
        HttpResponse<String> cancelled = send(gatewayA, "POST", "/api/orders/" + order + "/cancel", user, null);
        stack.restart("product-service");
        Instant back = Instant.now();

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(json(cancelled.body()).getString("status")).isEqualTo("CANCELLED");
        Instant seenAt = awaitProduct(gatewayA, path, json -> json.getInt("stock") == 10, back.plus(Duration.ofSeconds(30)));
        assertThat(Duration.between(back, seenAt)).isLessThan(STOCK_BACK);
    }

    @Test
    void aProductServiceKilledWhileReadingCancelsGivesEachOrdersStockBackOnce() {
        String admin = Users.admin(gatewayA);
        String user = Users.newUser(gatewayA);
        String id = newProduct(admin, "E2E crash lamp", "1.00", 100).getString("id");
        String path = "/api/products/" + id;
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> placed = send(gatewayA, "POST", "/api/orders", user,
                                               "{\"items\":[{\"productId\":\"" + id + "\",\"quantity\":2}]}");
            assertThat(placed.statusCode()).isEqualTo(201);
            orders.add(json(placed.body()).getString("id"));
        }
        assertThat(stock(gatewayA, path)).isEqualTo(60);

        // the cancels wait on the broker while product-service is down; it is killed (SIGKILL, no offsets
        // committed on the way out) as soon as it is ready again, which is while it reads them or before
        stack.stop("product-service");
        for (String order : orders) {
            HttpResponse<String> cancelled = send(gatewayA, "POST", "/api/orders/" + order + "/cancel", user, null);
            assertThat(cancelled.statusCode()).isEqualTo(200);
        }
        stack.restart("product-service");
        stack.kill("product-service");
        stack.restart("product-service");

        awaitProduct(gatewayA, path, json -> json.getInt("stock") == 100, Instant.now().plus(Duration.ofSeconds(30)));
        // each order released once: exactly 20 distinct "released" events for this product, and no more stock
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Set<String> released = releasedEvents(id);
        while (released.size() < orders.size() && Instant.now().isBefore(deadline)) {
            pause();
            released = releasedEvents(id);
        }
        assertThat(released).hasSize(orders.size());
        assertThat(stock(gatewayA, path)).isEqualTo(100);
    }

    // ids of the stock-changed events that gave this product's stock back
    private static Set<String> releasedEvents(String productId) {
        Set<String> ids = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : stack.kafka().readAll("products", Duration.ofSeconds(5))) {
            JsonObject event = json(new String(record.value(), StandardCharsets.UTF_8));
            JsonObject data = event.getJsonObject("data");
            if (event.getString("type").equals("io.example.product.stock-changed")
                    && data.getString("productId").equals(productId) && data.getString("reason").equals("released")) {
                ids.add(event.getString("id"));
            }
        }
        return ids;
    }

    // a replica's consumer starts at the end of the topic: wait until it is there, so no event is before it
    private static void awaitReceiving(TestHttp gateway) {
        Instant deadline = Instant.now().plus(CONSUMER_START);
        String ready = "";
        while (Instant.now().isBefore(deadline)) {
            ready = gateway.get("/health/ready").body();
            if (ready.contains("\"events\":\"receiving\"")) {
                return;
            }
            pause();
        }
        throw new AssertionError("the gateway does not receive product events: " + ready);
    }

    // when a read through the gateway first shows what the test waits for (a product, or a page of them)
    private static Instant awaitProduct(TestHttp gateway, String path, Predicate<JsonObject> expected, Instant deadline) {
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> read = gateway.get(path);
            last = read.statusCode() + " " + read.body();
            if (read.statusCode() == 200 && expected.test(json(read.body()))) {
                return Instant.now();
            }
            pause();
        }
        throw new AssertionError(path + " never showed what was expected; last: " + last);
    }

    private static JsonObject newProduct(String admin, String name, String price, int stock) {
        HttpResponse<String> created = send(gatewayA, "POST", "/api/products", admin,
                                            "{\"sku\":\"E2E-" + UUID.randomUUID() + "\",\"name\":\"" + name + "\","
                                                    + "\"category\":\"home\",\"price\":" + price + ",\"stock\":" + stock + "}");
        assertThat(created.statusCode()).isEqualTo(201);
        return json(created.body());
    }

    private static int stock(TestHttp gateway, String path) {
        return json(gateway.get(path).body()).getInt("stock");
    }

    private static BigDecimal price(JsonObject product) {
        return product.getJsonNumber("price").bigDecimalValue();
    }

    // the product as it can be written back, at another price
    private static String withPrice(JsonObject product, String price) {
        return "{\"sku\":\"" + product.getString("sku") + "\",\"name\":\"" + product.getString("name")
                + "\",\"category\":\"" + product.getString("category") + "\",\"stock\":" + product.getInt("stock")
                + ",\"price\":" + price + "}";
    }

    private static HttpResponse<String> send(TestHttp gateway, String method, String path, String token, String json) {
        HttpRequest.Builder builder = gateway.request(path).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return gateway.send(builder);
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
