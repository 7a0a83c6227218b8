package io.example.commons.tracing;

import java.util.List;

import io.helidon.http.Header;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/**
 * What this service knows about the request it is serving, kept in the request's Helidon context so that
 * outgoing calls and log lines can reach it without passing it around.
 */
public final class RequestInfo {
    private final String requestId;
    private final List<Header> propagatedHeaders;
    private final Span span;
    private volatile String route = "unmatched";

    /**
     * @param requestId         the request id (received or generated)
     * @param propagatedHeaders headers to copy onto outgoing calls, the request id among them
     * @param span              the request's server span (with ids, see {@link Tracing#withIds})
     */
    public RequestInfo(String requestId, List<Header> propagatedHeaders, Span span) {
        this.requestId = requestId;
        this.propagatedHeaders = List.copyOf(propagatedHeaders);
        this.span = span;
    }

    /**
     * @return request id
     */
    public String requestId() {
        return requestId;
    }

    /**
     * @return headers to copy onto outgoing calls
     */
    public List<Header> propagatedHeaders() {
        return propagatedHeaders;
    }

    /**
     * @return the context of the request's server span, for work done on its behalf on other threads
     */
    public Context trace() {
        return Context.root().with(span);
    }

    /**
     * @return the W3C trace id (32 lower-case hex digits) of the trace this request belongs to
     */
    public String traceId() {
        return span.getSpanContext().getTraceId();
    }

    /**
     * @return the route template that matched (e.g. {@code GET /api/products/{id}}), or {@code unmatched}
     */
    public String route() {
        return route;
    }

    /**
     * Record which route template is serving the request (for metrics labels with bounded cardinality).
     *
     * @param route method and path template
     */
    public void route(String route) {
        this.route = route;
    }
}
