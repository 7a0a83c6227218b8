package io.example.products.inventory;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.example.commons.db.Database;
import io.example.commons.events.Outbox;
import io.example.commons.http.Json;
import io.example.commons.http.OrderLines;
import io.example.commons.http.ProblemException;
import io.example.products.catalogue.Product;
import io.example.products.catalogue.ProductEvents;
import io.example.products.catalogue.ProductRepository;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What reservations guarantee, run against each database the service supports.
 */
abstract class InventoryContract {
    abstract Database database();

    private Inventory inventory() {
        return new Inventory(database().client(), new Outbox(Clock.systemUTC()), Clock.systemUTC());
    }

    // holds made an hour ago: expiring "before half an hour ago" touches them and no other test's
    private Inventory anHourAgo() {
        return new Inventory(database().client(), new Outbox(Clock.systemUTC()), Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)));
    }

    private static Instant halfAnHourAgo() {
        return Instant.now().minus(Duration.ofMinutes(30));
    }

    private ProductRepository products() {
        return new ProductRepository(database().client(), new Outbox(Clock.systemUTC()));
    }

    private String product(int stock) {
        return product(stock, "EUR");
    }

    private String product(int stock, String currency) {
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        String id = UUID.randomUUID().toString();
        products().insert(new Product(id, "SKU-" + id, "Widget " + id.substring(0, 4), "", "test",
                                      new BigDecimal("2.50"), currency, stock, now, now));
        return id;
    }

    private int stock(String id) {
        return products().find(id).orElseThrow().stock();
    }

    private static ReservationRequest request(String orderId, String productId, int quantity) {
        return new ReservationRequest(orderId, List.of(new OrderLines.Line(productId, quantity)), null);
    }

    @Test
    void reservingTakesStockAndRecordsNameAndPrice() {
        String id = product(10);

        Reservation reservation = inventory().reserve(request("order-" + UUID.randomUUID(), id, 3));

        assertThat(stock(id)).isEqualTo(7);
        assertThat(reservation.items()).singleElement().satisfies(line -> {
            assertThat(line.quantity()).isEqualTo(3);
            assertThat(line.unitPrice()).isEqualByComparingTo("2.50");
            assertThat(line.name()).startsWith("Widget");
        });
    }

    @Test
    void theSameOrderIdReservesOnlyOnce() {
        String id = product(10);
        String orderId = "order-" + UUID.randomUUID();

        Reservation first = inventory().reserve(request(orderId, id, 4));
        Reservation again = inventory().reserve(request(orderId, id, 4));

        assertThat(again).isEqualTo(first);
        assertThat(stock(id)).isEqualTo(6);
    }

    @Test
    void allOrNothingWhenOneItemIsShort() {
        String plenty = product(10);
        String scarce = product(1);
        ReservationRequest request = new ReservationRequest("order-" + UUID.randomUUID(), List.of(
                new OrderLines.Line(plenty, 5), new OrderLines.Line(scarce, 2)), null);

        assertThatThrownBy(() -> inventory().reserve(request))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(409);
                    assertThat(e.problem().detail()).contains(scarce).doesNotContain(plenty);
                });
        assertThat(stock(plenty)).isEqualTo(10);
        assertThat(stock(scarce)).isEqualTo(1);
        assertThat(stockEvents(plenty)).isEmpty();
        assertThat(stockEvents(scarce)).isEmpty();
    }

    @Test
    void aProductPricedInAnotherCurrencyThanTheOrdersIsRefusedAndNothingIsReserved() {
        String euros = product(10);
        String yen = product(10, "JPY");
        ReservationRequest request = new ReservationRequest("order-" + UUID.randomUUID(), List.of(
                new OrderLines.Line(euros, 1), new OrderLines.Line(yen, 1)), "EUR");

        assertThatThrownBy(() -> inventory().reserve(request))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(409);
                    assertThat(e.problem().type()).endsWith("/currency-mismatch");
                    assertThat(e.problem().detail()).contains(yen).doesNotContain(euros);
                });
        assertThat(stock(euros)).isEqualTo(10);
        assertThat(stock(yen)).isEqualTo(10);
        assertThat(inventory().reserve(new ReservationRequest("order-" + UUID.randomUUID(),
                                                              List.of(new OrderLines.Line(yen, 1)), null)).items())
                .as("without a currency, any is reserved").hasSize(1);
    }

    @Test
    void unknownProductIs422AndReservesNothing() {
        String id = product(10);
        ReservationRequest request = new ReservationRequest("order-" + UUID.randomUUID(), List.of(
                new OrderLines.Line(id, 1), new OrderLines.Line("no-such-product", 1)), null);

        assertThatThrownBy(() -> inventory().reserve(request))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(422));
        assertThat(stock(id)).isEqualTo(10);
    }

    @Test
    void releaseGivesStockBackExactlyOnce() {
        String id = product(10);
        String orderId = "order-" + UUID.randomUUID();
        inventory().reserve(request(orderId, id, 4));

        inventory().release(orderId);
        inventory().release(orderId);

        assertThat(stock(id)).isEqualTo(10);
    }

    @Test
    void aReservationAfterItsReleaseHoldsNothing() {
        String id = product(10);
        String orderId = "order-" + UUID.randomUUID();

        inventory().release(orderId);

        assertThatThrownBy(() -> inventory().reserve(request(orderId, id, 4)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(409));
        assertThat(stock(id)).isEqualTo(10);
    }

    @Test
    void aConfirmedHoldKeepsItsStockAndConfirmingAgainChangesNothing() {
        String id = product(10);
        String orderId = "order-" + UUID.randomUUID();
        anHourAgo().reserve(request(orderId, id, 4));

        inventory().confirm(orderId);
        inventory().confirm(orderId);
        inventory().expireHolds(halfAnHourAgo());

        assertThat(stock(id)).isEqualTo(6);
    }

    @Test
    void anUnconfirmedHoldExpiresAndGivesItsStockBackOnce() {
        String id = product(10);
        String orderId = "order-" + UUID.randomUUID();
        anHourAgo().reserve(request(orderId, id, 4));

        inventory().expireHolds(halfAnHourAgo());
        inventory().expireHolds(halfAnHourAgo());

        assertThat(stock(id)).isEqualTo(10);
        assertThatThrownBy(() -> inventory().confirm(orderId))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(409));
    }

    @Test
    void aHoldYoungerThanTheTimeoutIsKept() {
        String id = product(10);
        inventory().reserve(request("order-" + UUID.randomUUID(), id, 4));

        inventory().expireHolds(halfAnHourAgo());

        assertThat(stock(id)).isEqualTo(6);
    }

    @Test
    void releaseGivesBackAConfirmedReservationAndConfirmingItAfterwardsIs409() {
        String id = product(10);
        String orderId = "order-" + UUID.randomUUID();
        inventory().reserve(request(orderId, id, 4));
        inventory().confirm(orderId);

        inventory().release(orderId);

        assertThat(stock(id)).isEqualTo(10);
        assertThatThrownBy(() -> inventory().confirm(orderId))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(409));
    }

    @Test
    void confirmingWhatWasNeverReservedIs404() {
        assertThatThrownBy(() -> inventory().confirm("order-" + UUID.randomUUID()))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.problem().status()).isEqualTo(404));
    }

    @Test
    void confirmRacingExpiryEitherKeepsTheStockForTheOrderOrGivesItBackNeverBoth() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = product(10);
            String orderId = "ce-" + round + "-" + UUID.randomUUID();
            anHourAgo().reserve(request(orderId, id, 3));
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> both = List.of(
                    () -> {
                        start.await();
                        try {
                            inventory().confirm(orderId);
                            return true;
                        } catch (ProblemException expired) {
                            return false;
                        }
                    },
                    () -> {
                        start.await();
                        inventory().expireHolds(halfAnHourAgo());
                        return true;
                    });

            boolean confirmed = run(both, start).get(0);
            inventory().expireHolds(halfAnHourAgo());

            assertThat(stock(id)).isEqualTo(confirmed ? 7 : 10);
        }
    }

    @Test
    void manyBuyersRacingForTheLastUnitsGetExactlyThoseUnits() throws Exception {
        String id = product(10);
        CountDownLatch start = new CountDownLatch(1);

        List<Boolean> outcomes = run(buyersOfOneUnit(id, 32, start), start);

        assertThat(outcomes.stream().filter(ok -> ok).count()).isEqualTo(10);
        assertThat(stock(id)).isZero();
    }

    @Test
    void duplicateReservationsRacingReserveOnce() throws Exception {
        String id = product(100);
        String orderId = "dup-" + UUID.randomUUID();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            attempts.add(() -> {
                start.await();
                return inventory().reserve(request(orderId, id, 5)).items().size() == 1;
            });
        }

        assertThat(run(attempts, start)).containsOnly(true);
        assertThat(stock(id)).isEqualTo(95);
    }

    @Test
    void releaseRacingReserveForOneOrderNeverLosesOrHoldsStock() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = product(10);
            String orderId = "rr-" + round + "-" + UUID.randomUUID();
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> both = List.of(
                    () -> {
                        start.await();
                        try {
                            inventory().reserve(request(orderId, id, 3));
                            return true;
                        } catch (ProblemException released) {
                            return false;
                        }
                    },
                    () -> {
                        start.await();
                        inventory().release(orderId);
                        return true;
                    });

            run(both, start);
            // the order service releases after giving up; whatever the interleaving, a second release
            // must leave the stock whole
            inventory().release(orderId);

            assertThat(stock(id)).isEqualTo(10);
        }
    }

    @Test
    void eachLineOfAReservationAndOfItsReleaseAnnouncesItsStockOnce() {
        String a = product(10);
        String b = product(5);
        String orderId = "order-" + UUID.randomUUID();
        inventory().reserve(new ReservationRequest(orderId, List.of(new OrderLines.Line(a, 3), new OrderLines.Line(b, 2)), null));

        inventory().release(orderId);
        inventory().release(orderId);

        assertThat(stockEvents(a)).containsExactly(new ProductEvents.StockChanged(a, 7, -3, "reserved"),
                                                   new ProductEvents.StockChanged(a, 10, 3, "released"));
        assertThat(stockEvents(b)).containsExactly(new ProductEvents.StockChanged(b, 3, -2, "reserved"),
                                                   new ProductEvents.StockChanged(b, 5, 2, "released"));
    }

    @Test
    void anExpiredHoldAnnouncesItsStockAsExpired() {
        String id = product(10);
        anHourAgo().reserve(request("order-" + UUID.randomUUID(), id, 4));

        inventory().expireHolds(halfAnHourAgo());

        assertThat(stockEvents(id)).containsExactly(new ProductEvents.StockChanged(id, 6, -4, "reserved"),
                                                    new ProductEvents.StockChanged(id, 10, 4, "expired"));
    }

    @Test
    void racingReservationsAnnounceTheStockInTheOrderTheyCommitted() throws Exception {
        String id = product(10);
        CountDownLatch start = new CountDownLatch(1);

        run(buyersOfOneUnit(id, 16, start), start);

        assertThat(stockEvents(id)).extracting(ProductEvents.StockChanged::stock)
                .containsExactly(9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    // each reserves one unit of the product once start opens: true when it got it, false on 409 (sold out)
    private List<Callable<Boolean>> buyersOfOneUnit(String productId, int buyers, CountDownLatch start) {
        List<Callable<Boolean>> attempts = new ArrayList<>();
        for (int i = 0; i < buyers; i++) {
            String orderId = "race-" + i + "-" + UUID.randomUUID();
            attempts.add(() -> {
                start.await();
                try {
                    inventory().reserve(request(orderId, productId, 1));
                    return true;
                } catch (ProblemException e) {
                    assertThat(e.problem().status()).isEqualTo(409);
                    return false;
                }
            });
        }
        return attempts;
    }

    // the stock-changed events recorded for a product, in the outbox's (the relay's) order
    private List<ProductEvents.StockChanged> stockEvents(String productId) {
        return database().client().execute()
                .query("SELECT data FROM outbox WHERE aggregate_id = ? AND event_type = 'io.example.product.stock-changed'"
                               + " ORDER BY seq", productId)
                .map(row -> Json.JSONB.fromJson(row.column("data").get(String.class), ProductEvents.StockChanged.class))
                .toList();
    }

    private static List<Boolean> run(List<Callable<Boolean>> tasks, CountDownLatch start) throws Exception {
        List<Boolean> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(tasks.size())) {
            List<Future<Boolean>> futures = new ArrayList<>();
            for (Callable<Boolean> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            for (Future<Boolean> future : futures) {
                results.add(future.get());
            }
        }
        return results;
    }
}
