package io.example.commons.server;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.util.List;
import java.util.Map;

import io.example.commons.http.Json;
import io.example.commons.http.Routes;
import io.example.commons.testing.RawHttp;
import io.example.commons.testing.TestConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A header the API reads one value of, sent twice, to a server set up as every service is: 400 before the route
 * reads either. Sent once, or with another header repeated, the request is served.
 */
@ServerTest
class SingleValuedHeadersTest {
    public record Thing(String name) {
    }

    private final RawHttp raw;

    SingleValuedHeadersTest(URI uri) {
        raw = new RawHttp(uri.getPort());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = TestConfig.of(Map.of("server.port", "0"));
        ServiceServer.configure(server, config, routing -> routing.register("/things", rules -> Routes.create()
                .post("/", (req, res) -> res.send(Json.read(req, Thing.class)))
                .register(rules)), List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Authorization: Bearer a\r\nAuthorization: Bearer b\r\n",
            "Idempotency-Key: k-1\r\nIdempotency-Key: k-2\r\n", "idempotency-key: k-1\r\nIdempotency-Key: k-1\r\n",
            "Content-Type: text/plain\r\n", "authorization: Bearer a\r\nAUTHORIZATION: Bearer a\r\n"})
    void aSecondValueOfAHeaderReadOnceIs400(String headers) {
        RawHttp.Answer answer = raw.exchange(post(headers));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.body()).contains("header once").doesNotContain("\"name\":\"abc\"");
    }

    @Test
    void eachOnceAndOtherHeadersRepeatedIsServed() {
        RawHttp.Answer answer = raw.exchange(post("Authorization: Bearer a\r\nIdempotency-Key: k-1\r\n"
                                                          + "Accept: application/json\r\nAccept: */*\r\n"));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{\"name\":\"abc\"}");
    }

    // every request carries Content-Type: application/json; the headers given come after it
    private static String post(String headers) {
        String body = "{\"name\":\"abc\"}";
        return "POST /things HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + headers + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }
}
