package io.example.commons.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PeriodicTask#close} as a service's shutdown hook runs it, while a run is writing: that run is never
 * interrupted (an interrupt during a write closes an H2 file database), and no run starts after it.
 */
class PeriodicTaskTest {
    @Test
    void closingLetsTheRunInProgressFinishUninterruptedAndStartsNoOther() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicInteger runs = new AtomicInteger();
        PeriodicTask task = PeriodicTask.start("test-sweeper", Duration.ofMillis(10), () -> {
            runs.incrementAndGet();
            running.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            interrupted.compareAndSet(false, Thread.currentThread().isInterrupted());
        });
        assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

        task.close();
        release.countDown();
        Thread.sleep(200);

        assertThat(interrupted).as("the run in progress was interrupted").isFalse();
        assertThat(runs).as("runs started").hasValue(1);
    }
}
