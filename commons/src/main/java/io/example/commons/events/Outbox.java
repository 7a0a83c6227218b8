package io.example.commons.events;

import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

import io.example.commons.http.Json;
import io.example.commons.tracing.CurrentTrace;
import io.example.commons.tracing.Tracing;

import io.helidon.dbclient.DbTransaction;

/**
 * Records events in the service's own database, inside the transaction of the change they describe: the
 * change and its event commit together or not at all, whatever happens to the broker or the process. The
 * {@link OutboxRelay} publishes them later.
 *
 * <p>Call {@link #append} after the statement that changes the aggregate's row (the row lock orders one
 * aggregate's events; see the outbox table).
 */
public final class Outbox {
    private final Clock clock;

    /**
     * @param clock the time events get
     */
    public Outbox(Clock clock) {
        this.clock = clock;
    }

    /**
     * Record an event in the caller's transaction.
     *
     * @param tx    the transaction changing the aggregate
     * @param draft the event
     */
    public void append(DbTransaction tx, EventDraft draft) {
        tx.dml("INSERT INTO outbox (event_id, topic, event_type, aggregate_type, aggregate_id, data, occurred_at,"
                       + " traceparent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               UUID.randomUUID().toString(), draft.topic(), draft.type(), draft.aggregateType(), draft.aggregateId(),
               Json.write(draft.data()), clock.millis(), traceparent().orElse(null));
    }

    // the span that made the change (the request's, or a step of it), so the event's send and its consumers' work
    // hang under it; outside any trace, none
    private static Optional<String> traceparent() {
        return CurrentTrace.context().flatMap(Tracing::traceparent);
    }
}
