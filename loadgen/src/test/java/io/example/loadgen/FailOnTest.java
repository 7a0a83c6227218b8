package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FailOnTest {
    private static TrafficStats statsWith(int... statuses) {
        TrafficStats stats = new TrafficStats();
        for (int status : statuses) {
            stats.answered(Route.BROWSE, status, 1);
        }
        return stats;
    }

    @Test
    void aCleanRunPasses() {
        assertThat(FailOn.parse("401,429,5xx,error").violations(statsWith(200, 201, 404, 409))).isEmpty();
    }

    @Test
    void namesEveryStatusAndClassThatWasSeen() {
        assertThat(FailOn.parse("401,429,5xx").violations(statsWith(200, 401, 429, 429, 500, 503)))
                .containsExactly("401: 1", "429: 2", "5xx: 2");
    }

    @Test
    void aClassIncludesItsEveryStatus() {
        assertThat(FailOn.parse("4xx").violations(statsWith(429))).containsExactly("4xx: 1");
    }

    @Test
    void errorCountsCallsThatGotNoAnswer() {
        TrafficStats stats = new TrafficStats();
        stats.unanswered(Route.ME, 1);

        assertThat(FailOn.parse("5xx,error").violations(stats)).containsExactly("error: 1");
    }

    @Test
    void refusesWhatItCannotMatch() {
        assertThatThrownBy(() -> FailOn.parse("5XX")).hasMessageContaining("5XX");
        assertThatThrownBy(() -> FailOn.parse("600")).hasMessageContaining("600");
    }
}
