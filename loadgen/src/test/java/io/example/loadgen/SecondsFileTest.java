package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecondsFileTest {
    private static final long MS = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void eachRowHoldsTheCallsThatEndedInItsSecondOnly() throws Exception {
        TrafficStats stats = new TrafficStats();
        Path file = dir.resolve("seconds.csv");
        try (SecondsFile seconds = SecondsFile.create(file)) {
            for (int ms = 1; ms <= 100; ms++) {
                stats.answered(Route.BROWSE, 200, ms * MS);
            }
            stats.answered(Route.PLACE_ORDER, 503, 400 * MS);
            stats.answered(Route.LOGIN, 429, 2 * MS);
            stats.unanswered(Route.ME, 900 * MS);
            seconds.append(Duration.ofSeconds(1), Duration.ofSeconds(1), stats.takeInterval());
            stats.answered(Route.BROWSE, 200, 7 * MS);
            seconds.append(Duration.ofMillis(2500), Duration.ofMillis(1500), stats.takeInterval());
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).containsExactly(
                "elapsed_s,calls,calls_per_s,2xx,3xx,4xx,429,5xx,error,p50_ms,p90_ms,p99_ms,max_ms",
                "1.000,103,103.00,100,0,0,1,1,1,51,92,400,900.0",
                "2.500,1,0.67,1,0,0,0,0,0,7,7,7,7.0");
    }

    @Test
    void aSecondWithoutCallsHasNoLatency() throws Exception {
        Path file = dir.resolve("quiet.csv");
        try (SecondsFile seconds = SecondsFile.create(file)) {
            seconds.append(Duration.ofSeconds(1), Duration.ofSeconds(1), new TrafficStats().takeInterval());
        }

        assertThat(Files.readAllLines(file)).element(1).isEqualTo("1.000,0,0.00,0,0,0,0,0,0,,,,");
    }

    @Test
    void theTablesSinceTheStartAreNotEmptiedByTakingAnInterval() {
        TrafficStats stats = new TrafficStats();
        stats.answered(Route.BROWSE, 200, MS);
        stats.takeInterval();

        assertThat(stats.takeInterval().calls()).isZero();
        assertThat(stats.summary().get(Route.BROWSE.ordinal()).count()).isEqualTo(1);
    }
}
