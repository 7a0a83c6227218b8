/**
 * Events through Apache Kafka: a change and the event that describes it commit in one transaction
 * ({@link io.example.commons.events.Outbox}); one relay per service publishes the outbox in order
 * ({@link io.example.commons.events.OutboxRelay}); consumers apply events idempotently, retry, and park what
 * keeps failing on a dead-letter topic ({@link io.example.commons.events.EventConsumer}). Events are
 * CloudEvents 1.0 in structured JSON. See docs/events.md.
 */
package io.example.commons.events;
