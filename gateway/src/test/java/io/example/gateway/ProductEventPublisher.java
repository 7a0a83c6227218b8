package io.example.gateway;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.example.commons.events.CloudEvents;
import io.example.commons.events.Topics;
import io.example.commons.testing.KafkaBroker;

/**
 * Publishes product events as product-service's relay does: the relay's own encoding, keyed by product id.
 */
final class ProductEventPublisher {
    private final KafkaBroker broker;
    private long version;

    ProductEventPublisher(KafkaBroker broker) {
        this.broker = broker;
    }

    /**
     * Publish an event and wait until the broker has it.
     *
     * @param type      e.g. {@code io.example.product.updated}
     * @param productId the product (key, subject, aggregate id)
     * @param data      the JSON payload
     * @return the event's id
     */
    synchronized String publish(String type, String productId, String data) {
        String id = UUID.randomUUID().toString();
        broker.publish(Topics.PRODUCTS, productId, CloudEvents.encode("product-service", id, type, "product", productId,
                                                                      ++version, Instant.now(), data, Optional.empty()));
        return id;
    }
}
