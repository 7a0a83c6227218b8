package io.example.commons.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.example.commons.db.Database;
import io.example.commons.testing.KafkaBroker;
import io.example.commons.testing.RecordedSpans;
import io.example.commons.testing.TestDatabases;
import io.example.commons.tracing.Tracing;

import io.cloudevents.CloudEvent;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events carry the trace of the change across a real broker: the relay's send is a span under the trace the
 * outbox row recorded, the record's headers carry the send's context, and the consumer handles the event in a
 * span under it, current while the handler runs (its statements join the trace). Unreadable trace context never
 * stops an event.
 */
class EventTracingTest {
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static KafkaBroker broker;
    private static RecordedSpans spans;
    private static DbClient db;

    public record Payload(String productId, int stock) {
    }

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
        spans = RecordedSpans.start();
        db = TestDatabases.h2("event-tracing", Database.SharedSchema.OUTBOX).client();
    }

    @AfterAll
    static void stop() {
        spans.close();
        broker.close();
    }

    @Test
    void theConsumersWorkJoinsTheTraceOfTheRequestThatMadeTheChange() {
        String topic = "traced-relay";
        broker.createTopics(topic);
        Span request = Tracing.current().tracer().spanBuilder("POST /api/orders").setSpanKind(SpanKind.SERVER).startSpan();
        try (Scope ignored = request.makeCurrent()) {
            DbTransaction tx = db.transaction();
            new Outbox(Clock.systemUTC()).append(tx, new EventDraft(topic, "io.example.product.stock-changed", "product",
                                                                    "product-7", new Payload("product-7", 3)));
            tx.commit();
        } finally {
            request.end();
        }
        assertThat(new OutboxRelay(db, TestEvents.settings(broker), () -> { }).relayOnce()).isEqualTo(1);

        List<SpanContext> handledIn = new CopyOnWriteArrayList<>();
        try (EventConsumer consumer = new EventConsumer(TestEvents.settings(broker),
                                                        Subscription.sharedByReplicas("traced-consumer", topic), event -> {
            handledIn.add(Span.current().getSpanContext());
            db.execute().query("SELECT seq FROM outbox WHERE topic = ?", topic).count();
        })) {
            consumer.startReading();
            SpanData process = spans.await(named("process " + topic));
            SpanData send = spans.await(named("send " + topic));
            SpanData statement = spans.await(span -> span.getParentSpanId().equals(process.getSpanId()));

            ConsumerRecord<String, byte[]> record = broker.readAll(topic, PATIENCE).getFirst();
            CloudEvent event = CloudEvents.decode(record.value());
            assertThat(send.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(send.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
            assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
            assertThat(send.getAttributes().asMap()).containsAllEntriesOf(Map.of(
                    AttributeKey.stringKey("messaging.system"), "kafka",
                    AttributeKey.stringKey("messaging.destination.name"), topic,
                    OPERATION, "send",
                    AttributeKey.stringKey("messaging.message.id"), event.getId(),
                    AttributeKey.stringKey("messaging.kafka.message.key"), "product-7"));
            // the record carries the send's context; the event keeps the change's
            assertThat(header(record, "traceparent")).contains(send.getSpanId()).contains(send.getTraceId());
            assertThat(header(record, "X-B3-SpanId")).isEqualTo(send.getSpanId());
            assertThat(event.getExtension("traceparent").toString()).contains(request.getSpanContext().getSpanId());

            assertThat(process.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(process.getTraceId()).isEqualTo(send.getTraceId());
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(process.getAttributes().get(OPERATION)).isEqualTo("process");
            assertThat(process.getAttributes().get(AttributeKey.stringKey("messaging.message.id"))).isEqualTo(event.getId());
            assertThat(handledIn).extracting(SpanContext::getSpanId).containsExactly(process.getSpanId());
            assertThat(statement.getName()).isEqualTo("SELECT outbox");
            assertThat(statement.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
        }
    }

    @Test
    void unreadableTraceHeadersNeverStopAnEventAndTheEventsOwnTraceIsTheFallback() {
        String topic = "garbage-trace";
        broker.createTopics(topic);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String spanId = "00f067aa0ba902b7";
        Map<String, String> garbage = Map.of("traceparent", "00-not-a-trace-01", "b3", "zz-zz",
                                             "X-B3-TraceId", "nonsense", "X-B3-SpanId", "");
        broker.publish(topic, "a", event("a", Optional.of("00-" + traceId + "-" + spanId + "-01")), garbage);
        broker.publish(topic, "b", event("b", Optional.empty()), garbage);

        List<String> handled = new CopyOnWriteArrayList<>();
        try (EventConsumer consumer = new EventConsumer(TestEvents.settings(broker),
                                                        Subscription.sharedByReplicas("garbage-consumer", topic),
                                                        event -> handled.add(event.getSubject()))) {
            consumer.startReading();
            SpanData first = spans.await(named("process " + topic).and(span -> span.getTraceId().equals(traceId)));
            SpanData second = spans.await(named("process " + topic).and(span -> !span.getParentSpanContext().isValid()));
            assertThat(first.getParentSpanId()).isEqualTo(spanId);
            assertThat(second.getTraceId()).isNotEqualTo(traceId);
            assertThat(handled).containsExactlyInAnyOrder("a", "b");
        }
    }

    private static Predicate<SpanData> named(String name) {
        return span -> span.getName().equals(name);
    }

    private static byte[] event(String productId, Optional<String> traceparent) {
        return CloudEvents.encode("test-service", UUID.randomUUID().toString(), "io.example.product.stock-changed",
                                  "product", productId, 1, Instant.now(),
                                  "{\"productId\":\"" + productId + "\",\"stock\":1}", traceparent);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
