package io.example.products.inventory;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

/**
 * Gives back the stock of holds nobody confirmed within the hold timeout: their order died before it was
 * confirmed (a crash of the order service, or of its database). Runs at start and then periodically; safe
 * with several replicas running it, since each release is a conditional update.
 */
public final class ExpiredHoldSweeper {
    private static final Logger LOGGER = Logger.getLogger(ExpiredHoldSweeper.class.getName());

    private final Inventory inventory;
    private final Clock clock;
    private final Duration holdTimeout;

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
}
