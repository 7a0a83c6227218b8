package io.example.auth;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.example.commons.db.Database;
import io.example.commons.security.JwtVerifier;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.RawHttp;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;

import static io.example.auth.AuthHttpTest.field;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation (logout, role change) and service tokens through real HTTP against the service as Main wires
 * it: what verifiers learn from the feed, and what the clients of the internal API get.
 */
@ServerTest
class RevocationAndServiceTokenHttpTest {
    private static final String ADMIN_EMAIL = "root@example.com";
    private static final String ADMIN_PASSWORD = "Kettle-marmot-7391-tokens";
    private static final String PASSWORD = "tokens-test-" + UUID.randomUUID();
    private static final String CLIENT_SECRET = "order-service-secret-" + UUID.randomUUID();
    private static final Duration POLL = Duration.ofMillis(100);

    private final URI uri;
    private final TestHttp http;

    RevocationAndServiceTokenHttpTest(URI uri) {
        this.uri = uri;
        this.http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = TestConfig.of(Map.of(
                "server.port", "0",
                "db.url", TestDatabases.h2Url(),
                "admin.email", ADMIN_EMAIL,
                "admin.password", ADMIN_PASSWORD,
                "jwt.revocation.poll.interval", POLL.toString(),
                "service.tokens.clients.order-service", "inventory",
                "service.tokens.clients.unconfigured-service", "inventory",
                "order.service.client.secret", CLIENT_SECRET));
        Database database = Database.start(config.get("db"), "auth-service");
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, database),
                                List.of(database.readiness()));
    }

    @Test
    void anAccessTokenStopsWorkingWithinAPollIntervalOfItsLogout() {
        HttpResponse<String> login = login(newUser(), PASSWORD);
        String access = field(login.body(), "accessToken");
        assertThat(me(access).statusCode()).isEqualTo(200);

        assertThat(http.postJson("/api/auth/logout", "{\"refreshToken\":\"" + field(login.body(), "refreshToken") + "\"}",
                                 null).statusCode()).isEqualTo(204);

        HttpResponse<String> after = eventually(() -> me(access), response -> response.statusCode() == 401);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
    }

    @Test
    void anotherSessionOfTheSameUserSurvivesALogout() {
        String email = newUser();
        String kept = field(login(email, PASSWORD).body(), "accessToken");
        HttpResponse<String> other = login(email, PASSWORD);

        http.postJson("/api/auth/logout", "{\"refreshToken\":\"" + field(other.body(), "refreshToken") + "\"}", null);
        eventually(() -> me(field(other.body(), "accessToken")), response -> response.statusCode() == 401);

        assertThat(me(kept).statusCode()).isEqualTo(200);
    }

    @Test
    void theFeedPublishesRevokedSessionsAndEveryVerifierReadingItRejectsThem() {
        HttpResponse<String> login = login(newUser(), PASSWORD);
        String access = field(login.body(), "accessToken");
        // a verifier of another service, fed over HTTP, that has already accepted (and cached) the token
        JwtVerifier verifier = RemoteVerifier.of(uri, POLL);
        assertThat(verifier.verify(access)).isPresent();

        http.postJson("/api/auth/logout", "{\"refreshToken\":\"" + field(login.body(), "refreshToken") + "\"}", null);

        assertThat(eventually(() -> verifier.verify(access).isEmpty(), Boolean::booleanValue)).isTrue();
        HttpResponse<String> feed = http.get("/internal/revocations");
        assertThat(feed.statusCode()).isEqualTo(200);
        assertThat(feed.body()).contains("\"cursor\":").contains("\"sid\":");
        assertThat(http.get("/internal/revocations?since=" + field(feed.body(), "cursor")).statusCode()).isEqualTo(200);
        assertThat(http.get("/internal/revocations?since=yesterday").statusCode()).isEqualTo(400);
        assertThat(http.get("/internal/revocations?since=" + field(feed.body(), "cursor") + "&limit=5").statusCode())
                .isEqualTo(400);
    }

    // Istio's AuthorizationPolicy matches the path as text: a caller allowed /api/auth/* only must not reach the
    // feed (or the service-token endpoint) through segments the server resolves and the mesh does not
    @Test
    void theInternalApiIsNotReachedThroughThePublicPrefix() {
        RawHttp raw = new RawHttp(uri.getPort());

        for (String target : List.of("/api/auth/..;/..;/internal/revocations", "/api/auth/../../internal/revocations",
                                     "/api/auth/%2e%2e/%2e%2e/internal/revocations")) {
            RawHttp.Answer answer = raw.send("GET", target);
            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.body()).as(target).doesNotContain("cursor");
        }
    }

    @Test
    void aDemotedAdminLosesAdminPowerWithinAPollInterval() {
        String admin = field(login(ADMIN_EMAIL, ADMIN_PASSWORD).body(), "accessToken");
        String email = newUser();
        String userId = idOf(email);
        String someoneElse = idOf(newUser());
        assertThat(putRoles(userId, admin, "{\"roles\":[\"USER\",\"ADMIN\"]}").statusCode()).isEqualTo(200);
        HttpResponse<String> asAdmin = login(email, PASSWORD);
        String promoted = field(asAdmin.body(), "accessToken");
        // only an administrator may read another user
        assertThat(user(someoneElse, promoted).statusCode()).isEqualTo(200);

        assertThat(putRoles(userId, admin, "{\"roles\":[\"USER\"]}").statusCode()).isEqualTo(200);

        HttpResponse<String> after = eventually(() -> user(someoneElse, promoted), response -> response.statusCode() != 200);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(refresh(field(asAdmin.body(), "refreshToken")).statusCode()).isEqualTo(401);
        String again = field(login(email, PASSWORD).body(), "accessToken");
        assertThat(user(someoneElse, again).statusCode()).isEqualTo(404);
        assertThat(user(userId, again).statusCode()).isEqualTo(200);
    }

    @Test
    void aServiceWithItsSecretGetsAShortLivedTokenWithItsScope() {
        HttpResponse<String> answer = serviceToken("order-service", CLIENT_SECRET);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(answer.body()).contains("\"tokenType\":\"Bearer\"", "\"expiresIn\":300", "\"scope\":\"inventory\"");
        JwtVerifier verifier = RemoteVerifier.of(uri, Duration.ofSeconds(5));
        String token = field(answer.body(), "accessToken");
        assertThat(verifier.verifyService(token)).hasValueSatisfying(caller -> {
            assertThat(caller.clientId()).isEqualTo("order-service");
            assertThat(caller.scopes()).containsExactly("inventory");
            assertThat(caller.expiresAt()).isBefore(Instant.now().plus(Duration.ofMinutes(6)));
        });
        // a service token is nobody's user token
        assertThat(verifier.verify(token)).isEmpty();
        assertThat(me(token).statusCode()).isEqualTo(401);
    }

    @Test
    void aWrongSecretAnUnknownClientOrAClientWithoutASecretGetNoToken() {
        assertThat(serviceToken("order-service", CLIENT_SECRET + "x").statusCode()).isEqualTo(401);
        assertThat(serviceToken("someone-else", CLIENT_SECRET).statusCode()).isEqualTo(401);
        assertThat(serviceToken("unconfigured-service", "").statusCode()).isEqualTo(400);
        assertThat(serviceToken("unconfigured-service", "anything").statusCode()).isEqualTo(401);
        assertThat(http.postJson("/internal/service-tokens", "{}", null).statusCode()).isEqualTo(400);
        assertThat(http.postJson("/internal/service-tokens", "{\"clientId\":[1]}", null).statusCode()).isEqualTo(400);
    }

    private String newUser() {
        String email = "tokens-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> registered = http.postJson("/api/auth/register", "{\"email\":\"" + email + "\",\"password\":\""
                + PASSWORD + "\",\"name\":\"Tokens\"}", null);
        assertThat(registered.statusCode()).isEqualTo(201);
        return email;
    }

    private String idOf(String email) {
        return field(me(field(login(email, PASSWORD).body(), "accessToken")).body(), "id");
    }

    private HttpResponse<String> login(String email, String password) {
        HttpResponse<String> login = http.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\""
                + password + "\"}", null);
        assertThat(login.statusCode()).isEqualTo(200);
        return login;
    }

    private HttpResponse<String> refresh(String token) {
        return http.postJson("/api/auth/refresh", "{\"refreshToken\":\"" + token + "\"}", null);
    }

    private HttpResponse<String> me(String token) {
        return http.send(http.request("/api/auth/me").header("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> user(String id, String token) {
        return http.send(http.request("/api/auth/users/" + id).header("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> serviceToken(String clientId, String secret) {
        return http.postJson("/internal/service-tokens", "{\"clientId\":\"" + clientId + "\",\"clientSecret\":\""
                + secret + "\"}", null);
    }

    private HttpResponse<String> putRoles(String userId, String token, String body) {
        return http.send(http.request("/api/auth/users/" + userId + "/roles")
                                 .header("Content-Type", "application/json")
                                 .header("Authorization", "Bearer " + token)
                                 .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    // the documented bound is one poll interval plus one call; allow generously more on a busy machine
    private static <T> T eventually(Supplier<T> action, Predicate<T> done) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        T result = action.get();
        while (!done.test(result) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(POLL.toMillis() / 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            result = action.get();
        }
        return result;
    }
}
