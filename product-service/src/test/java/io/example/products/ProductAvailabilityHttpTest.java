package io.example.products;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The canary release (v2, {@code product.availability} on) through real HTTP on an H2 file: every product it
 * answers carries its availability, read from its stock at each side of the threshold, in single answers,
 * writes' answers and list pages alike; nothing else changes. The threshold is set here to 3, not the default,
 * so the setting is what is tested.
 */
@ServerTest
class ProductAvailabilityHttpTest {
    private static final int THRESHOLD = 3;
    private static FakeAuthServer auth;

    private final TestHttp http;

    ProductAvailabilityHttpTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        auth = FakeAuthServer.start();
        ProductServiceUnderTest.configure(server, auth, Map.of("product.availability", "true",
                                                               "product.low.stock.threshold", Integer.toString(THRESHOLD)));
    }

    @AfterAll
    static void stop() {
        auth.close();
    }

    @Test
    void availabilityFollowsTheStockAtEachSideOfTheThreshold() {
        assertThat(availability(created(0))).isEqualTo("OUT_OF_STOCK");
        assertThat(availability(created(1))).isEqualTo("LOW_STOCK");
        assertThat(availability(created(THRESHOLD))).isEqualTo("LOW_STOCK");
        assertThat(availability(created(THRESHOLD + 1))).isEqualTo("IN_STOCK");
    }

    @Test
    void aReadAndAReplacementCarryTheAvailabilityOfTheStockNow() {
        String id = created(THRESHOLD + 1).getString("id");

        JsonObject replaced = json(send("PUT", "/api/products/" + id, product("R-" + UUID.randomUUID(), THRESHOLD)));
        JsonObject read = json(http.get("/api/products/" + id));

        assertThat(availability(replaced)).isEqualTo("LOW_STOCK");
        assertThat(availability(read)).isEqualTo("LOW_STOCK");
        assertThat(read.getInt("stock")).isEqualTo(THRESHOLD);
    }

    @Test
    void everyProductOfAListPageCarriesIt() {
        JsonObject page = json(http.get("/api/products?limit=100"));

        assertThat(page.getJsonArray("items")).isNotEmpty()
                .allSatisfy(item -> assertThat(availability(item.asJsonObject()))
                        .isEqualTo(expected(item.asJsonObject().getInt("stock"))));
        assertThat(page.keySet()).containsExactlyInAnyOrder("items", "total", "limit", "offset");
    }

    @Test
    void v2OnlyAddsTheFieldToTheContractsProduct() {
        JsonObject product = created(2);

        assertThat(product.keySet()).containsExactlyInAnyOrder("id", "sku", "name", "description", "category", "price",
                                                               "currency", "stock", "createdAt", "updatedAt",
                                                               "availability");
    }

    @Test
    void theServedDocumentHasTheFieldAsAnOptionalOneWithTheseValues() {
        JsonObject document = json(http.send(http.request(ServiceServer.OPENAPI_PATH + "?format=json")));
        JsonObject schema = document.getJsonObject("components").getJsonObject("schemas").getJsonObject("Product");

        assertThat(schema.getJsonObject("properties").getJsonObject("availability").getJsonArray("enum"))
                .extracting(value -> ((JsonString) value).getString())
                .containsExactlyInAnyOrder("IN_STOCK", "LOW_STOCK", "OUT_OF_STOCK");
        assertThat(schema.getJsonArray("required")).extracting(value -> ((JsonString) value).getString())
                .doesNotContain("availability");
    }

    private static String expected(int stock) {
        return stock == 0 ? "OUT_OF_STOCK" : stock <= THRESHOLD ? "LOW_STOCK" : "IN_STOCK";
    }

    private JsonObject created(int stock) {
        HttpResponse<String> created = send("POST", "/api/products", product("A-" + UUID.randomUUID(), stock));
        assertThat(created.statusCode()).isEqualTo(201);
        return json(created);
    }

    private static String availability(JsonObject product) {
        return product.getString("availability");
    }

    private static String product(String sku, int stock) {
        return "{\"sku\":\"" + sku + "\",\"name\":\"Availability\",\"category\":\"test\",\"price\":1.00,\"stock\":" + stock + "}";
    }

    private HttpResponse<String> send(String method, String path, String json) {
        return http.send(http.request(path).method(method, HttpRequest.BodyPublishers.ofString(json))
                                 .header("Content-Type", "application/json")
                                 .header("Authorization", "Bearer " + auth.token("admin-1", "ADMIN")));
    }

    private static JsonObject json(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        try (JsonReader reader = Json.createReader(new StringReader(response.body()))) {
            return reader.readObject();
        }
    }
}
