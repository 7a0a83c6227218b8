package io.example.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-client token buckets at the gateway, with their headers on every response. The loopback is a trusted
 * proxy here, so each test is its own client through {@code X-Forwarded-For}.
 */
@ServerTest
class RateLimitTest {
    private static final int BURST = 3;
    private static final int LOGINS_PER_MINUTE = 2;
    private static final AtomicInteger NEXT_CLIENT = new AtomicInteger(1);
    private static FakeServices services;
    private final GatewayClient gateway;

    RateLimitTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        services.configure(server, Map.of("rate.limit.per.second", "1",
                                          "rate.limit.burst", Integer.toString(BURST),
                                          "login.rate.limit.per.minute", Integer.toString(LOGINS_PER_MINUTE),
                                          "trusted.proxies", "127.0.0.0/8, ::1"));
        services.products.json("GET", "/api/products/boom", 500,
                               "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500}");
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void everyResponseCarriesTheRateLimitHeaders() {
        String client = newClient();

        assertLimitHeaders(gateway.get("/api/products/p-1", "X-Forwarded-For", client), 200);
        assertLimitHeaders(gateway.get("/api/nothing-here", "X-Forwarded-For", client), 404);
        assertLimitHeaders(gateway.get("/api/orders", "X-Forwarded-For", client), 401);
    }

    @Test
    void errorsAnsweredByTheGatewayItselfCarryTheHeaders() {
        String client = newClient();

        assertLimitHeaders(gateway.http.send(gateway.http.request("/api/overview").header("X-Forwarded-For", client)
                                                     .POST(HttpRequest.BodyPublishers.noBody())), 405);
        assertLimitHeaders(gateway.get("/api/products/%2e%2e/x", "X-Forwarded-For", client), 400);
        assertLimitHeaders(gateway.get("/api/products/boom", "X-Forwarded-For", client), 500);
    }

    @Test
    void remainingCountsDownFromTheBurst() {
        String client = newClient();

        HttpResponse<String> first = gateway.get("/api/products/p-1", "X-Forwarded-For", client);
        HttpResponse<String> second = gateway.get("/api/products/p-1", "X-Forwarded-For", client);

        assertThat(first.headers().firstValue("RateLimit-Limit")).hasValue(Integer.toString(BURST));
        assertThat(first.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(BURST - 1));
        assertThat(second.headers().firstValue("RateLimit-Remaining")).hasValue(Integer.toString(BURST - 2));
    }

