package io.example.auth.logins;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.Status;

/**
 * Limits password guesses per email address, whoever sends them and through whichever replica: each attempt
 * is counted before the password is checked (so parallel guesses cannot overtake the count), and an address
 * over its limit is refused with 429 and {@code Retry-After} for a bounded time ({@link ThrottlePolicy}).
 * Unknown addresses are counted the same way, so the answers never tell whether an account exists.
 */
public final class LoginThrottle {
    // each lost compare-and-set means another request's write went through; past this many, refuse briefly
    private static final int MAX_WRITE_TRIES = 10;
    private static final Duration CONTENDED = Duration.ofSeconds(1);

    private final LoginAttemptRepository records;
    private final ThrottlePolicy policy;
    private final Clock clock;
    private final AtomicLong nextPurge = new AtomicLong();

    /**
     * @param records the records, shared by all replicas
     * @param policy  limits
     * @param clock   clock
     */
    public LoginThrottle(LoginAttemptRepository records, ThrottlePolicy policy, Clock clock) {
        this.records = records;
        this.policy = policy;
        this.clock = clock;
    }

    /**
     * Count one attempt to log in as {@code email}, before its password is checked.
     *
     * @param email normalised email
     * @throws ProblemException 429 with {@code Retry-After} when the address is locked
     */
    public void attempt(String email) {
        purgeOncePerWindow();
        for (int i = 0; i < MAX_WRITE_TRIES; i++) {
            Instant now = now();
            Optional<LoginAttempts> stored = records.find(email);
            switch (policy.decide(stored, now)) {
                case ThrottlePolicy.Refuse refuse -> throw throttled(refuse.until(), now);
                case ThrottlePolicy.Allow allow -> {
                    if (write(email, stored, allow.next())) {
                        return;
                    }
                }
                case ThrottlePolicy.Lock lock -> {
                    if (write(email, stored, lock.next())) {
                        throw throttled(lock.next().lockedUntil(), now);
                    }
                }
            }
        }
        Instant now = now();
        throw throttled(now.plus(CONTENDED), now);
    }

    /**
     * The password was right: forget the address's failures and locks.
     *
     * @param email normalised email
     */
    public void succeeded(String email) {
        records.delete(email);
    }

    private boolean write(String email, Optional<LoginAttempts> read, LoginAttempts next) {
        return read.isPresent() ? records.replace(email, next) : records.insert(email, next);
    }

    // records older than a window are the same as none: drop them so unknown addresses do not pile up
    private void purgeOncePerWindow() {
        long now = clock.millis();
        long due = nextPurge.get();
        if (now >= due && nextPurge.compareAndSet(due, now + policy.window().toMillis())) {
            records.purge(Instant.ofEpochMilli(now).minus(policy.window()));
        }
    }

    // stored times are milliseconds: compare in milliseconds too
    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    private static ProblemException throttled(Instant until, Instant now) {
        long seconds = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
        return new ProblemException(Problem.typed("login-throttled", "Too many failed logins",
                                                  Status.TOO_MANY_REQUESTS_429,
                                                  "Too many failed logins for this email address; try again after"
                                                          + " the number of seconds in Retry-After."))
                .withHeader("Retry-After", Long.toString(seconds));
    }
}
