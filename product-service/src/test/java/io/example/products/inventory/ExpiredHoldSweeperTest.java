package io.example.products.inventory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.example.commons.db.Database;
import io.example.commons.events.Outbox;
import io.example.commons.http.OrderLines;
import io.example.commons.testing.TestDatabases;
import io.example.products.catalogue.Product;
import io.example.products.catalogue.ProductRepository;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ExpiredHoldSweeperTest {
    private final Database database = TestDatabases.h2("product-service", Database.SharedSchema.OUTBOX);
    private final ProductRepository products = new ProductRepository(database.client(), new Outbox(Clock.systemUTC()));
    private final Inventory inventory = new Inventory(database.client(), new Outbox(Clock.systemUTC()), Clock.systemUTC());

    @Test
    void aSweepReleasesHoldsOlderThanTheTimeoutAndKeepsConfirmedOnes() {
        String id = product(10);
        inventory.reserve(request("unconfirmed", id, 2));
        inventory.reserve(request("confirmed", id, 3));
        inventory.confirm("confirmed");
        Clock threeMinutesLater = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(3));

        int released = new ExpiredHoldSweeper(inventory, threeMinutesLater, Duration.ofMinutes(2)).sweep();

        assertThat(released).isEqualTo(1);
        assertThat(products.find(id).orElseThrow().stock()).isEqualTo(7);
    }

    @Test
    void aSweepBeforeTheTimeoutReleasesNothing() {
        String id = product(10);
        inventory.reserve(request("young", id, 2));

        int released = new ExpiredHoldSweeper(inventory, Clock.systemUTC(), Duration.ofMinutes(2)).sweep();

        assertThat(released).isZero();
        assertThat(products.find(id).orElseThrow().stock()).isEqualTo(8);
    }

    private String product(int stock) {
        Instant now = Instant.now();
        String id = UUID.randomUUID().toString();
        products.insert(new Product(id, "SKU-" + id, "Widget", "", "test", new BigDecimal("2.50"), "EUR", stock, now, now));
        return id;
    }

    private static ReservationRequest request(String orderId, String productId, int quantity) {
        return new ReservationRequest(orderId, List.of(new OrderLines.Line(productId, quantity)), null);
    }
}
