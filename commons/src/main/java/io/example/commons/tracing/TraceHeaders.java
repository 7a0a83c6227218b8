package io.example.commons.tracing;

import java.util.List;

/**
 * The headers copied from every incoming request to every outgoing call made on its behalf: the request
 * id plus W3C trace context and Zipkin B3, which Istio's sidecars need to join the spans of one trace.
 */
public final class TraceHeaders {
    /** The request id header. */
    public static final String REQUEST_ID = "X-Request-Id";

    /** Every propagated header, lower case. */
    public static final List<String> NAMES = List.of(
            "x-request-id",
            "traceparent",
            "tracestate",
            "x-b3-traceid",
            "x-b3-spanid",
            "x-b3-parentspanid",
            "x-b3-sampled",
            "x-b3-flags",
            "b3");

    private TraceHeaders() {
    }
}
