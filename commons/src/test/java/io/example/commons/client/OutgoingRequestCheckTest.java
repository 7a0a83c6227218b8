package io.example.commons.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.helidon.http.HeaderValues;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A request from one service to another leaves exactly as written or not at all: whatever the calling code
 * puts into the target or a header, a CR, LF, other control character or non-ASCII character fails the call
 * before a byte reaches the other service.
 */
class OutgoingRequestCheckTest {
    private ServerSocket server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private Http1Client client;

    @BeforeEach
    void start() throws IOException {
        // a bare socket, not a @ServerTest: the test reads the exact bytes a client sends, which an HTTP server parses away
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serve);
        client = ServiceClients.create("http://localhost:" + server.getLocalPort(), Duration.ofSeconds(2),
                                       Duration.ofSeconds(2));
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aTargetWithAnEncodedCrLfThatWouldBeWrittenDecodedIsNeverSent() {
        Http1ClientRequest request = client.get().skipUriEncoding(true)
                .uri(URI.create("/api/products/p-1%0D%0AX-Injected:%20yes"));

        assertNothingSent(request);
    }

    @Test
    void aHeaderValueWithCrLfIsNeverSent() {
        Http1ClientRequest request = client.get("/api/products/p-1")
                .header(HeaderValues.create("X-Note", "a\r\nX-Injected: yes"));

        assertNothingSent(request);
    }

    @Test
    void aNonAsciiHeaderValueThatWouldArriveAsQuestionMarksIsNeverSent() {
        Http1ClientRequest request = client.post("/api/orders")
                .header(HeaderValues.create("Idempotency-Key", "key-\u00e9"));

        assertNothingSent(request);
    }

    @Test
    void aTargetThatWouldBeWrittenWithASpaceIsNeverSent() {
        Http1ClientRequest request = client.get().skipUriEncoding(true).uri(URI.create("/api/products?q=a%20b"));

        assertNothingSent(request);
    }

    @Test
    void aPlainRequestIsSentAsWritten() {
        try (HttpClientResponse response = client.get("/api/products/p-1")
                .header(HeaderValues.create("X-Note", "plain, with\ttab")).request()) {
            assertThat(response.status().code()).isEqualTo(200);
        }

        assertThat(received).hasSize(1);
        assertThat(received.getFirst()).startsWith("GET /api/products/p-1 HTTP/1.1\r\n")
                .contains("X-Note: plain, with\ttab\r\n");
    }

    private void assertNothingSent(Http1ClientRequest request) {
        assertThatThrownBy(() -> request.request().close()).isInstanceOf(UnsafeRequestException.class);
        assertThat(received).isEmpty();
    }

    // answers every request with an empty 200 and keeps what arrived, byte for byte
    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept(); InputStream in = socket.getInputStream()) {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    head.write(b);
                    if (head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                        received.add(head.toString(StandardCharsets.ISO_8859_1));
                        socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                                                               .getBytes(StandardCharsets.ISO_8859_1));
                        break;
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
    }
}
