package io.example.commons.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.metrics.api.Counter;

/**
 * The sessions the auth service has revoked (logout, a reused refresh token, a role change), as this
 * verifier knows them: re-read from a {@link RevocationSource} every {@code interval}, so a revocation
 * reaches every verifier within one interval (plus the time of one call).
 *
 * <p>Until the source has answered once, the list is not {@link #loaded()} and verifiers accept no token (the
 * callers answer 503): a verifier started while the auth service is unreachable must not let revoked sessions
 * through. Once loaded, when the source cannot be reached the last list is kept and tokens not on it are
 * still accepted (their life is bounded anyway: 15 minutes); one warning is logged when polling starts
 * failing and one line when it recovers, and every failed read counts in
 * {@code security_refresh_failures_total{source="revocations"}} ({@link RefreshFailures}). Entries are dropped once no token of their session can still be
 * valid.
 */
public final class RevokedSessions {
    private static final Logger LOGGER = Logger.getLogger(RevokedSessions.class.getName());
    private static final long UNTIL_LOADED_MILLIS = 500;

    private final RevocationSource source;
    private final Clock clock;
    private final Counter failures = RefreshFailures.of("revocations");
    private final Map<String, Long> untilBySession = new ConcurrentHashMap<>();
    private volatile String cursor;
    private volatile boolean failing;
    private volatile boolean loaded;

    private RevokedSessions(RevocationSource source, Clock clock) {
        this.source = source;
        this.clock = clock;
    }

    /**
     * A list read from {@code source} now (so a service that starts with the auth service up accepts tokens at
     * once), then every {@code interval} on a daemon virtual thread. Until the source has answered once, it is
     * asked again every {@value #UNTIL_LOADED_MILLIS} ms instead: a service that started before the auth service
     * refuses every token until then, and should not wait a whole interval once the auth service is up.
     *
     * @param source   where revocations come from
     * @param interval time between two reads
     * @param clock    clock
     * @return the list
     */
    public static RevokedSessions polling(RevocationSource source, Duration interval, Clock clock) {
        RevokedSessions sessions = new RevokedSessions(source, clock);
        sessions.refresh();
        Duration untilLoaded = Duration.ofMillis(UNTIL_LOADED_MILLIS);
        Duration firstPause = interval.compareTo(untilLoaded) < 0 ? interval : untilLoaded;
        Thread.ofVirtual().name("revocation-poller").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(sessions.loaded ? interval : firstPause);
                } catch (InterruptedException e) {
                    return;
                }
                sessions.refresh();
            }
        });
        return sessions;
    }

    /**
     * @return whether the source has answered at least once
     */
    public boolean loaded() {
        return loaded;
    }

    /**
     * @param sessionId a token's {@code sid}
     * @return whether that session was revoked
     */
    public boolean isRevoked(String sessionId) {
        return sessionId != null && untilBySession.containsKey(sessionId);
    }

    /**
     * Read what was revoked since the last read (one call to the source); on failure keep what is known.
     *
     * @return whether the source answered
     */
    public boolean refresh() {
        RevocationFeed feed;
        try {
            feed = source.since(cursor);
        } catch (RuntimeException e) {
            failures.increment();
            if (!failing) {
                failing = true;
                LOGGER.log(Level.WARNING, "Revocations cannot be read (" + e.getMessage() + "); keeping the "
                        + untilBySession.size() + " known until they can");
            }
            return false;
        }
        if (failing) {
            failing = false;
            LOGGER.info("Revocations can be read again");
        }
        if (feed.sessions() != null) {
            feed.sessions().forEach(session -> untilBySession.merge(session.sid(), session.until(), Math::max));
        }
        cursor = feed.cursor();
        loaded = true;
        long now = clock.instant().getEpochSecond();
        untilBySession.values().removeIf(until -> until < now);
        return true;
    }
}
