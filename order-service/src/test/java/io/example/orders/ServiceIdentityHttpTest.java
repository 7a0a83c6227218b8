package io.example.orders;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.example.commons.http.OrderLines;
import io.example.commons.http.ProblemException;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.security.ServiceTokens;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The order service proves who it is to the product service: every inventory call carries its service
 * token (client {@code order-service}, scope {@code inventory}), fetched once and reused, never a user's.
 */
@ServerTest
class ServiceIdentityHttpTest {
    private static FakeAuthServer auth;
    private static FakeProductService products;
    private static Config config;

    private final TestHttp http;

    ServiceIdentityHttpTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        auth = FakeAuthServer.start();
        products = new FakeProductService();
        config = OrderServiceUnderTest.configure(server, auth, products, Map.of()).config();
    }

    @AfterAll
    static void stop() {
        products.close();
        auth.close();
    }

    @Test
    void everyInventoryCallCarriesOneCachedServiceTokenOfTheOrderService() {
        String product = "p-" + UUID.randomUUID().toString().substring(0, 8);
        products.stock(product, 10);
        String user = auth.token("user-" + UUID.randomUUID(), "USER");
        int before = products.authorizations().size();
        int tokensBefore = auth.serviceTokenRequests();

        for (int i = 0; i < 3; i++) {
            assertThat(place(user, product).statusCode()).isEqualTo(201);
        }

        List<String> sent = products.authorizations().subList(before, products.authorizations().size());
        // a reservation and its confirmation per order
        assertThat(sent).hasSize(6).allMatch(header -> header.equals(sent.get(0)));
        assertThat(sent.get(0)).startsWith("Bearer ").doesNotContain(user);
        JwtVerifier verifier = JwtVerifier.create(JwksCache.create(config), config);
        assertThat(verifier.verifyService(sent.get(0).substring("Bearer ".length()))).hasValueSatisfying(caller -> {
            assertThat(caller.clientId()).isEqualTo("order-service");
            assertThat(caller.scopes()).contains("inventory");
        });
        // one fetch, or none when an earlier test of this class left a token in hand: never one per call
        assertThat(auth.serviceTokenRequests() - tokensBefore).isLessThanOrEqualTo(1);
    }

    @Test
    void aServiceTokenTheProductServiceRefusesIsReplacedAndTheCallMadeOnceMore() {
        String product = "p-" + UUID.randomUUID().toString().substring(0, 8);
        products.stock(product, 10);
        String user = auth.token("user-" + UUID.randomUUID(), "USER");
        assertThat(place(user, product).statusCode()).isEqualTo(201);
        int before = products.authorizations().size();
        int tokensBefore = auth.serviceTokenRequests();
        products.refuseTokens(1);

        HttpResponse<String> placed = place(user, product);

        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
        List<String> sent = products.authorizations().subList(before, products.authorizations().size());
        assertThat(sent).hasSize(3);
        assertThat(sent.get(1)).isNotEqualTo(sent.get(0)).isEqualTo(sent.get(2));
        assertThat(auth.serviceTokenRequests() - tokensBefore).isEqualTo(1);
    }

    @Test
    void withoutItsSecretTheOrderServiceDoesNotStart() {
        Config withoutSecret = TestConfig.of(Map.of("auth.service.url", auth.url()));

        assertThatThrownBy(() -> Main.productClient(withoutSecret))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ORDER_SERVICE_CLIENT_SECRET");
    }

    @Test
    void aWrongSecretMeansNoCallAndA503NotAnAnonymousCall() {
        Config wrongSecret = TestConfig.of(Map.of(
                "auth.service.url", auth.url(),
                "product.service.url", products.url(),
                ServiceTokens.secretKey("order-service"), "not-the-secret"));
        ProductClient client = Main.productClient(wrongSecret);
        int before = products.authorizations().size();

        assertThatThrownBy(() -> client.reserve("o-" + UUID.randomUUID(), List.of(new OrderLines.Line("p", 1))))
                .isInstanceOfSatisfying(ProblemException.class,
                                        e -> assertThat(e.problem().status()).isEqualTo(503));
        assertThat(products.authorizations()).hasSize(before);
    }

    private HttpResponse<String> place(String token, String product) {
        return http.send(http.request("/api/orders")
                                 .header("Content-Type", "application/json")
                                 .header("Authorization", "Bearer " + token)
                                 .POST(HttpRequest.BodyPublishers.ofString(
                                         "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}")));
    }
}
