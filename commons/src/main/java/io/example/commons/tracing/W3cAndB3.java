package io.example.commons.tracing;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.extension.trace.propagation.B3Propagator;

/**
 * Trace context in W3C {@code traceparent} and in both forms of B3 (Envoy's Zipkin tracer reads either): all
 * three are written, and a carrier is read once. A valid {@code traceparent} is the context, whatever B3 says
 * beside it; B3 (single header, else the multi headers) is read only when there is none. Each service reads
 * every request's context, so it is not parsed once per form.
 *
 * <p>B3 also lets a caller send a refusal alone, without ids ({@code b3: 0}, or {@code x-b3-sampled: 0} with no
 * {@code x-b3-traceid}): "do not trace this". The refusal is kept, on a remote parent of new ids marked not
 * sampled, so neither this service nor anything after it records the request, and the request still has ids
 * for its log line and problems. A bare acceptance ({@code b3: 1}, {@code d}) is not taken as one: it names no
 * parent to hang under, and the sampler decides as for any request without trace context.
 */
final class W3cAndB3 implements TextMapPropagator {
    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    // each B3 propagator reads both forms; they differ only in the form they write
    private static final TextMapPropagator B3_SINGLE = B3Propagator.injectingSingleHeader();
    private static final TextMapPropagator B3_MULTI = B3Propagator.injectingMultiHeaders();
    private static final List<TextMapPropagator> WRITERS = List.of(B3_SINGLE, B3_MULTI, W3C);
    private static final String DENY = "0";

    private final List<String> fields;

    W3cAndB3() {
        Set<String> all = new LinkedHashSet<>();
        WRITERS.forEach(writer -> all.addAll(writer.fields()));
        this.fields = List.copyOf(all);
    }

    @Override
    public Collection<String> fields() {
        return fields;
    }

    @Override
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        for (TextMapPropagator writer : WRITERS) {
            writer.inject(context, carrier, setter);
        }
    }

    @Override
    public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
        Context fromTraceparent = W3C.extract(context, carrier, getter);
        // each propagator gives back the context it was given when it finds no valid context of its form
        if (fromTraceparent != context) {
            return fromTraceparent;
        }
        Context fromB3 = B3_SINGLE.extract(context, carrier, getter);
        if (fromB3 != context || !refusedWithoutIds(carrier, getter)) {
            return fromB3;
        }
        return context.with(Span.wrap(SpanContext.createFromRemoteParent(Tracing.newTraceId(), Tracing.newSpanId(),
                                                                         TraceFlags.getDefault(),
                                                                         TraceState.getDefault())));
    }

    private static <C> boolean refusedWithoutIds(C carrier, TextMapGetter<C> getter) {
        String single = getter.get(carrier, "b3");
        if (single != null) {
            return DENY.equals(single.trim());
        }
        String sampled = getter.get(carrier, "x-b3-sampled");
        return sampled != null && getter.get(carrier, "x-b3-traceid") == null
                && (DENY.equals(sampled.trim()) || "false".equalsIgnoreCase(sampled.trim()));
    }
}
