package io.example.gateway;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a broker the product cache is fresh only up to its TTL, and the gateway's readiness says so while
 * staying UP; with the cache off nothing follows the product events at all. (Hand-started gateways: each
 * test needs other settings. With a broker: ProductEventsTest.)
 */
class ProductEventsOffTest {

    @Test
    void withoutABrokerTheGatewayIsReadyAndSaysTheTtlApplies() {
        try (TestGateway gateway = TestGateway.start(Map.of("kafka.bootstrap.servers", ""))) {
            Readiness.ProductEventsDetails details = Readiness.of(gateway).productEvents();

            assertThat(details.events()).isEqualTo("off: KAFKA_BOOTSTRAP_SERVERS is not set");
            assertThat(details.cache()).isEqualTo("entries live up to the TTL of 60 s");
        }
    }

    @Test
    void withTheCacheOffNoEventsAreReadEvenWithABrokerConfigured() {
        // a broker address no one listens on: a consumer would report it unreachable
        try (TestGateway gateway = TestGateway.start(Map.of("cache.ttl.seconds", "0",
                                                            "kafka.bootstrap.servers", "localhost:1"))) {
            Readiness.ProductEventsDetails details = Readiness.of(gateway).productEvents();

            assertThat(details.events()).isEqualTo("not read: the cache is off");
            assertThat(details.cache()).isEqualTo("off");
        }
    }

    @Test
    void withAnUnreachableBrokerTheGatewayIsReadyAndSaysTheTtlApplies() {
        try (TestGateway gateway = TestGateway.start(Map.of("kafka.bootstrap.servers", "localhost:1"))) {
            Readiness.ProductEventsDetails details = Readiness.of(gateway).productEvents();

            assertThat(details.events()).isEqualTo("broker not reachable");
            assertThat(details.cache()).isEqualTo("entries live up to the TTL of 60 s");
            assertThat(gateway.get("/api/products/categories").statusCode()).isEqualTo(200);
        }
    }
}
