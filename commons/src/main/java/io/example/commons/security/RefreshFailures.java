package io.example.commons.security;

import java.util.List;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/**
 * {@code security_refresh_failures_total{source}}: reads of the auth service's keys ({@code jwks}) or revoked
 * sessions ({@code revocations}) that brought nothing. A verifier keeps working on what it has, so only this
 * counter (and a log line) shows that a key rotation or a logout cannot reach it.
 */
final class RefreshFailures {
    private RefreshFailures() {
    }

    static Counter of(String source) {
        return Metrics.globalRegistry().getOrCreate(
                Counter.builder("security.refresh.failures")
                        .description("Reads of the auth service's keys or revoked sessions that failed")
                        .tags(List.of(Tag.create("source", source))));
    }
}
