package io.example.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.example.commons.events.CloudEvents;
import io.example.commons.events.Topics;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes product events as product-service's relay does: CloudEvents 1.0 in structured JSON, the record
 * keyed by product id, with the {@code content-type} header.
 */
final class ProductEventPublisher implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private long version;

    ProductEventPublisher(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producer = new KafkaProducer<>(props);
    }

    /**
     * Publish an event and wait until the broker has it.
     *
     * @param type      e.g. {@code io.example.product.updated}
     * @param productId the product (key, subject, aggregate id)
     * @param data      the JSON payload
     * @return the event's id
     */
    String publish(String type, String productId, String data) {
        CloudEvent event = CloudEventBuilder.v1()
                .withId(UUID.randomUUID().toString())
                .withSource(URI.create("/product-service"))
                .withType(type)
                .withTime(OffsetDateTime.now(ZoneOffset.UTC))
                .withSubject(productId)
                .withDataContentType("application/json")
                .withData(data.getBytes(StandardCharsets.UTF_8))
                .withExtension("aggregatetype", "product")
                .withExtension("aggregateid", productId)
                .withExtension("aggregateversion", ++version)
                .build();
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(Topics.PRODUCTS, productId, new JsonFormat().serialize(event));
        record.headers().add(CloudEvents.CONTENT_TYPE_HEADER, CloudEvents.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(record).get(10, TimeUnit.SECONDS);
            return event.getId();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not take the event", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
