package io.example.commons.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * How every span of this project records how its work ended, the OpenTelemetry way: a failure is status ERROR
 * with {@code error.type} saying what went wrong (an exception's class, a status code, a reason); an HTTP answer
 * records its status, and a 5xx is a failure.
 */
public final class SpanOutcomes {
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private SpanOutcomes() {
    }

    /**
     * Mark a span failed.
     *
     * @param span      the span
     * @param errorType what went wrong
     */
    public static void failed(Span span, String errorType) {
        span.setAttribute(ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR);
    }

    /**
     * Mark a span failed, with a description of the failure.
     *
     * @param span        the span
     * @param errorType   what went wrong
     * @param description how, in words
     */
    public static void failed(Span span, String errorType, String description) {
        span.setAttribute(ERROR_TYPE, errorType);
        span.setStatus(StatusCode.ERROR, description);
    }

    // the status of an HTTP answer, sent (a server span) or received (a client span)
    static void answered(Span span, int status) {
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            failed(span, Integer.toString(status));
        }
    }
}
