package io.example.commons.server;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Work a service repeats in the background (the sweepers that settle what a crash left behind): run now and
 * then {@code interval} after each run ends, on its own daemon thread; a failed run is logged and the next
 * one tries again. Stopped when the JVM shuts down.
 */
public final class PeriodicTask implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(PeriodicTask.class.getName());

    private final ScheduledExecutorService scheduler;

    private PeriodicTask(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /**
     * @param name     thread name, also used in the log
     * @param interval time between the end of one run and the start of the next
     * @param task     the work; it must be safe to run on several replicas at once
     * @return the running task
     */
    public static PeriodicTask start(String name, Duration interval, Runnable task) {
        ScheduledExecutorService scheduler =
                Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name(name).factory());
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, name + " failed; will try again", e);
            }
        }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        PeriodicTask running = new PeriodicTask(scheduler);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        return running;
    }

    /**
     * No run starts after this; a run in progress finishes, or stops with the JVM. Never an interrupt: a sweeper
     * interrupted during a write closes an H2 file database under the requests still in flight (500s on SIGTERM).
     */
    @Override
    public void close() {
        scheduler.shutdown();
    }
}
