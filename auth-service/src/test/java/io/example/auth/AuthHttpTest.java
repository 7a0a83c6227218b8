package io.example.auth;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.db.Database;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every auth row of the contract through real HTTP against the service as Main wires it, on an H2 file.
 */
class AuthHttpTest {
    private static final String ADMIN_EMAIL = "root@example.com";
    private static final String ADMIN_PASSWORD = "root-password-123";

    private static WebServer server;
    private static TestHttp http;
    private static Config config;

    @BeforeAll
    static void start() throws Exception {
        config = Config.just(ConfigSources.create(Map.of(
                "server.port", "0",
                "db.url", TestDatabases.h2Url(),
                "admin.email", ADMIN_EMAIL,
                "admin.password", ADMIN_PASSWORD)));
        Database database = Database.start(config.get("db"), "auth-service");
        server = ServiceServer.start(config, routing -> Main.routing(routing, config, database),
                                     List.of(database.readiness()));
        http = new TestHttp("http://localhost:" + server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void registerAnswers201WithLocationAndTheUser() {
        HttpResponse<String> response = register("Grace." + UUID.randomUUID() + "@Example.com", "correct-horse", "Grace");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Location")).get().asString().startsWith("/api/auth/users/");
        assertThat(response.body()).contains("\"roles\":[\"USER\"]").contains("\"name\":\"Grace\"")
                .doesNotContain("password");
        assertThat(field(response.body(), "email")).isEqualTo(field(response.body(), "email").toLowerCase());
    }

    @Test
    void registeringAnEmailTwiceInAnyCaseIs409() {
        String email = "twice-" + UUID.randomUUID() + "@example.com";
        register(email, "correct-horse", "One");

        HttpResponse<String> again = register(email.toUpperCase(), "correct-horse", "Two");

        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void invalidRegistrationListsEveryBadField() {
        HttpResponse<String> response = http.postJson("/api/auth/register", "{\"email\":\"nope\",\"password\":\"short\"}", null);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"email\"").contains("\"field\":\"password\"")
                .contains("\"field\":\"name\"");
    }

    @Test
    void passwordLongerThan128IsRejected() {
        HttpResponse<String> response = register("long-" + UUID.randomUUID() + "@example.com", "x".repeat(129), "Long");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"password\"");
    }

    @Test
    void loginIssuesAVerifiableTokenPair() {
        String email = newUser();

        HttpResponse<String> response = login(email, "correct-horse");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"tokenType\":\"Bearer\"").contains("\"expiresIn\":900");
        Config verifierConfig = Config.just(ConfigSources.create(Map.of("auth.service.url", "http://localhost:" + server.port())));
        JwtVerifier verifier = JwtVerifier.create(JwksCache.create(verifierConfig), verifierConfig);
        assertThat(verifier.verify(field(response.body(), "accessToken")))
                .hasValueSatisfying(user -> {
                    assertThat(user.email()).isEqualTo(email);
                    assertThat(user.roles()).containsExactly("USER");
                });
    }

    @Test
    void unknownEmailAndWrongPasswordAreIndistinguishable() {
        String email = newUser();

        HttpResponse<String> wrongPassword = login(email, "not-the-password");
        HttpResponse<String> unknownEmail = login("nobody-" + UUID.randomUUID() + "@example.com", "not-the-password");

        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(unknownEmail.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.body()).isEqualTo(unknownEmail.body());
    }

    @Test
    void refreshRotatesAndTheOldTokenStopsWorking() {
        String refresh = field(login(newUser(), "correct-horse").body(), "refreshToken");

        HttpResponse<String> first = refresh(refresh);
        HttpResponse<String> again = refresh(refresh);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(field(first.body(), "refreshToken")).isNotEqualTo(refresh);
        assertThat(again.statusCode()).isEqualTo(401);
    }

    @Test
    void reusedRefreshTokenRevokesItsFamily() {
        String original = field(login(newUser(), "correct-horse").body(), "refreshToken");
        String successor = field(refresh(original).body(), "refreshToken");

        assertThat(refresh(original).statusCode()).isEqualTo(401);

        assertThat(refresh(successor).statusCode()).isEqualTo(401);
    }

