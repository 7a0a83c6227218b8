package io.example.loadgen;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

import io.example.loadgen.IntervalStats.Interval;

/** A line on a terminal, redrawn every second: how far the run is, the last second's calls, the time left. */
interface Progress {
    /** when the output is not a terminal (a file, a pipe, a pod's log): nothing */
    Progress NONE = new Progress() {
        @Override
        public void show(Duration elapsed, Interval lastSecond) {
        }

        @Override
        public void clear() {
        }
    };

    void show(Duration elapsed, Interval lastSecond);

    /** Takes the line away, before other output. */
    void clear();

    /** @return a progress line on {@code err} when the run is attended (a terminal), {@link #NONE} otherwise */
    static Progress on(PrintStream err, Duration duration) {
        return System.console() != null ? new Line(err, duration) : NONE;
    }

    /** The line itself, {@code duration} zero when the run goes until stopped. */
    record Line(PrintStream err, Duration duration) implements Progress {
        private static final String CLEAR = "\r\033[K";

        @Override
        public void show(Duration elapsed, Interval lastSecond) {
            err.print(CLEAR + text(elapsed, lastSecond));
            err.flush();
        }

        @Override
        public void clear() {
            err.print(CLEAR);
            err.flush();
        }

        String text(Duration elapsed, Interval lastSecond) {
            String calls = lastSecond.calls() == 0 ? "0 calls/s"
                    : String.format(Locale.ROOT, "%d calls/s, p99 %d ms", lastSecond.calls(), lastSecond.p99Millis());
            if (duration.isZero()) {
                return "loadgen " + clock(elapsed) + " (until stopped), " + calls;
            }
            Duration left = duration.minus(elapsed);
            return "loadgen " + clock(elapsed) + " of " + clock(duration) + ", " + calls + "; about "
                    + clock(left.isNegative() ? Duration.ZERO : left) + " to go";
        }

        private static String clock(Duration duration) {
            long seconds = duration.toSeconds();
            return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        }
    }
}
