package io.example.commons.testing;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generators of what a hostile client sends (any JSON value, any text, numbers of every shape) for the
 * property-based tests of the services, and the one property every answer must have.
 */
public final class HostileInputs {
    private static final List<String> AWKWARD_NUMBERS = List.of(
            "0", "-0", "1", "-1", "100", "101", "1000000000", "1000000001", "2147483647", "2147483648", "-2147483649",
            "4294967296", "4294967301", "9223372036854775807", "9223372036854775808", "18446744073709551616",
            "1.5", "1.0", "0.1", "9.99", "9.999", "1e2", "1E+2", "2e0", "1e-2", "1e1000000000", "1e-1000000000",
            "-1e1000000000", "9999999999.99", "10000000000", "0.00", "123456789012345678901234567890");
    private static final List<String> AWKWARD_TEXT = List.of(
            "", " ", "\u0000", "a\u0000b", "\n", "\r\n", "\t", "\u007f", "\u0085", "\u2028", "\ufeff", "\u200b",
            "\ud800", "\udfff", "\ud83d\ude00", "'", "\"", "\\", "%", "_", "%00", "' OR 1=1 --", "<script>", "NaN",
            "Infinity", "null", "true", "CONFIRMED", "confirmed", "-price", "x".repeat(300));

    private HostileInputs() {
    }

    /**
     * @return text of any characters: control characters, lone surrogates, long runs, look-alikes
     */
    public static Arbitrary<String> text() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().all().ofMaxLength(40)),
                net.jqwik.api.Tuple.of(2, Arbitraries.of(AWKWARD_TEXT)),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)));
    }

    /**
     * @return a JSON number as written on the wire: wide integers, decimals, exponents, edge values
     */
    public static Arbitrary<String> numberText() {
        return Arbitraries.oneOf(
                Arbitraries.of(AWKWARD_NUMBERS),
                Arbitraries.bigIntegers().between(BigInteger.TWO.pow(70).negate(), BigInteger.TWO.pow(70)).map(BigInteger::toString),
                Arbitraries.integers().between(-5, 200).map(String::valueOf),
                Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.valueOf(-1_000_000), BigInteger.valueOf(1_000_000_000_000L)),
                                    Arbitraries.integers().between(-12, 12))
                        .as((unscaled, scale) -> new BigDecimal(unscaled, scale).toString()));
    }

    /**
     * @return any JSON value as text, nested at most two levels
     */
    public static Arbitrary<String> jsonValue() {
        return Arbitraries.recursive(HostileInputs::scalar, HostileInputs::containerOf, 0, 2);
    }

    /**
     * @param members the members, each value already JSON text; absent members are left out
     * @return a JSON object
     */
    public static String object(Map<String, String> members) {
        return members.entrySet().stream()
                .map(e -> quote(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(",", "{", "}"));
    }

    /**
     * @param value any text
     * @return it as a JSON string, every character kept (control characters and surrogates escaped)
     */
    public static String quote(String value) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }

    /**
     * @param value any text
     * @return it percent-encoded for a query string or a path segment
     */
    public static String encoded(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * The property of every answer to anything: a 2xx, 3xx or 4xx, never a 5xx, and every 4xx a problem+json
     * document with its status.
     *
     * @param response the answer
     */
    public static void assertAnsweredWithoutServerError(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("%s %s -> %s", response.request().method(), response.uri(), response.body())
                .isBetween(200, 499);
        if (response.statusCode() >= 400) {
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(response.body()).contains("\"status\":" + response.statusCode());
        }
    }

    /**
     * Framing headers and a body that no service may read as a body: for a
     * {@code @MethodSource("io.example.commons.testing.HostileInputs#badFramings")} over a service's own route.
     *
     * @return framing header lines, the blank line, and what follows it
     */
    public static List<String> badFramings() {
        return List.of("Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
                       "Content-Length: -1\r\n\r\n{}",
                       "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
                       "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n");
    }

    /**
     * What every service answers to a body it cannot read as framed: 400 problem+json, and the connection
     * closed, since what follows cannot be trusted to be the next request.
     *
     * @param answer the raw answer
     */
    public static void assertRefusedAndClosed(RawHttp.Answer answer) {
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.closed()).isTrue();
    }

    private static Arbitrary<String> scalar() {
        return Arbitraries.oneOf(text().map(HostileInputs::quote), numberText(), Arbitraries.of("true", "false", "null"));
    }

    private static Arbitrary<String> containerOf(Arbitrary<String> inner) {
        return Arbitraries.oneOf(
                inner,
                inner.list().ofMaxSize(3).map(values -> "[" + String.join(",", values) + "]"),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8), inner).ofMaxSize(3)
                        .map(HostileInputs::object));
    }
}
