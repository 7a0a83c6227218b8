-- stock_released now also covers FAILED orders: a failed order is marked FAILED first and releases its
-- (possible) reservation afterwards, retried by the sweeper until it succeeds. Orders that failed before
-- this were released before they were marked FAILED, or held nothing.
UPDATE orders SET stock_released = TRUE WHERE status = 'FAILED';
