package io.example.gateway;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.example.gateway.proxy.ProxyHandler;

import io.helidon.http.HeaderNames;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backend's answer reaches the client byte for byte, whatever its size and framing: small ones with a
 * known length are relayed in one piece, larger and chunked ones are streamed.
 */
@ServerTest
class PassThroughTest {
    private static FakeServices services;
    private final GatewayClient gateway;

    PassThroughTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        services.configure(server, Map.of("cache.ttl.seconds", "0"));
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @BeforeEach
    void forgetRequests() {
        services.products.forget();
    }

    @Test
    void aSmallAnswerIsRelayedWithItsLengthAndHeaders() {
        gateway.products.on("GET", "/api/products/p-small", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.header("X-Served-By", "product-service");
            res.send("{\"id\":\"p-1\"}".getBytes(StandardCharsets.UTF_8));
        });

        HttpResponse<String> response = gateway.get("/api/products/p-small");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"id\":\"p-1\"}");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(12);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.headers().firstValue("X-Served-By")).hasValue("product-service");
    }

    @Test
    void endToEndHeadersAreForwardedHopByHopOnesDroppedAndTheClientAddressAppended() {
        HttpResponse<String> response = gateway.http.send(gateway.http.request("/api/products/p-1")
                                                                  .header("X-Custom", "kept")
                                                                  .header("TE", "trailers")
                                                                  .header("Proxy-Authorization", "Basic eDp5")
                                                                  .header("X-Forwarded-For", "203.0.113.7")
                                                                  .header("X-Forwarded-For", "198.51.100.2")
                                                                  .header("X-Forwarded-Proto", "https"));

        assertThat(response.statusCode()).isEqualTo(200);
        FakeBackend.Seen seen = gateway.products.requests().getFirst();
        assertThat(seen.header("X-Custom")).isEqualTo("kept");
        assertThat(seen.headers()).doesNotContainKeys("te", "proxy-authorization", "proxy-connection");
        assertThat(seen.header("X-Forwarded-For").split(", "))
                .hasSize(3)
                .startsWith("203.0.113.7", "198.51.100.2");
        // the gateway is reached over plain HTTP here; a client cannot claim otherwise
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
    }

    @Test
    void theClientGetsTheGatewaysRequestIdWhateverTheBackendAnswers() {
        gateway.products.on("GET", "/api/products/p-echo", (req, res) -> {
            res.header("X-Request-Id", "made-up-by-the-backend");
            res.send("{}");
        });

        HttpResponse<String> response = gateway.http.send(gateway.http.request("/api/products/p-echo")
                                                                  .header("X-Request-Id", "rid-7"));

        assertThat(response.headers().allValues("X-Request-Id")).containsExactly("rid-7");
        assertThat(gateway.products.requests().getFirst().header("X-Request-Id")).isEqualTo("rid-7");
    }

    @Test
    void anAnswerLargerThanTheInMemoryLimitIsStreamedIntact() {
        String large = body(ProxyHandler.IN_ONE_PIECE_BYTES * 3 + 17);
        gateway.products.on("GET", "/api/products/big", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain");
            res.send(large.getBytes(StandardCharsets.UTF_8));
        });

        HttpResponse<String> response = gateway.get("/api/products/big");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(large);
    }

    @Test
    void aChunkedAnswerIsStreamedIntact() {
        String part = body(10_000);
        gateway.products.on("GET", "/api/products/chunked", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "text/plain");
            try (OutputStream out = res.outputStream()) {
                for (int i = 0; i < 3; i++) {
                    out.write(part.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        });

        HttpResponse<String> response = gateway.get("/api/products/chunked");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(part.repeat(3));
    }

    private static String body(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; text.length() < length; i++) {
            text.append(i % 10);
        }
        return text.toString();
    }
}
