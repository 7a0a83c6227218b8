package io.example.gateway;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.example.commons.testing.RawHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service (a bad release, a compromised pod) answering with framing the gateway cannot read one way only: the
 * client gets 502 problem+json (the service answered, and not usably), never the service's bytes read one way
 * of several, never an empty 200, never a 503 as if it were down; and the next request is answered as usual, on
 * a connection that carries nothing of the bad answer.
 */
@ServerTest
class MisbehavingBackendTest {
    private static RawBackend orders;
    private static FakeServices services;
    private final GatewayClient gateway;

    MisbehavingBackendTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        orders = RawBackend.start();
        services = FakeServices.start();
        services.configure(server, Map.of("order.service.url", orders.url()));
    }

    @AfterEach
    void behaveAgain() {
        orders.answering(RawBackend::echo);
    }

    @AfterAll
    static void stop() {
        services.close();
        orders.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 2\r\nContent-Length: 3", "Content-Length: 2\r\nContent-Length: 2",
            "Content-Length: 2, 2", "Content-Length: +2", "Content-Length: 2\r\nTransfer-Encoding: chunked",
            "Content-Length: 2\r\nUpgrade: h2c", "Content-Length: 2\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket"})
    void anAnswerFramedAmbiguouslyIs502AndTheNextIsServed(String framing) {
        for (String method : new String[] {"POST", "GET"}) {
            assertRefusedThenServed(method, framing);
        }
    }

    // a POST goes out on a new connection, a GET on a pooled one (ServiceClients.fresh)
    private void assertRefusedThenServed(String method, String framing) {
        orders.answering(request -> ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + framing
                + "\r\nX-Request-Id: " + request.header("X-Request-Id") + "\r\n\r\n{}")
                .getBytes(StandardCharsets.ISO_8859_1));

        RawHttp.Answer answer = send(method);

        assertThat(answer.status()).as(method + " " + answer.body()).isEqualTo(502);
        assertThat(answer.isProblem()).isTrue();
        assertThat(answer.body()).contains("backend-failure").doesNotContain("{}\"");

        orders.answering(RawBackend::echo);
        RawHttp.Answer next = send(method);
        assertThat(next.status()).isEqualTo(200);
        assertThat(next.body()).isEqualTo("{\"target\":\"/api/orders\"}");
    }

    private RawHttp.Answer send(String method) {
        if (method.equals("GET")) {
            return gateway.raw.send("GET", "/api/orders", "Authorization: Bearer " + gateway.tokens.token("u-1", "USER"));
        }
        return gateway.rawOrder(gateway.tokens.token("u-1", "USER"));
    }
}