    @Test
    void concurrentRefreshOfOneTokenHasExactlyOneWinner() throws Exception {
        String refresh = field(login(newUser(), "correct-horse").body(), "refreshToken");
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            attempts.add(() -> refresh(refresh).statusCode());
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<Integer> f : pool.invokeAll(attempts)) {
                statuses.add(f.get());
            }
        }

        assertThat(statuses).containsOnly(200, 401);
        assertThat(statuses.stream().filter(s -> s == 200).count()).isEqualTo(1);
    }

    @Test
    void logoutMakesTheRefreshTokenUseless() {
        String refresh = field(login(newUser(), "correct-horse").body(), "refreshToken");

        HttpResponse<String> logout = http.postJson("/api/auth/logout", "{\"refreshToken\":\"" + refresh + "\"}", null);

        assertThat(logout.statusCode()).isEqualTo(204);
        assertThat(refresh(refresh).statusCode()).isEqualTo(401);
    }

    @Test
    void meAnswersTheCallerAndRequiresAToken() {
        String email = newUser();
        String token = field(login(email, "correct-horse").body(), "accessToken");

        HttpResponse<String> me = http.send(http.request("/api/auth/me").header("Authorization", "Bearer " + token));
        HttpResponse<String> anonymous = http.get("/api/auth/me");

        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"email\":\"" + email + "\"").contains("\"id\":");
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
    }

    @Test
    void jwksIsPublishedWithKidAtBothPaths() {
        HttpResponse<String> wellKnown = http.get("/.well-known/jwks.json");
        HttpResponse<String> api = http.get("/api/auth/jwks");

        assertThat(wellKnown.statusCode()).isEqualTo(200);
        assertThat(wellKnown.body()).contains("\"kid\":").contains("\"kty\":\"EC\"").contains("\"alg\":\"ES256\"")
                .doesNotContain("\"d\":");
        assertThat(api.body()).isEqualTo(wellKnown.body());
    }

    @Test
    void bootstrappedAdminCanGrantRolesAndUsersCannot() {
        String adminToken = field(login(ADMIN_EMAIL, ADMIN_PASSWORD).body(), "accessToken");
        HttpResponse<String> created = register("promote-" + UUID.randomUUID() + "@example.com", "correct-horse", "P");
        String userId = field(created.body(), "id");
        String userToken = field(login(field(created.body(), "email"), "correct-horse").body(), "accessToken");

        HttpResponse<String> byUser = putRoles(userId, userToken, "{\"roles\":[\"USER\",\"ADMIN\"]}");
        HttpResponse<String> byAdmin = putRoles(userId, adminToken, "{\"roles\":[\"USER\",\"ADMIN\"]}");
        HttpResponse<String> unknownRole = putRoles(userId, adminToken, "{\"roles\":[\"ROOT\"]}");

        assertThat(byUser.statusCode()).isEqualTo(403);
        assertThat(byAdmin.statusCode()).isEqualTo(200);
        assertThat(byAdmin.body()).contains("\"roles\":[\"ADMIN\",\"USER\"]");
        assertThat(unknownRole.statusCode()).isEqualTo(400);
    }

    @Test
    void adminBootstrapIsIdempotent() {
        Database database = Database.start(config.get("db"), "auth-service");

        Main.routing(io.helidon.webserver.http.HttpRouting.builder(), config, database);

        assertThat(login(ADMIN_EMAIL, ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void badInputIsAProblemNeverA500() {
        assertThat(http.postJson("/api/auth/login", "{\"email\":", null).statusCode()).isEqualTo(400);
        assertThat(http.postJson("/api/auth/login", "{\"email\":[1]}", null).statusCode()).isEqualTo(400);
        assertThat(http.send(http.request("/api/auth/login").header("Content-Type", "text/plain")
                                     .POST(HttpRequest.BodyPublishers.ofString("x"))).statusCode()).isEqualTo(415);
        assertThat(http.postJson("/api/auth/login", "{\"email\":\"" + "a".repeat(1_100_000) + "\"}", null).statusCode())
                .isEqualTo(413);
        assertThat(http.get("/api/auth/nothing-here").statusCode()).isEqualTo(404);
        assertThat(http.get("/api/auth/login").statusCode()).isEqualTo(405);
        assertThat(http.postJson("/api/auth/refresh", "{}", null).statusCode()).isEqualTo(400);
    }

    private static String newUser() {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        assertThat(register(email, "correct-horse", "User").statusCode()).isEqualTo(201);
        return email;
    }

    private static HttpResponse<String> register(String email, String password, String name) {
        return http.postJson("/api/auth/register",
                             "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"" + name + "\"}", null);
    }

    private static HttpResponse<String> login(String email, String password) {
        return http.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
    }

    private static HttpResponse<String> refresh(String token) {
        return http.postJson("/api/auth/refresh", "{\"refreshToken\":\"" + token + "\"}", null);
    }

    private static HttpResponse<String> putRoles(String userId, String token, String body) {
        return http.send(http.request("/api/auth/users/" + userId + "/roles")
                                 .header("Content-Type", "application/json")
                                 .header("Authorization", "Bearer " + token)
                                 .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as("field %s in %s", name, json).isTrue();
        return m.group(1);
    }
}
