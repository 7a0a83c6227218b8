package io.example.products;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product and inventory rows of the contract through real HTTP, on an H2 file with the demo catalogue.
 */
@ServerTest
class ProductHttpTest {
    private static FakeAuthServer auth;

    private final TestHttp http;

    ProductHttpTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        auth = FakeAuthServer.start();
        ProductServiceUnderTest.configure(server, auth);
    }

    @AfterAll
    static void stop() {
        auth.close();
    }

    @Test
    void aFreshDatabaseHoldsTheDemoCatalogue() {
        HttpResponse<String> page = http.get("/api/products?limit=100");
        HttpResponse<String> categories = http.get("/api/products/categories");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(Integer.parseInt(number(page.body(), "total"))).isGreaterThanOrEqualTo(20);
        assertThat(categories.body()).contains("\"books\"", "\"electronics\"", "\"home\"", "\"sports\"");
    }

    @Test
    void searchFiltersSortsAndPagesWithATotal() {
        HttpResponse<String> response = http.get("/api/products?category=books&minPrice=35&maxPrice=45&sort=-price&limit=2&offset=0");

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> prices = all(response.body(), "\"price\":([0-9.]+)");
        assertThat(prices).hasSize(2);
        assertThat(Double.parseDouble(prices.get(0))).isGreaterThanOrEqualTo(Double.parseDouble(prices.get(1)));
        assertThat(response.body()).contains("\"limit\":2", "\"offset\":0").doesNotContain("\"category\":\"toys\"");
        assertThat(Integer.parseInt(number(response.body(), "total"))).isGreaterThan(2);
    }

    @Test
    void textSearchIsCaseInsensitiveOnNameAndDescription() {
        assertThat(http.get("/api/products?q=JAVA").body()).contains("Effective Java", "Java Concurrency in Practice");
        assertThat(http.get("/api/products?q=memory%20model").body()).contains("Java Concurrency in Practice");
        assertThat(http.get("/api/products?q=%25").body()).contains("\"total\":0");
    }

    @Test
    void inStockFiltersOnAvailableUnits() {
        assertThat(http.get("/api/products?inStock=true&limit=100").body()).doesNotContain("\"stock\":0,");
        assertThat(http.get("/api/products?inStock=false&limit=100").body()).contains("\"stock\":0");
    }

    @Test
    void badParametersAre400NamingEachOne() {
        HttpResponse<String> response = http.get("/api/products?limit=101&offset=-1&sort=cheapest&inStock=maybe&minPrice=x");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"limit\"", "\"field\":\"offset\"", "\"field\":\"sort\"",
                                             "\"field\":\"inStock\"", "\"field\":\"minPrice\"");
    }

    @Test
    void productsAreTheContractsShapeWithoutAvailability() {
        // v1, application.yaml's defaults: only the canary release (product.availability) adds a field
        HttpResponse<String> page = http.get("/api/products?limit=100");
        HttpResponse<String> one = http.get("/api/products/" + string(page.body(), "id"));

        assertThat(page.body()).doesNotContain("availability");
        assertThat(all(one.body(), "\"([A-Za-z]+)\":")).containsExactlyInAnyOrder(
                "id", "sku", "name", "description", "category", "price", "currency", "stock", "createdAt", "updatedAt");
    }

    @Test
    void unknownProductIs404() {
        HttpResponse<String> response = http.get("/api/products/" + UUID.randomUUID());

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void adminCreatesReplacesAndDeletesAProduct() {
        String admin = auth.token("admin-1", "USER", "ADMIN");
        String sku = "T-" + UUID.randomUUID();

        HttpResponse<String> created = send("POST", "/api/products", admin, body(sku, "12.50", 5));
        String id = string(created.body(), "id");
        HttpResponse<String> replaced = send("PUT", "/api/products/" + id, admin, body(sku, "13.00", 7));
        HttpResponse<String> deleted = send("DELETE", "/api/products/" + id, admin, null);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/products/" + id);
        assertThat(created.body()).contains("\"price\":12.50", "\"stock\":5", "\"currency\":\"EUR\"", "\"createdAt\":");
        assertThat(replaced.statusCode()).isEqualTo(200);
        assertThat(replaced.body()).contains("\"price\":13.00", "\"stock\":7");
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(http.get("/api/products/" + id).statusCode()).isEqualTo(404);
        assertThat(send("PUT", "/api/products/" + id, admin, body(sku, "1", 1)).statusCode()).isEqualTo(404);
    }

    @Test
    void writesNeedAnAdminToken() {
        HttpResponse<String> anonymous = send("POST", "/api/products", null, body("X-" + UUID.randomUUID(), "1", 1));
        HttpResponse<String> user = send("POST", "/api/products", auth.token("user-1", "USER"), body("X-1", "1", 1));

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(user.statusCode()).isEqualTo(403);
    }

    @Test
    void invalidProductsAre400AndDuplicateSkusAre409() {
        String admin = auth.token("admin-1", "ADMIN");
        String sku = "D-" + UUID.randomUUID();
        send("POST", "/api/products", admin, body(sku, "1.00", 1));

        HttpResponse<String> duplicate = send("POST", "/api/products", admin, body(sku, "1.00", 1));
        HttpResponse<String> invalid = send("POST", "/api/products", admin,
                                            "{\"sku\":\"\",\"price\":1.001,\"stock\":-1,\"currency\":\"euro\"}");

        assertThat(duplicate.statusCode()).isEqualTo(409);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("\"field\":\"sku\"", "\"field\":\"name\"", "\"field\":\"category\"",
                                            "\"field\":\"price\"", "\"field\":\"stock\"", "\"field\":\"currency\"");
    }

    // a name or category that reads as another one (a right-to-left override, a zero-width space) is refused;
    // a description may have several lines, and an emoji sequence joined by U+200D is a name like any other
    @Test
    void invisibleCharactersInTextAre400() {
        String admin = auth.token("admin-1", "ADMIN");
        String hidden = "{\"sku\":\"I-" + UUID.randomUUID() + "\",\"name\":\"Lamp\\u202e\",\"category\":\"ho\\u200bme\","
                + "\"description\":\"soft\\u2066light\",\"price\":1.00,\"stock\":1}";
        String lines = "{\"sku\":\"I-" + UUID.randomUUID() + "\",\"name\":\"Lamp \\ud83d\\udc69\\u200d\\ud83d\\udcbb\","
                + "\"category\":\"home\",\"description\":\"Two lines:\\n\\tsoft light\",\"price\":1.00,\"stock\":1}";

        HttpResponse<String> refused = send("POST", "/api/products", admin, hidden);
        HttpResponse<String> created = send("POST", "/api/products", admin, lines);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("\"field\":\"name\"", "\"field\":\"category\"", "\"field\":\"description\"",
                                            "reordering or zero-width characters");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void reservationsAreIdempotentAndReleasable() {
        String admin = auth.token("admin-1", "ADMIN");
        String id = string(send("POST", "/api/products", admin, body("R-" + UUID.randomUUID(), "4.00", 5)).body(), "id");
        String reservation = "{\"orderId\":\"ord-1-" + id + "\",\"items\":[{\"productId\":\"" + id + "\",\"quantity\":2}]}";
        String orders = orderService();

        HttpResponse<String> first = http.postJson("/internal/reservations", reservation, orders);
        HttpResponse<String> again = http.postJson("/internal/reservations", reservation, orders);

        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(first.body()).contains("\"unitPrice\":4.00", "\"quantity\":2", "\"name\":\"Test product\"");
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(http.get("/api/products/" + id).body()).contains("\"stock\":3");

        assertThat(send("DELETE", "/internal/reservations/ord-1-" + id, orders, null).statusCode()).isEqualTo(204);
        assertThat(send("DELETE", "/internal/reservations/ord-1-" + id, orders, null).statusCode()).isEqualTo(204);
        assertThat(http.get("/api/products/" + id).body()).contains("\"stock\":5");
    }

    @Test
    void aHoldIsConfirmedIdempotentlyAndAReleasedOneCannotBe() {
        String admin = auth.token("admin-1", "ADMIN");
        String id = string(send("POST", "/api/products", admin, body("C-" + UUID.randomUUID(), "4.00", 5)).body(), "id");
        String orderId = "ord-c-" + id;
        String orders = orderService();
        http.postJson("/internal/reservations",
                      "{\"orderId\":\"" + orderId + "\",\"items\":[{\"productId\":\"" + id + "\",\"quantity\":2}]}", orders);

        HttpResponse<String> confirmed = send("POST", "/internal/reservations/" + orderId + "/confirm", orders, null);
        HttpResponse<String> again = send("POST", "/internal/reservations/" + orderId + "/confirm", orders, null);
        send("DELETE", "/internal/reservations/" + orderId, orders, null);
        HttpResponse<String> afterRelease = send("POST", "/internal/reservations/" + orderId + "/confirm", orders, null);
        HttpResponse<String> unknown = send("POST", "/internal/reservations/no-such-order/confirm", orders, null);

        assertThat(confirmed.statusCode()).isEqualTo(204);
        assertThat(again.statusCode()).isEqualTo(204);
        assertThat(afterRelease.statusCode()).isEqualTo(409);
        assertThat(afterRelease.body()).contains("reservation-released");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(http.get("/api/products/" + id).body()).contains("\"stock\":5");
    }

    @Test
    void shortStockIs409NamingTheProductAndUnknownIs422() {
        String admin = auth.token("admin-1", "ADMIN");
        String id = string(send("POST", "/api/products", admin, body("S-" + UUID.randomUUID(), "4.00", 1)).body(), "id");

        HttpResponse<String> tooMany = http.postJson("/internal/reservations",
                "{\"orderId\":\"short-" + id + "\",\"items\":[{\"productId\":\"" + id + "\",\"quantity\":2}]}", orderService());
        HttpResponse<String> unknown = http.postJson("/internal/reservations",
                "{\"orderId\":\"unknown-" + id + "\",\"items\":[{\"productId\":\"nope\",\"quantity\":1}]}", orderService());
        HttpResponse<String> invalid = http.postJson("/internal/reservations",
                "{\"orderId\":\"x\",\"items\":[{\"productId\":\"" + id + "\",\"quantity\":0}]}", orderService());

        assertThat(tooMany.statusCode()).isEqualTo(409);
        assertThat(tooMany.body()).contains(id);
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(http.get("/api/products/" + id).body()).contains("\"stock\":1");
    }

    @Test
    void badRequestsAreProblemsNeverA500() {
        String admin = auth.token("admin-1", "ADMIN");

        assertThat(send("POST", "/api/products", admin, "{\"sku\":").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/products", admin, "{\"price\":\"cheap\"}").statusCode()).isEqualTo(400);
        assertThat(send("POST", "/api/products", admin, "{\"sku\":\"" + "x".repeat(1_100_000) + "\"}").statusCode())
                .isEqualTo(413);
        assertThat(http.get("/api/nothing").statusCode()).isEqualTo(404);
        assertThat(send("PATCH", "/api/products/x", admin, "{}").statusCode()).isEqualTo(405);
    }

    @Test
    void metricsNameEachRouteByItsTemplateUnderWhereItIsMounted() {
        http.get("/api/products");
        http.get("/api/products/" + UUID.randomUUID());
        send("DELETE", "/internal/reservations/metrics-" + UUID.randomUUID(), orderService(), null);

        HttpResponse<String> metrics = http.send(http.request("/metrics").header("Accept", "text/plain"));

        assertThat(metrics.body()).contains("{method=\"GET\",route=\"/api/products\"",
                                            "{method=\"GET\",route=\"/api/products/{id}\"",
                                            "{method=\"DELETE\",route=\"/internal/reservations/{orderId}\"");
    }

    private static String body(String sku, String price, int stock) {
        return "{\"sku\":\"" + sku + "\",\"name\":\"Test product\",\"description\":\"for tests\",\"category\":\"Test\","
                + "\"price\":" + price + ",\"stock\":" + stock + "}";
    }

    // what the order service sends: its service token with the inventory scope
    private static String orderService() {
        return auth.serviceToken("order-service", "inventory");
    }

    private HttpResponse<String> send(String method, String path, String token, String json) {
        HttpRequest.Builder builder = http.request(path).method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json").expectContinue(TestHttp.isLarge(json));
        }
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return http.send(builder);
    }

    private static String string(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":([0-9.]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }

    private static List<String> all(String json, String regex) {
        return Pattern.compile(regex).matcher(json).results().map(r -> r.group(1)).toList();
    }
}
