package io.example.products.inventory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.example.commons.events.Outbox;
import io.example.commons.http.OrderLines;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.tracing.BusinessSpans;
import io.example.products.catalogue.ProductEvents;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import io.helidon.http.Status;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/**
 * Reservations of stock for orders: all or nothing, idempotent by order id, and never a negative or
 * double-counted unit whatever the concurrency.
 *
 * <p>Each stock change is one conditional {@code UPDATE ... WHERE stock >= ?} in the reservation's
 * transaction; products are updated in id order so two reservations cannot deadlock. The reservation
 * row (keyed by order id) is inserted first: a concurrent duplicate waits on its key and then finds the
 * first result. A release that finds nothing leaves a RELEASED tombstone, so a reservation that arrives
 * after its own release (the order service gave up on a slow call) holds nothing.
 *
 * <p>A new reservation is a hold: it keeps its stock only until the order service confirms it, once its
 * order is on record; a hold nobody confirms (its order died with a crash) is released by
 * {@link #expireHolds(Instant)}. Confirming and expiring are conditional updates of the same row, so exactly
 * one of them wins, whichever replica runs them.
 *
 * <p>Every stock change records a {@code stock-changed} event per product in the outbox, in the transaction
 * that makes it (reserved, released or expired).
 *
 * <p>A reservation and a release are spans of their own ({@code reserve stock}, {@code release stock}) in the
 * trace of the request or event they serve, with the order id.
 */
public final class Inventory {
    /** The longest order id: a release records a tombstone under it, in the column a reservation's id fits. */
    public static final int MAX_ORDER_ID_LENGTH = 100;
    private static final String RESERVED = "RESERVED";
    private static final String RELEASED = "RELEASED";
    private static final String ONLY_HOLDS = " AND confirmed_at IS NULL";
    private static final AttributeKey<String> ORDER_ID = AttributeKey.stringKey("order.id");

    private final DbClient db;
    private final Outbox outbox;
    private final Clock clock;

    /**
     * @param db     database client
     * @param outbox where the stock changes' events are recorded
     * @param clock  clock
     */
    public Inventory(DbClient db, Outbox outbox, Clock clock) {
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
    }

    /**
     * @param orderId a would-be order id
     * @return whether reservations can be made and released under it: not blank, at most
     *         {@value #MAX_ORDER_ID_LENGTH} characters
     */
    public static boolean isOrderId(String orderId) {
        return orderId != null && !orderId.isBlank() && orderId.length() <= MAX_ORDER_ID_LENGTH;
    }

    /**
     * Reserve every item or nothing.
     *
     * @param request validated request
     * @return the reservation (the first one, when the order id was reserved before)
     */
    public Reservation reserve(ReservationRequest request) {
        return BusinessSpans.run("reserve stock", order(request.orderId()), () -> reserveOrFind(request));
    }

