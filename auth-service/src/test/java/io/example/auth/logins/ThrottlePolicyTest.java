package io.example.auth.logins;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The throttle's rules as pure state transitions, with time as a parameter.
 */
class ThrottlePolicyTest {
    private static final ThrottlePolicy POLICY = new ThrottlePolicy(3, Duration.ofMinutes(15), Duration.ofMinutes(1),
                                                                    Duration.ofMinutes(15));
    private static final Instant T0 = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void theLimitIsCountedThenTheNextAttemptLocks() {
        LoginAttempts state = allowTimes(Optional.empty(), 3, T0);

        ThrottlePolicy.Decision next = POLICY.decide(Optional.of(state), T0.plusSeconds(1));

        assertThat(state.attempts()).isEqualTo(3);
        assertThat(next).isInstanceOf(ThrottlePolicy.Lock.class);
        assertThat(((ThrottlePolicy.Lock) next).next().lockedUntil()).isEqualTo(T0.plusSeconds(61));
    }

    @Test
    void aLockedAddressIsRefusedUntilTheLockEnds() {
        LoginAttempts locked = lock(Optional.empty(), T0);

        assertThat(POLICY.decide(Optional.of(locked), T0.plusSeconds(59)))
                .isEqualTo(new ThrottlePolicy.Refuse(T0.plusSeconds(60)));
        assertThat(POLICY.decide(Optional.of(locked), T0.plusSeconds(60))).isInstanceOf(ThrottlePolicy.Allow.class);
    }

    @Test
    void locksInARowDoubleUpToTheMaximum() {
        assertThat(POLICY.lockoutAfter(0)).isEqualTo(Duration.ofMinutes(1));
        assertThat(POLICY.lockoutAfter(3)).isEqualTo(Duration.ofMinutes(8));
        assertThat(POLICY.lockoutAfter(4)).isEqualTo(Duration.ofMinutes(15));
        assertThat(POLICY.lockoutAfter(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void anEndlessAttackNeverLocksLongerThanTheMaximum() {
        Optional<LoginAttempts> state = Optional.empty();
        Instant now = T0;
        for (int round = 0; round < 50; round++) {
            LoginAttempts locked = lock(state, now);
            assertThat(Duration.between(now, locked.lockedUntil())).isLessThanOrEqualTo(Duration.ofMinutes(15));
            now = locked.lockedUntil();
            state = Optional.of(locked);
        }
    }

    @Test
    void aQuietWindowAfterALockForgetsTheCountAndTheDoubling() {
        LoginAttempts twiceLocked = lock(Optional.of(lock(Optional.empty(), T0)), T0.plusSeconds(60));
        Instant quietWindowLater = twiceLocked.lockedUntil().plus(Duration.ofMinutes(15));

        LoginAttempts relocked = lock(Optional.of(twiceLocked), quietWindowLater);

        assertThat(twiceLocked.lockouts()).isEqualTo(2);
        assertThat(Duration.between(quietWindowLater, relocked.lockedUntil())).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void failuresInAnEarlierWindowDoNotCount() {
        LoginAttempts twoFailures = allowTimes(Optional.empty(), 2, T0);

        LoginAttempts later = allowTimes(Optional.of(twoFailures), 3, T0.plus(Duration.ofMinutes(15)));

        assertThat(later.attempts()).isEqualTo(3);
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new ThrottlePolicy(0, Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThrottlePolicy(5, Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static LoginAttempts allowTimes(Optional<LoginAttempts> start, int times, Instant now) {
        Optional<LoginAttempts> state = start;
        for (int i = 0; i < times; i++) {
            ThrottlePolicy.Decision decision = POLICY.decide(state, now);
            assertThat(decision).isInstanceOf(ThrottlePolicy.Allow.class);
            state = Optional.of(((ThrottlePolicy.Allow) decision).next());
        }
        return state.orElseThrow();
    }

    private static LoginAttempts lock(Optional<LoginAttempts> start, Instant now) {
        LoginAttempts full = allowTimes(start, 3, now);
        ThrottlePolicy.Decision decision = POLICY.decide(Optional.of(full), now);
        assertThat(decision).isInstanceOf(ThrottlePolicy.Lock.class);
        return ((ThrottlePolicy.Lock) decision).next();
    }
}
