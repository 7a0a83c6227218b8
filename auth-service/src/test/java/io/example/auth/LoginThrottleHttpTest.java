package io.example.auth;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-account login throttle through real HTTP, on two replicas of the service sharing one database,
 * with short lockouts so their end can be waited for.
 */
class LoginThrottleHttpTest {
    private static final int MAX_FAILURES = 3;
    private static final String PASSWORD = "correct-horse";

    private static WebServer first;
    private static WebServer second;
    private static TestHttp replicaA;
    private static TestHttp replicaB;

    // started by hand, not as a @ServerTest: two replicas of the service share the database
    @BeforeAll
    static void start() {
        Config config = TestConfig.of(Map.of("server.port", "0",
                                             "db.url", TestDatabases.h2Url(),
                                             "login.throttle.max.failures", Integer.toString(MAX_FAILURES),
                                             "login.throttle.window", "PT1M",
                                             "login.throttle.lockout", "PT1S",
                                             "login.throttle.max.lockout", "PT2S"));
        first = replica(config);
        second = replica(config);
        replicaA = new TestHttp("http://localhost:" + first.port());
        replicaB = new TestHttp("http://localhost:" + second.port());
    }

    @AfterAll
    static void stop() {
        first.stop();
        second.stop();
    }

    @Test
    void failuresBeyondTheLimitAreRefusedWith429AndRetryAfterEvenWithTheRightPassword() {
        String email = newUser();
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(login(replicaA, email, "wrong-password").statusCode()).isEqualTo(401);
        }

        HttpResponse<String> refused = login(replicaA, email, PASSWORD);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.headers().firstValue("Retry-After")).get().asString().matches("[12]");
        assertThat(refused.body()).contains("login-throttled").doesNotContain(email);
    }

    @Test
    void unknownEmailsAreThrottledExactlyLikeKnownOnes() {
        String known = newUser();
        String unknown = "nobody-" + UUID.randomUUID() + "@example.com";
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(TestHttp.withoutIds(login(replicaA, known, "wrong-password").body()))
                    .isEqualTo(TestHttp.withoutIds(login(replicaA, unknown, "wrong-password").body()));
        }

        HttpResponse<String> knownRefused = login(replicaA, known, "wrong-password");
        HttpResponse<String> unknownRefused = login(replicaA, unknown, "wrong-password");

        assertThat(knownRefused.statusCode()).isEqualTo(429);
        assertThat(unknownRefused.statusCode()).isEqualTo(429);
        assertThat(TestHttp.withoutIds(unknownRefused.body())).isEqualTo(TestHttp.withoutIds(knownRefused.body()));
        assertThat(unknownRefused.headers().firstValue("Retry-After"))
                .isEqualTo(knownRefused.headers().firstValue("Retry-After"));
    }

    @Test
    void theCountIsSharedByReplicas() {
        String email = newUser();
        for (int i = 0; i < MAX_FAILURES; i++) {
            TestHttp replica = i % 2 == 0 ? replicaA : replicaB;
            assertThat(login(replica, email, "wrong-password").statusCode()).isEqualTo(401);
        }

        assertThat(login(replicaB, email, PASSWORD).statusCode()).isEqualTo(429);
        assertThat(login(replicaA, email, PASSWORD).statusCode()).isEqualTo(429);
    }

    @Test
    void parallelGuessesOnBothReplicasGetNoMoreThanTheLimit() throws Exception {
        String email = newUser();
        List<Callable<Integer>> guesses = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            TestHttp replica = i % 2 == 0 ? replicaA : replicaB;
            guesses.add(() -> login(replica, email, "wrong-password").statusCode());
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(12)) {
            for (Future<Integer> f : pool.invokeAll(guesses)) {
                statuses.add(f.get());
            }
        }

        assertThat(statuses).containsOnly(401, 429);
        assertThat(statuses.stream().filter(s -> s == 401).count()).isEqualTo(MAX_FAILURES);
    }

    @Test
    void theLockEndsAndThenASuccessfulLoginStartsTheCountAfresh() throws Exception {
        String email = newUser();
        lockOut(email);

        Thread.sleep(retryAfterMillis(login(replicaA, email, PASSWORD)));
        HttpResponse<String> afterLock = login(replicaB, email, PASSWORD);

        assertThat(afterLock.statusCode()).isEqualTo(200);
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(login(replicaA, email, "wrong-password").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void repeatedLockoutsGrowButNeverBeyondTheMaximum() throws Exception {
        String email = newUser();
        List<String> retryAfters = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            HttpResponse<String> refused = lockOut(email);
            retryAfters.add(refused.headers().firstValue("Retry-After").orElseThrow());
            Thread.sleep(retryAfterMillis(refused));
        }

        assertThat(retryAfters).containsExactly("1", "2", "2", "2");
        assertThat(login(replicaA, email, PASSWORD).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> lockOut(String email) {
        for (int i = 0; i < MAX_FAILURES; i++) {
            assertThat(login(replicaA, email, "wrong-password").statusCode()).isEqualTo(401);
        }
        HttpResponse<String> refused = login(replicaA, email, "wrong-password");
        assertThat(refused.statusCode()).isEqualTo(429);
        return refused;
    }

    private static long retryAfterMillis(HttpResponse<String> refused) {
        return Long.parseLong(refused.headers().firstValue("Retry-After").orElse("0")) * 1000 + 100;
    }

    private static WebServer replica(Config config) {
        Database database = Database.start(config.get("db"), "auth-service");
        return ServiceServer.start(config, routing -> Main.routing(routing, config, database),
                                   List.of(database.readiness()));
    }

    private static String newUser() {
        String email = "throttled-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> created = replicaA.postJson("/api/auth/register", "{\"email\":\"" + email + "\",\"password\":\""
                + PASSWORD + "\",\"name\":\"T\"}", null);
        assertThat(created.statusCode()).isEqualTo(201);
        return email;
    }

    private static HttpResponse<String> login(TestHttp replica, String email, String password) {
        return replica.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}", null);
    }
}
