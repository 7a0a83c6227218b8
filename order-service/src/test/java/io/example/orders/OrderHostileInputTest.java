package io.example.orders;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.HostileInputs;
import io.example.commons.testing.RawHttp;
import io.example.commons.testing.TestHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile client sends to the order service: each is a 400 naming the field, no order is made and no
 * stock is taken, nothing is a 500.
 */
@ServerTest
class OrderHostileInputTest {
    private static FakeAuthServer auth;
    private static FakeProductService products;

    private final TestHttp http;
    private final int port;

    private String user;
    private String product;

    OrderHostileInputTest(URI uri) {
        http = new TestHttp(uri.toString());
        port = uri.getPort();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        auth = FakeAuthServer.start();
        products = new FakeProductService();
        OrderServiceUnderTest.configure(server, auth, products, Map.of());
    }

    @AfterAll
    static void stop() {
        products.close();
        auth.close();
    }

    @BeforeEach
    void freshUserAndStock() {
        user = auth.token("user-" + UUID.randomUUID(), "USER");
        product = "p-" + UUID.randomUUID().toString().substring(0, 8);
        products.stock(product, 50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967297", "4294967296", "9223372036854775809", "18446744073709551617", "1.5", "1.0", "2e0",
            "\"1\"", "true", "null"})
    void aQuantityThatIsNotAWholeNumberInRangeIs400AndNoStockIsTaken(String quantity) {
        HttpResponse<String> response = place("{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}]}");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"items[0].quantity\"");
        assertThat(products.stock(product)).isEqualTo(50);
        assertThat(list("").body()).contains("\"total\":0");
    }

    @Test
    void aMisspeltFieldIs400NamingItsPath() {
        HttpResponse<String> response = place("{\"items\":[{\"productId\":\"" + product + "\",\"quantitiy\":2}]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("{\"field\":\"items[0].quantitiy\",\"message\":\"unknown field\"}");
        assertThat(products.stock(product)).isEqualTo(50);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"items\":[{\"productId\":42,\"quantity\":1}]}", "{\"items\":{\"productId\":\"x\"}}",
            "{\"items\":[\"x\"]}", "{\"items\":[{\"productId\":\"a\\u0000\",\"quantity\":1}]}", "{\"itemz\":[]}"})
    void aBodyOfTheWrongShapeIs400NamingTheField(String body) {
        HttpResponse<String> response = place(body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"errors\":[{\"field\":\"item");
    }

    @Test
    void theLargestQuantityIsOrderedExactly() {
        products.stock(product, 100);

        HttpResponse<String> placed = place("{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":100}]}");
        assertThat(placed.statusCode()).isEqualTo(201);
        assertThat(placed.body()).contains("\"quantity\":100");
        assertThat(products.stock(product)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"shipped", "Shipped", "PENDING", "FAILED", " SHIPPED"})
    void aStatusChangeTakesOnlyAVisibleStatusByItsExactName(String status) {
        String id = id(place("{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}"));

        HttpResponse<String> response = http.send(http.request("/api/orders/" + id + "/status")
                .header("Authorization", "Bearer " + auth.token("admin-1", "ADMIN"))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}")));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"status\"");
    }

    @Test
    void aStatusChangeWithAnUnknownFieldOrANumberIs400() {
        String id = id(place("{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}"));
        String admin = auth.token("admin-1", "ADMIN");

        for (String body : List.of("{\"status\":\"SHIPPED\",\"note\":\"x\"}", "{\"status\":1}", "{\"state\":\"SHIPPED\"}")) {
            HttpResponse<String> response = http.send(http.request("/api/orders/" + id + "/status")
                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));

            assertThat(response.statusCode()).as(body).isEqualTo(400);
        }
        assertThat(http.send(http.request("/api/orders/" + id).header("Authorization", "Bearer " + user)).body())
                .contains("\"status\":\"CONFIRMED\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"status=confirmed", "status=%00", "limit=99999999999", "limit=+5", "offset=-0", "offset=1e3",
            "limit=5&limit=6", "stauts=CONFIRMED", "offset=%D9%A3"})
    void aBadListParameterIs400NamingIt(String query) {
        HttpResponse<String> response = list("?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"field\":\"" + query.substring(0, query.indexOf('=')) + "\"");
    }

    @ParameterizedTest
    @MethodSource("io.example.commons.testing.HostileInputs#badFramings")
    void aBadlyFramedBodyIs400AndCloses(String framingAndBody) {
        RawHttp.Answer answer = new RawHttp(port).exchange("POST /api/orders HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + user + "\r\nContent-Type: application/json\r\n" + framingAndBody);

        HostileInputs.assertRefusedAndClosed(answer);
    }

    private HttpResponse<String> place(String json) {
        return http.send(http.request("/api/orders").header("Content-Type", "application/json")
                                 .header("Authorization", "Bearer " + user)
                                 .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> list(String query) {
        return http.send(http.request("/api/orders" + query).header("Authorization", "Bearer " + user));
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
