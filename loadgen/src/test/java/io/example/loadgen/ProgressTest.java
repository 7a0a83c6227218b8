package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class ProgressTest {
    private static final long MS = 1_000_000;

    private static IntervalStats.Interval secondWith(long... latenciesMs) {
        TrafficStats stats = new TrafficStats();
        for (long ms : latenciesMs) {
            stats.answered(Route.BROWSE, 200, ms * MS);
        }
        return stats.takeInterval();
    }

    @Test
    void showsTheTimeLeftOfARunWithADuration() {
        Progress.Line line = new Progress.Line(System.err, Duration.ofSeconds(90));

        assertThat(line.text(Duration.ofSeconds(23), secondWith(3, 5, 45)))
                .isEqualTo("loadgen 0:23 of 1:30, 3 calls/s, p99 45 ms; about 1:07 to go");
        assertThat(line.text(Duration.ofSeconds(95), secondWith())).endsWith("0 calls/s; about 0:00 to go");
    }

    @Test
    void aRunUntilStoppedHasNoEnd() {
        assertThat(new Progress.Line(System.err, Duration.ZERO).text(Duration.ofSeconds(61), secondWith(2)))
                .isEqualTo("loadgen 1:01 (until stopped), 1 calls/s, p99 2 ms");
    }

    @Test
    void redrawsOneLineInPlace() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Progress.Line line = new Progress.Line(new PrintStream(err, true, StandardCharsets.UTF_8), Duration.ofSeconds(10));

        line.show(Duration.ofSeconds(1), secondWith(1));
        line.show(Duration.ofSeconds(2), secondWith(1));
        line.clear();

        assertThat(err.toString(StandardCharsets.UTF_8)).doesNotContain("\n")
                .startsWith("\r\033[Kloadgen 0:01 of 0:10").endsWith("\r\033[K");
    }
}
