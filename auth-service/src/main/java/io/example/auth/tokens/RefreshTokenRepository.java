package io.example.auth.tokens;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;

/**
 * Refresh tokens by hash. Using a token is one conditional update, so of two concurrent refreshes with
 * the same token exactly one can win.
 */
public final class RefreshTokenRepository {
    /**
     * A stored refresh token.
     *
     * @param familyId  the login it descends from
     * @param userId    owner
     * @param expiresAt expiry
     * @param used      whether it was already exchanged
     * @param revoked   whether its family was revoked
     */
    public record StoredToken(String familyId, String userId, Instant expiresAt, boolean used, boolean revoked) {
    }

    private final DbClient db;

    /**
     * @param db database client
     */
    public RefreshTokenRepository(DbClient db) {
        this.db = db;
    }

    /**
     * @param tokenHash SHA-256 of the token
     * @param familyId  family
     * @param userId    owner
     * @param now       issue time
     * @param expiresAt expiry
     */
    public void insert(String tokenHash, String familyId, String userId, Instant now, Instant expiresAt) {
        db.execute().dml("INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at, revoked, created_at)"
                                 + " VALUES (?, ?, ?, ?, FALSE, ?)",
                         tokenHash, familyId, userId, expiresAt.toEpochMilli(), now.toEpochMilli());
    }

    /**
     * @param tokenHash SHA-256 of the token
     * @return the stored token
     */
    public Optional<StoredToken> find(String tokenHash) {
        return db.execute()
                .get("SELECT family_id, user_id, expires_at, used_at IS NOT NULL AS used, revoked FROM refresh_tokens"
                             + " WHERE token_hash = ?",
                     tokenHash)
                .map(row -> new StoredToken(row.column("family_id").get(String.class),
                                            row.column("user_id").get(String.class),
                                            Instant.ofEpochMilli(row.column("expires_at").get(Long.class)),
                                            row.column("used").get(Boolean.class),
                                            row.column("revoked").get(Boolean.class)));
    }

    /**
     * Exchange a token for its successor in one transaction: mark it used (only if unused and not revoked)
     * and store the successor.
     *
     * @param tokenHash     the presented token's hash
     * @param successorHash the new token's hash
     * @param token         the presented token as stored
     * @param now           now
     * @param expiresAt     the successor's expiry
     * @return false when another request used the token first
     */
    public boolean rotate(String tokenHash, String successorHash, StoredToken token, Instant now, Instant expiresAt) {
        DbTransaction tx = db.transaction();
        try {
            long used = tx.dml("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL"
                                       + " AND revoked = FALSE", now.toEpochMilli(), tokenHash);
            if (used != 1) {
                tx.rollback();
                return false;
            }
            tx.dml("INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at, revoked, created_at)"
                           + " VALUES (?, ?, ?, ?, FALSE, ?)",
                   successorHash, token.familyId(), token.userId(), expiresAt.toEpochMilli(), now.toEpochMilli());
            tx.commit();
            return true;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    /**
     * @param userId owner
     * @param now    now
     * @return the families of the user that are not revoked and still hold an unexpired token: the sessions
     *         that may still have access tokens
     */
    public List<String> liveFamilies(String userId, Instant now) {
        return db.execute()
                .query("SELECT DISTINCT family_id FROM refresh_tokens WHERE user_id = ? AND revoked = FALSE"
                               + " AND expires_at > ?", userId, now.toEpochMilli())
                .map(row -> row.column("family_id").get(String.class))
                .toList();
    }

    /**
     * @param familyId family to revoke
     */
    public void revokeFamily(String familyId) {
        db.execute().dml("UPDATE refresh_tokens SET revoked = TRUE WHERE family_id = ?", familyId);
    }
}
