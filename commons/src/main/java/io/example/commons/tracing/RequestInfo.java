package io.example.commons.tracing;

import java.util.List;

import io.helidon.http.Header;

/**
 * What this service knows about the request it is serving, kept in the request's Helidon context so that
 * outgoing calls and log lines can reach it without passing it around.
 */
public final class RequestInfo {
    private final String requestId;
    private final List<Header> propagatedHeaders;
    private volatile String route = "unmatched";

    /**
     * @param requestId         the request id (received or generated)
     * @param propagatedHeaders headers to copy onto outgoing calls, the request id among them
     */
    public RequestInfo(String requestId, List<Header> propagatedHeaders) {
        this.requestId = requestId;
        this.propagatedHeaders = List.copyOf(propagatedHeaders);
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
