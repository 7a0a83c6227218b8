package io.example.commons.tracing;

import io.helidon.http.ServerRequestHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The span of each request a service serves, named the OpenTelemetry way ({@code GET /api/products/{id}}, or
 * the method alone when no route matched), under the caller's trace when its headers bring one. Its
 * attributes are the method, the route template, the path as sent and the status: never a query, a header or
 * a body, which may hold tokens or personal data.
 */
public final class ServerSpans {
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    private static final String UNMATCHED = "unmatched";

    private static final TextMapGetter<ServerRequestHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ServerRequestHeaders carrier) {
            return carrier.stream().map(header -> header.name()).toList();
        }

        @Override
        public String get(ServerRequestHeaders carrier, String key) {
            return carrier == null ? null : carrier.first(Tracing.headerName(key)).orElse(null);
        }
    };

    private ServerSpans() {
    }

    /**
     * Start the span of a request; the caller makes it current while the request is served.
     *
     * @param method  request method
     * @param rawPath the path as sent (still percent-encoded)
     * @param headers request headers, read for trace context only
     * @return the context holding the span (always with ids, see {@link Tracing#withIds})
     */
    public static Context start(String method, String rawPath, ServerRequestHeaders headers) {
        Tracing tracing = Tracing.current();
        Context parent = tracing.extract(headers, HEADERS);
        Span span = tracing.startSpan(parent, method, SpanKind.SERVER,
                                      builder -> builder.setAttribute(METHOD, method).setAttribute(PATH, rawPath));
        return parent.with(Tracing.withIds(span, parent));
    }

    /**
     * The context of a request that gets no span (a health probe, a metrics scrape): its ids, nothing recorded.
     *
     * @param headers request headers, read for trace context only
     * @return the context, its span not recording (see {@link Tracing#withIds})
     */
    public static Context untraced(ServerRequestHeaders headers) {
        Context parent = Tracing.current().extract(headers, HEADERS);
        return parent.with(Tracing.withIds(Span.getInvalid(), parent));
    }

    /**
     * The trace a request that never reached routing belongs to (a malformed head, a body over the limit): the
     * one its headers name, or a new one. No span is made for it.
     *
     * @param headers what could be read of its headers
     * @return W3C trace id
     */
    public static String traceId(ServerRequestHeaders headers) {
        return Span.fromContext(untraced(headers)).getSpanContext().getTraceId();
    }

    /**
     * End a request's span once its answer is sent.
     *
     * @param trace  what {@link #start} returned
     * @param method request method
     * @param route  the route template that served it, or {@code unmatched}
     * @param status the status sent
     */
    public static void end(Context trace, String method, String route, int status) {
        Span span = Span.fromContext(trace);
        if (span.isRecording()) {
            if (!UNMATCHED.equals(route)) {
                span.updateName(method + ' ' + route);
                span.setAttribute(ROUTE, route);
            }
            SpanOutcomes.answered(span, status);
        }
        span.end();
    }
}
