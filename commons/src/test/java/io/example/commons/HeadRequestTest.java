package io.example.commons;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.example.commons.http.QueryParameters;
import io.example.commons.http.Routes;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.RawHttp;
import io.example.commons.testing.TestConfig;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client reads no body after HEAD (RFC 9110 9.3.2), so an answer to HEAD that carried one would have its bytes
 * taken for the next answer on the connection. Each HEAD below is followed, on the same connection, by a GET
 * whose answer must be the next thing read. A GET route serves HEAD (RFC 9110 9.1: a server that serves GET
 * serves HEAD) with the GET's status and headers.
 */
@ServerTest
class HeadRequestTest {
    private final int port;
    private final RawHttp raw;

    HeadRequestTest(URI uri) {
        port = uri.getPort();
        raw = new RawHttp(port);
    }


    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        ServiceServer.configure(server, TestConfig.of(Map.of("server.port", "0")),
                                routing -> routing.register("/things", rules -> Routes.create()
                                        .get("/one", (req, res) -> res.send("one"))
                                        .get("/record", (req, res) -> res.send(
                                                Map.of("name", "b\u00e9ret", "sizes", List.of(1, 2))))
                                        .getWithQuery("/listed", (req, res) -> {
                                            QueryParameters query = QueryParameters.of(req.query(), Set.of("limit"));
                                            int limit = query.integer("limit", 1, 1, 10);
                                            query.validated();
                                            res.send(Collections.nCopies(limit, Map.of("name", "x")));
                                        })
                                        .get("/streamed", (req, res) -> {
                                            try (OutputStream out = res.outputStream()) {
                                                out.write("streamed, with no length".getBytes(StandardCharsets.UTF_8));
                                            }
                                        })
                                        .get("/stamped", (req, res) -> {
                                            res.beforeSend(() -> res.header("X-Stamp", "late"));
                                            res.send("stamped");
                                        })
                                        .post("/record", (req, res) -> res.send(Map.of("name", "posted")))
                                        .register(rules)), List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/things/one", "/things/record", "/things/streamed", "/things/listed?limit=3",
            "/things/listed?limit=x", "/nowhere", "/things/..;/one", "/things/one?x=1", "/health/live", "/health/ready",
            "/metrics", "/openapi"})
    void theAnswerToHeadCarriesNoBody(String target) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("HEAD " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n"
                    + "GET /things/one HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                              .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String both = new String(readAll(socket.getInputStream()), StandardCharsets.ISO_8859_1);

            int firstEnd = both.indexOf("\r\n\r\n");
            assertThat(firstEnd).as(both).isPositive();
            assertThat(both.substring(firstEnd + 4)).as(both).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\none");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/things/one", "/things/record", "/things/streamed", "/things/listed?limit=3",
            "/things/listed?limit=x", "/things/listed?other=1"})
    void aGetRouteAnswersHeadWithTheGetsStatusAndHeadersAndNoBody(String target) {
        RawHttp.Answer get = raw.send("GET", target);
        RawHttp.Answer head = raw.send("HEAD", target);

        assertThat(head.status()).isEqualTo(get.status());
        assertThat(head.contentType()).isEqualTo(get.contentType());
        assertThat(head.header("Content-Length"))
                .isEqualTo(String.valueOf(get.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aHeaderAGetRouteSetsJustBeforeSendingIsInTheHeadToo() {
        assertThat(raw.send("GET", "/things/stamped").header("X-Stamp")).isEqualTo("late");
        assertThat(raw.send("HEAD", "/things/stamped").header("X-Stamp")).isEqualTo("late");
    }

    @Test
    void headIsAllowedWhereGetIsAndOnlyThere() {
        RawHttp.Answer put = raw.send("PUT", "/things/record", "Content-Length: 0");
        RawHttp.Answer head = raw.send("HEAD", "/things/record");

        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, HEAD, POST");
        assertThat(head.status()).isEqualTo(200);
    }

    private static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
