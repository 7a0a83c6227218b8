package io.example.products.inventory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.example.commons.observe.LatestGauge;

/**
 * {@code inventory_expired_holds}: holds left unconfirmed past {@code inventory.hold-timeout} and not released
 * yet. The {@link ExpiredHoldSweeper} releases them within one {@code sweep-interval}, so a value above zero for
 * longer means stock is held by orders that died and nobody gives it back. Counted by the database rather than
 * by the sweeper, so that a sweeper that stopped shows; the {@code reservations_holds} index answers it.
 *
 * <p>A scrape never waits for the database: it answers the last count and starts the next one on a thread of
 * its own (none while one runs), so the value is one scrape old, and a pool exhausted by a burst of orders
 * (when the metrics matter most) cannot make {@code /metrics} time out. NaN until the first count, and after a
 * count that failed.
 */
public final class ExpiredHoldsGauge {
    private final Inventory inventory;
    private final Clock clock;
    private final Duration holdTimeout;
    private final AtomicBoolean counting = new AtomicBoolean();
    private volatile double lastCount = Double.NaN;

    private ExpiredHoldsGauge(Inventory inventory, Clock clock, Duration holdTimeout) {
        this.inventory = inventory;
        this.clock = clock;
        this.holdTimeout = holdTimeout;
    }

    /**
     * @param inventory   inventory
     * @param clock       clock
     * @param holdTimeout how long a hold waits for its confirmation
     */
    public static void register(Inventory inventory, Clock clock, Duration holdTimeout) {
        ExpiredHoldsGauge gauge = new ExpiredHoldsGauge(inventory, clock, holdTimeout);
        LatestGauge.register("inventory.expired.holds", "Holds unconfirmed past inventory.hold-timeout, still held",
                             List.of(), gauge::read);
    }

    private double read() {
        if (counting.compareAndSet(false, true)) {
            Thread.ofVirtual().name("expired-holds-count").start(this::count);
        }
        return lastCount;
    }

    private void count() {
        try {
            lastCount = inventory.expiredHolds(clock.instant().minus(holdTimeout));
        } catch (RuntimeException e) {
            lastCount = Double.NaN;
        } finally {
            counting.set(false);
        }
    }
}
