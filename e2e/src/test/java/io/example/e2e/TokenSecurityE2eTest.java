package io.example.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.example.commons.security.SigningKey;
import io.example.commons.testing.RawTokens;
import io.example.commons.testing.TestHttp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens against the four running processes: malformed claims are a 401 everywhere (never a 500, and the
 * gateway's rate limiter still works), a logout reaches every verifier within the poll interval, and only
 * the order service's identity moves stock.
 */
class TokenSecurityE2eTest {
    private final ServiceStack stack = ServiceStack.get();
    private final TestHttp gateway = new TestHttp(stack.url("gateway"));

    @Test
    void aTokenWithClaimsOfTheWrongTypeIs401AtEveryServiceNever500() {
        long now = Instant.now().getEpochSecond();
        for (String odd : List.of("\"exp\":\"" + (now + 600) + "\"", "\"exp\":{\"at\":1}", "\"exp\":[1]", "\"exp\":1e30",
                                  "\"nbf\":\"yesterday\"", "\"iat\":{}", "\"iat\":true", "\"exp\":" + (now + 600) + ".5")) {
            String token = token(odd);
            Map<String, HttpResponse<String>> answers = Map.of(
                    "gateway", bearer(gateway, "GET", "/api/orders", token),
                    "auth-service", bearer(new TestHttp(stack.url("auth-service")), "GET", "/api/auth/me", token),
                    "product-service", bearer(new TestHttp(stack.url("product-service")), "POST", "/api/products", token),
                    "order-service", bearer(new TestHttp(stack.url("order-service")), "GET", "/api/orders", token));

            answers.forEach((service, answer) -> {
                assertThat(answer.statusCode()).as("%s with %s", service, odd).isEqualTo(401);
                assertThat(answer.headers().firstValue("WWW-Authenticate")).as("%s with %s", service, odd)
                        .get().asString().startsWith("Bearer");
                assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            });
            // the rate limiter keys such a request by the client's address and lets it through
            HttpResponse<String> publicRead = bearer(gateway, "GET", "/api/products?limit=1", token);
            assertThat(publicRead.statusCode()).as("public read with %s", odd).isEqualTo(200);
            assertThat(publicRead.headers().firstValue("RateLimit-Remaining")).isPresent();
        }
    }

    @Test
    void aLoggedOutAccessTokenIsRejectedByEveryServiceWithinThePollInterval() {
        String email = "revoked-" + UUID.randomUUID() + "@example.com";
        String password = "Revoked-" + UUID.randomUUID();
        assertThat(gateway.postJson("/api/auth/register", "{\"email\":\"" + email
                + "\",\"password\":\"" + password + "\",\"name\":\"R\"}", null).statusCode()).isEqualTo(201);
        HttpResponse<String> login = gateway.postJson("/api/auth/login", "{\"email\":\"" + email
                + "\",\"password\":\"" + password + "\"}", null);
        String access = Users.field(login.body(), "accessToken");
        TestHttp orders = new TestHttp(stack.url("order-service"));
        TestHttp auth = new TestHttp(stack.url("auth-service"));
        assertThat(bearer(gateway, "GET", "/api/orders", access).statusCode()).isEqualTo(200);
        assertThat(bearer(orders, "GET", "/api/orders", access).statusCode()).isEqualTo(200);

        Instant loggedOut = Instant.now();
        assertThat(gateway.postJson("/api/auth/logout", "{\"refreshToken\":\"" + Users.field(login.body(), "refreshToken")
                + "\"}", null).statusCode()).isEqualTo(204);

        assertThat(eventually(() -> bearer(gateway, "GET", "/api/orders", access).statusCode(), s -> s == 401)).isEqualTo(401);
        assertThat(eventually(() -> bearer(orders, "GET", "/api/orders", access).statusCode(), s -> s == 401)).isEqualTo(401);
        assertThat(eventually(() -> bearer(auth, "GET", "/api/auth/me", access).statusCode(), s -> s == 401)).isEqualTo(401);
        assertThat(Duration.between(loggedOut, Instant.now()))
                .isLessThan(ServiceStack.REVOCATION_POLL.multipliedBy(2).plusSeconds(3));
    }

    @Test
    void onlyTheOrderServiceMovesStockDirectCallsDoNot() {
        String user = Users.newUser(gateway);
        String admin = Users.admin(gateway);
        HttpResponse<String> created = bearer(gateway, "POST", "/api/products", admin, "{\"sku\":\"TOK-" + UUID.randomUUID()
                + "\",\"name\":\"Guarded\",\"category\":\"test\",\"price\":2.50,\"stock\":10}");
        String product = Users.field(created.body(), "id");
        HttpResponse<String> order = bearer(gateway, "POST", "/api/orders", user,
                                            "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":3}]}");
        assertThat(order.statusCode()).isEqualTo(201);
        assertThat(order.body()).contains("\"status\":\"CONFIRMED\"");
        String orderId = Users.field(order.body(), "id");
        TestHttp products = new TestHttp(stack.url("product-service"));

        HttpResponse<String> anonymous = bearer(products, "DELETE", "/internal/reservations/" + orderId, null);
        HttpResponse<String> asUser = bearer(products, "DELETE", "/internal/reservations/" + orderId, user);
        HttpResponse<String> asAdmin = bearer(products, "DELETE", "/internal/reservations/" + orderId, admin);
        HttpResponse<String> reserve = bearer(products, "POST", "/internal/reservations", admin,
                                              "{\"orderId\":\"x-" + UUID.randomUUID() + "\",\"items\":[{\"productId\":\""
                                                      + product + "\",\"quantity\":7}]}");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(asUser.statusCode()).isEqualTo(403);
        assertThat(asAdmin.statusCode()).isEqualTo(403);
        assertThat(reserve.statusCode()).isEqualTo(403);
        assertThat(Users.field(products.get("/api/products/" + product).body(), "stock")).isEqualTo("7");
        // service tokens are not for the outside: the gateway does not route to the token endpoint
        assertThat(gateway.postJson("/internal/service-tokens", "{\"clientId\":\"order-service\",\"clientSecret\":\"x\"}",
                                    null).statusCode()).isEqualTo(404);
    }

    // an access token of the auth service's shape with one claim of the wrong type, signed by a key nobody
    // published (what an attacker can make)
    private static String token(String oddClaim) {
        Map<String, String> claims = RawTokens.accessTokenClaims("http://auth-service", "microservices-demo",
                                                                 Instant.now().getEpochSecond());
        claims.put(oddClaim.substring(1, oddClaim.indexOf('"', 1)), oddClaim.substring(oddClaim.indexOf(':') + 1));
        return RawTokens.sign(SigningKey.generate(), claims);
    }

    private static HttpResponse<String> bearer(TestHttp http, String method, String path, String token) {
        return bearer(http, method, path, token, null);
    }

    private static HttpResponse<String> bearer(TestHttp http, String method, String path, String token, String json) {
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

    private static <T> T eventually(Supplier<T> action, Predicate<T> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        T result = action.get();
        while (!done.test(result) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            result = action.get();
        }
        return result;
    }
}
