package io.example.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.example.auth.logins.LoginAttemptRepository;
import io.example.auth.logins.LoginAttempts;
import io.example.auth.logins.LoginThrottle;
import io.example.auth.logins.ThrottlePolicy;
import io.example.auth.tokens.RefreshTokenRepository;
import io.example.auth.users.User;
import io.example.auth.users.UserRepository;
import io.example.commons.db.Database;
import io.example.commons.http.ProblemException;
import io.example.commons.testing.TestDatabases;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations and the SQL of the user, refresh-token and login-throttle repositories on a real PostgreSQL,
 * the database of the Kubernetes deployment.
 */
class AuthRepositoriesPostgresTest {
    private static TestDatabases.Postgres postgres;
    private static UserRepository users;
    private static RefreshTokenRepository tokens;
    private static LoginAttemptRepository attempts;

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
        Database database = postgres.database("auth-service");
        users = new UserRepository(database.client());
        tokens = new RefreshTokenRepository(database.client());
        attempts = new LoginAttemptRepository(database.client());
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void usersRoundTripAndEmailsAreUnique() {
        User user = user("pg-" + UUID.randomUUID() + "@example.com");

        assertThat(users.insert(user)).isTrue();
        assertThat(users.insert(new User(UUID.randomUUID().toString(), user.email(), "Other", "h", Set.of("USER"),
                                         user.createdAt(), user.updatedAt()))).isFalse();
        assertThat(users.findByEmail(user.email())).hasValueSatisfying(found -> {
            assertThat(found.id()).isEqualTo(user.id());
            assertThat(found.roles()).containsExactlyInAnyOrder("USER", "ADMIN");
            assertThat(found.createdAt()).isEqualTo(user.createdAt());
        });
    }

    @Test
    void anIdThatIsNoUuidNamesNoUserInsteadOfAnError() {
        assertThat(users.findById("\u0000")).isEmpty();
        assertThat(users.findById("not-a-uuid")).isEmpty();
        assertThat(users.updateRoles(UUID.randomUUID() + "\u0000", Set.of("USER"), Instant.now())).isFalse();
    }

    @Test
    void aRefreshTokenRotatesOnceAndItsFamilyCanBeRevoked() {
        User user = user("rt-" + UUID.randomUUID() + "@example.com");
        users.insert(user);
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        tokens.insert("a".repeat(64), "family-1-" + user.id().substring(0, 8), user.id(), now, now.plusSeconds(60));
        RefreshTokenRepository.StoredToken stored = tokens.find("a".repeat(64)).orElseThrow();

        assertThat(tokens.rotate("a".repeat(64), "b".repeat(64), stored, now, now.plusSeconds(60))).isTrue();
        assertThat(tokens.rotate("a".repeat(64), "c".repeat(64), stored, now, now.plusSeconds(60))).isFalse();
        assertThat(tokens.find("a".repeat(64))).hasValueSatisfying(t -> assertThat(t.used()).isTrue());

        tokens.revokeFamily(stored.familyId());

        assertThat(tokens.find("b".repeat(64))).hasValueSatisfying(t -> assertThat(t.revoked()).isTrue());
    }

    @Test
    void twoReplicasCountingOneAddressAtOnceAllowExactlyTheLimit() throws Exception {
        ThrottlePolicy policy = new ThrottlePolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(1), Duration.ofMinutes(15));
        LoginThrottle replicaA = new LoginThrottle(attempts, policy, Clock.systemUTC());
        LoginThrottle replicaB = new LoginThrottle(new LoginAttemptRepository(postgres.database("auth-service").client()),
                                                   policy, Clock.systemUTC());
        String email = "race-" + UUID.randomUUID() + "@example.com";
        List<Callable<Integer>> guesses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            LoginThrottle replica = i % 2 == 0 ? replicaA : replicaB;
            guesses.add(() -> {
                try {
                    replica.attempt(email);
                    return 200;
                } catch (ProblemException e) {
                    return e.problem().status();
                }
            });
        }

        List<Integer> outcomes = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<Integer> f : pool.invokeAll(guesses)) {
                outcomes.add(f.get());
            }
        }

        assertThat(outcomes).containsOnly(200, 429);
        assertThat(outcomes.stream().filter(o -> o == 200).count()).isEqualTo(5);
        assertThat(attempts.find(email)).hasValueSatisfying(record -> assertThat(record.lockouts()).isEqualTo(1));
    }

    @Test
    void aSuccessForgetsTheAddressAndStaleRecordsArePurged() {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        String fresh = "fresh-" + UUID.randomUUID() + "@example.com";
        String stale = "stale-" + UUID.randomUUID() + "@example.com";
        attempts.insert(fresh, new LoginAttempts(2, now, Instant.EPOCH, 0, 0));
        attempts.insert(stale, new LoginAttempts(2, now.minusSeconds(3600), Instant.EPOCH, 1, 0));

        attempts.purge(now.minusSeconds(900));

        assertThat(attempts.find(stale)).isEmpty();
        assertThat(attempts.find(fresh)).isPresent();
        assertThat(attempts.replace(fresh, new LoginAttempts(3, now, Instant.EPOCH, 0, 7))).isFalse();
        assertThat(attempts.replace(fresh, new LoginAttempts(3, now, Instant.EPOCH, 0, 0))).isTrue();
        new LoginThrottle(attempts, new ThrottlePolicy(5, Duration.ofMinutes(15), Duration.ofMinutes(1),
                                                       Duration.ofMinutes(15)), Clock.systemUTC()).succeeded(fresh);
        assertThat(attempts.find(fresh)).isEmpty();
    }

    private static User user(String email) {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        return new User(UUID.randomUUID().toString(), email, "Pg", "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
                        Set.of("USER", "ADMIN"), now, now);
    }
}
