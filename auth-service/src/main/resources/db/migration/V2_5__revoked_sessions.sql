-- Sessions whose access tokens verifiers must reject before they expire: a logout, a reused refresh
-- token, a role change. Published on GET /internal/revocations; a row is useless once keep_until (epoch
-- seconds: the revocation + the longest access-token life + the verifiers' clock skew) has passed.
-- Numbered 2.5 so that it cannot collide with other migrations written at the same time.
CREATE TABLE revoked_sessions (
    session_id VARCHAR(36) PRIMARY KEY,
    revoked_at BIGINT      NOT NULL,
    keep_until BIGINT      NOT NULL
);
CREATE INDEX revoked_sessions_revoked_at ON revoked_sessions (revoked_at);
