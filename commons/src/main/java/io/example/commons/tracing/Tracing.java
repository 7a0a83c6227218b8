package io.example.commons.tracing;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;

/**
 * The process's OpenTelemetry: every span this project makes (server, client, database, Kafka, business)
 * starts in {@link #startSpan}, and trace context crosses processes through {@link #extract} and
 * {@link #inject}.
 *
 * <p>{@link #start} (each service's {@code Main}, first thing) configures the SDK the standard way, from the
 * {@code OTEL_*} environment variables and {@code otel.*} system properties. What this project changes
 * are defaults only, each overridable by its variable: the service name is the module's, traces are not
 * exported unless {@code OTEL_TRACES_EXPORTER} says where ({@code otlp}, {@code logging}), OTLP speaks
 * {@code http/protobuf} (the only protocol shipped: {@link OtlpSender} carries it on Helidon's client), spans go out in batches of
 * 2048 ({@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE}, queue {@code OTEL_BSP_MAX_QUEUE_SIZE} 4096), and metrics and logs
 * stay with Prometheus and the console. The propagators are fixed, not read from {@code OTEL_PROPAGATORS}:
 * W3C {@code traceparent} and B3 are both read and written, so the services' spans and Istio's sidecars'
 * spans form one tree whichever the mesh uses, and a disabled SDK still carries the trace on.
 *
 * <p>Until {@code start} runs (tests that build a server without a {@code Main}), and when no exporter is
 * configured, nothing is recorded: the trace context a request brings passes through to its calls unchanged,
 * and a request without one gets new ids ({@link #withIds}), so problems and log lines name a trace all the
 * same.
 */
public final class Tracing {
    private static final String SCOPE = "io.example";
    private static final String TRACES_EXPORTER = "otel.traces.exporter";
    private static final String NO_EXPORTER = "none";
    private static final String TRACES_SAMPLER = "otel.traces.sampler";
    private static final String PARENT_BASED = "parentbased_";
    private static final TextMapPropagator W3C_AND_B3 = new W3cAndB3();
    // the header names the propagators read and write, made once: they are looked up on every request and call,
    // and only the propagators' own names are ever asked for
    private static final Map<String, HeaderName> HEADER_NAMES = new ConcurrentHashMap<>();
    private static volatile Tracing installed = untraced();

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final boolean followsParentDecision;

