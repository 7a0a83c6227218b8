package io.example.loadgen;

/**
 * Paces one client's requests so the gateway's token bucket for that client is never emptied: the same
 * shape (a burst, then one request per interval), kept on this side as a virtual schedule (GCRA). It only
 * computes when the next request may go; the caller waits. A 429's {@code Retry-After} empties the burst
 * and holds every request until it has passed.
 */
final class Pacer {
    private final long interval;
    private final long burstAllowance;
    /** the theoretical time of the next request if requests had been sent exactly one interval apart */
    private long next;

    Pacer(Rate rate, long nowNanos) {
        this.interval = rate.intervalNanos();
        this.burstAllowance = (rate.burst() - 1) * interval;
        this.next = nowNanos;
    }

    /**
     * @param nowNanos the current {@link System#nanoTime()}
     * @return when the request being paced may be sent (now or later); the slot is taken
     */
    synchronized long reserve(long nowNanos) {
        long readyAt = Math.max(nowNanos, next - burstAllowance);
        next = Math.max(next, readyAt) + interval;
        return readyAt;
    }

    /**
     * Nothing goes before {@code untilNanos}, and the burst starts empty then (the gateway's bucket is).
     *
     * @param untilNanos the {@link System#nanoTime()} the gateway's {@code Retry-After} points at
     */
    synchronized void holdUntil(long untilNanos) {
        next = Math.max(next, untilNanos + burstAllowance);
    }
}
