-- The login throttle: one row per email address (registered or not) with recent failed logins, shared by
-- every replica. Rows change only by compare-and-set on version; a successful login deletes its row, and rows
-- whose window is over are purged. Times are epoch milliseconds, like the other tables.
CREATE TABLE login_attempts (
    email        VARCHAR(254) PRIMARY KEY,
    attempts     INT          NOT NULL,
    window_start BIGINT       NOT NULL,
    locked_until BIGINT       NOT NULL,
    lockouts     INT          NOT NULL,
    version      BIGINT       NOT NULL
);
CREATE INDEX login_attempts_window_start ON login_attempts (window_start);
