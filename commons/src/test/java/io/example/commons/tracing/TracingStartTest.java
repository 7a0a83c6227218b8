package io.example.commons.tracing;

import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.example.commons.testing.OtlpCollector;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadableSpan;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Tracing#start} configured the standard way, through the SDK's {@code otel.*} properties (the
 * {@code OTEL_*} variables' other spelling): spans reach an OTLP/HTTP endpoint as protobuf, named for the
 * service; without an exporter nothing is recorded at all; an unsupported protocol stops the start with a reason.
 */
class TracingStartTest {
    private final Tracing before = Tracing.current();

    @AfterEach
    void putBack() {
        Tracing.restore(before);
        for (String key : Map.of("otel.traces.exporter", "", "otel.exporter.otlp.endpoint", "",
                                 "otel.exporter.otlp.protocol", "", "otel.bsp.schedule.delay", "").keySet()) {
            System.clearProperty(key);
        }
        System.clearProperty("otel.traces.sampler");
    }

    @Test
    void spansGoToTheOtlpEndpointAsProtobufUnderTheServiceName() throws Exception {
        BlockingQueue<String> exports = new ArrayBlockingQueue<>(16);
        try (OtlpCollector collector = OtlpCollector.start(exports::add)) {
            Tracing tracing = startExportingTo(collector, "50", "order-service");

            Span span = tracing.tracer().spanBuilder("reserve stock").startSpan();
            span.end();

            String export = exports.poll(10, TimeUnit.SECONDS);
            assertThat(export).startsWith("application/x-protobuf ").contains("order-service").contains("reserve stock");
        }
    }

    @Test
    void sampledSpansGoOutInBatchesOf2048NotTheSdks512() throws Exception {
        BlockingQueue<String> exports = new ArrayBlockingQueue<>(16);
        try (OtlpCollector collector = OtlpCollector.start(exports::add)) {
            Tracing tracing = startExportingTo(collector, "1000", "product-service");

            for (int i = 0; i < 1500; i++) {
                tracing.tracer().spanBuilder("batched-span").startSpan().end();
            }

            // with the SDK's batches of 512, three exports would have gone out before the delay ran out
            String export = exports.poll(10, TimeUnit.SECONDS);
            assertThat(export.split("batched-span", -1)).hasSize(1501);
            assertThat(exports.poll(1500, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void withoutAnExporterNothingIsRecordedAndAnIncomingTraceStillPassesThrough() {
        SpanContext incoming = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                                                                 TraceFlags.getSampled(), TraceState.getDefault());

        Tracing tracing = Tracing.start("gateway");
        Span root = tracing.tracer().spanBuilder("GET /api/products").startSpan();
        Span child = tracing.tracer().spanBuilder("GET /api/products")
                .setParent(Context.root().with(Span.wrap(incoming))).startSpan();

        assertThat(root.isRecording()).isFalse();
        assertThat(child.isRecording()).isFalse();
        assertThat(child.getSpanContext().getTraceId()).isEqualTo(incoming.getTraceId());
    }

    @Test
    void anExporterRecordsEverySampledSpan() {
        System.setProperty("otel.traces.exporter", "logging");

        Span span = Tracing.start("gateway").tracer().spanBuilder("GET /api/products").startSpan();

        assertThat(span.isRecording()).isTrue();
        span.end();
    }

    @Test
    void underAParentNotSampledAParentBasedSamplerCarriesTheParentOnAndRecordsNothing() {
        System.setProperty("otel.traces.exporter", "logging");
        System.setProperty("otel.traces.sampler", "parentbased_traceidratio");
        SpanContext notSampled = SpanContext.createFromRemoteParent(
                "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getDefault(),
                TraceState.builder().put("vendor", "kept").build());
        Context parent = Context.root().with(Span.wrap(notSampled));
        AtomicBoolean described = new AtomicBoolean();

        Span child = Tracing.start("product-service").startSpan(parent, "GET /api/products/{id}", SpanKind.SERVER,
                                                               builder -> described.set(true));

        assertThat(child.isRecording()).isFalse();
        assertThat(described).as("the builder is never needed").isFalse();
        SpanContext ids = child.getSpanContext();
        assertThat(ids.isValid()).isTrue();
        assertThat(ids.getTraceId()).isEqualTo(notSampled.getTraceId());
        assertThat(ids.getSpanId()).as("nobody records a span id of its own").isEqualTo(notSampled.getSpanId());
        assertThat(ids.isSampled()).isFalse();
        assertThat(ids.getTraceState().get("vendor")).isEqualTo("kept");
    }

    @Test
    void underAParentSampledTheChildIsRecordedWithItsAttributes() {
        System.setProperty("otel.traces.exporter", "logging");
        SpanContext sampled = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                                                                TraceFlags.getSampled(), TraceState.getDefault());

        Span child = Tracing.start("product-service").startSpan(Context.root().with(Span.wrap(sampled)), "SELECT products",
                                                               SpanKind.CLIENT, builder -> builder.setAttribute("a", "b"));

        assertThat(child.isRecording()).isTrue();
        assertThat(((ReadableSpan) child).getAttribute(AttributeKey.stringKey("a"))).isEqualTo("b");
        child.end();
    }

    @Test
    void aSamplerThatIgnoresTheParentDecidesForItsChildrenToo() {
        System.setProperty("otel.traces.exporter", "logging");
        System.setProperty("otel.traces.sampler", "always_on");
        SpanContext notSampled = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736",
                                                                   "00f067aa0ba902b7", TraceFlags.getDefault(),
                                                                   TraceState.getDefault());

        Span child = Tracing.start("product-service").startSpan(Context.root().with(Span.wrap(notSampled)), "POST",
                                                               SpanKind.CLIENT, builder -> { });

        assertThat(child.isRecording()).isTrue();
        child.end();
    }

    @Test
    void grpcIsNotShippedAndSaysSo() {
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.exporter.otlp.protocol", "grpc");

        assertThatThrownBy(() -> Tracing.start("gateway")).hasStackTraceContaining("grpc");
    }

    // the SDK configured as the variables would: OTLP to the collector, a batch at most every delay milliseconds
    private static Tracing startExportingTo(OtlpCollector collector, String delay, String serviceName) {
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.exporter.otlp.endpoint", collector.endpoint());
        System.setProperty("otel.bsp.schedule.delay", delay);
        return Tracing.start(serviceName);
    }
}
