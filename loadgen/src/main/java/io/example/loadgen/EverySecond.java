package io.example.loadgen;

import java.time.Duration;

import io.example.loadgen.IntervalStats.Interval;

/** What happens every second of a run: the second's row of {@code --per-second}, and the progress line. */
final class EverySecond implements Runnable {
    private final TrafficStats stats;
    private final SecondsFile file;
    private final Progress progress;
    private final long startNanos;
    private long lastNanos;

    EverySecond(TrafficStats stats, SecondsFile file, Progress progress, long startNanos) {
        this.stats = stats;
        this.file = file;
        this.progress = progress;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    @Override
    public synchronized void run() {
        Interval lastSecond = takeInterval();
        progress.show(Duration.ofNanos(lastNanos - startNanos), lastSecond);
    }

    /** The part-second since the last row, and the end of the file and the line. */
    synchronized void finish() {
        takeInterval();
        progress.clear();
        file.close();
    }

    private Interval takeInterval() {
        long now = System.nanoTime();
        Interval interval = stats.takeInterval();
        file.append(Duration.ofNanos(now - startNanos), Duration.ofNanos(now - lastNanos), interval);
        lastNanos = now;
        return interval;
    }
}
