package io.example.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import io.example.commons.security.JwksCache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway that could not load the auth service's keys yet cannot tell a valid token from a forged one: it
 * answers 503 (try again), not 401 (which makes clients drop their session), until it has them.
 */
class KeysNotLoadedTest {

    @Test
    void aValidTokenGets503UntilTheKeysAreLoadedThenItIsAccepted() {
        try (TestGateway gateway = TestGateway.start(Map.of("jwt.jwks-min-refresh", "PT0S"))) {
            String token = gateway.tokens.token("u-1", "USER");
            gateway.auth.json("GET", JwksCache.JWKS_PATH, 503, "{}");

            HttpResponse<String> whileDown = gateway.send("GET", "/api/orders", token, null);

            assertThat(whileDown.statusCode()).isEqualTo(503);
            assertThat(whileDown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(whileDown.headers().firstValue("Retry-After")).isPresent();
            assertThat(whileDown.body()).contains("backend-unavailable");
            assertThat(gateway.orders.requests()).isEmpty();

            HttpClient http = HttpClient.newHttpClient();
            gateway.auth.on("GET", JwksCache.JWKS_PATH, (req, res) -> {
                res.header("Content-Type", "application/json");
                res.send(http.send(HttpRequest.newBuilder(URI.create(gateway.tokens.url() + JwksCache.JWKS_PATH)).build(),
                                   HttpResponse.BodyHandlers.ofString()).body());
            });

            assertThat(gateway.send("GET", "/api/orders", token, null).statusCode()).isEqualTo(200);
        }
    }
}
