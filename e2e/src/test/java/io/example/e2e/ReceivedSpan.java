package io.example.e2e;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A span as a service exported it to the {@link OtlpReceiver}.
 *
 * @param traceId      32 hex digits
 * @param spanId       16 hex digits
 * @param parentSpanId 16 hex digits; empty for a trace's root
 * @param name         span name
 * @param kind         {@code SERVER}, {@code CLIENT}, {@code INTERNAL}, {@code PRODUCER} or {@code CONSUMER}
 * @param service      {@code service.name} of the exporting process's resource
 * @param attributes   the span's attributes, every value as text
 * @param texts        everything the span says in words: its name, status message, the values of its own,
 *                     its events' and its resource's attributes (where a leaked secret would show)
 */
record ReceivedSpan(String traceId, String spanId, Optional<String> parentSpanId, String name, String kind,
                    String service, Map<String, String> attributes, List<String> texts) {
    /**
     * @param key attribute key
     * @return its value as text
     */
    Optional<String> attribute(String key) {
        return Optional.ofNullable(attributes.get(key));
    }

    /**
     * @param service service name
     * @param kind    span kind
     * @param name    span name
     * @return whether this span is that one
     */
    boolean is(String service, String kind, String name) {
        return this.service.equals(service) && this.kind.equals(kind) && this.name.equals(name);
    }

    @Override
    public String toString() {
        return service + ' ' + kind + " '" + name + "' " + spanId + " <- " + parentSpanId.orElse("root") + ' ' + attributes;
    }
}
