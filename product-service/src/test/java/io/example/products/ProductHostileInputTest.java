package io.example.products;

import java.net.URLEncoder;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.HostileInputs;
import io.example.commons.testing.RawHttp;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile client sends to the product service, on PostgreSQL (the deployed database, which refuses
 * NUL in text): each is a 400 naming the field, nothing is stored changed, nothing is a 500.
 */
@ServerTest
class ProductHostileInputTest {
    private static TestDatabases.Postgres postgres;
    private static FakeAuthServer auth;
    private static String admin;

    private final TestHttp http;
    private final int port;

    ProductHostileInputTest(URI uri) {
        http = new TestHttp(uri.toString());
        port = uri.getPort();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        postgres = TestDatabases.postgres();
        auth = FakeAuthServer.start();
        Database database = postgres.database("product-service", 10, Database.SharedSchema.OUTBOX);
        Config config = TestConfig.of(Map.of("server.port", "0", "auth.service.url", auth.url()));
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, database), List.of(database.readiness()));
        admin = auth.token("admin-1", "ADMIN");
    }

    @AfterAll
    static void stop() {
        auth.close();
        postgres.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967301", "9223372036854775808", "18446744073709551616", "1.5", "1e3", "-1", "1000000001", "\"5\""})
    void aStockThatIsNotAWholeNumberInRangeIs400AndNothingIsStored(String stock) {
        String sku = "S-" + UUID.randomUUID();

        HttpResponse<String> response = create(product(sku, "\"name\":\"Thing\"", "\"stock\":" + stock));

        assertField(response, "stock");
        assertThat(http.get("/api/products?q=" + sku).body()).contains("\"total\":0");
    }

    @Test
    void aStockAtTheEdgesIsStoredExactly() {
        for (String stock : List.of("0", "1000000000", "-0")) {
            HttpResponse<String> created = create(product("E-" + UUID.randomUUID(), "\"name\":\"Thing\"", "\"stock\":" + stock));

            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(created.body()).contains("\"stock\":" + stock.replace("-", ""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"sku\":42", "\"name\":true", "\"price\":\"12.50\"", "\"category\":[\"x\"]", "\"currency\":1"})
    void aValueOfTheWrongJsonTypeIs400NamingTheField(String member) {
        String field = member.substring(1, member.indexOf('"', 1));
        String body = product("W-" + UUID.randomUUID(), "\"name\":\"Thing\"", "\"stock\":1")
                .replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9.]+)", member);

        assertField(create(body), field);
    }

    @Test
    void aMisspeltFieldIs400NamingIt() {
        HttpResponse<String> response = create(product("M-" + UUID.randomUUID(), "\"name\":\"Thing\"", "\"stok\":1"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("{\"field\":\"stok\",\"message\":\"unknown field\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sku", "name", "description", "category"})
    void aNulInAStoredTextFieldIs400(String field) {
        String body = product("N-" + UUID.randomUUID(), "\"name\":\"Thing\"", "\"stock\":1")
                .replaceFirst("\"" + field + "\":\"", "\"" + field + "\":\"a\\\\u0000");

        assertField(create(body), field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sku", "name", "category"})
    void aLineBreakInAOneLineFieldIs400(String field) {
        String body = product("L-" + UUID.randomUUID(), "\"name\":\"Thing\"", "\"stock\":1")
                .replaceFirst("\"" + field + "\":\"", "\"" + field + "\":\"a\\\\n");

        assertField(create(body), field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maxPrice=1e1000000000", "minPrice=1e-1000000000", "maxPrice=1E2", "minPrice=-0", "minPrice=+1",
            "maxPrice=%20%201", "maxPrice=NaN", "maxPrice=Infinity", "limit=99999999999999", "limit=+5", "limit=-0",
            "offset=99999999999", "offset=1e3", "offset=%D9%A3", "limit=", "sort=PRICE", "inStock=TRUE",
            "q=a%00b", "category=%00", "q=a%0Ab", "minPirce=1", "limit=5&limit=50"})
    void aBadQueryParameterIs400NamingIt(String query) {
        HttpResponse<String> response = http.get("/api/products?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"" + query.substring(0, query.indexOf('=')) + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"q", "limit", "inStock", "sort", "minPrice"})
    void aParameterWithoutAValueIs400NamingIt(String name) {
        HttpResponse<String> response = http.get("/api/products?" + name);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"" + name + "\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"%00", "a%0Ab", "%7F"})
    void anIdWithControlCharactersIs400(String id) {
        HttpResponse<String> response = http.get("/api/products/" + id);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"id\"");
    }

    @Test
    void aReleaseForAnOrderIdLongerThanAnyOrderIdIs400() {
        HttpResponse<String> response = http.send(http.request("/internal/reservations/" + "x".repeat(101))
                                                          .header("Authorization", "Bearer " + auth.serviceToken("order-service", "inventory"))
                                                          .DELETE());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"orderId\"");
    }

    @Test
    void aPriceFilterWithDecimalsIsServed() {
        HttpResponse<String> response = http.get("/api/products?minPrice=0.5&maxPrice=" + URLEncoder.encode("1000.25", StandardCharsets.UTF_8));

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @MethodSource("io.example.commons.testing.HostileInputs#badFramings")
    void aBadlyFramedBodyIs400AndCloses(String framingAndBody) {
        RawHttp.Answer answer = new RawHttp(port).exchange("POST /api/products HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + admin + "\r\nContent-Type: application/json\r\n" + framingAndBody);

        HostileInputs.assertRefusedAndClosed(answer);
    }

    private static String product(String sku, String name, String stock) {
        return "{\"sku\":\"" + sku + "\"," + name + ",\"description\":\"d\",\"category\":\"tests\",\"price\":9.99,"
                + "\"currency\":\"EUR\"," + stock + "}";
    }

    private HttpResponse<String> create(String json) {
        return http.send(http.request("/api/products").header("Content-Type", "application/json")
                                 .header("Authorization", "Bearer " + admin)
                                 .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static void assertField(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"" + field + "\"");
    }
}
