package io.example.commons.tracing;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import io.helidon.http.ClientRequestHeaders;
import io.helidon.http.HeaderName;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Every call one service makes to another on behalf of a request or an event is a client span, child of
 * whatever is current (a business span, the request's server span, or, on a thread of the request's own, the
 * server span kept in its {@link RequestInfo}); a timer's call starts no trace. The call carries the request id and the headers of the request it is made for
 * ({@link TraceHeaders}), except that the trace context is this span's, written in W3C and B3 form: the
 * callee's sidecar and server span hang under it. The span's name is the method, as OpenTelemetry names a
 * client span without a route template; its attributes are the method, the peer and the path (no query).
 */
public final class ClientSpans implements WebClientService {
    private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    private static final AttributeKey<String> PEER = AttributeKey.stringKey("server.address");
    private static final AttributeKey<Long> PEER_PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<String> PATH = AttributeKey.stringKey("url.path");
    private static final TextMapSetter<ClientRequestHeaders> HEADERS =
            (carrier, key, value) -> carrier.set(Tracing.headerName(key), value);
    // what the propagators write, and the B3 headers they never write but that would describe another span
    private static final Set<HeaderName> TRACE_CONTEXT = traceContextHeaders();

    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
        Optional<Context> trace = CurrentTrace.context();
        if (trace.isEmpty()) {
            // a timer's call (a key refresh, a revocation poll, a sweep) on behalf of no request: not a trace,
            // here or anywhere after (the callee and the sidecars follow a context marked not sampled)
            Tracing.current().inject(Context.root().with(Tracing.withIds(Span.getInvalid(), Context.root())),
                                     request.headers(), HEADERS);
            return chain.proceed(request);
        }
        Context parent = trace.get();
        String method = request.method().text();
        Span span = Tracing.current().startSpan(parent, method, SpanKind.CLIENT, builder -> builder
                .setAttribute(METHOD, method)
                .setAttribute(PEER, request.uri().host())
                .setAttribute(PEER_PORT, (long) request.uri().port())
                .setAttribute(PATH, request.uri().path().rawPath()));
        Context context = parent.with(span);
        ClientRequestHeaders headers = request.headers();
        RequestIds.currentRequest().ifPresent(served -> served.propagatedHeaders().forEach(headers::set));
        TRACE_CONTEXT.forEach(headers::remove);
        Tracing.current().inject(context, headers, HEADERS);
        try (Scope ignored = context.makeCurrent()) {
            WebClientServiceResponse response = chain.proceed(request);
            SpanOutcomes.answered(span, response.status().code());
            return response;
        } catch (RuntimeException e) {
            SpanOutcomes.failed(span, e.getClass().getName());
            throw e;
        } finally {
            span.end();
        }
    }

    private static Set<HeaderName> traceContextHeaders() {
        Set<HeaderName> names = new HashSet<>();
        Tracing.current().injectedHeaders().forEach(name -> names.add(Tracing.headerName(name)));
        names.add(Tracing.headerName("x-b3-parentspanid"));
        names.add(Tracing.headerName("b3"));
        names.add(Tracing.headerName("tracestate"));
        return Set.copyOf(names);
    }
}
