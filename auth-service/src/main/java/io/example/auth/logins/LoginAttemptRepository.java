package io.example.auth.logins;

import java.time.Instant;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;

/**
 * The throttle's records in the service's own database, so that every replica counts the same attempts.
 * Every change is conditional on the version that was read: of two replicas writing one record at once, one
 * wins and the other reads again.
 */
public final class LoginAttemptRepository {
    private static final String COLUMNS = "attempts, window_start, locked_until, lockouts, version";

    private final DbClient db;

    /**
     * @param db database client
     */
    public LoginAttemptRepository(DbClient db) {
        this.db = db;
    }

    /**
     * @param email normalised email
     * @return its record
     */
    public Optional<LoginAttempts> find(String email) {
        return db.execute().get("SELECT " + COLUMNS + " FROM login_attempts WHERE email = ?", email)
                .map(LoginAttemptRepository::attempts);
    }

    /**
     * @param email normalised email
     * @param first its first record
     * @return false when another request created the record first
     */
    public boolean insert(String email, LoginAttempts first) {
        try {
            db.execute().dml("INSERT INTO login_attempts (email, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, 0)",
                             email, first.attempts(), first.windowStart().toEpochMilli(),
                             first.lockedUntil().toEpochMilli(), first.lockouts());
            return true;
        } catch (RuntimeException e) {
            if (find(email).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param email normalised email
     * @param next  the new record; its version is the one that was read
     * @return false when the record changed (or went) since it was read
     */
    public boolean replace(String email, LoginAttempts next) {
        return db.execute().dml("UPDATE login_attempts SET attempts = ?, window_start = ?, locked_until = ?, lockouts = ?,"
                                        + " version = version + 1 WHERE email = ? AND version = ?",
                                next.attempts(), next.windowStart().toEpochMilli(), next.lockedUntil().toEpochMilli(),
                                next.lockouts(), email, next.version()) == 1;
    }

    /**
     * @param email normalised email whose record goes (after a successful login)
     */
    public void delete(String email) {
        db.execute().dml("DELETE FROM login_attempts WHERE email = ?", email);
    }

    /**
     * Remove records that no longer affect anything: their window began before {@code cutoff} (which also
     * puts any lock before it).
     *
     * @param cutoff now minus the window
     * @return records removed
     */
    public long purge(Instant cutoff) {
        return db.execute().dml("DELETE FROM login_attempts WHERE window_start <= ?", cutoff.toEpochMilli());
    }

    private static LoginAttempts attempts(DbRow row) {
        return new LoginAttempts(row.column("attempts").get(Integer.class),
                                 Instant.ofEpochMilli(row.column("window_start").get(Long.class)),
                                 Instant.ofEpochMilli(row.column("locked_until").get(Long.class)),
                                 row.column("lockouts").get(Integer.class),
                                 row.column("version").get(Long.class));
    }
}
