package io.example.commons.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import io.example.commons.tracing.Tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * Every span the process ends while installed, kept in memory for a test to read; closing it puts back the
 * tracing it replaced, so other test classes in the JVM are not traced by it. Spans are seen once ended (a
 * server span after its answer was sent), hence the waiting look-ups.
 */
public final class RecordedSpans implements AutoCloseable {
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter))
            .build();
    private final Tracing previous;

    private RecordedSpans() {
        previous = Tracing.install(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
    }

    /**
     * @return recording from now on
     */
    public static RecordedSpans install() {
        return new RecordedSpans();
    }

    /**
     * @return the spans ended so far
     */
    public List<SpanData> all() {
        return exporter.getFinishedSpanItems();
    }

    /**
     * @param name span name
     * @return the spans of that name ended so far
     */
    public List<SpanData> named(String name) {
        return all().stream().filter(span -> span.getName().equals(name)).toList();
    }

    /**
     * The first span ended that matches, waiting for it.
     *
     * @param description what is awaited, for the failure message
     * @param match       which span
     * @return the span
     * @throws AssertionError when none ended in time
     */
    public SpanData await(String description, Predicate<SpanData> match) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            for (SpanData span : all()) {
                if (match.test(span)) {
                    return span;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("No span " + description + " within " + PATIENCE + "; ended: "
                                                 + all().stream().map(SpanData::getName).toList());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * @param name span name
     * @return the first span of that name, waiting for it
     */
    public SpanData await(String name) {
        return await("named " + name, span -> span.getName().equals(name));
    }

    /**
     * Forget the spans ended so far.
     */
    public void clear() {
        exporter.reset();
    }

    @Override
    public void close() {
        Tracing.restore(previous);
        provider.close();
    }
}
