package io.example.commons.events;

/**
 * An event about to be recorded in the outbox; the outbox gives it its id, time, version and trace context.
 *
 * @param topic         where it is published ({@link Topics})
 * @param type          CloudEvents type, e.g. {@code io.example.order.cancelled}
 * @param aggregateType {@code order} or {@code product}
 * @param aggregateId   the order's or product's id; also the Kafka key and the CloudEvents subject
 * @param data          the payload, a record serialized as JSON
 */
public record EventDraft(String topic, String type, String aggregateType, String aggregateId, Record data) {
}
