package io.example.e2e;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestHttp;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's rules of the contract against the four running services: JWT at the edge, rate-limit
 * headers, the product cache and its invalidation, and the overview. (The limits themselves are exercised in
 * the gateway's own tests: the stack runs with limits high enough for every e2e test.)
 */
class GatewayE2eTest {
    private final ServiceStack stack = ServiceStack.get();
    private final TestHttp gateway = stack.http("gateway");

    @ParameterizedTest
    @CsvSource({"GET, /api/orders, order-service",
                "GET, /api/orders/any-id, order-service",
                "POST, /api/orders, order-service",
                "GET, /api/auth/me, auth-service",
                "POST, /api/products, product-service",
                "DELETE, /api/products/any-id, product-service",
                "GET, /api/overview, auth-service"})
    void protectedRoutesRefuseMissingAndForgedTokensBeforeTheService(String method, String path, String service) {
        String noTokenId = "e2e-no-token-" + UUID.randomUUID();
        String forgedId = "e2e-forged-" + UUID.randomUUID();
        String forged;
        try (FakeAuthServer impostor = FakeAuthServer.start()) {
            forged = impostor.token("someone", "USER", "ADMIN");
        }

        HttpResponse<String> noToken = send(method, path, null, noTokenId);
        HttpResponse<String> forgedToken = send(method, path, forged, forgedId);

        for (HttpResponse<String> response : List.of(noToken, forgedToken)) {
            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).startsWith("Bearer");
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        assertThat(stack.log(service)).doesNotContain(noTokenId).doesNotContain(forgedId);
    }

    @Test
    void headIsAnsweredWhereGetIsWithTheGetsStatusAndLengthAndNoBody() {
        // paths whose answers no other test changes meanwhile (a GET may be answered from the gateway's cache, a
        // HEAD never is)
        String unknown = UUID.randomUUID().toString();
        for (String path : List.of("/api/products?q=" + unknown, "/api/products/" + unknown, "/api/orders")) {
            HttpResponse<String> get = gateway.send(gateway.request(path).GET());
            HttpResponse<String> head = gateway.send(gateway.request(path).HEAD());

            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("Content-Type")).as(path).isEqualTo(get.headers().firstValue("Content-Type"));
            assertThat(head.headers().firstValue("Content-Length")).as(path)
                    .hasValue(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length));
        }
    }

    @Test
    void everyResponseCarriesTheRateLimitHeaders() {
        List<HttpResponse<String>> responses = List.of(
                gateway.get("/api/products"),
                gateway.get("/api/no-such-thing"),
                gateway.get("/api/orders"),
                gateway.postJson("/api/auth/login", "{\"email\":\"nobody@example.com\",\"password\":\"wrong-password\"}",
                                 null));

        assertThat(responses).extracting(HttpResponse::statusCode).containsExactly(200, 404, 401, 401);
        assertThat(responses).allSatisfy(response -> {
            assertThat(response.headers().firstValue("RateLimit-Limit")).isPresent();
            assertThat(response.headers().firstValue("RateLimit-Remaining")).isPresent();
            assertThat(response.headers().firstValue("RateLimit-Reset")).isPresent();
        });
    }

    @Test
    void productReadsMissThenHitWithAnETagAnd304() {
        // the shared stack's other tests publish product events, and every one drops the cached list pages: a
        // pair that one fell between is tried again with a new page
        String path = "/api/products?q=" + UUID.randomUUID();
        HttpResponse<String> first = gateway.get(path);
        HttpResponse<String> second = gateway.get(path);
        for (int attempt = 1; attempt < 3 && !"HIT".equals(second.headers().firstValue("X-Cache").orElse("")); attempt++) {
            path = "/api/products?q=" + UUID.randomUUID();
            first = gateway.get(path);
            second = gateway.get(path);
        }
        String etag = second.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> revalidated = gateway.send(gateway.request(path).header("If-None-Match", etag));

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Cache-Control").orElseThrow()).startsWith("public, max-age=");
        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isEmpty();
    }

    @Test
    void anAdminProductWriteDropsTheStaleEntries() {
        String admin = login(ServiceStack.ADMIN_EMAIL, ServiceStack.ADMIN_PASSWORD);
        JsonObject product = firstProduct();
        String path = "/api/products/" + product.getString("id");
        String list = "/api/products?q=" + UUID.randomUUID();
        gateway.get(path);
        gateway.get(list);
        // cached (a stray product event from another test may drop it once: read again)
        String cached = gateway.get(path).headers().firstValue("X-Cache").orElse("");
        for (int attempt = 1; attempt < 3 && !cached.equals("HIT"); attempt++) {
            gateway.get(list);
            cached = gateway.get(path).headers().firstValue("X-Cache").orElse("");
        }
        assertThat(cached).isEqualTo("HIT");
        String newName = "Renamed " + UUID.randomUUID().toString().substring(0, 8);

        HttpResponse<String> updated = gateway.send(gateway.request(path)
                                                            .header("Authorization", "Bearer " + admin)
                                                            .header("Content-Type", "application/json")
                                                            .PUT(HttpRequest.BodyPublishers.ofString(
                                                                    writable(product).add("name", newName).build().toString())));

        assertThat(updated.statusCode()).isEqualTo(200);
        HttpResponse<String> after = gateway.get(path);
        assertThat(after.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(json(after.body()).getString("name")).isEqualTo(newName);
        assertThat(gateway.get(list).headers().firstValue("X-Cache")).hasValue("MISS");
    }

    @Test
    void aProductWriteWithAUserTokenPassesTheGatewayAndIsRefusedByTheService() {
        String user = registerAndLogin();

        HttpResponse<String> response = gateway.postJson("/api/products", "{}", user);

        assertThat(response.statusCode()).isEqualTo(403);
    }

    @Test
    void theOverviewHasTheProfileTheRecentOrdersAndTheirStock() {
        String email = "overview-" + UUID.randomUUID() + "@example.com";
        String token = registerAndLogin(email);
        JsonObject product = inStockProduct();
        HttpResponse<String> order = gateway.send(gateway.request("/api/orders")
                                                          .header("Authorization", "Bearer " + token)
                                                          .header("Content-Type", "application/json")
                                                          .POST(HttpRequest.BodyPublishers.ofString(
                                                                  "{\"items\":[{\"productId\":\"" + product.getString("id")
                                                                          + "\",\"quantity\":1}]}")));
        assertThat(order.statusCode()).isEqualTo(201);
        String requestId = "e2e-overview-" + UUID.randomUUID();

        HttpResponse<String> response = gateway.send(gateway.request("/api/overview")
                                                              .header("Authorization", "Bearer " + token)
                                                              .header("X-Request-Id", requestId));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject overview = json(response.body());
        assertThat(overview.getJsonObject("user").getString("email")).isEqualTo(email);
        assertThat(overview.getJsonArray("degraded")).isEmpty();
        JsonObject recent = overview.getJsonArray("recentOrders").getJsonObject(0);
        assertThat(recent.getString("id")).isEqualTo(json(order.body()).getString("id"));
        JsonObject item = recent.getJsonArray("items").getJsonObject(0);
        int currentStock = json(gateway.get("/api/products/" + product.getString("id")).body()).getInt("stock");
        assertThat(item.getInt("stock")).isEqualTo(currentStock);
        for (String service : List.of("auth-service", "order-service", "product-service")) {
            assertThat(stack.eventuallyLogged(service, requestId)).as(service + " logged the request id").isTrue();
        }
    }

    private HttpResponse<String> send(String method, String path, String token, String requestId) {
        HttpRequest.Builder request = gateway.request(path)
                .header("X-Request-Id", requestId)
                .header("Content-Type", "application/json")
                .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString("{}"));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return gateway.send(request);
    }

    private String registerAndLogin() {
        return registerAndLogin("gateway-" + UUID.randomUUID() + "@example.com");
    }

    private String registerAndLogin(String email) {
        HttpResponse<String> registered = gateway.postJson(
                "/api/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"correct-horse-battery\",\"name\":\"Gate Way\"}", null);
        assertThat(registered.statusCode()).isEqualTo(201);
        return login(email, "correct-horse-battery");
    }

    private String login(String email, String password) {
        HttpResponse<String> login = gateway.postJson(
                "/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
        assertThat(login.statusCode()).isEqualTo(200);
        return json(login.body()).getString("accessToken");
    }

    private JsonObject firstProduct() {
        return json(gateway.get("/api/products?limit=1&sort=name").body()).getJsonArray("items").getJsonObject(0);
    }

    private JsonObject inStockProduct() {
        return json(gateway.get("/api/products?inStock=true&sort=-name&limit=1").body())
                .getJsonArray("items").getJsonObject(0);
    }

    // the product as the service represents it, without what the service assigns itself
    private static JsonObjectBuilder writable(JsonObject product) {
        JsonObjectBuilder builder = Json.createObjectBuilder();
        for (var field : product.entrySet()) {
            if (!List.of("id", "createdAt", "updatedAt").contains(field.getKey())
                    && field.getValue().getValueType() != JsonValue.ValueType.NULL) {
                builder.add(field.getKey(), field.getValue());
            }
        }
        return builder;
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
