package io.example.commons.observe;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;

/**
 * A gauge that reads whatever registered it last. The metrics registry is one per JVM and keeps the first gauge of
 * a name and labels for good; a service has one pool and one inventory, but a test JVM starts many servers one
 * after another, and the gauge must read the live one.
 */
public final class LatestGauge {
    private static final Map<String, AtomicReference<DoubleSupplier>> READINGS = new ConcurrentHashMap<>();

    private LatestGauge() {
    }

    /**
     * Register a gauge, or point the one of the same name and labels at this value.
     *
     * @param name        meter name, dotted (e.g. {@code hikaricp.connections.active})
     * @param description what it measures
     * @param tags        its labels
     * @param value       read at every scrape; keep it cheap
     */
    public static void register(String name, String description, List<Tag> tags, DoubleSupplier value) {
        String key = name + tags.stream().map(tag -> tag.key() + '=' + tag.value())
                .collect(Collectors.joining(",", "{", "}"));
        READINGS.computeIfAbsent(key, k -> {
            AtomicReference<DoubleSupplier> latest = new AtomicReference<>(value);
            // a supplier, not a state object and a function: the registry holds a state object only weakly
            Supplier<Double> reading = () -> latest.get().getAsDouble();
            Metrics.globalRegistry().getOrCreate(Gauge.builder(name, reading).description(description).tags(tags));
            return latest;
        }).set(value);
    }
}
