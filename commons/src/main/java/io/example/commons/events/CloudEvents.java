package io.example.commons.events;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import io.example.commons.http.Json;

import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.format.EventDeserializationException;
import io.cloudevents.core.format.EventFormat;
import io.cloudevents.jackson.JsonFormat;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import jakarta.json.bind.JsonbException;

/**
 * Our events as CloudEvents 1.0 in structured JSON mode: the record value is the whole envelope, its
 * {@code content-type} header {@value #CONTENT_TYPE}. Besides the required attributes an event carries
 * {@code subject} (the aggregate id, also the record key), {@code time}, and the extensions
 * {@code aggregatetype}, {@code aggregateid}, {@code aggregateversion} and, when the change was made for a
 * traced request, {@code traceparent} (the CloudEvents distributed-tracing extension).
 */
public final class CloudEvents {
    /** The Kafka header naming the format, as the CloudEvents Kafka binding has it. */
    public static final String CONTENT_TYPE_HEADER = "content-type";
    /** Structured JSON mode. */
    public static final String CONTENT_TYPE = JsonFormat.CONTENT_TYPE;

    private static final EventFormat FORMAT = new JsonFormat();
    private static final JsonFactory JSON = new JsonFactory();

    private CloudEvents() {
    }

    /**
     * One outbox row as an event; also how tests make exactly what the relay sends.
     *
     * @param source        the producing service's name
     * @param id            event id
     * @param type          event type
     * @param aggregateType aggregate type
     * @param aggregateId   aggregate id
     * @param version       the aggregate's version after this change
     * @param occurredAt    when the change was made
     * @param data          JSON payload
     * @param traceparent   W3C trace context of the change, if any
     * @return the encoded event
     */
    public static byte[] encode(String source, String id, String type, String aggregateType, String aggregateId, long version,
                         Instant occurredAt, String data, Optional<String> traceparent) {
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(id)
                .withSource(URI.create("/" + source))
                .withType(type)
                .withTime(OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC))
                .withSubject(aggregateId)
                .withDataContentType("application/json")
                .withData(data.getBytes(StandardCharsets.UTF_8))
                .withExtension("aggregatetype", aggregateType)
                .withExtension("aggregateid", aggregateId)
                .withExtension("aggregateversion", version);
        traceparent.ifPresent(value -> builder.withExtension("traceparent", value));
        return FORMAT.serialize(builder.build());
    }

    /**
     * An event's {@code type} read from a record without decoding the event: the envelope's members are
     * skipped over, not built. The last {@code type} member counts, as when the event is decoded.
     *
     * @param value a record's value
     * @return the type, or empty when the value is not a JSON object with a string {@code type} ({@link #decode}
     *         says what is wrong with it)
     */
    static Optional<String> type(byte[] value) {
        if (value == null) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            Optional<String> type = Optional.empty();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken token = parser.nextToken();
                if ("type".equals(name)) {
                    type = token == JsonToken.VALUE_STRING ? Optional.of(parser.getText()) : Optional.empty();
                }
                parser.skipChildren();
            }
            return parser.currentToken() == JsonToken.END_OBJECT ? type : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param value a record's value
     * @return the event
     * @throws UnusableEvent when it is not a CloudEvent in our format
     */
    static CloudEvent decode(byte[] value) {
        if (value == null) {
            throw new UnusableEvent("the record has no value");
        }
        try {
            CloudEvent event = FORMAT.deserialize(value);
            if (event.getSubject() == null || event.getData() == null) {
                throw new UnusableEvent("the event has no subject or no data");
            }
            return event;
        } catch (EventDeserializationException | IllegalArgumentException | IllegalStateException e) {
            throw new UnusableEvent("not a CloudEvent in structured JSON: " + e.getMessage());
        }
    }

    /**
     * An event's payload as a record; members it does not know are ignored (a newer producer may add some).
     * The record must be public: JSON-B binds no other, and every event would be parked as not fitting.
     *
     * @param event the event
     * @param type  the payload record
     * @param <T>   payload type
     * @return the payload
     * @throws UnusableEvent when the payload does not fit
     */
    public static <T extends Record> T data(CloudEvent event, Class<T> type) {
        CloudEventData data = event.getData();
        try {
            T value = Json.JSONB.fromJson(new String(data.toBytes(), StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new UnusableEvent("the event's data is null");
            }
            return value;
        } catch (JsonbException e) {
            throw new UnusableEvent("the data of " + event.getType() + " does not fit " + type.getSimpleName() + ": "
                                            + e.getMessage());
        }
    }
}
