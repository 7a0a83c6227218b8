package io.example.auth.logins;

import java.time.Instant;

/**
 * The throttle's record of one email address (known account or not).
 *
 * @param attempts    password checks started in the current window (a successful login deletes the record)
 * @param windowStart when the current window began
 * @param lockedUntil until when attempts are refused ({@link Instant#EPOCH} when never locked)
 * @param lockouts    locks in a row so far, which sets the length of the next one
 * @param version     incremented on every write; a write expects the version it read (compare-and-set)
 */
public record LoginAttempts(int attempts, Instant windowStart, Instant lockedUntil, int lockouts, long version) {
    /** The state of an address with no record. */
    static final LoginAttempts NONE = new LoginAttempts(0, Instant.EPOCH, Instant.EPOCH, 0, 0);
}
