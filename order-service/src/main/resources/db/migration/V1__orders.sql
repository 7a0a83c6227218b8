-- Times are epoch milliseconds (BIGINT): identical on H2 and PostgreSQL.
-- status: PENDING (being placed, never shown), CONFIRMED, SHIPPED, DELIVERED, CANCELLED, FAILED (never shown).
CREATE TABLE orders (
    id              VARCHAR(36)    PRIMARY KEY,
    user_id         VARCHAR(100)   NOT NULL,
    status          VARCHAR(10)    NOT NULL
        CHECK (status IN ('PENDING', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED', 'FAILED')),
    total           NUMERIC(14, 2) NOT NULL DEFAULT 0,
    currency        CHAR(3)        NOT NULL DEFAULT 'EUR',
    -- a client's Idempotency-Key, unique per user, with the SHA-256 of the request it was first used with
    idempotency_key VARCHAR(100),
    request_hash    CHAR(64),
    -- false while a cancelled order's stock has not been given back yet (the sweeper retries)
    stock_released  BOOLEAN        NOT NULL DEFAULT FALSE,
    created_at      BIGINT         NOT NULL,
    updated_at      BIGINT         NOT NULL
);
CREATE UNIQUE INDEX orders_user_idempotency_key ON orders (user_id, idempotency_key);
CREATE INDEX orders_user_created ON orders (user_id, created_at);
CREATE INDEX orders_status_updated ON orders (status, updated_at);

CREATE TABLE order_items (
    order_id   VARCHAR(36)    NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line_no    INTEGER        NOT NULL,
    product_id VARCHAR(36)    NOT NULL,
    name       VARCHAR(200)   NOT NULL,
    quantity   INTEGER        NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC(12, 2) NOT NULL,
    line_total NUMERIC(14, 2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE order_status_history (
    order_id VARCHAR(36) NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    seq      INTEGER     NOT NULL,
    status   VARCHAR(10) NOT NULL,
    at       BIGINT      NOT NULL,
    PRIMARY KEY (order_id, seq)
);
