package io.example.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import io.helidon.dbclient.DbExecute;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the order list must do on every database: pages newest first (ties by id) with nothing hidden shown, and
 * the page query read from the newest-first index, stopping after the page, however many orders the user has.
 */
final class OrderPages {
    private OrderPages() {
    }

    /**
     * A user with {@code count} orders, made two by two at the same millisecond (ties are ordered by id); every
     * seventh cancelled, every eleventh left PENDING and one FAILED (neither is ever shown).
     *
     * @return the user id and, newest first, the ids a full listing must show
     */
    static UserOrders placeOrders(OrderRepository orders, int count) {
        String user = "u-" + UUID.randomUUID();
        Instant start = Instant.ofEpochMilli(1_700_000_000_000L);
        record Placed(String id, Instant at) {
        }
        List<Placed> visible = new ArrayList<>();
        List<Placed> cancelled = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = UUID.randomUUID().toString();
            Instant at = start.plusMillis(i / 2);
            orders.insertPending(id, user, null, "h".repeat(64), at);
            if (i % 11 == 10) {
                continue;
            }
            if (i == 5) {
                orders.fail(id, at);
                continue;
            }
            orders.confirm(id, user, List.of(new Order.Line("p1", "Thing", 1, BigDecimal.ONE, BigDecimal.ONE)), "EUR", at);
            visible.add(new Placed(id, at));
            if (i % 7 == 6) {
                orders.move(id, OrderStatus.CONFIRMED, OrderStatus.CANCELLED, at);
                cancelled.add(new Placed(id, at));
            }
        }
        Comparator<Placed> newestFirst = Comparator.comparing(Placed::at).thenComparing(Placed::id).reversed();
        return new UserOrders(user,
                              visible.stream().sorted(newestFirst).map(Placed::id).toList(),
                              cancelled.stream().sorted(newestFirst).map(Placed::id).toList());
    }

    /**
     * Every page of 7, read one after the other, is the newest-first listing; the same with a status filter.
     */
    static void assertPagesWalkTheListing(OrderRepository orders, UserOrders placed) {
        assertThat(readAll(orders, placed.user(), Optional.empty())).containsExactlyElementsOf(placed.visible());
        assertThat(readAll(orders, placed.user(), Optional.of(OrderStatus.CANCELLED)))
                .containsExactlyElementsOf(placed.cancelled());
        assertThat(orders.page(placed.user(), Optional.empty(), 7, 0).total()).isEqualTo(placed.visible().size());
        assertThat(orders.page(placed.user(), Optional.of(OrderStatus.CANCELLED), 7, 0).total())
                .isEqualTo(placed.cancelled().size());
    }

    /**
     * @return the database's plan of the first page of five, as one text
     */
    static String explainFirstPage(DbExecute db, String explain, String user) {
        return db.query(explain + " " + OrderRepository.pageQuery(false), user, 5, 0)
                .map(row -> row.column(1).get(String.class))
                .collect(Collectors.joining("\n"));
    }

    private static List<String> readAll(OrderRepository orders, String user, Optional<OrderStatus> status) {
        List<String> ids = new ArrayList<>();
        for (int offset = 0; ; offset += 7) {
            List<Order> page = orders.page(user, status, 7, offset).items();
            page.forEach(order -> ids.add(order.id()));
            if (page.size() < 7) {
                return ids;
            }
        }
    }

    /**
     * @param user      owner
     * @param visible   ids a full listing shows, newest first
     * @param cancelled the cancelled ones, newest first
     */
    record UserOrders(String user, List<String> visible, List<String> cancelled) {
    }
}
