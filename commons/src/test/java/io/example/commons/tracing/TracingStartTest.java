package io.example.commons.tracing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link Tracing#start} configured the standard way, through the SDK's {@code otel.*} properties (the
 * {@code OTEL_*} variables' other spelling): spans reach an OTLP/HTTP endpoint as protobuf, named for the
 * service; an unsupported protocol stops the start with a reason.
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
    }

    @Test
    void spansGoToTheOtlpEndpointAsProtobufUnderTheServiceName() throws Exception {
        BlockingQueue<String> exports = new ArrayBlockingQueue<>(16);
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                exports.add(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                                    + new String(body.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        collector.start();
        try {
            System.setProperty("otel.traces.exporter", "otlp");
            System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort());
            System.setProperty("otel.bsp.schedule.delay", "50");
            Tracing tracing = Tracing.start("order-service");

            Span span = tracing.tracer().spanBuilder("reserve stock").startSpan();
            span.end();

            String export = exports.poll(10, TimeUnit.SECONDS);
            assertThat(export).startsWith("application/x-protobuf ").contains("order-service").contains("reserve stock");
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void grpcIsNotShippedAndSaysSo() {
        System.setProperty("otel.traces.exporter", "otlp");
        System.setProperty("otel.exporter.otlp.protocol", "grpc");

        assertThatThrownBy(() -> Tracing.start("gateway")).hasStackTraceContaining("grpc");
    }
}
