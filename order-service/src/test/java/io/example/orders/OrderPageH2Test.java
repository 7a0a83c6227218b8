package io.example.orders;

import java.time.Clock;

import io.example.commons.db.Database;
import io.example.commons.events.Outbox;
import io.example.commons.testing.TestDatabases;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order list on H2, the local database: pages newest first, and a page costs what it shows, not what the
 * user has (before the newest-first index, H2 read and sorted all of a user's orders for every page).
 */
class OrderPageH2Test {
    private static Database database;
    private static OrderRepository orders;
    private static OrderPages.UserOrders placed;

    @BeforeAll
    static void start() {
        database = TestDatabases.h2("order-service", Database.SharedSchema.OUTBOX);
        orders = new OrderRepository(database.client(), new Outbox(Clock.systemUTC()));
        placed = OrderPages.placeOrders(orders, 150);
    }

    @Test
    void pagesWalkTheListingNewestFirst() {
        OrderPages.assertPagesWalkTheListing(orders, placed);
    }

    @Test
    void theFirstPageReadsFiveRowsInIndexOrder() {
        String plan = OrderPages.explainFirstPage(database.client().execute(), "EXPLAIN ANALYZE", placed.user());

        assertThat(plan).contains("orders_user_newest").contains("/* index sorted */").contains("scanCount: 5 */");
    }
}
