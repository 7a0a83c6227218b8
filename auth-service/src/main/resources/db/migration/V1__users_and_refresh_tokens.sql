-- Users: email stored lower-cased; the unique index makes it unique case-insensitively.
-- Times are epoch milliseconds (BIGINT): the same on H2 and PostgreSQL, no time-zone conversions.
CREATE TABLE users (
    id            VARCHAR(36)  PRIMARY KEY,
    email         VARCHAR(254) NOT NULL,
    name          VARCHAR(100) NOT NULL,
    password_hash VARCHAR(200) NOT NULL,
    roles         VARCHAR(200) NOT NULL,
    created_at    BIGINT       NOT NULL,
    updated_at    BIGINT       NOT NULL
);
CREATE UNIQUE INDEX users_email_unique ON users (email);

-- Refresh tokens are stored only as SHA-256 hashes. A family is one login's chain of rotations:
-- presenting a token that was already used revokes the whole family.
CREATE TABLE refresh_tokens (
    token_hash CHAR(64)    PRIMARY KEY,
    family_id  VARCHAR(36) NOT NULL,
    user_id    VARCHAR(36) NOT NULL REFERENCES users (id),
    expires_at BIGINT      NOT NULL,
    used_at    BIGINT,
    revoked    BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at BIGINT      NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
