package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class PacerTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    private static final long T0 = 1_000 * SECOND;

    @Test
    void allowsTheBurstAtOnceThenOneRequestPerInterval() {
        Pacer logins = new Pacer(Rate.parse("10/min"), T0);

        for (int i = 0; i < 10; i++) {
            assertThat(logins.reserve(T0)).isEqualTo(T0);
        }

        assertThat(logins.reserve(T0)).isEqualTo(T0 + 6 * SECOND);
        assertThat(logins.reserve(T0)).isEqualTo(T0 + 12 * SECOND);
    }

    @Test
    void neverSendsMoreThanTheGatewaysBucketWouldLetThrough() {
        // the gateway's login bucket holds 10 and gets one back every 6 s: between any two logins i and j,
        // at most 10 plus what was refilled in between may go
        Pacer logins = new Pacer(Rate.parse("10/min"), T0);
        long[] sent = new long[40];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = logins.reserve(T0 + i * SECOND);
        }

        for (int i = 0; i < sent.length; i++) {
            for (int j = i; j < sent.length; j++) {
                assertThat(j - i + 1L).isLessThanOrEqualTo(10 + (sent[j] - sent[i]) / (6 * SECOND));
            }
        }
    }

    @Test
    void refillsWhileIdleUpToTheBurstOnly() {
        Pacer pacer = new Pacer(Rate.parse("2/s"), T0);
        pacer.reserve(T0);
        pacer.reserve(T0);

        long later = T0 + 60 * SECOND;
        assertThat(pacer.reserve(later)).isEqualTo(later);
        assertThat(pacer.reserve(later)).isEqualTo(later);
        assertThat(pacer.reserve(later)).isEqualTo(later + SECOND / 2);
    }

    @Test
    void retryAfterHoldsEveryRequestAndEmptiesTheBurst() {
        Pacer anonymous = new Pacer(Rate.parse("20/s"), T0);

        anonymous.holdUntil(T0 + 3 * SECOND);

        assertThat(anonymous.reserve(T0)).isEqualTo(T0 + 3 * SECOND);
        assertThat(anonymous.reserve(T0)).isEqualTo(T0 + 3 * SECOND + SECOND / 20);
    }

    @Test
    void aRateBelowOnePerSecondSpacesRequestsEvenly() {
        Pacer user = new Pacer(Rate.parse("5/s").dividedAmong(10), T0);

        assertThat(user.reserve(T0)).isEqualTo(T0);
        assertThat(user.reserve(T0)).isEqualTo(T0 + 2 * SECOND);
    }
}
