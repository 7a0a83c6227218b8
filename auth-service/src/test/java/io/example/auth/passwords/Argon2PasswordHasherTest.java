package io.example.auth.passwords;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

    // from the reference implementation: echo -n correct-horse | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -e
    private static final String REFERENCE =
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$WfPnSpo5dPwz04O6R4xdhoAh3QZSqx54OncEmuENylc";

    @Test
    void aHashFromTheReferenceImplementationVerifiesEveryTimeWithReusedMemory() {
        for (int i = 0; i < 3; i++) {
            assertThat(hasher.matches("correct-horse", REFERENCE)).isTrue();
            assertThat(hasher.matches("correct-horsE", REFERENCE)).isFalse();
        }
    }

    @Test
    void concurrentHashesBeyondTheCoreCountAreAllCorrect() throws Exception {
        List<Callable<Boolean>> checks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String password = "password-" + i;
            checks.add(() -> hasher.matches(password, hasher.hash(password)) && !hasher.matches(password + "x", REFERENCE));
        }
        checks.add(() -> hasher.matches("correct-horse", REFERENCE));

        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Future<Boolean> check : threads.invokeAll(checks)) {
                assertThat(check.get()).isTrue();
            }
        }
    }

    @Test
    void theDummyForUnknownUsersHasTheShapeOfARealHashSoCheckingItDerivesLikeOne() {
        String shape = "\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}";

        assertThat(hasher.dummyHash()).matches(shape).isNotEqualTo(new Argon2PasswordHasher(19456, 2, 1).dummyHash());
        assertThat(hasher.matches("", hasher.dummyHash())).isFalse();
        assertThat(hasher.matches("not-a-real-password", hasher.dummyHash())).isFalse();
    }

    @Test
    void concurrentHashesAreOnePerCoreWithinHalfTheHeap() {
        long mib = 1024L * 1024;

        assertThat(Argon2PasswordHasher.concurrentHashes(2, 96 * mib, 19456)).isEqualTo(2);
        assertThat(Argon2PasswordHasher.concurrentHashes(1, 96 * mib, 19456)).isEqualTo(1);
        assertThat(Argon2PasswordHasher.concurrentHashes(16, 96 * mib, 19456)).isEqualTo(2);
        assertThat(Argon2PasswordHasher.concurrentHashes(16, 4096 * mib, 19456)).isEqualTo(16);
        assertThat(Argon2PasswordHasher.concurrentHashes(4, 16 * mib, 19456)).isEqualTo(1);
    }

    @Test
    void aStoredValueThatIsNotPhcNeverMatches() {
        assertThat(hasher.matches("x", "plain-text")).isFalse();
    }
}
