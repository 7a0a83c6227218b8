package io.example.auth;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.RawHttp;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Badly framed bodies written by hand to the auth service as Main wires it (the rules themselves are tested in
 * commons): each is answered 400 problem+json and the connection closed, never a 5xx, never a hang.
 */
@ServerTest
class AuthRequestFramingTest {
    private final int port;

    AuthRequestFramingTest(URI uri) {
        this.port = uri.getPort();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = TestConfig.of(Map.of("server.port", "0", "db.url", TestDatabases.h2Url()));
        Database database = Database.start(config.get("db"), "auth-service");
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, database),
                                List.of(database.readiness()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
            "Transfer-Encoding: chunked\r\n\r\n-1\r\n{}\r\n0\r\n\r\n",
            "Content-Length: -1\r\n\r\n{}",
            "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "Transfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n"})
    void aBadlyFramedLoginIs400AndCloses(String framingAndBody) {
        RawHttp.Answer answer = new RawHttp(port).exchange("POST /api/auth/login HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\n" + framingAndBody);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.closed()).isTrue();
    }
}
