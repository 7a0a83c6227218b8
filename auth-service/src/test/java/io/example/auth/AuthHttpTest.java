package io.example.auth;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
import io.example.commons.security.JwtVerifier;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every auth row of the contract through real HTTP against the service as Main wires it, on an H2 file.
 */
@ServerTest
class AuthHttpTest {
    private static final String ADMIN_EMAIL = "root@example.com";
    private static final String ADMIN_PASSWORD = "Tr0mbone-lighthouse-42";

    private static Config config;
    private final URI uri;
    private final TestHttp http;

    AuthHttpTest(URI uri) {
        this.uri = uri;
        this.http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        config = TestConfig.of(Map.of("server.port", "0",
                                      "db.url", TestDatabases.h2Url(),
                                      "admin.email", ADMIN_EMAIL,
                                      "admin.password", ADMIN_PASSWORD));
        Database database = Database.start(config.get("db"), "auth-service");
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, database),
                                List.of(database.readiness()));
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
        JwtVerifier verifier = RemoteVerifier.of(uri, Duration.ofSeconds(5));
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
        assertThat(TestHttp.withoutIds(wrongPassword.body())).isEqualTo(TestHttp.withoutIds(unknownEmail.body()));
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

        Main.routing(HttpRouting.builder(), config, database);

        assertThat(login(ADMIN_EMAIL, ADMIN_PASSWORD).statusCode()).isEqualTo(200);
    }

    @Test
    void aWeakAdministratorPasswordStopsStartUpWithoutRevealingIt() {
        Config weak = TestConfig.of(Map.of("admin.email", "boss@example.com", "admin.password", "Password123"));
        Database database = Database.start(config.get("db"), "auth-service");

        assertThatThrownBy(() -> Main.routing(HttpRouting.builder(), weak, database))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ADMIN_PASSWORD").hasMessageContaining("common")
                .hasMessageNotContaining("Password123");
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

    @Test
    void commonPasswordsAreRejectedWhateverTheirCase() {
        for (String common : List.of("password", "12345678", "PassWord1", "QWERTY123", "iloveyou")) {
            HttpResponse<String> response = register("common-" + UUID.randomUUID() + "@example.com", common, "C");

            assertThat(response.statusCode()).as(common).isEqualTo(400);
            assertThat(response.body()).as(common).contains("\"field\":\"password\"").contains("common");
        }
    }

    @Test
    void passwordsOfOnlyWhitespaceOrOneRepeatedCharacterAreRejected() {
        for (String weak : List.of("        ", "\\t\\t\\t\\t    ", "zzzzzzzzzzzz")) {
            HttpResponse<String> response = register("weak-" + UUID.randomUUID() + "@example.com", weak, "W");

            assertThat(response.statusCode()).as(weak).isEqualTo(400);
            assertThat(response.body()).as(weak).contains("\"field\":\"password\"");
        }
    }

    @Test
    void passwordContainingTheEmailsLocalPartIsRejected() {
        HttpResponse<String> response = register("Margaret.Hamilton@example.com", "margaret.hamilton-1969", "M");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"password\"").contains("before the @");
    }

    @Test
    void passwordLengthCountsCharactersNotUtf16Units() {
        String sevenEmoji = "\uD83D\uDE00\uD83D\uDC31\uD83D\uDE80\uD83C\uDF35\uD83C\uDFB2\uD83E\uDDE9\uD83C\uDF88";
        String hundredEmoji = (sevenEmoji.repeat(15)).substring(0, 200);

        HttpResponse<String> tooShort = register("emoji-" + UUID.randomUUID() + "@example.com", sevenEmoji, "E");
        HttpResponse<String> longEnough = register("emoji-" + UUID.randomUUID() + "@example.com", hundredEmoji, "E");

        assertThat(tooShort.statusCode()).isEqualTo(400);
        assertThat(tooShort.body()).contains("\"field\":\"password\"");
        assertThat(longEnough.statusCode()).isEqualTo(201);
    }

    @Test
    void aNulInAnEmailIsA400NotA500() {
        HttpResponse<String> registration = register("nul-" + UUID.randomUUID() + "@example.com\\u0000", "correct-horse", "N");
        HttpResponse<String> login = login("nul@example.com\\u0000", "correct-horse");

        assertThat(registration.statusCode()).isEqualTo(400);
        assertThat(registration.body()).contains("\"field\":\"email\"");
        assertThat(login.statusCode()).isEqualTo(400);
        assertThat(login.body()).contains("\"field\":\"email\"");
    }

    @Test
    void lookAlikeEmailsCannotRegisterASecondAccount() {
        String email = "lookalike-" + UUID.randomUUID() + "@example.com";
        assertThat(register(email, "correct-horse", "Original").statusCode()).isEqualTo(201);

        HttpResponse<String> zeroWidthInFront = register("\u200B" + email, "correct-horse", "Copy");
        HttpResponse<String> zeroWidthInside = register(email.replace("@", "\u200D@"), "correct-horse", "Copy");
        HttpResponse<String> nulAfter = register(email + "\\u0000", "correct-horse", "Copy");
        HttpResponse<String> fullWidth = register(fullWidth(email), "correct-horse", "Copy");
        HttpResponse<String> upperCaseWithSpaces = register("  " + email.toUpperCase() + " ", "correct-horse", "Copy");

        assertThat(zeroWidthInFront.statusCode()).isEqualTo(400);
        assertThat(zeroWidthInside.statusCode()).isEqualTo(400);
        assertThat(nulAfter.statusCode()).isEqualTo(400);
        assertThat(fullWidth.statusCode()).isEqualTo(409);
        assertThat(upperCaseWithSpaces.statusCode()).isEqualTo(409);
    }

    @ParameterizedTest
    @ValueSource(strings = {"N\\u0000", "admin\\u202e\\u200b", "\\u200bAda", "Ad\\u2066a"})
    void aControlOrInvisibleFormatCharacterInTheNameIsA400(String name) {
        HttpResponse<String> response = register("named-" + UUID.randomUUID() + "@example.com", "correct-horse", name);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"name\"");
    }

    @Test
    void anInternationalDomainIsStoredInItsAsciiFormAndLoginAcceptsEitherForm() {
        String local = "idn-" + UUID.randomUUID();

        HttpResponse<String> created = register(local + "@B\u00FCcher.example", "correct-horse", "Idn");

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(field(created.body(), "email")).isEqualTo(local + "@xn--bcher-kva.example");
        assertThat(login(local + "@xn--bcher-kva.example", "correct-horse").statusCode()).isEqualTo(200);
        assertThat(login(fullWidth(local) + "@b\u00FCcher.example", "correct-horse").statusCode()).isEqualTo(200);
    }

    @Test
    void aUnicodeLocalPartIsRejected() {
        HttpResponse<String> response = register("\u0430dmin-" + UUID.randomUUID() + "@example.com", "correct-horse", "Cyrillic");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"field\":\"email\"");
    }

    private String newUser() {
        String email = "user-" + UUID.randomUUID() + "@example.com";
        assertThat(register(email, "correct-horse", "User").statusCode()).isEqualTo(201);
        return email;
    }

    private HttpResponse<String> register(String email, String password, String name) {
        return http.postJson("/api/auth/register",
                             "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"" + name + "\"}", null);
    }

    private HttpResponse<String> login(String email, String password) {
        return http.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
    }

    private HttpResponse<String> refresh(String token) {
        return http.postJson("/api/auth/refresh", "{\"refreshToken\":\"" + token + "\"}", null);
    }

    private HttpResponse<String> putRoles(String userId, String token, String body) {
        return http.send(http.request("/api/auth/users/" + userId + "/roles")
                                 .header("Content-Type", "application/json")
                                 .header("Authorization", "Bearer " + token)
                                 .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** The same text in full-width forms (U+FF01..U+FF5E), which NFKC folds back to ASCII. */
    private static String fullWidth(String ascii) {
        StringBuilder wide = new StringBuilder();
        ascii.chars().forEach(c -> wide.append(c > 0x20 && c < 0x7F ? (char) (c - 0x21 + 0xFF01) : (char) c));
        return wide.toString();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as("field %s in %s", name, json).isTrue();
        return m.group(1);
    }
}
