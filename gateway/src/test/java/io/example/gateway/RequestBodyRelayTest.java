package io.example.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.example.commons.testing.RawHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request bodies on their way through the gateway, written by hand on a socket: a client that asks to be told
 * to continue gets the service's real answer, and a body that is not framed as its headers say is refused
 * with 400 problem+json, never a 500.
 */
@ServerTest
class RequestBodyRelayTest {
    private static final String LOGIN = "{\"email\":\"a@example.com\",\"password\":\"correct-horse\"}";

    private static FakeServices services;
    private final GatewayClient gateway;

    RequestBodyRelayTest(URI uri) {
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

    @Test
    void aClientThatExpectsContinueGetsTheServicesAnswerAfterTheInterimOne() throws IOException {
        int before = gateway.auth.requests().size();

        String exchange = exchange("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                                           + "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                                           + "Content-Length: " + LOGIN.length() + "\r\n\r\n" + LOGIN);

        assertThat(exchange).contains("HTTP/1.1 200 OK");
        assertThat(exchange).contains("\"path\":\"/api/auth/login\"");
        assertThat(gateway.auth.requests()).hasSize(before + 1);
        assertThat(gateway.auth.requests().get(before).header("Expect")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-2", "0x2", "ffffffffffffffffff"})
    void aMalformedChunkedBodyIs400ProblemNeverA500(String size) {
        int before = gateway.auth.requests().size();

        RawHttp.Answer answer = gateway.raw.exchange((
                "POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + size + "\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));

        assertThat(answer.status()).as("%s", answer).isEqualTo(400);
        assertThat(answer.isProblem()).isTrue();
        assertThat(gateway.auth.requests()).hasSize(before);
    }

    // everything the gateway writes until it closes the connection (or 5 s pass)
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), gateway.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[8192];
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException e) {
                // the answer never completed: what came so far is what the client got
            }
            return seen.toString();
        }
    }
}
