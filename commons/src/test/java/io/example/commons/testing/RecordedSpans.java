package io.example.commons.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import io.example.commons.tracing.Tracing;

import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * Every span this JVM ends while it is open, recorded in memory through the real SDK: {@link Tracing} uses it
 * instead of what was installed before, and gets that back on {@link #close}.
 */
public final class RecordedSpans implements AutoCloseable {
    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk;
    private final Tracing previous;

    private RecordedSpans() {
        sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                                           .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                                           .build())
                .build();
        previous = Tracing.install(sdk);
    }

    /**
     * @return recording from now on
     */
    public static RecordedSpans start() {
        return new RecordedSpans();
    }

    /**
     * @return the spans ended so far
     */
    public List<SpanData> all() {
        return exporter.getFinishedSpanItems();
    }

    /**
     * @param traceId W3C trace id
     * @return the ended spans of that trace
     */
    public List<SpanData> ofTrace(String traceId) {
        return all().stream().filter(span -> span.getTraceId().equals(traceId)).toList();
    }

    /**
     * Wait for a span: a server span ends after its answer is sent, so a client may see the answer first.
     *
     * @param wanted what it is
     * @return the first such span
     * @throws AssertionError when none ends within five seconds
     */
    public SpanData await(Predicate<SpanData> wanted) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
        while (Instant.now().isBefore(deadline)) {
            Optional<SpanData> found = all().stream().filter(wanted).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no such span ended; ended: " + all().stream().map(SpanData::getName).toList());
    }

    /**
     * Forget what was recorded.
     */
    public void clear() {
        exporter.reset();
    }

    @Override
    public void close() {
        Tracing.restore(previous);
        sdk.close();
    }
}
