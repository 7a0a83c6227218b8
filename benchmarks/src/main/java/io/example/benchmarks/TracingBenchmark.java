package io.example.benchmarks;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.example.commons.testing.OtlpCollector;
import io.example.commons.tracing.ServerSpans;
import io.example.commons.tracing.Tracing;

import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.http.WritableHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What tracing costs the thread that serves a request, at each setting: the spans a gateway request makes (its
 * server span, started from headers that bring no trace, and the client span of its call, whose context is
 * written onto the outgoing headers), started and ended on the benchmark's thread. Sampled spans are exported
 * over OTLP to a collector in this JVM that reads and drops them, on the SDK's own threads, which the score does
 * not count. {@code off} is the default outside Kubernetes, {@code 0.01} the Kubernetes setting, {@code 0} the SDK
 * installed with nothing new sampled.
 */
// every benchmark states its JMH run settings itself, so each class reads alone and runs alone with -Pbench
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TracingBenchmark {
    private static final AttributeKey<String> PEER = AttributeKey.stringKey("server.address");
    private static final TextMapSetter<Map<String, String>> SETTER = Map::put;

    @Param({"off", "0", "0.01", "0.1", "1"})
    public String sampled;

    private final ServerRequestHeaders incoming = ServerRequestHeaders.create(
            WritableHeaders.create().add(HeaderNames.create("Authorization"), "Bearer token")
                    .add(HeaderNames.ACCEPT, "application/json"));
    private final Map<String, String> outgoing = new HashMap<>();
    private OtlpCollector collector;

    @Setup
    public void start() {
        if (!"off".equals(sampled)) {
            collector = OtlpCollector.start(export -> { });
            System.setProperty("otel.traces.exporter", "otlp");
            System.setProperty("otel.exporter.otlp.endpoint", collector.endpoint());
            System.setProperty("otel.traces.sampler", "parentbased_traceidratio");
            System.setProperty("otel.traces.sampler.arg", sampled);
        }
        Tracing.start("gateway");
    }

    @TearDown
    public void stop() {
        if (collector != null) {
            collector.close();
        }
    }

    @Benchmark
    public Map<String, String> gatewayRequest() {
        Context server = ServerSpans.start("GET", "/api/products/42", incoming);
        Tracing tracing = Tracing.current();
        Span client = tracing.startSpan(server, "GET", SpanKind.CLIENT,
                                        builder -> builder.setAttribute(PEER, "product-service"));
        tracing.inject(server.with(client), outgoing, SETTER);
        client.end();
        ServerSpans.end(server, "GET", "/api/products/{id}", 200);
        return outgoing;
    }
}
