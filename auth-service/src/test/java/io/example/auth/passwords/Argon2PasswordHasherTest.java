package io.example.auth.passwords;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class Argon2PasswordHasherTest {
    private final Argon2PasswordHasher hasher = Argon2PasswordHasher.owasp();

    @Test
    void hashIsAnArgon2idPhcStringWithOwaspParameters() {
        assertThat(hasher.hash("correct-horse")).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void samePasswordHashesDifferentlyAndStillMatches() {
        String first = hasher.hash("correct-horse");
        String second = hasher.hash("correct-horse");

        assertThat(first).isNotEqualTo(second);
        assertThat(hasher.matches("correct-horse", first)).isTrue();
        assertThat(hasher.matches("correct-horsE", first)).isFalse();
    }

    @Test
    void hashesWithOtherParametersStillVerify() {
        String cheaper = new Argon2PasswordHasher(1024, 1, 1).hash("correct-horse");

        assertThat(hasher.matches("correct-horse", cheaper)).isTrue();
    }

    @Test
    void aStoredValueThatIsNotPhcNeverMatches() {
        assertThat(hasher.matches("x", "plain-text")).isFalse();
    }
}
