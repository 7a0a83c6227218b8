package io.example.commons.events;

import java.time.Duration;
import java.util.Optional;

import io.example.commons.testing.KafkaBroker;

/**
 * Event settings for tests: short pauses, so retries and health checks happen within a test's patience.
 */
final class TestEvents {
    private TestEvents() {
    }

    static EventSettings settings(KafkaBroker broker) {
        return settings(broker, "test-service");
    }

    /** The service name is each event's source: relays named apart tell which of them published an event. */
    static EventSettings settings(KafkaBroker broker, String service) {
        return new EventSettings(service, Optional.of(broker.bootstrapServers()), Duration.ofMillis(50), 200, 3,
                                 Duration.ofMillis(50), Duration.ofMillis(500));
    }

    static EventSettings settingsWithoutBroker() {
        return new EventSettings("test-service", Optional.empty(), Duration.ofMillis(50), 200, 3,
                                 Duration.ofMillis(50), Duration.ofMillis(500));
    }
}
