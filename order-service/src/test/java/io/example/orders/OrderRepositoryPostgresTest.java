package io.example.orders;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.example.commons.db.Database;
import io.example.commons.events.Outbox;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;

import io.helidon.dbclient.DbTransaction;

import org.flywaydb.core.Flyway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations and the order repository's SQL on a real PostgreSQL.
 */
class OrderRepositoryPostgresTest {
    private static TestDatabases.Postgres postgres;
    private static Database database;
    private static OrderRepository orders;

    @BeforeAll
    static void start() {
        postgres = TestDatabases.postgres();
        database = postgres.database("order-service", 10, Database.SharedSchema.OUTBOX);
        orders = new OrderRepository(database.client(), new Outbox(Clock.systemUTC()));
    }

    @AfterAll
    static void stop() {
        postgres.close();
    }

    @Test
    void anIdempotencyKeyIsUniquePerUserOnly() {
        String user = "u-" + UUID.randomUUID();
        Instant now = Instant.now();

        assertThat(orders.insertPending(UUID.randomUUID().toString(), user, "k", "h".repeat(64), now)).isTrue();
        assertThat(orders.insertPending(UUID.randomUUID().toString(), user, "k", "h".repeat(64), now)).isFalse();
        assertThat(orders.insertPending(UUID.randomUUID().toString(), "other-" + user, "k", "h".repeat(64), now)).isTrue();
        assertThat(orders.insertPending(UUID.randomUUID().toString(), user, null, "h".repeat(64), now)).isTrue();
        assertThat(orders.insertPending(UUID.randomUUID().toString(), user, null, "h".repeat(64), now)).isTrue();
    }

    @Test
    void confirmedOrdersAreListedWithLinesTotalsAndHistoryAndMovesAreConditional() {
        String user = "u-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        orders.insertPending(id, user, null, "h".repeat(64), now);

        assertThat(orders.page(user, Optional.empty(), 10, 0).total()).isZero();
        assertThat(orders.confirm(id, user, List.of(new Order.Line("p1", "Thing", 2, new BigDecimal("2.50"), new BigDecimal("5.00"))),
                                  "EUR", now)).isTrue();
        assertThat(orders.move(id, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, now)).isTrue();
        assertThat(orders.move(id, OrderStatus.CONFIRMED, OrderStatus.CANCELLED, now)).isFalse();

        OrderRepository.OrderPage page = orders.page(user, Optional.of(OrderStatus.SHIPPED), 10, 0);
        assertThat(page.total()).isEqualTo(1);
        assertThat(page.items()).singleElement().satisfies(order -> {
            assertThat(order.total()).isEqualByComparingTo("5.00");
            assertThat(order.items()).singleElement().satisfies(line -> assertThat(line.name()).isEqualTo("Thing"));
            assertThat(order.statusHistory()).extracting(Order.StatusChange::status)
                    .containsExactly(OrderStatus.CONFIRMED, OrderStatus.SHIPPED);
        });
    }

    @Test
    void stalePendingOrdersAreFoundAndFailingFreesTheirKey() {
        String user = "u-" + UUID.randomUUID();
        String id = UUID.randomUUID().toString();
        orders.insertPending(id, user, "retry-me", "h".repeat(64), Instant.now().minusSeconds(300));

        assertThat(orders.stalePending(Instant.now().minusSeconds(30))).contains(id);
        assertThat(orders.fail(id, Instant.now())).isTrue();
        assertThat(orders.fail(id, Instant.now())).isFalse();
        assertThat(orders.findByKey(user, "retry-me")).isEmpty();
    }

    @Test
    void pagesWalkTheListingNewestFirstFromTheIndexWithoutASort() {
        OrderPages.UserOrders placed = OrderPages.placeOrders(orders, 150);

        OrderPages.assertPagesWalkTheListing(orders, placed);
        DbTransaction tx = database.client().transaction();
        try {
            // a table this small is cheaper to read whole and sort: what matters is that an index can give the
            // order, so the planner is told to avoid both; without such an index it would still have to sort
            tx.dml("SET LOCAL enable_seqscan = off");
            tx.dml("SET LOCAL enable_sort = off");
            assertThat(OrderPages.explainFirstPage(tx, "EXPLAIN", placed.user()))
                    .contains("orders_user_newest").doesNotContain("Sort");
        } finally {
            tx.rollback();
        }
    }

    @Test
    void theNewestFirstIndexMayBeBuiltBeforeTheUpgradeWithoutHoldingWrites() throws SQLException {
        // a shop on the version before V3, whose operator built the index concurrently, as docs/deploy.md says
        try (Connection admin = DriverManager.getConnection(postgres.url(), "postgres", "postgres")) {
            admin.createStatement().execute("CREATE DATABASE before_v3");
        }
        String url = postgres.url().replace("/postgres?", "/before_v3?");
        Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").target("2")
                .load().migrate();
        try (Connection connection = DriverManager.getConnection(url, "postgres", "postgres");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE INDEX CONCURRENTLY orders_user_newest ON orders (user_id, created_at DESC, id DESC)");
            statement.execute("DROP INDEX CONCURRENTLY orders_user_created");
        }

        Database upgraded = Database.start(TestConfig.of(Map.of("db.url", url, "db.user", "postgres",
                                                                "db.password", "postgres")).get("db"),
                                           "order-service", Database.SharedSchema.OUTBOX);

        assertThat(upgraded.client().execute().query("SELECT indexname FROM pg_indexes WHERE tablename = 'orders'")
                           .map(row -> row.column("indexname").get(String.class)).toList())
                .contains("orders_user_newest").doesNotContain("orders_user_created");
    }
}