    @Test
    void anExhaustedClientGets429WithRetryAfterAndTheBackendIsNotCalled() {
        String client = newClient();
        for (int i = 0; i < BURST; i++) {
            assertThat(gateway.get("/api/products?page=" + client, "X-Forwarded-For", client).statusCode()).isEqualTo(200);
        }
        long backendCalls = gateway.products.requests().stream().filter(s -> s.query().equals("page=" + client)).count();

        HttpResponse<String> refused = gateway.get("/api/products?page=" + client, "X-Forwarded-For", client);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(refused.body()).contains("\"status\":429");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 2L);
        assertThat(refused.headers().firstValue("RateLimit-Remaining")).hasValue("0");
        assertThat(gateway.products.requests().stream().filter(s -> s.query().equals("page=" + client)).count())
                .isEqualTo(backendCalls);
    }

    @Test
    void eachUserHasItsOwnBucketWhateverTheAddress() {
        String client = newClient();
        String alice = gateway.tokens.token("alice-" + client, "USER");
        String bob = gateway.tokens.token("bob-" + client, "USER");
        for (int i = 0; i < BURST; i++) {
            gateway.http.send(gateway.http.request("/api/orders").header("X-Forwarded-For", client)
                                      .header("Authorization", "Bearer " + alice));
        }

        HttpResponse<String> aliceAgain = gateway.http.send(gateway.http.request("/api/orders")
                .header("X-Forwarded-For", client).header("Authorization", "Bearer " + alice));
        HttpResponse<String> bobFirst = gateway.http.send(gateway.http.request("/api/orders")
                .header("X-Forwarded-For", client).header("Authorization", "Bearer " + bob));
        HttpResponse<String> anonymousFirst = gateway.get("/api/products/p-1", "X-Forwarded-For", client);

        assertThat(aliceAgain.statusCode()).isEqualTo(429);
        assertThat(bobFirst.statusCode()).isEqualTo(200);
        assertThat(anonymousFirst.statusCode()).isEqualTo(200);
    }

    @Test
    void loginAttemptsHaveTheirOwnStricterLimitPerAddress() {
        String client = newClient();
        for (int i = 0; i < LOGINS_PER_MINUTE; i++) {
            HttpResponse<String> login = login(client);
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.headers().firstValue("RateLimit-Limit")).hasValue(Integer.toString(LOGINS_PER_MINUTE));
        }

        HttpResponse<String> refused = login(client);
        HttpResponse<String> otherRoute = gateway.get("/api/products/p-1", "X-Forwarded-For", client);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
        assertThat(otherRoute.statusCode()).isEqualTo(200);
        assertThat(login(newClient()).statusCode()).isEqualTo(200);
    }

    @Test
    void forwardedForIsIgnoredFromAnUntrustedPeer() {
        try (TestGateway untrusting = TestGateway.start(Map.of("rate.limit.per.second", "1",
                                                               "rate.limit.burst", Integer.toString(BURST)))) {
            for (int i = 0; i < BURST; i++) {
                untrusting.get("/api/products/p-1", "X-Forwarded-For", newClient());
            }

            HttpResponse<String> spoofed = untrusting.get("/api/products/p-1", "X-Forwarded-For", newClient());

            assertThat(spoofed.statusCode()).isEqualTo(429);
        }
    }

    @Test
    void aTrustedProxyChainIsReadFromTheRight() {
        String client = newClient();
        for (int i = 0; i < BURST; i++) {
            // the client forges a different left-most hop each time; the proxy appended the real address
            gateway.get("/api/products/p-1", "X-Forwarded-For", newClient() + ", " + client);
        }

        HttpResponse<String> refused = gateway.get("/api/products/p-1", "X-Forwarded-For", newClient() + ", " + client);

        assertThat(refused.statusCode()).isEqualTo(429);
    }

    @Test
    void healthProbesAreNotLimited() {
        String client = newClient();
        for (int i = 0; i < BURST + 2; i++) {
            assertThat(gateway.get("/health/live", "X-Forwarded-For", client).statusCode()).isEqualTo(200);
        }
        assertThat(gateway.get("/api/products/p-1", "X-Forwarded-For", client).statusCode()).isEqualTo(200);
    }

    // only the probes' own paths, as sent, are free: a path that merely resolves to one is refused and counted
    @Test
    void aPathThatOnlyResolvesToAProbeIsLimited() {
        String client = newClient();
        for (int i = 0; i < BURST; i++) {
            assertThat(gateway.raw.send("GET", "/api/../health/live", "X-Forwarded-For: " + client).status()).isEqualTo(400);
        }

        assertThat(gateway.raw.send("GET", "/api/../health/live", "X-Forwarded-For: " + client).status()).isEqualTo(429);
    }

    private HttpResponse<String> login(String client) {
        return gateway.http.send(gateway.http.request("/api/auth/login")
                                         .header("X-Forwarded-For", client)
                                         .header("Content-Type", "application/json")
                                         .POST(HttpRequest.BodyPublishers.ofString("{}")));
    }

    private static void assertLimitHeaders(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("RateLimit-Limit")).hasValue(Integer.toString(BURST));
        assertThat(response.headers().firstValue("RateLimit-Remaining")).isPresent();
        assertThat(response.headers().firstValue("RateLimit-Reset")).isPresent();
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
    }

    private static String newClient() {
        int n = NEXT_CLIENT.getAndIncrement();
        return "198.51.100." + n;
    }
}
