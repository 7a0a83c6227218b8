package io.example.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.RawTokens;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens with claims of the wrong type, even signed by the auth service's own key: the rate limiter keys
 * them by the client's address (never an error), and a route that needs a user answers 401.
 */
@ServerTest
class MalformedTokenTest {
    private static final int BURST = 5;
    private static FakeServices services;
    private final GatewayClient gateway;

    MalformedTokenTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        services.configure(server, Map.of("rate.limit.per.second", "1",
                                          "rate.limit.burst", Integer.toString(BURST),
                                          "trusted.proxies", "127.0.0.0/8, ::1"));
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void aTokenThatCannotBeVerifiedIsKeyedByTheClientAddress() {
        String client = "198.51.100.7";
        String token = token("exp", "\"tomorrow\"");

        HttpResponse<String> first = gateway.get("/api/products/p-1", "X-Forwarded-For", client, "Authorization", "Bearer " + token);
        HttpResponse<String> second = gateway.get("/api/products/p-1", "X-Forwarded-For", client,
                                                  "Authorization", "Bearer " + token("iat", "{\"at\":1}"));
        HttpResponse<String> anonymous = gateway.get("/api/products/p-1", "X-Forwarded-For", client);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(BURST - 1));
        assertThat(second.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(BURST - 2));
        assertThat(anonymous.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(BURST - 3));
    }

    @Test
    void aRouteThatNeedsAUserAnswers401ToSuchAToken() {
        int client = 10;
        for (String[] claim : new String[][] {{"exp", "\"tomorrow\""}, {"exp", "{}"}, {"nbf", "[1]"}, {"iat", "true"},
                {"exp", "1e30"}, {"exp", "null"}}) {
            HttpResponse<String> orders = gateway.get("/api/orders", "X-Forwarded-For", "198.51.100." + client++,
                                                      "Authorization", "Bearer " + token(claim[0], claim[1]));

            assertThat(orders.statusCode()).as("%s = %s", claim[0], claim[1]).isEqualTo(401);
            assertThat(orders.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
        }
    }

    // signed by the key the gateway trusts: only the claim's type is wrong
    private String token(String claim, String json) {
        Map<String, String> claims = RawTokens.accessTokenClaims(FakeAuthServer.ISSUER, FakeAuthServer.AUDIENCE,
                                                                 Instant.now().getEpochSecond());
        claims.put(claim, json);
        return RawTokens.sign(gateway.tokens.signer().key(), claims);
    }
}
