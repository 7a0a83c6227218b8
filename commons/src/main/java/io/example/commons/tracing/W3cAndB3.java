package io.example.commons.tracing;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 */
final class W3cAndB3 implements TextMapPropagator {
    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    // each B3 propagator reads both forms; they differ only in the form they write
    private static final TextMapPropagator B3_SINGLE = B3Propagator.injectingSingleHeader();
    private static final TextMapPropagator B3_MULTI = B3Propagator.injectingMultiHeaders();
    private static final List<TextMapPropagator> WRITERS = List.of(B3_SINGLE, B3_MULTI, W3C);

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
        // the W3C propagator gives back the context it was given when it finds no valid traceparent
        return fromTraceparent != context ? fromTraceparent : B3_SINGLE.extract(context, carrier, getter);
    }
}
