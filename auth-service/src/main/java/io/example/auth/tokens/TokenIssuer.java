package io.example.auth.tokens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.example.auth.users.User;
import io.example.commons.security.JwtSigner;
import io.example.commons.security.JwtVerifier;

/**
 * Issues access tokens and refresh tokens, and exchanges refresh tokens (RFC 6749 security BCP:
 * single use, rotated on every refresh, reuse revokes the family).
 *
 * <p>A refresh token family is a session: its id is the access tokens' {@code sid}. Whatever ends a
 * session (logout, a reused refresh token, {@link #endSessions}) revokes the family and records the
 * session as revoked, which every verifier learns from the revocation feed within its poll interval.
 */
public final class TokenIssuer {
    /** Why a refresh token was refused (all answered 401 alike). */
    public enum Refusal { UNKNOWN, EXPIRED, REVOKED, REUSED }

    /**
     * The outcome of presenting a refresh token.
     *
     * @param userId  owner, when accepted
     * @param refusal why not, when refused
     */
    public record Exchange(String userId, Refusal refusal) {
    }

    private final JwtSigner signer;
    private final RefreshTokenRepository refreshTokens;
    private final RevokedSessionRepository revokedSessions;
    private final Duration accessTtl;
    private final Duration refreshTtl;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param signer        access token signer
     * @param refreshTokens   refresh token store
     * @param revokedSessions revoked session store
     * @param accessTtl       access token lifetime
     * @param refreshTtl      refresh token lifetime
     * @param clock           clock
     */
    public TokenIssuer(JwtSigner signer, RefreshTokenRepository refreshTokens, RevokedSessionRepository revokedSessions,
                       Duration accessTtl, Duration refreshTtl, Clock clock) {
        this.signer = signer;
        this.refreshTokens = refreshTokens;
        this.revokedSessions = revokedSessions;
        this.accessTtl = accessTtl;
        this.refreshTtl = refreshTtl;
        this.clock = clock;
    }

    /**
     * A new session: an access token and the first refresh token of a new family. The user (and so the roles
     * the access token states) is read only once the session is on record: a role change, which ends the
     * user's sessions after it writes the roles, either came before that read or finds this session and
     * revokes it.
     *
     * @param userId      the user, whose credentials were checked
     * @param currentUser reads the user as it is now
     * @return tokens
     */
    public TokenPair issue(String userId, Function<String, Optional<User>> currentUser) {
        Instant now = clock.instant();
        String refresh = newRefreshToken();
        String session = UUID.randomUUID().toString();
        refreshTokens.insert(hash(refresh), session, userId, now, now.plus(refreshTtl));
        return pair(currentUser.apply(userId).orElseThrow(), refresh, session, now);
    }

    /**
     * Use a refresh token: on success the caller issues {@link #rotated} for the returned user.
     *
     * @param refreshToken presented token
     * @return the user id, or why not
     */
    public Exchange check(String refreshToken) {
        Optional<RefreshTokenRepository.StoredToken> stored = refreshTokens.find(hash(refreshToken));
        if (stored.isEmpty()) {
            return new Exchange(null, Refusal.UNKNOWN);
        }
        RefreshTokenRepository.StoredToken token = stored.get();
        if (token.revoked()) {
            return new Exchange(null, Refusal.REVOKED);
        }
        if (token.used()) {
            endSession(token.familyId());
            return new Exchange(null, Refusal.REUSED);
        }
        if (!clock.instant().isBefore(token.expiresAt())) {
            return new Exchange(null, Refusal.EXPIRED);
        }
        return new Exchange(token.userId(), null);
    }

    /**
     * Exchange a checked refresh token for a new pair. Of concurrent exchanges of one token only one
     * succeeds; a loser is a reuse and revokes the family (the winner's new token included), because the
     * server cannot tell a stolen copy from a double-submit.
     *
     * @param refreshToken presented token
     * @param user         its owner
     * @return the new pair, or empty when the token was used meanwhile
     */
    public Optional<TokenPair> rotated(String refreshToken, User user) {
        String presented = hash(refreshToken);
        Optional<RefreshTokenRepository.StoredToken> stored = refreshTokens.find(presented);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String successor = newRefreshToken();
        if (!refreshTokens.rotate(presented, hash(successor), stored.get(), now, now.plus(refreshTtl))) {
            endSession(stored.get().familyId());
            return Optional.empty();
        }
        return Optional.of(pair(user, successor, stored.get().familyId(), now));
    }

    /**
     * Revoke the family of a refresh token (logout). Unknown tokens are ignored.
     *
     * @param refreshToken presented token
     */
    public void revoke(String refreshToken) {
        refreshTokens.find(hash(refreshToken)).ifPresent(token -> endSession(token.familyId()));
    }

    /**
     * End every session of a user (a role change): their refresh tokens stop working and their access
     * tokens are revoked; the user logs in again and gets tokens that say what is true now.
     *
     * @param userId the user
     */
    public void endSessions(String userId) {
        refreshTokens.liveFamilies(userId, clock.instant()).forEach(this::endSession);
    }

    // the access tokens first: a process killed between the two statements leaves a refresh token that only
    // yields access tokens of a revoked session, never access tokens that outlive their logout
    private void endSession(String familyId) {
        // an access token issued just now is accepted until its exp plus the verifiers' skew
        revokedSessions.revoke(familyId, clock.instant().plus(accessTtl).plus(JwtVerifier.CLOCK_SKEW));
        refreshTokens.revokeFamily(familyId);
    }

    private TokenPair pair(User user, String refresh, String session, Instant now) {
        String access = signer.sign(user.id(), user.email(), user.roles(), session, now, accessTtl);
        return new TokenPair(access, "Bearer", accessTtl.toSeconds(), refresh);
    }

    private String newRefreshToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
