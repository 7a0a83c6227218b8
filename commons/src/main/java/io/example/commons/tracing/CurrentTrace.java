package io.example.commons.tracing;

import java.util.Optional;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * The trace the work on this thread belongs to, for spans started inside a service (statements, business steps)
 * and for the trace an event records: the current span (a business span, an event's process span, the request's
 * server span on the request's thread), or else the server span of the request this thread serves.
 */
public final class CurrentTrace {
    private CurrentTrace() {
    }

    /**
     * @return the context to start a child span under, empty outside any trace (a background task)
     */
    public static Optional<Context> context() {
        if (Span.current().getSpanContext().isValid()) {
            return Optional.of(Context.current());
        }
        return RequestIds.currentRequest().map(RequestInfo::trace);
    }
}
