package io.example.products;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may move stock: only the order service, proven by its service token with the inventory scope. Anyone
 * else who reaches the service directly (no token, a user's token, an administrator's, another service's)
 * moves nothing.
 */
@ServerTest
class InventoryAccessHttpTest {
    private static FakeAuthServer auth;

    private final TestHttp http;
    private String productId;
    private String orderId;

    InventoryAccessHttpTest(URI uri) {
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

    @BeforeEach
    void aProductWithAConfirmedReservation() {
        HttpResponse<String> created = send("POST", "/api/products", auth.token("admin-1", "ADMIN"),
                "{\"sku\":\"A-" + UUID.randomUUID() + "\",\"name\":\"Guarded\",\"description\":\"d\",\"category\":\"books\","
                        + "\"price\":3.00,\"currency\":\"EUR\",\"stock\":10}");
        assertThat(created.statusCode()).isEqualTo(201);
        productId = string(created.body(), "id");
        orderId = "order-" + UUID.randomUUID();
        assertThat(reserve(orderService()).statusCode()).isEqualTo(201);
        assertThat(stock()).isEqualTo(8);
    }

    @Test
    void withoutATokenNothingMovesAnd401() {
        HttpResponse<String> release = send("DELETE", "/internal/reservations/" + orderId, null, null);
        HttpResponse<String> reserve = reserve(null);

        assertThat(release.statusCode()).isEqualTo(401);
        assertThat(release.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        assertThat(release.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(reserve.statusCode()).isEqualTo(401);
        assertThat(stock()).isEqualTo(8);
    }

    @Test
    void anInvalidTokenIs401() {
        assertThat(send("DELETE", "/internal/reservations/" + orderId, "not-a-token", null).statusCode()).isEqualTo(401);
        assertThat(stock()).isEqualTo(8);
    }

    @Test
    void aUsersTokenEvenAnAdministratorsIs403() {
        assertThat(send("DELETE", "/internal/reservations/" + orderId, auth.token("user-1", "USER"), null).statusCode())
                .isEqualTo(403);
        assertThat(send("DELETE", "/internal/reservations/" + orderId, auth.token("admin-1", "USER", "ADMIN"), null)
                           .statusCode()).isEqualTo(403);
        assertThat(stock()).isEqualTo(8);
    }

    @Test
    void anotherServiceOrAServiceTokenWithoutTheScopeIs403() {
        assertThat(send("DELETE", "/internal/reservations/" + orderId, auth.serviceToken("gateway", "inventory"), null)
                           .statusCode()).isEqualTo(403);
        assertThat(send("DELETE", "/internal/reservations/" + orderId, auth.serviceToken("order-service", "orders"), null)
                           .statusCode()).isEqualTo(403);
        assertThat(reserve(auth.serviceToken("order-service")).statusCode()).isEqualTo(403);
        assertThat(stock()).isEqualTo(8);
    }

    @Test
    void theOrderServiceWithItsTokenReleases() {
        assertThat(send("DELETE", "/internal/reservations/" + orderId, orderService(), null).statusCode()).isEqualTo(204);
        assertThat(stock()).isEqualTo(10);
    }

    @Test
    void anyPathUnderInternalNeedsTheToken() {
        assertThat(send("GET", "/internal/reservations", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/internal/anything/else", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/internal", null, null).statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> reserve(String token) {
        return send("POST", "/internal/reservations", token,
                    "{\"orderId\":\"" + orderId + "\",\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":2}]}");
    }

    private int stock() {
        Matcher m = Pattern.compile("\"stock\":(\\d+)").matcher(http.get("/api/products/" + productId).body());
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    private static String orderService() {
        return auth.serviceToken("order-service", "inventory");
    }

    private HttpResponse<String> send(String method, String path, String token, String json) {
        HttpRequest.Builder builder = http.request(path).method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
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
}
