package io.example.commons.tracing;

import java.util.function.Supplier;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * Steps of a service's own work that explain where a request's time goes ({@code reserve stock},
 * {@code hash password}): an INTERNAL span under the current trace ({@link CurrentTrace}), or a trace of its own
 * outside one, current while the step runs so the statements and calls it makes hang under it. Its attributes
 * name what the step works on (an order id), never personal data.
 */
public final class BusinessSpans {
    private BusinessSpans() {
    }

    /**
     * Run a step in its span; a step that throws ends it with status ERROR and the exception's class.
     *
     * @param name       span name
     * @param attributes span attributes
     * @param step       the work
     * @param <T>        its result
     * @return what the step returned
     */
    public static <T> T run(String name, Attributes attributes, Supplier<T> step) {
        Context parent = CurrentTrace.context().orElse(Context.root());
        Span span = Tracing.current().startSpan(parent, name, SpanKind.INTERNAL,
                                                builder -> builder.setAllAttributes(attributes));
        try (Scope ignored = parent.with(span).makeCurrent()) {
            return step.get();
        } catch (RuntimeException | Error e) {
            SpanOutcomes.failed(span, e.getClass().getName());
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * Run a step without a result in its span.
     *
     * @param name       span name
     * @param attributes span attributes
     * @param step       the work
     */
    public static void run(String name, Attributes attributes, Runnable step) {
        run(name, attributes, () -> {
            step.run();
            return null;
        });
    }
}
