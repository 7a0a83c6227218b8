package io.example.products.inventory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives back the stock of holds nobody confirmed within the hold timeout: their order died before it was
 * confirmed (a crash of the order service, or of its database). Runs at start and then periodically; safe
 * with several replicas running it, since each release is a conditional update.
 */
public final class ExpiredHoldSweeper implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(ExpiredHoldSweeper.class.getName());

    private final Inventory inventory;
    private final Clock clock;
    private final Duration holdTimeout;
    private ScheduledExecutorService scheduler;

    /**
     * @param inventory   inventory
     * @param clock       clock
     * @param holdTimeout how long a hold waits for its confirmation (longer than any order placement)
     */
    public ExpiredHoldSweeper(Inventory inventory, Clock clock, Duration holdTimeout) {
        this.inventory = inventory;
        this.clock = clock;
        this.holdTimeout = holdTimeout;
    }

    /**
     * Sweep now and then every {@code interval}.
     *
     * @param interval time between sweeps
     * @return this sweeper
     */
    public ExpiredHoldSweeper start(Duration interval) {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("hold-sweeper").factory());
        scheduler.scheduleWithFixedDelay(this::sweepSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * One sweep.
     *
     * @return how many holds were released
     */
    public int sweep() {
        int released = inventory.expireHolds(clock.instant().minus(holdTimeout));
        if (released > 0) {
            LOGGER.info(() -> released + " unconfirmed hold(s) older than " + holdTimeout + " released");
        }
        return released;
    }

    private void sweepSafely() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOGGER.log(Level.WARNING, "Hold sweep failed; will try again", e);
        }
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
