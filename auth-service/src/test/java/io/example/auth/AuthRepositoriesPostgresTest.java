package io.example.auth;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import io.example.auth.tokens.RefreshTokenRepository;
import io.example.auth.users.User;
import io.example.auth.users.UserRepository;
import io.example.commons.db.Database;
import io.example.commons.testing.TestDatabases;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations and the SQL of the user and refresh-token repositories on a real PostgreSQL, the database
 * of the Kubernetes deployment.
 */
class AuthRepositoriesPostgresTest {
    private static TestDatabases.Postgres postgres;
    private static UserRepository users;
    private static RefreshTokenRepository tokens;

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
        Database database = postgres.database("auth-service");
        users = new UserRepository(database.client());
        tokens = new RefreshTokenRepository(database.client());
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

    private static User user(String email) {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        return new User(UUID.randomUUID().toString(), email, "Pg", "$argon2id$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA",
                        Set.of("USER", "ADMIN"), now, now);
    }
}
