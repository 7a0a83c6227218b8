package io.example.loadgen;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The end of the run, which every wait of every user gives way to. */
final class StopSignal {
    private final CountDownLatch stopped = new CountDownLatch(1);

    void stop() {
        stopped.countDown();
    }

    boolean isStopped() {
        return stopped.getCount() == 0;
    }

    /** Returns once the run is stopped. */
    void await() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param nanoTime a {@link System#nanoTime()} to wait for
     * @throws Stopped when the run ends first
     */
    void waitUntil(long nanoTime) {
        try {
            long wait = nanoTime - System.nanoTime();
            if (wait > 0 ? stopped.await(wait, TimeUnit.NANOSECONDS) : isStopped()) {
                throw new Stopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    /** Thrown out of a wait when the run ends: the user's loop returns. */
    static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("the run has ended", null, false, false);
        }
    }
}
