package io.example.commons.events;

import io.cloudevents.CloudEvent;

/**
 * What a consumer does with an event. It must be idempotent: after a crash or a rebalance an event can
 * come again, and applying it twice must change nothing the second time.
 */
public interface EventHandler {
    /**
     * Apply one event. Throw {@link UnusableEvent} for an event that can never be applied; any other
     * exception is a transient failure and the event is tried again.
     *
     * @param event the event
     * @throws Exception a failure
     */
    void handle(CloudEvent event) throws Exception;

    /**
     * Whether events of a type are this handler's business. The consumer reads the type alone from a record
     * and passes over one whose type the handler does not want, without decoding it: no retries, no dead
     * letter, no span; its offset is committed like any other's. Every type by default.
     *
     * @param type the event's {@code type}
     * @return whether to decode and {@link #handle} it
     */
    default boolean wants(String type) {
        return true;
    }

    /**
     * Events may have been missed (a consumer that reads from the end has just connected, or reconnected
     * after an outage, or a record could not be read as an event at all): drop whatever they would have
     * corrected. Nothing by default.
     */
    default void resync() {
    }
}
