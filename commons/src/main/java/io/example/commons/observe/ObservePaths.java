package io.example.commons.observe;

import java.util.Set;

/**
 * Where every service serves health and metrics (Helidon's observe feature, set up by
 * {@link io.example.commons.server.ServiceServer}): the paths probes and scrapes call, which are not client
 * traffic and have no route of a service's own.
 */
public final class ObservePaths {
    /** Health: {@code /health}, with {@code /live} and {@code /ready} under it. */
    public static final String HEALTH = "/health";
    /** Prometheus metrics. */
    public static final String METRICS = "/metrics";
    /** Every path the observe feature answers. */
    public static final Set<String> ALL = Set.of(HEALTH, HEALTH + "/live", HEALTH + "/ready", METRICS);

    private ObservePaths() {
    }
}
