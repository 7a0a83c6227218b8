package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    private static long millis(double ms) {
        return (long) (ms * 1_000_000);
    }

    @Test
    void percentilesAreNearestRankInWholeMilliseconds() {
        LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(10));
        for (int ms = 1; ms <= 100; ms++) {
            histogram.record(millis(ms));
        }

        assertThat(histogram.percentileMillis(50)).isEqualTo(50);
        assertThat(histogram.percentileMillis(90)).isEqualTo(90);
        assertThat(histogram.percentileMillis(99)).isEqualTo(99);
        assertThat(histogram.percentileMillis(100)).isEqualTo(100);
        assertThat(histogram.count()).isEqualTo(100);
    }

    @Test
    void aFewSlowCallsShowInTheHighPercentilesOnly() {
        LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(10));
        for (int i = 0; i < 95; i++) {
            histogram.record(millis(2));
        }
        for (int i = 0; i < 5; i++) {
            histogram.record(millis(800));
        }

        assertThat(histogram.percentileMillis(50)).isEqualTo(2);
        assertThat(histogram.percentileMillis(90)).isEqualTo(2);
        assertThat(histogram.percentileMillis(99)).isEqualTo(800);
    }

    @Test
    void roundsUpSoASubMillisecondCallIsNeverZero() {
        LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(10));
        histogram.record(millis(0.3));

        assertThat(histogram.percentileMillis(50)).isEqualTo(1);
        assertThat(histogram.maxMillis()).isEqualTo(0.3);
    }

    @Test
    void latenciesAboveTheCeilingCountAtItWhileTheMaximumStaysExact() {
        LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(1));
        histogram.record(millis(2500));

        assertThat(histogram.percentileMillis(99)).isEqualTo(1000);
        assertThat(histogram.maxMillis()).isEqualTo(2500.0);
    }

    @Test
    void nothingRecordedReadsAsZero() {
        LatencyHistogram histogram = new LatencyHistogram(Duration.ofSeconds(1));

        assertThat(histogram.percentileMillis(50)).isZero();
        assertThat(histogram.maxMillis()).isZero();
    }
}
