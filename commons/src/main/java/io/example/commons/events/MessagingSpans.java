package io.example.commons.events;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import io.example.commons.tracing.SpanOutcomes;
import io.example.commons.tracing.Tracing;

import io.cloudevents.CloudEvent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The spans of events, so that what a consumer does joins the trace of the request that made the change: the
 * relay's send of an event is a PRODUCER span {@code send {topic}} under the trace the outbox row recorded, and
 * writes its own context into the record's headers (W3C {@code traceparent} and B3, beside the CloudEvent's
 * {@code traceparent} extension, which keeps the change's); a consumer's handling of it is a CONSUMER span
 * {@code process {topic}} under the headers' context, or the extension's when the headers bring none. Trace
 * context that cannot be read is ignored: tracing never stops an event.
 */
final class MessagingSpans {
    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("messaging.message.id");
    private static final AttributeKey<String> KEY = AttributeKey.stringKey("messaging.kafka.message.key");
    private static final String TRACEPARENT = "traceparent";

    private static final TextMapSetter<Headers> HEADER_WRITER = (headers, name, value) -> {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    };
    private static final TextMapGetter<Headers> HEADER_READER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String name) {
            Header header = headers == null ? null : headers.lastHeader(name);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };
    private static final TextMapGetter<Map<String, String>> MAP_READER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String name) {
            return carrier == null ? null : carrier.get(name);
        }
    };

    private MessagingSpans() {
    }

    /**
     * Start the span of sending one event and write its context into the record's headers; end it with
     * {@link #ended} once the broker answered.
     *
     * @param record      the record to send
     * @param eventId     the event's id
     * @param traceparent the trace the outbox row recorded, if any
     * @return the started span
     */
    static Span send(ProducerRecord<String, byte[]> record, String eventId, Optional<String> traceparent) {
        Context parent = traceparent.map(MessagingSpans::fromTraceparent).orElse(Context.root());
        Span span = started("send", record.topic(), eventId, record.key(), parent, SpanKind.PRODUCER);
        Tracing.current().inject(parent.with(span), record.headers(), HEADER_WRITER);
        return span;
    }

    /**
     * Start the span of processing one event; the caller makes it current while the handler runs.
     *
     * @param record the record read
     * @param event  the event it holds
     * @return the context holding the span
     */
    static Context process(ConsumerRecord<String, byte[]> record, CloudEvent event) {
        Context parent = Tracing.current().extract(record.headers(), HEADER_READER);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            Object extension = event.getExtension(TRACEPARENT);
            parent = extension == null ? Context.root() : fromTraceparent(extension.toString());
        }
        return parent.with(started("process", record.topic(), event.getId(), record.key(), parent, SpanKind.CONSUMER));
    }

    /**
     * End a span, failed when there is a failure.
     *
     * @param span    the span
     * @param failure what went wrong, or null
     */
    static void ended(Span span, Throwable failure) {
        if (failure != null) {
            failed(span, failure.getClass().getName());
        }
        span.end();
    }

    /**
     * Mark a span failed.
     *
     * @param span      the span
     * @param errorType what went wrong (an exception class, or why an event was parked)
     */
    static void failed(Span span, String errorType) {
        SpanOutcomes.failed(span, errorType);
    }

    private static Span started(String operation, String topic, String eventId, String key, Context parent,
                                SpanKind kind) {
        return Tracing.current().startSpan(parent, operation + ' ' + topic, kind, builder -> {
            builder.setAttribute(SYSTEM, "kafka")
                    .setAttribute(DESTINATION, topic)
                    .setAttribute(OPERATION, operation)
                    .setAttribute(MESSAGE_ID, eventId);
            if (key != null) {
                builder.setAttribute(KEY, key);
            }
        });
    }

    private static Context fromTraceparent(String traceparent) {
        return Tracing.current().extract(Map.of(TRACEPARENT, traceparent), MAP_READER);
    }
}
