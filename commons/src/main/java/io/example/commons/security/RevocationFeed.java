package io.example.commons.security;

import java.util.List;

/**
 * What {@code GET /internal/revocations?since=<cursor>} answers: the sessions revoked since the cursor,
 * and the cursor to ask with next time.
 *
 * @param cursor   opaque; pass it back as {@code since}
 * @param sessions revoked sessions
 */
public record RevocationFeed(String cursor, List<RevokedSession> sessions) {
    /** Path of the feed on the auth service. */
    public static final String PATH = "/internal/revocations";

    /**
     * One revoked session.
     *
     * @param sid   the {@code sid} claim of the tokens it revokes
     * @param until epoch second after which no token of the session can be valid any more (its entry may go)
     */
    public record RevokedSession(String sid, long until) {
    }
}
