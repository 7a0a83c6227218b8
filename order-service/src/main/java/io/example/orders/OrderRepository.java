package io.example.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.example.commons.events.EventDraft;
import io.example.commons.events.Outbox;
import io.example.commons.events.Topics;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;

/**
 * Orders, their lines and their status history in the order service's database. Every status change is
 * a conditional update ({@code WHERE status = ?}), so of two concurrent moves only one can win.
 *
 * <p>Every change a client can see (confirmed, cancelled, shipped, delivered) records its {@link OrderEvent}
 * in the outbox in the same transaction: the change and its event commit together or not at all. PENDING and
 * FAILED orders are never shown, and announce nothing.
 */
public final class OrderRepository {
    /**
     * What an Idempotency-Key points at.
     *
     * @param orderId     the order made with it
     * @param status      its status
     * @param requestHash fingerprint of the request it was made with
     */
    public record KeyedOrder(String orderId, OrderStatus status, String requestHash) {
    }

    /**
     * One page of a user's orders.
     *
     * @param items  orders
     * @param total  all matches
     * @param limit  page size
     * @param offset start
     */
    public record OrderPage(List<Order> items, long total, int limit, int offset) {
    }

    private static final String VISIBLE = "('CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED')";
    private final DbClient db;
    private final Outbox outbox;

    /**
     * @param db     database client
     * @param outbox where the changes' events are recorded
     */
    public OrderRepository(DbClient db, Outbox outbox) {
        this.db = db;
        this.outbox = outbox;
    }

