package io.example.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import io.example.commons.testing.FakeAuthServer;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes that need a user are refused at the gateway, before any service sees the request; accepted ones
 * reach the service with the Authorization header unchanged.
 */
@ServerTest
class EdgeAuthTest {
    private static FakeServices services;
    private final GatewayClient gateway;

    EdgeAuthTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        // key rotation is tested here: let an unknown kid re-read the JWKS at once
        services.configure(server, Map.of("jwt.jwks-min-refresh", "PT0S"));
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @BeforeEach
    void forgetRequests() {
        gateway.auth.forget();
        gateway.products.forget();
        gateway.orders.forget();
    }

    @ParameterizedTest
    @CsvSource({
            "GET, /api/orders",
            "GET, /api/orders/o-1",
            "POST, /api/orders",
            "POST, /api/orders/o-1/cancel",
            "PATCH, /api/orders/o-1/status",
            "GET, /api/auth/me",
            "POST, /api/products",
            "PUT, /api/products/p-1",
            "PATCH, /api/products/p-1",
            "DELETE, /api/products/p-1",
            "GET, /api/overview",
            // methods these paths do not have: 401 comes before 405, so no method table is told to anonymous callers
            "DELETE, /api/orders",
            "PUT, /api/auth/me",
            "DELETE, /api/products"})
    void protectedRoutesWithoutATokenAreRefusedBeforeAnyBackend(String method, String path) {
        HttpResponse<String> response = gateway.send(method, path, null, method.equals("GET") ? null : "{}");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Bearer"));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertNoBackendCalled();
    }

    @Test
    void forgedTokenIsRefusedBeforeTheBackend() {
        try (FakeAuthServer impostor = FakeAuthServer.start()) {
            HttpResponse<String> response = gateway.send("GET", "/api/orders", impostor.token("u-1", "USER"), null);

            assertThat(response.statusCode()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("invalid_token");
        }
        assertThat(gateway.orders.requests()).isEmpty();
    }

    @Test
    void tamperedTokenIsRefusedBeforeTheBackend() {
        String token = gateway.tokens.token("u-1", "USER");
        String[] parts = token.split("\\.");
        String adminPayload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(Base64.getUrlDecoder().decode(parts[1])).replace("USER", "ADMIN").getBytes());

        HttpResponse<String> response = gateway.send("DELETE", "/api/products/p-1",
                                                     parts[0] + "." + adminPayload + "." + parts[2], null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(gateway.products.requests()).isEmpty();
    }

    @Test
    void expiredTokenIsRefusedBeforeTheBackend() {
        String expired = gateway.tokens.signer().sign("u-1", "u-1@example.com", Set.of("USER"),
                                                      Instant.now().minus(Duration.ofHours(2)), Duration.ofMinutes(15));

        HttpResponse<String> response = gateway.send("GET", "/api/orders", expired, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(gateway.orders.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Basic dXNlcjpwYXNz", "Bearer", "Bearer not-a-jwt"})
    void malformedAuthorizationIsRefused(String authorization) {
        HttpResponse<String> response = gateway.http.send(gateway.http.request("/api/orders")
                                                                  .header("Authorization", authorization));

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(gateway.orders.requests()).isEmpty();
    }

    @Test
    void validTokenReachesTheServiceWithTheAuthorizationHeaderUnchanged() {
        String token = gateway.tokens.token("u-1", "USER");

        HttpResponse<String> response = gateway.send("GET", "/api/orders?limit=3", token, null);

        assertThat(response.statusCode()).isEqualTo(200);
        FakeBackend.Seen seen = gateway.orders.requests().getFirst();
        assertThat(seen.path()).isEqualTo("/api/orders");
        assertThat(seen.query()).isEqualTo("limit=3");
        assertThat(seen.header("Authorization")).isEqualTo("Bearer " + token);
    }

    @Test
    void productWritesNeedAValidTokenButTheRoleIsCheckedByTheService() {
        String userToken = gateway.tokens.token("u-1", "USER");

        HttpResponse<String> response = gateway.send("PUT", "/api/products/p-1", userToken, "{\"name\":\"x\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(gateway.products.requests()).singleElement()
                .satisfies(seen -> assertThat(seen.body()).isEqualTo("{\"name\":\"x\"}"));
    }

    @Test
    void publicRoutesNeedNoToken() {
        assertThat(gateway.get("/api/products").statusCode()).isEqualTo(200);
        assertThat(gateway.get("/api/products/p-1").statusCode()).isEqualTo(200);
        assertThat(gateway.send("POST", "/api/auth/login", null, "{}").statusCode()).isEqualTo(200);
        assertThat(gateway.send("POST", "/api/auth/register", null, "{}").statusCode()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"expired", "foreign"})
    void aTokenThatDoesNotVerifyIsRefusedWhereAUserIsNeededAndChangesNothingOnAPublicRoute(String kind) {
        try (FakeAuthServer impostor = FakeAuthServer.start()) {
            String token = kind.equals("expired")
                    ? gateway.tokens.signer().sign("u-1", "u-1@example.com", Set.of("USER"),
                                                   Instant.now().minus(Duration.ofHours(1)), Duration.ofMinutes(15))
                    : impostor.token("u-1", "USER");

            assertThat(gateway.send("GET", "/api/orders", token, null).statusCode()).isEqualTo(401);
            // a client that keeps an expired access token on every call can still browse and refresh its session
            assertThat(gateway.send("GET", "/api/products", token, null).statusCode()).isEqualTo(200);
            assertThat(gateway.send("POST", "/api/auth/refresh", token, "{}").statusCode()).isEqualTo(200);
            assertThat(gateway.auth.requests()).anySatisfy(seen -> assertThat(seen.path()).isEqualTo("/api/auth/refresh"));
        }
    }

    @Test
    void anUnknownKidReReadsTheJwksSoRotatedKeysAreAccepted() {
        gateway.tokens.rotate();

        HttpResponse<String> response = gateway.send("GET", "/api/orders", gateway.tokens.token("u-2", "USER"), null);

        assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void tokensWithMadeUpKidsCostTheAuthServiceAtMostOneJwksReadPerInterval() {
        try (TestGateway defaults = TestGateway.start(); FakeAuthServer impostor = FakeAuthServer.start()) {
            assertThat(defaults.send("GET", "/api/orders", defaults.tokens.token("u-1", "USER"), null).statusCode())
                    .isEqualTo(200);
            int readsBefore = defaults.tokens.jwksRequests();

            for (int i = 0; i < 20; i++) {
                impostor.rotate();
                assertThat(defaults.send("GET", "/api/orders", impostor.token("u-1", "USER"), null).statusCode())
                        .isEqualTo(401);
            }

            assertThat(defaults.tokens.jwksRequests() - readsBefore).isLessThanOrEqualTo(1);
        }
    }

    @Test
    void internalPathsAreNeverRouted() {
        assertThat(gateway.send("POST", "/internal/reservations", null, "{}").statusCode()).isEqualTo(404);
        assertThat(gateway.get("/api/products/%2e%2e/internal/reservations").statusCode()).isEqualTo(400);
        assertNoBackendCalled();
    }

    private void assertNoBackendCalled() {
        assertThat(gateway.orders.requests()).isEmpty();
        assertThat(gateway.products.requests()).isEmpty();
        assertThat(gateway.auth.requests()).allSatisfy(seen -> assertThat(seen.path()).isEqualTo("/.well-known/jwks.json"));
    }
}