    private Reservation reserveOrFind(ReservationRequest request) {
        Optional<Reservation> existing = existing(request.orderId());
        if (existing.isPresent()) {
            return existing.get();
        }
        DbTransaction tx = db.transaction();
        try {
            tx.dml("INSERT INTO reservations (order_id, state, created_at, updated_at) VALUES (?, ?, ?, ?)",
                   request.orderId(), RESERVED, clock.millis(), clock.millis());
        } catch (RuntimeException duplicate) {
            tx.rollback();
            return existing(request.orderId()).orElseThrow(() -> duplicate);
        }
        try {
            Reservation reservation = reserveLines(tx, request);
            tx.commit();
            return reservation;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    private static Attributes order(String orderId) {
        return Attributes.of(ORDER_ID, orderId);
    }

    /**
     * Confirm a hold: its order is on record, so the stock stays taken until the order releases it. Confirming
     * again changes nothing.
     *
     * @param orderId order id
     * @throws ProblemException 409 when the reservation was released (or its hold expired), 404 when there is none
     */
    public void confirm(String orderId) {
        long now = clock.millis();
        if (db.execute().dml("UPDATE reservations SET confirmed_at = ?, updated_at = ? WHERE order_id = ? AND state = ?"
                                     + ONLY_HOLDS, now, now, orderId, RESERVED) == 1) {
            return;
        }
        String state = db.execute().get("SELECT state FROM reservations WHERE order_id = ?", orderId)
                .map(row -> row.column("state").get(String.class))
                .orElseThrow(() -> ProblemException.of(Status.NOT_FOUND_404, "No reservation for this order."));
        if (RELEASED.equals(state)) {
            throw released();
        }
    }

    /**
     * Give back what an order holds; a second release gives back nothing.
     *
     * @param orderId order id
     */
    public void release(String orderId) {
        BusinessSpans.run("release stock", order(orderId), () -> releaseRetrying(orderId));
    }

    private void releaseRetrying(String orderId) {
        for (int attempt = 0; attempt < 3; attempt++) {
            DbTransaction tx = db.transaction();
            try {
                if (!giveBack(tx, orderId, "", ProductEvents.RELEASED)
                        && tx.get("SELECT state FROM reservations WHERE order_id = ?", orderId).isEmpty()) {
                    tx.dml("INSERT INTO reservations (order_id, state, created_at, updated_at) VALUES (?, ?, ?, ?)",
                           orderId, RELEASED, clock.millis(), clock.millis());
                }
                tx.commit();
                return;
            } catch (RuntimeException e) {
                tx.rollback();
                // a reservation of the same order id was being inserted meanwhile: look again
                if (attempt == 2) {
                    throw e;
                }
            }
        }
    }

    /**
     * @param heldBefore holds made before this instant have expired
     * @return how many of them are still held (the sweeper has not released them yet)
     */
    public long expiredHolds(Instant heldBefore) {
        return db.execute()
                .get("SELECT COUNT(*) AS held FROM reservations WHERE state = ?" + ONLY_HOLDS + " AND created_at < ?",
                     RESERVED, heldBefore.toEpochMilli())
                .map(row -> row.column("held").get(Long.class))
                .orElse(0L);
    }

    /**
     * Release every hold made before {@code heldBefore} that is still unconfirmed.
     *
     * @param heldBefore holds made before this instant have expired
     * @return how many holds were released here (another replica may release some of the same at once)
     */
    public int expireHolds(Instant heldBefore) {
        List<String> expired = db.execute()
                .query("SELECT order_id FROM reservations WHERE state = ?" + ONLY_HOLDS + " AND created_at < ?",
                       RESERVED, heldBefore.toEpochMilli())
                .map(row -> row.column("order_id").get(String.class))
                .toList();
        int released = 0;
        for (String orderId : expired) {
            DbTransaction tx = db.transaction();
            try {
                if (giveBack(tx, orderId, ONLY_HOLDS, ProductEvents.EXPIRED)) {
                    released++;
                }
                tx.commit();
            } catch (RuntimeException e) {
                tx.rollback();
                throw e;
            }
        }
        return released;
    }

    // RESERVED -> RELEASED (when the condition holds too) and the stock back, in the caller's transaction
    private boolean giveBack(DbTransaction tx, String orderId, String condition, String reason) {
        long changed = tx.dml("UPDATE reservations SET state = ?, updated_at = ? WHERE order_id = ? AND state = ?"
                                      + condition, RELEASED, clock.millis(), orderId, RESERVED);
        if (changed != 1) {
            return false;
        }
        List<DbRow> lines = tx.query("SELECT product_id, quantity FROM reservation_lines WHERE order_id = ?"
                                             + " ORDER BY product_id", orderId).toList();
        for (DbRow line : lines) {
            String productId = line.column("product_id").get(String.class);
            // nothing to give back to when the product was deleted meanwhile
            Optional<Integer> stock = tx.get("SELECT stock FROM products WHERE id = ? FOR UPDATE", productId)
                    .map(row -> row.column("stock").get(Integer.class));
            if (stock.isPresent()) {
                moveStock(tx, productId, stock.get(), line.column("quantity").get(Integer.class), reason);
            }
        }
        return true;
    }

    // One product's stock up or down (never below zero) and its event; false when there is not enough. The
    // caller read the stock FOR UPDATE in this transaction, so it knows the stock after the change without
    // reading it again (a statement less per line of every reservation).
    private boolean moveStock(DbTransaction tx, String productId, int lockedStock, int change, String reason) {
        if (lockedStock + change < 0
                || tx.dml("UPDATE products SET stock = stock + ?, updated_at = ? WHERE id = ? AND stock >= ?",
                          change, clock.millis(), productId, Math.max(0, -change)) != 1) {
            return false;
        }
        outbox.append(tx, ProductEvents.stockChanged(productId, lockedStock + change, change, reason));
        return true;
    }

    private Reservation reserveLines(DbTransaction tx, ReservationRequest request) {
        List<OrderLines.Line> items = request.items().stream()
                .sorted(Comparator.comparing(OrderLines.Line::productId))
                .toList();
        List<String> unknown = new ArrayList<>();
        List<String> otherCurrency = new ArrayList<>();
        List<Reservation.Line> lines = new ArrayList<>();
        Map<String, Integer> lockedStock = new HashMap<>();
        // locked in product id order, as every reservation and release locks them: no two wait on each other
        for (OrderLines.Line item : items) {
            Optional<DbRow> product = tx.get("SELECT name, price, currency, stock FROM products WHERE id = ?"
                                                     + " FOR UPDATE", item.productId());
            if (product.isEmpty()) {
                unknown.add(item.productId());
            } else {
                if (request.currency() != null
                        && !request.currency().equals(product.get().column("currency").get(String.class))) {
                    otherCurrency.add(item.productId());
                }
                lines.add(new Reservation.Line(item.productId(), product.get().column("name").get(String.class),
                                               item.quantity(),
                                               product.get().column("price").get(BigDecimal.class).setScale(2)));
                lockedStock.put(item.productId(), product.get().column("stock").get(Integer.class));
            }
        }
        if (!unknown.isEmpty()) {
            throw new ProblemException(Problem.of(Problem.TYPE_BASE + "unknown-product", "Unknown product",
                                                  Status.UNPROCESSABLE_CONTENT_422.code(),
                                                  "No such product: " + String.join(", ", unknown), errors(request, unknown,
                                                                                                          "no such product")));
        }
        if (!otherCurrency.isEmpty()) {
            throw new ProblemException(Problem.of(Problem.TYPE_BASE + "currency-mismatch", "Priced in another currency",
                                                  Status.CONFLICT_409.code(),
                                                  "Not priced in " + request.currency() + ", the order's currency: "
                                                          + String.join(", ", otherCurrency),
                                                  errors(request, otherCurrency, "priced in another currency")));
        }
        List<String> shortOf = new ArrayList<>();
        for (Reservation.Line line : lines) {
            if (!moveStock(tx, line.productId(), lockedStock.get(line.productId()), -line.quantity(),
                           ProductEvents.RESERVED)) {
                shortOf.add(line.productId());
            }
        }
        if (!shortOf.isEmpty()) {
            throw new ProblemException(Problem.of(Problem.TYPE_BASE + "insufficient-stock", "Insufficient stock",
                                                  Status.CONFLICT_409.code(),
                                                  "Not enough stock for: " + String.join(", ", shortOf),
                                                  errors(request, shortOf, "not enough stock")));
        }
        List<Reservation.Line> ordered = inRequestOrder(request, lines);
        for (int i = 0; i < ordered.size(); i++) {
            Reservation.Line line = ordered.get(i);
            tx.dml("INSERT INTO reservation_lines (order_id, line_no, product_id, name, quantity, unit_price)"
                           + " VALUES (?, ?, ?, ?, ?, ?)",
                   request.orderId(), i, line.productId(), line.name(), line.quantity(), line.unitPrice());
        }
        return new Reservation(request.orderId(), ordered);
    }

    private Optional<Reservation> existing(String orderId) {
        Optional<String> state = db.execute().get("SELECT state FROM reservations WHERE order_id = ?", orderId)
                .map(row -> row.column("state").get(String.class));
        if (state.isEmpty()) {
            return Optional.empty();
        }
        if (RELEASED.equals(state.get())) {
            throw released();
        }
        List<Reservation.Line> lines = db.execute()
                .query("SELECT product_id, name, quantity, unit_price FROM reservation_lines WHERE order_id = ?"
                               + " ORDER BY line_no", orderId)
                .map(row -> new Reservation.Line(row.column("product_id").get(String.class),
                                                 row.column("name").get(String.class),
                                                 row.column("quantity").get(Integer.class),
                                                 row.column("unit_price").get(BigDecimal.class).setScale(2)))
                .toList();
        return Optional.of(new Reservation(orderId, lines));
    }

    private static ProblemException released() {
        return new ProblemException(Problem.typed("reservation-released", "Reservation released", Status.CONFLICT_409,
                                                  "The reservation for this order was released; use a new order id."));
    }

    private static List<Reservation.Line> inRequestOrder(ReservationRequest request, List<Reservation.Line> lines) {
        return request.items().stream()
                .map(item -> lines.stream().filter(l -> l.productId().equals(item.productId())).findFirst().orElseThrow())
                .toList();
    }

    private static List<Problem.FieldError> errors(ReservationRequest request, List<String> productIds, String message) {
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < request.items().size(); i++) {
            if (productIds.contains(request.items().get(i).productId())) {
                errors.add(new Problem.FieldError("items[" + i + "].productId", message));
            }
        }
        return errors;
    }
}
