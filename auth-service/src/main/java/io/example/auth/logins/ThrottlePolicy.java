package io.example.auth.logins;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import io.helidon.config.Config;

/**
 * How many password checks one address gets and what happens after: {@code maxFailures} checks per
 * {@code window}; the next attempt locks the address for {@code lockout}, doubled for every further lock in a
 * row and never longer than {@code maxLockout}. A window that passes with no lock forgets the count and the
 * doubling. Pure: the state comes in and goes out, time is a parameter.
 *
 * @param maxFailures checks allowed per window (a success resets, so these are failures)
 * @param window      how long the count runs
 * @param lockout     the first lock
 * @param maxLockout  the longest lock, however long the attack goes on
 */
public record ThrottlePolicy(int maxFailures, Duration window, Duration lockout, Duration maxLockout) {
    /**
     * @throws IllegalArgumentException for a limit below one or durations that are not positive and ordered
     */
    public ThrottlePolicy {
        if (maxFailures < 1 || !window.isPositive() || !lockout.isPositive() || maxLockout.compareTo(lockout) < 0) {
            throw new IllegalArgumentException("login.throttle needs max.failures >= 1 and 0 < lockout <= max.lockout,"
                                                       + " window > 0");
        }
    }

    /**
     * @param throttle the {@code login.throttle} config node
     * @return the configured policy
     */
    public static ThrottlePolicy from(Config throttle) {
        return new ThrottlePolicy(throttle.get("max.failures").asInt().get(),
                                  throttle.get("window").as(Duration.class).get(),
                                  throttle.get("lockout").as(Duration.class).get(),
                                  throttle.get("max.lockout").as(Duration.class).get());
    }

    /** What to do with one more attempt. */
    sealed interface Decision {
    }

    /**
     * Check the password; store {@code next} first.
     *
     * @param next the record with this attempt counted
     */
    record Allow(LoginAttempts next) implements Decision {
    }

    /**
     * Refuse this attempt and start a lock; store {@code next} first.
     *
     * @param next the locked record
     */
    record Lock(LoginAttempts next) implements Decision {
    }

    /**
     * Refuse: the address is locked; nothing to store.
     *
     * @param until end of the lock
     */
    record Refuse(Instant until) implements Decision {
    }

    /**
     * @param stored the address's record, if any
     * @param now    now
     * @return the decision for one more attempt
     */
    Decision decide(Optional<LoginAttempts> stored, Instant now) {
        LoginAttempts state = stored.orElse(LoginAttempts.NONE);
        if (state.lockedUntil().isAfter(now)) {
            return new Refuse(state.lockedUntil());
        }
        if (!state.windowStart().plus(window).isAfter(now)) {
            state = new LoginAttempts(0, now, state.lockedUntil(), 0, state.version());
        }
        if (state.attempts() >= maxFailures) {
            Instant until = now.plus(lockoutAfter(state.lockouts()));
            // the next window starts when the lock ends, so a lock is always followed by a full window of memory
            return new Lock(new LoginAttempts(0, until, until, state.lockouts() + 1, state.version()));
        }
        return new Allow(new LoginAttempts(state.attempts() + 1, state.windowStart(), state.lockedUntil(),
                                           state.lockouts(), state.version()));
    }

    /**
     * @param previousLockouts locks in a row before this one
     * @return the length of the next lock
     */
    Duration lockoutAfter(int previousLockouts) {
        Duration length = lockout;
        for (int i = 0; i < previousLockouts && length.compareTo(maxLockout) < 0; i++) {
            length = length.multipliedBy(2);
        }
        return length.compareTo(maxLockout) > 0 ? maxLockout : length;
    }
}
