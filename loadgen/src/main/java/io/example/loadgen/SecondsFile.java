package io.example.loadgen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.StringJoiner;

import io.example.loadgen.IntervalStats.Interval;

/**
 * {@code --per-second FILE}: a CSV row for every second of the run (and the part-second at its end), with the calls
 * that ended in it, per status class, and their latency percentiles; {@code bench/Charts.java} draws it over time.
 * Written as it goes, so a run that is stopped still leaves its rows.
 */
interface SecondsFile extends AutoCloseable {
    /** without {@code --per-second} */
    SecondsFile NONE = new SecondsFile() {
        @Override
        public void append(Duration elapsed, Duration length, Interval interval) {
        }

        @Override
        public void close() {
        }
    };

    /**
     * @param elapsed  from the start of the run to the end of the interval
     * @param length   the interval's own length (a second, or less at the end)
     * @param interval the calls that ended in it
     */
    void append(Duration elapsed, Duration length, Interval interval);

    @Override
    void close();

    static SecondsFile create(Path file) throws IOException {
        return new Csv(Files.newBufferedWriter(file));
    }

    /** The CSV: one header line, then a row per interval; a second without calls has empty latency cells. */
    final class Csv implements SecondsFile {
        private final BufferedWriter writer;

        Csv(BufferedWriter writer) throws IOException {
            this.writer = writer;
            StringJoiner header = new StringJoiner(",").add("elapsed_s").add("calls").add("calls_per_s");
            for (StatusClass statusClass : StatusClass.values()) {
                header.add(statusClass.label());
            }
            writeLine(header.add("p50_ms").add("p90_ms").add("p99_ms").add("max_ms").toString());
        }

        @Override
        public void append(Duration elapsed, Duration length, Interval interval) {
            StringJoiner row = new StringJoiner(",")
                    .add(String.format(Locale.ROOT, "%.3f", elapsed.toNanos() / 1e9))
                    .add(Long.toString(interval.calls()))
                    .add(String.format(Locale.ROOT, "%.2f", interval.calls() / Math.max(length.toNanos() / 1e9, 1e-3)));
            for (StatusClass statusClass : StatusClass.values()) {
                row.add(Long.toString(interval.byClass().get(statusClass)));
            }
            if (interval.calls() == 0) {
                row.add("").add("").add("").add("");
            } else {
                row.add(Long.toString(interval.p50Millis())).add(Long.toString(interval.p90Millis()))
                        .add(Long.toString(interval.p99Millis())).add(String.format(Locale.ROOT, "%.1f", interval.maxMillis()));
            }
            try {
                writeLine(row.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                writer.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void writeLine(String line) throws IOException {
            writer.write(line);
            writer.newLine();
            writer.flush();
        }
    }
}
