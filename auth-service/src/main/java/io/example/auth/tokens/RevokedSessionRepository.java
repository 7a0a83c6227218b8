package io.example.auth.tokens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.example.commons.security.RevocationFeed;
import io.example.commons.security.RevocationSource;

import io.helidon.dbclient.DbClient;

/**
 * Revoked sessions, durable in the auth service's database, and the feed verifiers read them from.
 *
 * <p>The feed's cursor is the auth service's clock (epoch milliseconds) when an answer was read; the next
 * read returns what was revoked since then minus {@link #OVERLAP}, so a revocation whose transaction
 * committed a little after a read began, or that another replica stamped with a slightly different clock,
 * is still seen. Verifiers merge what they get, so the overlap costs a few repeated rows, never a miss.
 */
public final class RevokedSessionRepository implements RevocationSource {
    /** How far each read reaches back before its cursor. */
    static final Duration OVERLAP = Duration.ofSeconds(30);

    private final DbClient db;
    private final Clock clock;

    /**
     * @param db    database client
     * @param clock clock
     */
    public RevokedSessionRepository(DbClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Record that a session's access tokens must no longer be accepted (a session revoked before stays as
     * it is: its family is revoked too, so it has no newer tokens), and forget the revocations nobody needs
     * any more.
     *
     * @param sessionId the session ({@code sid})
     * @param keepUntil when no token of the session can be valid any more
     */
    public void revoke(String sessionId, Instant keepUntil) {
        Instant now = clock.instant();
        db.execute().dml("DELETE FROM revoked_sessions WHERE keep_until < ?", now.getEpochSecond());
        if (isRecorded(sessionId)) {
            return;
        }
        try {
            db.execute().dml("INSERT INTO revoked_sessions (session_id, revoked_at, keep_until) VALUES (?, ?, ?)",
                             sessionId, now.toEpochMilli(), keepUntil.getEpochSecond() + 1);
        } catch (RuntimeException e) {
            // revoked concurrently: on record all the same (the primary key says so)
            if (!isRecorded(sessionId)) {
                throw e;
            }
        }
    }

    @Override
    public RevocationFeed since(String cursor) {
        Instant now = clock.instant();
        long from = cursor == null ? Long.MIN_VALUE : Long.parseLong(cursor) - OVERLAP.toMillis();
        List<RevocationFeed.RevokedSession> sessions = db.execute()
                .query("SELECT session_id, keep_until FROM revoked_sessions WHERE revoked_at >= ? AND keep_until >= ?",
                       from, now.getEpochSecond())
                .map(row -> new RevocationFeed.RevokedSession(row.column("session_id").get(String.class),
                                                              row.column("keep_until").get(Long.class)))
                .toList();
        return new RevocationFeed(Long.toString(now.toEpochMilli()), sessions);
    }

    /**
     * @param cursor a cursor a client sent
     * @return whether it is one this feed could have given
     */
    public static boolean isCursor(String cursor) {
        return cursor != null && cursor.matches("[0-9]{1,18}");
    }

    private boolean isRecorded(String sessionId) {
        return db.execute().get("SELECT session_id FROM revoked_sessions WHERE session_id = ?", sessionId).isPresent();
    }
}
