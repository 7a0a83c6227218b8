-- A reservation is a hold until the order service confirms it (confirmed_at set) once its order is on record;
-- a hold left unconfirmed past inventory.hold-timeout belonged to an order that died, and is released.
-- Reservations made before holds existed were confirmed by their orders: they keep their stock.
ALTER TABLE reservations ADD COLUMN confirmed_at BIGINT;
UPDATE reservations SET confirmed_at = updated_at WHERE state = 'RESERVED';
CREATE INDEX reservations_holds ON reservations (state, confirmed_at, created_at);
