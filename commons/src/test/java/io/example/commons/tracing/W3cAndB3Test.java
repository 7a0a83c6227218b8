package io.example.commons.tracing;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What trace context a carrier gives, in each form a caller or a sidecar may send it, and what is written.
 */
class W3cAndB3Test {
    private static final String W3C_TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String W3C_SPAN = "b7ad6b7169203331";
    private static final String B3_TRACE = "80f198ee56343ba864fe8b2a57d3eff7";
    private static final String B3_SPAN = "e457b5a2e4d86bd1";
    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier.get(key);
        }
    };

    private final W3cAndB3 propagator = new W3cAndB3();

    @Test
    void aTraceparentIsContinued() {
        SpanContext read = read(Map.of("traceparent", "00-" + W3C_TRACE + "-" + W3C_SPAN + "-01"));

        assertThat(read.getTraceId()).isEqualTo(W3C_TRACE);
        assertThat(read.getSpanId()).isEqualTo(W3C_SPAN);
        assertThat(read.isSampled()).isTrue();
        assertThat(read.isRemote()).isTrue();
    }

    @Test
    void b3InItsSingleHeaderIsContinued() {
        SpanContext read = read(Map.of("b3", B3_TRACE + "-" + B3_SPAN + "-0"));

        assertThat(read.getTraceId()).isEqualTo(B3_TRACE);
        assertThat(read.getSpanId()).isEqualTo(B3_SPAN);
        assertThat(read.isSampled()).isFalse();
    }

    @Test
    void b3InItsMultiHeadersIsContinued() {
        SpanContext read = read(Map.of("x-b3-traceid", B3_TRACE, "x-b3-spanid", B3_SPAN, "x-b3-sampled", "1"));

        assertThat(read.getTraceId()).isEqualTo(B3_TRACE);
        assertThat(read.getSpanId()).isEqualTo(B3_SPAN);
        assertThat(read.isSampled()).isTrue();
    }

    @Test
    void whenTheFormsDisagreeTheTraceparentWins() {
        SpanContext read = read(Map.of("traceparent", "00-" + W3C_TRACE + "-" + W3C_SPAN + "-00",
                                       "b3", B3_TRACE + "-" + B3_SPAN + "-1",
                                       "x-b3-traceid", B3_TRACE, "x-b3-spanid", B3_SPAN, "x-b3-sampled", "1"));

        assertThat(read.getTraceId()).isEqualTo(W3C_TRACE);
        assertThat(read.isSampled()).isFalse();
    }

    @Test
    void aTraceparentThatCannotBeReadLeavesB3ToSay() {
        SpanContext read = read(Map.of("traceparent", "00-not-a-trace-01", "b3", B3_TRACE + "-" + B3_SPAN + "-1"));

        assertThat(read.getTraceId()).isEqualTo(B3_TRACE);
    }

    @Test
    void nothingReadableIsNoContext() {
        assertThat(read(Map.of("traceparent", "00-not-a-trace-01", "b3", "zz-zz", "x-b3-traceid", "1"))
                           .isValid()).isFalse();
        assertThat(read(Map.of()).isValid()).isFalse();
    }

    @Test
    void aRefusalWithoutIdsIsKeptOnNewIds() {
        for (Map<String, String> refusal : List.of(Map.of("b3", "0"), Map.of("b3", " 0 "),
                                                   Map.of("x-b3-sampled", "0"), Map.of("x-b3-sampled", "false"))) {
            SpanContext read = read(refusal);

            assertThat(read.isValid()).as("%s", refusal).isTrue();
            assertThat(read.isSampled()).as("%s", refusal).isFalse();
            assertThat(read.isRemote()).isTrue();
        }
        assertThat(read(Map.of("b3", "0")).getTraceId()).isNotEqualTo(read(Map.of("b3", "0")).getTraceId());
    }

    @Test
    void onlyARefusalAloneIsTakenWithoutIds() {
        // an acceptance names no parent; a malformed header or one the traceparent overrides says nothing
        for (Map<String, String> carrier : List.of(Map.of("b3", "1"), Map.of("b3", "d"), Map.of("b3", "0-0"),
                                                   Map.of("x-b3-sampled", "1"), Map.of("x-b3-flags", "1"),
                                                   Map.of("x-b3-traceid", "zz", "x-b3-sampled", "0"))) {
            assertThat(read(carrier).isValid()).as("%s", carrier).isFalse();
        }
        SpanContext traceparentWins = read(Map.of("traceparent", "00-" + W3C_TRACE + "-" + W3C_SPAN + "-01",
                                                  "b3", "0"));
        assertThat(traceparentWins.getTraceId()).isEqualTo(W3C_TRACE);
        assertThat(traceparentWins.isSampled()).isTrue();
    }

    @Test
    void everyFormIsWrittenForTheSameSpan() {
        SpanContext span = SpanContext.create(W3C_TRACE, W3C_SPAN, TraceFlags.getSampled(), TraceState.getDefault());
        Map<String, String> written = headers(Map.of());

        propagator.inject(Context.root().with(Span.wrap(span)), written, Map::put);

        assertThat(written).containsEntry("traceparent", "00-" + W3C_TRACE + "-" + W3C_SPAN + "-01")
                .containsEntry("b3", W3C_TRACE + "-" + W3C_SPAN + "-1")
                .containsEntry("x-b3-traceid", W3C_TRACE)
                .containsEntry("x-b3-spanid", W3C_SPAN)
                .containsEntry("x-b3-sampled", "1");
        assertThat(propagator.fields()).containsAll(written.keySet());
    }

    private SpanContext read(Map<String, String> carrier) {
        return Span.fromContext(propagator.extract(Context.root(), headers(carrier), MAP)).getSpanContext();
    }

    // header names are case-insensitive
    private static Map<String, String> headers(Map<String, String> entries) {
        Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(entries);
        return headers;
    }
}
