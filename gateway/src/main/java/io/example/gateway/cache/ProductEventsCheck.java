package io.example.gateway.cache;

import java.time.Duration;
import java.util.Optional;

import io.example.commons.events.EventConsumer;

import io.helidon.health.HealthCheck;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;

/**
 * Readiness check {@value #NAME}: always UP, since no request needs the broker (without events a cached
 * read is stale at most for the TTL, as before there were events); its details say which of the two holds
 * now, for whoever wonders why replicas disagree.
 */
final class ProductEventsCheck implements HealthCheck {
    static final String NAME = "product-events";

    private final Optional<EventConsumer> consumer;
    private final String whyNoConsumer;
    private final String withoutEvents;

    private ProductEventsCheck(Optional<EventConsumer> consumer, String whyNoConsumer, String withoutEvents) {
        this.consumer = consumer;
        this.whyNoConsumer = whyNoConsumer;
        this.withoutEvents = withoutEvents;
    }

    /**
     * @param consumer the product events' consumer; empty when events are off
     * @param ttl      the cache's TTL
     * @return the check of a cache that follows product events when it can
     */
    static HealthCheck following(Optional<EventConsumer> consumer, Duration ttl) {
        return new ProductEventsCheck(consumer, "off: KAFKA_BOOTSTRAP_SERVERS is not set",
                                      "entries live up to the TTL of " + ttl.toSeconds() + " s");
    }

    /**
     * @return the check with the cache off, when every read goes to the product service
     */
    static HealthCheck cacheOff() {
        return new ProductEventsCheck(Optional.empty(), "not read: the cache is off", "off");
    }

    @Override
    public HealthCheckType type() {
        return HealthCheckType.READINESS;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse.Builder up = HealthCheckResponse.builder().status(HealthCheckResponse.Status.UP);
        if (consumer.map(EventConsumer::connected).orElse(false)) {
            return up.detail("events", "receiving")
                    .detail("cache", "entries are dropped when their product changes")
                    .build();
        }
        return up.detail("events", consumer.isPresent() ? "broker not reachable" : whyNoConsumer)
                .detail("cache", withoutEvents)
                .build();
    }
}