    private Tracing(OpenTelemetry openTelemetry, boolean followsParentDecision) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.propagator = W3C_AND_B3;
        this.followsParentDecision = followsParentDecision;
    }

    /**
     * Configure the SDK from the environment and make it the one every span comes from. The SDK flushes its
     * spans at shutdown.
     *
     * @param serviceName {@code service.name} unless {@code OTEL_SERVICE_NAME} says otherwise
     * @return the tracing now in use
     */
    public static Tracing start(String serviceName) {
        AtomicBoolean exporting = new AtomicBoolean();
        AtomicBoolean parentBased = new AtomicBoolean();
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(serviceName))
                .addPropertiesCustomizer(config -> {
                    exporting.set(!config.getList(TRACES_EXPORTER).equals(List.of(NO_EXPORTER)));
                    // the SDK's default sampler is parentbased_always_on
                    parentBased.set(config.getString(TRACES_SAMPLER, PARENT_BASED).startsWith(PARENT_BASED));
                    return Map.of();
                })
                // registered below, only for an SDK that is kept: closing it twice logs "Multiple shutdown calls"
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        if (exporting.get()) {
            installed = new Tracing(sdk, parentBased.get());
            Runtime.getRuntime().addShutdownHook(new Thread(sdk::close));
        } else {
            // the SDK would record every span and then drop it (its sampler knows nothing of exporters)
            sdk.close();
            install(OpenTelemetry.noop());
        }
        return installed;
    }

    /**
     * Make an OpenTelemetry instance the one every span comes from (tests: one with an in-memory exporter).
     *
     * @param openTelemetry its tracer provider (its propagators are not used: see above)
     * @return the tracing it replaces, for {@link #restore}
     */
    public static Tracing install(OpenTelemetry openTelemetry) {
        Tracing previous = installed;
        // its sampler is not known here: every span is the SDK's to decide
        installed = new Tracing(openTelemetry, false);
        return previous;
    }

    /**
     * Put back the tracing {@link #install} replaced.
     *
     * @param previous what {@code install} returned
     */
    public static void restore(Tracing previous) {
        installed = previous;
    }

    /**
     * @return the tracing in use
     */
    public static Tracing current() {
        return installed;
    }

    /**
     * @return the tracer every span of this project comes from
     */
    public Tracer tracer() {
        return tracer;
    }

    /**
     * Start a span under {@code parent}. When the sampler follows the parent's decision ({@code parentbased_*},
     * the SDK's default and the project's setting) and the parent was not sampled, nothing will record the span,
     * here or in any process after (their samplers and the sidecars follow the same decision): the parent's span
     * is then carried on as it is, as the API does without an SDK, and {@code describe} is not run. The SDK would
     * build the span, ask the sampler and keep only a new span id that nobody records; its ids are checked and
     * written out on every span of 99 requests in 100 at the 1% sample rate the mesh is given.
     *
     * @param parent   the context it is a child of
     * @param name     span name
     * @param kind     span kind
     * @param describe sets its attributes on the builder
     * @return the started span
     */
    public Span startSpan(Context parent, String name, SpanKind kind, Consumer<SpanBuilder> describe) {
        SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
        if (followsParentDecision && parentSpan.isValid() && !parentSpan.isSampled()) {
            return Span.wrap(parentSpan);
        }
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kind).setParent(parent);
        describe.accept(builder);
        return builder.startSpan();
    }

    /**
     * The trace context a carrier (an incoming request's headers, an event's headers) brings.
     *
     * @param carrier the carrier
     * @param getter  how to read it
     * @param <C>     its type
     * @return the context to start the receiving span under ({@link Context#root()} plus the remote parent)
     */
    public <C> Context extract(C carrier, TextMapGetter<C> getter) {
        return propagator.extract(Context.root(), carrier, getter);
    }

    /**
     * Write a context's trace headers onto an outgoing carrier.
     *
     * @param context the context whose span is the parent on the other side
     * @param carrier the carrier
     * @param setter  how to write it
     * @param <C>     its type
     */
    public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        propagator.inject(context, carrier, setter);
    }

    /**
     * A context's span in W3C form ({@code 00-<trace id>-<span id>-<flags>}), as an event records the change it
     * describes.
     *
     * @param context the context
     * @return its {@code traceparent}, empty when its span has no ids
     */
    public static Optional<String> traceparent(Context context) {
        String[] written = new String[1];
        W3CTraceContextPropagator.getInstance().inject(context, written,
                                                       (carrier, key, value) -> {
                                                           if ("traceparent".equals(key)) {
                                                               carrier[0] = value;
                                                           }
                                                       });
        return Optional.ofNullable(written[0]);
    }

    /**
     * @return the header names {@link #inject} writes, lower case or not as the propagators spell them
     */
    public Iterable<String> injectedHeaders() {
        return propagator.fields();
    }

    /**
     * @param key a header name a propagator reads or writes
     * @return it as Helidon's header name
     */
    static HeaderName headerName(String key) {
        return HEADER_NAMES.computeIfAbsent(key, HeaderNames::create);
    }

    /**
     * A span that carries a trace on when the SDK made none ({@code OTEL_SDK_DISABLED}): the remote parent's
     * trace with a new span id, or a new trace. Ids are never missing from a problem or a log line.
     *
     * @param span   the span the tracer started
     * @param parent the context it was started under
     * @return the span itself when it has ids, otherwise one that does
     */
    public static Span withIds(Span span, Context parent) {
        if (span.getSpanContext().isValid()) {
            return span;
        }
        SpanContext remote = Span.fromContext(parent).getSpanContext();
        return Span.wrap(SpanContext.create(remote.isValid() ? remote.getTraceId() : newTraceId(), newSpanId(),
                                            remote.isValid() ? remote.getTraceFlags() : TraceFlags.getDefault(),
                                            TraceState.getDefault()));
    }

    // a trace id: 32 hex digits, never all zero
    static String newTraceId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return hex(random.nextLong() | 1L) + hex(random.nextLong());
    }

    // a span id: 16 hex digits, never all zero
    static String newSpanId() {
        return hex(ThreadLocalRandom.current().nextLong() | 1L);
    }

    private static String hex(long value) {
        String digits = Long.toHexString(value);
        return "0".repeat(16 - digits.length()) + digits;
    }

    private static Map<String, String> defaults(String serviceName) {
        return Map.of("otel.service.name", serviceName,
                      TRACES_EXPORTER, NO_EXPORTER,
                      "otel.metrics.exporter", "none",
                      "otel.logs.exporter", "none",
                      "otel.exporter.otlp.protocol", "http/protobuf",
                      // an export costs about as much for its HTTP request as for its spans: batches of 2048 (the
                      // SDK's 512) halve what exporting costs the service; the queue holds two batches
                      "otel.bsp.max.export.batch.size", "2048",
                      "otel.bsp.max.queue.size", "4096");
    }

    // before start, and whenever no exporter is configured: nothing is recorded and trace context passes through
    // unchanged, so a sidecar's spans still hang under each other
    private static Tracing untraced() {
        return new Tracing(OpenTelemetry.noop(), false);
    }
}