    /**
     * @param id          new order id
     * @param userId      owner
     * @param key         Idempotency-Key or null
     * @param requestHash request fingerprint
     * @param now         now
     * @return false when the user already used this key
     */
    public boolean insertPending(String id, String userId, String key, String requestHash, Instant now) {
        try {
            db.execute().dml("INSERT INTO orders (id, user_id, status, idempotency_key, request_hash, created_at, updated_at)"
                                     + " VALUES (?, ?, 'PENDING', ?, ?, ?, ?)",
                             id, userId, key, requestHash, now.toEpochMilli(), now.toEpochMilli());
            return true;
        } catch (RuntimeException e) {
            if (key != null && findByKey(userId, key).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * @param userId owner
     * @param key    Idempotency-Key
     * @return the order made with it
     */
    public Optional<KeyedOrder> findByKey(String userId, String key) {
        return db.execute().get("SELECT id, status, request_hash FROM orders WHERE user_id = ? AND idempotency_key = ?",
                                userId, key)
                .map(row -> new KeyedOrder(row.column("id").get(String.class),
                                           OrderStatus.valueOf(row.column("status").get(String.class)),
                                           row.column("request_hash").get(String.class)));
    }

    /**
     * PENDING -> CONFIRMED with the reserved lines and the {@code placed} event, in one transaction.
     *
     * @param id       order id
     * @param userId   its owner
     * @param lines    reserved lines
     * @param currency currency
     * @param now      now
     * @return false when the order is no longer PENDING (the sweeper gave up on it)
     */
    public boolean confirm(String id, String userId, List<Order.Line> lines, String currency, Instant now) {
        BigDecimal total = lines.stream().map(Order.Line::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        DbTransaction tx = db.transaction();
        try {
            long changed = tx.dml("UPDATE orders SET status = 'CONFIRMED', total = ?, currency = ?, updated_at = ?"
                                          + " WHERE id = ? AND status = 'PENDING'",
                                  total, currency, now.toEpochMilli(), id);
            if (changed != 1) {
                tx.rollback();
                return false;
            }
            for (int i = 0; i < lines.size(); i++) {
                Order.Line line = lines.get(i);
                tx.dml("INSERT INTO order_items (order_id, line_no, product_id, name, quantity, unit_price, line_total)"
                               + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                       id, i, line.productId(), line.name(), line.quantity(), line.unitPrice(), line.lineTotal());
            }
            appendHistory(tx, id, OrderStatus.CONFIRMED, now);
            // from what this transaction wrote, not read back: every order placed pays for its event
            List<OrderEvent.Item> items = lines.stream()
                    .map(line -> new OrderEvent.Item(line.productId(), line.quantity(), line.unitPrice().setScale(2)))
                    .toList();
            append(tx, new OrderEvent(id, userId, OrderStatus.CONFIRMED, total.setScale(2), currency, items));
            tx.commit();
            return true;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    /**
     * Move an order from one status to another, recording the move and its event.
     *
     * @param id   order id
     * @param from expected current status
     * @param to   new status
     * @param now  now
     * @return false when the order was not in {@code from}
     */
    public boolean move(String id, OrderStatus from, OrderStatus to, Instant now) {
        DbTransaction tx = db.transaction();
        try {
            long changed = tx.dml("UPDATE orders SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
                                  to.name(), now.toEpochMilli(), id, from.name());
            if (changed != 1) {
                tx.rollback();
                return false;
            }
            appendHistory(tx, id, to, now);
            appendEvent(tx, id);
            tx.commit();
            return true;
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    /**
     * Give up on a PENDING order: FAILED, never shown, and its Idempotency-Key free for a new attempt. Whatever
     * stock it may hold is released afterwards ({@link #stockNotReleased()}).
     *
     * @param id  order id
     * @param now now
     * @return false when it was not PENDING
     */
    public boolean fail(String id, Instant now) {
        return db.execute().dml("UPDATE orders SET status = 'FAILED', idempotency_key = NULL, updated_at = ?"
                                        + " WHERE id = ? AND status = 'PENDING'", now.toEpochMilli(), id) == 1;
    }

    /**
     * @param id failed or cancelled order whose stock came back (or that held none)
     */
    public void markStockReleased(String id) {
        db.execute().dml("UPDATE orders SET stock_released = TRUE WHERE id = ?", id);
    }

    /**
     * @param id order id
     * @return the order in any status
     */
    public Optional<Order> find(String id) {
        return db.execute().get("SELECT id, user_id, status, total, currency, created_at, updated_at FROM orders"
                                        + " WHERE id = ?", id)
                .map(row -> order(db.execute(), row));
    }

    /**
     * A user's visible orders, newest first.
     *
     * @param userId owner
     * @param status only orders in this status, or all
     * @param limit  page size
     * @param offset start
     * @return page
     */
    public OrderPage page(String userId, Optional<OrderStatus> status, int limit, int offset) {
        Object[] params = status.map(s -> new Object[] {userId, s.name()}).orElseGet(() -> new Object[] {userId});
        long total = db.execute().get("SELECT COUNT(*) AS total FROM orders" + pageWhere(status.isPresent()), params)
                .map(row -> row.column("total").get(Long.class)).orElse(0L);
        List<Object> pageParams = new ArrayList<>(List.of(params));
        pageParams.add(limit);
        pageParams.add(offset);
        DbExecute execute = db.execute();
        List<DbRow> rows = execute.query(pageQuery(status.isPresent()), pageParams.toArray()).toList();
        return new OrderPage(rows.stream().map(row -> order(execute, row)).toList(), total, limit, offset);
    }

    /**
     * The page query: it walks the {@code orders_user_newest} index (user, newest first) and stops once it has
     * {@code limit + offset} matching rows, instead of reading and sorting all of the user's orders (a status filter
     * still skips the rows it does not match). H2 reads an index in order only for a sort that starts with the
     * index's first column, hence {@code user_id} first (a single value under the WHERE clause).
     *
     * @param byStatus whether a status parameter follows the user's
     * @return SQL with parameters user id, [status,] limit, offset
     */
    static String pageQuery(boolean byStatus) {
        return "SELECT id, user_id, status, total, currency, created_at, updated_at FROM orders" + pageWhere(byStatus)
                + " ORDER BY user_id, created_at DESC, id DESC LIMIT ? OFFSET ?";
    }

    private static String pageWhere(boolean byStatus) {
        return " WHERE user_id = ? AND status IN " + VISIBLE + (byStatus ? " AND status = ?" : "");
    }

    /**
     * @param olderThan last change before this
     * @return ids of PENDING orders left behind (a crash, or a release that failed)
     */
    public List<String> stalePending(Instant olderThan) {
        return db.execute().query("SELECT id FROM orders WHERE status = 'PENDING' AND updated_at < ?",
                                  olderThan.toEpochMilli())
                .map(row -> row.column("id").get(String.class)).toList();
    }

    /**
     * @return ids of FAILED and CANCELLED orders whose stock has not been given back yet
     */
    public List<String> stockNotReleased() {
        return db.execute().query("SELECT id FROM orders WHERE status IN ('FAILED', 'CANCELLED') AND stock_released = FALSE")
                .map(row -> row.column("id").get(String.class)).toList();
    }

    private static void appendHistory(DbTransaction tx, String id, OrderStatus status, Instant now) {
        int seq = tx.get("SELECT COUNT(*) AS n FROM order_status_history WHERE order_id = ?", id)
                .map(row -> row.column("n").get(Long.class).intValue()).orElse(0);
        tx.dml("INSERT INTO order_status_history (order_id, seq, status, at) VALUES (?, ?, ?, ?)",
               id, seq, status.name(), now.toEpochMilli());
    }

    // the order as this transaction leaves it
    private void appendEvent(DbTransaction tx, String id) {
        DbRow row = tx.get("SELECT user_id, status, total, currency FROM orders WHERE id = ?", id).orElseThrow();
        List<OrderEvent.Item> items = tx.query("SELECT product_id, quantity, unit_price FROM order_items WHERE order_id = ?"
                                                       + " ORDER BY line_no", id)
                .map(line -> new OrderEvent.Item(line.column("product_id").get(String.class),
                                                 line.column("quantity").get(Integer.class),
                                                 line.column("unit_price").get(BigDecimal.class).setScale(2)))
                .toList();
        append(tx, new OrderEvent(id, row.column("user_id").get(String.class),
                                  OrderStatus.valueOf(row.column("status").get(String.class)),
                                  row.column("total").get(BigDecimal.class).setScale(2),
                                  row.column("currency").get(String.class), items));
    }

    // announced by the status the order has just entered
    private void append(DbTransaction tx, OrderEvent event) {
        outbox.append(tx, new EventDraft(Topics.ORDERS, OrderEvent.type(event.status()), OrderEvent.AGGREGATE,
                                         event.orderId(), event));
    }

    private static Order order(DbExecute execute, DbRow row) {
        String id = row.column("id").get(String.class);
        List<Order.Line> lines = execute.query("SELECT product_id, name, quantity, unit_price, line_total FROM order_items"
                                                       + " WHERE order_id = ? ORDER BY line_no", id)
                .map(line -> new Order.Line(line.column("product_id").get(String.class),
                                            line.column("name").get(String.class),
                                            line.column("quantity").get(Integer.class),
                                            line.column("unit_price").get(BigDecimal.class).setScale(2),
                                            line.column("line_total").get(BigDecimal.class).setScale(2)))
                .toList();
        List<Order.StatusChange> history = execute.query("SELECT status, at FROM order_status_history WHERE order_id = ?"
                                                                 + " ORDER BY seq", id)
                .map(change -> new Order.StatusChange(OrderStatus.valueOf(change.column("status").get(String.class)),
                                                      Instant.ofEpochMilli(change.column("at").get(Long.class))))
                .toList();
        return new Order(id, row.column("user_id").get(String.class),
                         OrderStatus.valueOf(row.column("status").get(String.class)), lines,
                         row.column("total").get(BigDecimal.class).setScale(2),
                         row.column("currency").get(String.class),
                         Instant.ofEpochMilli(row.column("created_at").get(Long.class)),
                         Instant.ofEpochMilli(row.column("updated_at").get(Long.class)),
                         history);
    }
}
