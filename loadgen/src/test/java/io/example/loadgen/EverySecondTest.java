package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EverySecondTest {
    @TempDir
    Path dir;

    @Test
    void everyTickAndTheEndWriteARowOfTheCallsSinceTheLast() throws Exception {
        TrafficStats stats = new TrafficStats();
        Path file = dir.resolve("seconds.csv");
        EverySecond everySecond = new EverySecond(stats, SecondsFile.create(file), Progress.NONE, System.nanoTime());

        stats.answered(Route.BROWSE, 200, 1_000_000);
        stats.answered(Route.BROWSE, 200, 1_000_000);
        everySecond.run();
        everySecond.run();
        stats.answered(Route.PLACE_ORDER, 503, 1_000_000);
        everySecond.finish();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).as("the header and three rows").hasSize(4);
        List<String> rows = lines.subList(1, 4);
        assertThat(rows).extracting(row -> row.split(",", -1)[1]).containsExactly("2", "0", "1");
        assertThat(rows).extracting(row -> row.split(",", -1)[7]).as("5xx").containsExactly("0", "0", "1");
    }
}
