package io.example.orders;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finishes what a crash or an unreachable product service left behind: PENDING orders older than a
 * threshold become FAILED (never listed), then every FAILED or CANCELLED order whose (possible) reservation
 * was not released yet gets it released. Failing comes first, with a conditional update, so an order still
 * being placed can no longer become CONFIRMED once its stock is given back. Runs at start and then
 * periodically; safe with several replicas running it.
 *
 * <p>Events do not replace it: an abandoned PENDING order and a FAILED one announce nothing (nobody outside
 * ever saw them), so their stock comes back only through this sweep. For a CANCELLED order whose synchronous
 * release failed it is only a backstop now: the {@code io.example.order.cancelled} event normally makes
 * product-service release the stock first, and this later release changes nothing.
 *
 * <p>Releases run {@value #CONCURRENT_RELEASES} at a time: an outage of product-service leaves one FAILED order
 * per placement tried meanwhile (thousands, with clients that retry), and the few that really hold stock are
 * anywhere in that backlog, so how fast the backlog drains is how soon stock is back.
 */
public final class PendingOrderSweeper {
    private static final Logger LOGGER = Logger.getLogger(PendingOrderSweeper.class.getName());
    private static final int CONCURRENT_RELEASES = 8;

    private final OrderRepository orders;
    private final ProductClient products;
    private final Clock clock;
    private final Duration pendingTimeout;

    /**
     * @param orders         repository
     * @param products       the product service
     * @param clock          clock
     * @param pendingTimeout how old a PENDING order must be to be given up on (longer than any placement)
     */
    public PendingOrderSweeper(OrderRepository orders, ProductClient products, Clock clock, Duration pendingTimeout) {
        this.orders = orders;
        this.products = products;
        this.clock = clock;
        this.pendingTimeout = pendingTimeout;
    }

    /**
     * One sweep.
     *
     * @return how many orders were settled
     */
    public int sweep() {
        for (String id : orders.stalePending(clock.instant().minus(pendingTimeout))) {
            if (orders.fail(id, clock.instant())) {
                LOGGER.info(() -> "Order " + id + " was left PENDING: marked FAILED, its stock is released next");
            }
        }
        AtomicInteger settled = new AtomicInteger();
        // one refused or failed release ends the pass: product-service is most likely away, and the rest of the
        // backlog waits for the next sweep rather than failing (and logging) once per order
        AtomicBoolean givenUp = new AtomicBoolean();
        try (ExecutorService releases = Executors.newFixedThreadPool(CONCURRENT_RELEASES,
                                                                     Thread.ofVirtual().name("order-release-", 0).factory())) {
            for (String id : orders.stockNotReleased()) {
                releases.execute(() -> {
                    if (givenUp.get()) {
                        return;
                    }
                    if (release(id)) {
                        settled.incrementAndGet();
                    } else {
                        givenUp.set(true);
                    }
                });
            }
        }
        return settled.get();
    }

    private boolean release(String id) {
        try {
            if (!products.release(id)) {
                return false;
            }
            orders.markStockReleased(id);
            return true;
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Release of order " + id + " was not recorded", e);
            return false;
        }
    }
}
