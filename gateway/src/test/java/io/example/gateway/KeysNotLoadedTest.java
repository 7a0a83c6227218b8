package io.example.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

import io.example.commons.security.JwksCache;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway that could not load the auth service's keys yet cannot tell a valid token from a forged one: it
 * answers 503 (try again), not 401 (which makes clients drop their session), until it has them.
 */
@ServerTest
class KeysNotLoadedTest {
    private static FakeServices services;
    private final GatewayClient gateway;

    KeysNotLoadedTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        services.configure(server, Map.of("jwt.jwks-min-refresh", "PT0S"));
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void aValidTokenGets503UntilTheKeysAreLoadedThenItIsAccepted() {
        String token = gateway.tokens.token("u-1", "USER");
        gateway.auth.json("GET", JwksCache.JWKS_PATH, 503, "{}");

        HttpResponse<String> whileDown = gateway.send("GET", "/api/orders", token, null);

        assertThat(whileDown.statusCode()).isEqualTo(503);
        assertThat(whileDown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(whileDown.headers().firstValue("Retry-After")).isPresent();
        assertThat(whileDown.body()).contains("backend-unavailable");
        assertThat(gateway.orders.requests()).isEmpty();

        services.serveJwks();

        assertThat(gateway.send("GET", "/api/orders", token, null).statusCode()).isEqualTo(200);
    }
}
