package io.example.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * A trace backend for tests: an OTLP/HTTP receiver on a free port that keeps every span the services export
 * ({@code POST /v1/traces}, {@code application/x-protobuf}, as the SDK's {@code http/protobuf} exporter
 * sends them) and answers each export as a collector does, 200 with an empty response.
 */
final class OtlpReceiver implements AutoCloseable {
    static final String PATH = "/v1/traces";
    private static final String PROTOBUF = "application/x-protobuf";
    private static final Duration TRACE_TIMEOUT = Duration.ofSeconds(15);
    private static final HexFormat HEX = HexFormat.of();

    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();
    private final List<String> rejected = new CopyOnWriteArrayList<>();
    private final HttpServer server;

    private OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(PATH, this::receive);
        server.start();
    }

    /**
     * @return a receiver listening on a free loopback port
     */
    static OtlpReceiver start() {
        try {
            return new OtlpReceiver();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the {@code OTEL_*} variables that make a service's SDK export every span here at once
     */
    Map<String, String> exporterEnvironment() {
        return Map.of("OTEL_TRACES_EXPORTER", "otlp",
                      "OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:" + server.getAddress().getPort(),
                      "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                      // the default batches for 5 s: a test would wait that long for each trace
                      "OTEL_BSP_SCHEDULE_DELAY", "100",
                      "OTEL_TRACES_SAMPLER", "always_on");
    }

    /**
     * @return every span received so far, in the order received
     */
    List<ReceivedSpan> spans() {
        if (!rejected.isEmpty()) {
            throw new IllegalStateException("exports the receiver could not read: " + rejected);
        }
        return List.copyOf(spans);
    }

    /**
     * Wait up to 15 s for a trace's spans to be all there (spans reach the receiver in batches, each
     * service's on its own schedule).
     *
     * @param traceId  32 hex digits
     * @param complete when the trace's spans so far are all the test needs
     * @return the trace's spans once complete, or those received by the deadline (for the test's assertions
     *         to say what is missing)
     */
    List<ReceivedSpan> awaitTrace(String traceId, Predicate<List<ReceivedSpan>> complete) {
        Instant deadline = Instant.now().plus(TRACE_TIMEOUT);
        List<ReceivedSpan> trace = trace(traceId);
        while (!complete.test(trace) && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            trace = trace(traceId);
        }
        return trace;
    }

    private List<ReceivedSpan> trace(String traceId) {
        return spans().stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                exchange.sendResponseHeaders(404, -1);
            } else if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(405, -1);
            } else if (!Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type"))
                    .orElse("").startsWith(PROTOBUF)) {
                exchange.sendResponseHeaders(415, -1);
            } else {
                answer(exchange, body.readAllBytes());
            }
        }
    }

    private void answer(HttpExchange exchange, byte[] body) throws IOException {
        try {
            for (ResourceSpans resourceSpans : ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
                List<KeyValue> resource = resourceSpans.getResource().getAttributesList();
                for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
                    scopeSpans.getSpansList().forEach(span -> spans.add(received(span, resource)));
                }
            }
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            rejected.add(e.toString());
            exchange.sendResponseHeaders(400, -1);
            return;
        }
        byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
        exchange.getResponseHeaders().set("Content-Type", PROTOBUF);
        exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
        exchange.getResponseBody().write(response);
    }

    private static ReceivedSpan received(Span span, List<KeyValue> resource) {
        Map<String, String> attributes = text(span.getAttributesList());
        Map<String, String> resourceAttributes = text(resource);
        List<String> texts = new ArrayList<>(List.of(span.getName(), span.getStatus().getMessage()));
        texts.addAll(attributes.values());
        texts.addAll(resourceAttributes.values());
        span.getEventsList().forEach(event -> {
            texts.add(event.getName());
            texts.addAll(text(event.getAttributesList()).values());
        });
        span.getLinksList().forEach(link -> texts.addAll(text(link.getAttributesList()).values()));
        return new ReceivedSpan(hex(span.getTraceId()), hex(span.getSpanId()),
                                Optional.of(hex(span.getParentSpanId())).filter(id -> !id.isEmpty()),
                                span.getName(), span.getKind().name().substring("SPAN_KIND_".length()),
                                resourceAttributes.getOrDefault("service.name", ""), attributes, List.copyOf(texts));
    }

    private static Map<String, String> text(List<KeyValue> attributes) {
        Map<String, String> values = new LinkedHashMap<>();
        attributes.forEach(attribute -> values.put(attribute.getKey(), text(attribute.getValue())));
        return values;
    }

    private static String text(AnyValue value) {
        return switch (value.getValueCase()) {
            case STRING_VALUE -> value.getStringValue();
            case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
            case INT_VALUE -> Long.toString(value.getIntValue());
            case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
            case BYTES_VALUE -> hex(value.getBytesValue());
            case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(OtlpReceiver::text)
                    .collect(Collectors.joining(",", "[", "]"));
            case KVLIST_VALUE -> text(value.getKvlistValue().getValuesList()).toString();
            case VALUE_NOT_SET -> "";
            // an index into a profile's string table: never in a trace export
            case STRING_VALUE_STRINDEX -> throw new IllegalArgumentException("a string table index in a span");
        };
    }

    private static String hex(ByteString bytes) {
        return HEX.formatHex(bytes.toByteArray());
    }
}
