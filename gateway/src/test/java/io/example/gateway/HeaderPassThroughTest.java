package io.example.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.example.commons.testing.RawHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header values reach a service byte for byte or not at all: a value the gateway could not pass on unchanged
 * (non-ASCII bytes, which Helidon would turn into '?') is refused with 400, so different values can never
 * arrive as the same one.
 */
@ServerTest
class HeaderPassThroughTest {
    private static RawBackend orders;
    private static FakeServices services;
    private final GatewayClient gateway;

    HeaderPassThroughTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        orders = RawBackend.start();
        services = FakeServices.start();
        services.configure(server, Map.of("order.service.url", orders.url()));
    }

    @AfterAll
    static void stop() {
        services.close();
        orders.close();
    }

    @Test
    void distinctNonAsciiIdempotencyKeysNeverArriveAsTheSameValue() {
        String token = gateway.tokens.token("u-1", "USER");
        List<String> keys = List.of("key-\u00e9", "key-\u00fc", "key-\u4e2d");
        List<String> arrived = new ArrayList<>();
        for (String key : keys) {
            int before = orders.requests().size();
            String utf8AsBytes = new String(key.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);

            RawHttp.Answer answer = gateway.rawOrder(token, "Idempotency-Key: " + utf8AsBytes);

            if (orders.requests().size() > before) {
                String received = orders.requests().getLast().header("Idempotency-Key");
                assertThat(received).isEqualTo(utf8AsBytes);
                arrived.add(received);
            } else {
                assertThat(answer.status()).isEqualTo(400);
                assertThat(answer.isProblem()).isTrue();
            }
        }
        assertThat(arrived).doesNotHaveDuplicates();
    }

    @Test
    void aHeaderValueWithObsTextIsRefusedBeforeAnyService() {
        int before = orders.requests().size();

        RawHttp.Answer answer = gateway.rawOrder(gateway.tokens.token("u-1", "USER"), "X-Note: caf\u00e9 \u00ff");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.isProblem()).isTrue();
        assertThat(orders.requests()).hasSize(before);
    }

    @Test
    void anAsciiIdempotencyKeyArrivesByteForByte() {
        String key = "k!#$%&'*+-.^_`|~ \"quoted\" 0123";

        RawHttp.Answer answer = gateway.rawOrder(gateway.tokens.token("u-1", "USER"), "Idempotency-Key: " + key);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(orders.requests().getLast().header("Idempotency-Key")).isEqualTo(key);
    }

    // a backend (a bad release, a compromised pod) must not speak for the gateway's rate limit (an answer naming
    // another request id is refused outright: BackendFailureTest)
    @Test
    void aBackendsHeadersNeverReplaceTheGatewaysOwn() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        orders.answering(request -> ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nRateLimit-Limit: 999999\r\nRateLimit-Remaining: 999999\r\nRateLimit-Reset: 0\r\n"
                + "X-Request-Id: " + request.header("X-Request-Id") + "\r\nX-Backend-Note: kept\r\n\r\n{}")
                .getBytes(StandardCharsets.ISO_8859_1));
        try {
            RawHttp.Answer answer = gateway.rawOrder(gateway.tokens.token("u-1", "USER"), "X-Request-Id: mine-1");

            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("RateLimit-Limit")).isNotNull().isNotEqualTo("999999");
            assertThat(answer.header("RateLimit-Remaining")).isNotEqualTo("999999");
            assertThat(answer.header("X-Request-Id")).isEqualTo("mine-1");
            assertThat(answer.header("X-Backend-Note")).isEqualTo("kept");
        } finally {
            orders.answering(RawBackend::echo);
        }
    }
}
