package io.example.commons.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

import io.example.commons.server.ServiceServer;
import io.example.commons.tracing.RequestInfo;
import io.example.commons.tracing.ServerSpans;
import io.example.commons.tracing.TraceHeaders;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;

/**
 * First filter of every service: takes or makes the request id, keeps the trace headers for outgoing
 * calls, starts the request's server span (continuing the caller's trace), runs the request in its context
 * with that span current, returns {@code X-Request-Id}, and when the response is sent ends the span, writes
 * one access-log line (with the request id and the trace id) and records the route's metrics.
 */
public final class RequestObservationFilter implements Filter {
    private static final Logger ACCESS = Logger.getLogger("access");
    private static final HeaderName REQUEST_ID = HeaderNames.create(TraceHeaders.REQUEST_ID);
    private static final List<HeaderName> PROPAGATED = TraceHeaders.NAMES.stream().map(HeaderNames::create).toList();
    private static final int MAX_ID_LENGTH = 128;

    // a version-4 UUID from a non-blocking random source: request ids must be unique, not unguessable, and
    // UUID.randomUUID() draws from SecureRandom on every request
    static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    // A client-supplied id is echoed into logs and headers: 1 to 128 of [A-Za-z0-9._:-], so no control
    // characters or spaces. Checked by hand: every request through the gateway carries one.
    static boolean isSafeId(String id) {
        int length = id.length();
        if (length == 0 || length > MAX_ID_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = id.charAt(i);
            boolean safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!safe) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String requestId = req.headers().first(REQUEST_ID)
                .filter(RequestObservationFilter::isSafeId)
                .orElseGet(RequestObservationFilter::newRequestId);
        // cached: Helidon stores it as is and writes it as one array (a plain value is copied per use)
        Header requestIdHeader = HeaderValues.createCached(REQUEST_ID, requestId);
        List<Header> propagated = new ArrayList<>(PROPAGATED.size());
        propagated.add(requestIdHeader);
        for (HeaderName name : PROPAGATED) {
            if (!name.equals(REQUEST_ID) && req.headers().contains(name)) {
                propagated.add(req.headers().get(name));
            }
        }
        String method = req.prologue().method().text();
        // the path as sent, still percent-encoded: a decoded %0A or %1B would write a forged line or a terminal
        // escape into the log
        String rawPath = req.path().rawPath();
        String path = req.path().path();
        // served by Helidon's observe and OpenAPI features, not by a Routes table; probes and scrapes are not
        // worth a trace (they would be most of them), but keep their ids
        boolean observation = ObservePaths.ALL.contains(path) || path.equals(ServiceServer.OPENAPI_PATH);
        var trace = observation ? ServerSpans.untraced(req.headers()) : ServerSpans.start(method, rawPath, req.headers());
        RequestInfo info = new RequestInfo(requestId, propagated, Span.fromContext(trace));
        String traceId = info.traceId();
        if (observation) {
            info.route(path);
        }
        Context context = req.context();
        context.register(info);
        res.header(requestIdHeader);
        res.whenSent(() -> {
            long nanos = System.nanoTime() - start;
            int status = res.status().code();
            RouteMetrics.record(method, info.route(), status, nanos);
            ServerSpans.end(trace, method, info.route(), status);
            ACCESS.info(() -> method + ' ' + rawPath + ' ' + status + ' '
                    + (nanos / 1_000_000) + "ms rid=" + requestId + " trace=" + traceId);
        });
        try (Scope ignored = trace.makeCurrent()) {
            Contexts.runInContext(context, chain::proceed);
        }
    }
}
