package io.example.commons.server;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.net.URI;
import java.util.List;
import java.util.Map;

import io.example.commons.http.Routes;
import io.example.commons.testing.RawHttp;
import io.example.commons.testing.TestConfig;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Paths written byte by byte (a client library would resolve the dot segments first) to a server set up as
 * every service is, with a public route beside an internal one, as auth-service has {@code /api/auth/*} beside
 * {@code /internal/*}: a path that a text match would place under the public prefix but the server would route
 * elsewhere is refused before routing.
 */
@ServerTest
class StrictPathTest {
    private final RawHttp raw;

    StrictPathTest(URI uri) {
        raw = new RawHttp(uri.getPort());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = TestConfig.of(Map.of("server.port", "0"));
        ServiceServer.configure(server, config, routing -> routing
                .register("/api/things", rules -> Routes.create()
                        .get("/{id}", (req, res) -> res.send("thing " + req.path().pathParameters().get("id")))
                        .register(rules))
                .register("/internal", rules -> Routes.create()
                        .get("/secrets", (req, res) -> res.send("secret"))
                        .register(rules)), List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/things/..;/..;/internal/secrets", "/api/things/../../internal/secrets",
            "/api/things/%2e%2e/%2E%2E/internal/secrets", "/api/things/.%2e;x=1/..;/internal/secrets",
            "/api/things/./one", "/api/things/.;/one", "/api/things/one/..", "/health/../internal/secrets",
            "/api/things/a%2F..%2F..%2Finternal%2Fsecrets", "/api/things/a%5csecrets", "/api/things/a\\secrets",
            "/api/things/one;v=2", "/api/things;x/one", "//internal/secrets", "///api/internal/secrets",
            "/api/things//one"})
    void aPathThatWouldBeRoutedAsAnotherIs400BeforeRouting(String target) {
        RawHttp.Answer answer = raw.send("GET", target);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.contentType()).isEqualTo("application/problem+json");
        assertThat(answer.body()).doesNotContain("secret").doesNotContain("thing ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/things/a.b", "/api/things/...", "/api/things/..a", "/api/things/.hidden",
            "/api/things/%2e%2e%2e"})
    void dotsInsideASegmentAreServed(String target) {
        RawHttp.Answer answer = raw.send("GET", target);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).startsWith("thing ");
    }
}
