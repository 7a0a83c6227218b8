-- Times are epoch milliseconds (BIGINT): identical on H2 and PostgreSQL.
CREATE TABLE products (
    id          VARCHAR(36)    PRIMARY KEY,
    sku         VARCHAR(64)    NOT NULL,
    name        VARCHAR(200)   NOT NULL,
    description VARCHAR(2000)  NOT NULL DEFAULT '',
    category    VARCHAR(50)    NOT NULL,
    price       NUMERIC(12, 2) NOT NULL CHECK (price >= 0),
    currency    CHAR(3)        NOT NULL,
    -- the last line of defence: whatever the code does, stock cannot go negative
    stock       INTEGER        NOT NULL CHECK (stock >= 0),
    created_at  BIGINT         NOT NULL,
    updated_at  BIGINT         NOT NULL
);
CREATE UNIQUE INDEX products_sku_unique ON products (sku);
CREATE INDEX products_category ON products (category);
CREATE INDEX products_price ON products (price);
CREATE INDEX products_created_at ON products (created_at);

-- One row per order id: the key that makes reservations idempotent. state RESERVED or RELEASED; a
-- RELEASED row without lines is a tombstone left by a release that came before its reservation.
CREATE TABLE reservations (
    order_id   VARCHAR(100) PRIMARY KEY,
    state      VARCHAR(10)  NOT NULL CHECK (state IN ('RESERVED', 'RELEASED')),
    created_at BIGINT       NOT NULL,
    updated_at BIGINT       NOT NULL
);

-- What was taken, with the name and price at that moment (no foreign key to products: a product may be
-- deleted while an order still refers to it).
CREATE TABLE reservation_lines (
    order_id   VARCHAR(100)   NOT NULL REFERENCES reservations (order_id),
    line_no    INTEGER        NOT NULL,
    product_id VARCHAR(36)    NOT NULL,
    name       VARCHAR(200)   NOT NULL,
    quantity   INTEGER        NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC(12, 2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
