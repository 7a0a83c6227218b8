package io.example.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.example.commons.testing.TestHttp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Orders through the gateway with the real product service holding the stock.
 */
class OrderE2eTest {
    private final TestHttp gateway = ServiceStack.get().http("gateway");

    @Test
    void anOrderReservesStockOnceAndCancellingGivesItBack() {
        String user = Users.newUser(gateway);
        String product = newProduct(10);
        String body = "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":3}]}";

        HttpResponse<String> placed = place(user, "e2e-" + UUID.randomUUID(), body);
        String key = placed.request().headers().firstValue("Idempotency-Key").orElseThrow();
        HttpResponse<String> replay = place(user, key, body);

        assertThat(placed.statusCode()).isEqualTo(201);
        assertThat(placed.body()).contains("\"status\":\"CONFIRMED\"", "\"name\":\"E2E widget\"", "\"total\":7.50");
        assertThat(Users.field(replay.body(), "id")).isEqualTo(Users.field(placed.body(), "id"));
        assertThat(stock(product)).isEqualTo(7);

        String id = Users.field(placed.body(), "id");
        HttpResponse<String> cancelled = gateway.send(gateway.request("/api/orders/" + id + "/cancel")
                .header("Authorization", "Bearer " + user).POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(cancelled.body()).contains("\"status\":\"CANCELLED\"");
        assertThat(stock(product)).isEqualTo(10);
    }

    @Test
    void shortStockLeavesNoOrderAndAdminsShipOrders() {
        String user = Users.newUser(gateway);
        String admin = Users.admin(gateway);
        String product = newProduct(2);

        HttpResponse<String> tooMany = place(user, null, "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":3}]}");
        HttpResponse<String> ok = place(user, null, "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":2}]}");
        String id = Users.field(ok.body(), "id");
        HttpResponse<String> shipped = gateway.send(gateway.request("/api/orders/" + id + "/status")
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"SHIPPED\"}")));

        assertThat(tooMany.statusCode()).isEqualTo(409);
        assertThat(ok.statusCode()).isEqualTo(201);
        assertThat(shipped.body()).contains("\"status\":\"SHIPPED\"");
        HttpResponse<String> mine = gateway.send(gateway.request("/api/orders").header("Authorization", "Bearer " + user));
        assertThat(mine.body()).contains("\"total\":1", id);
        assertThat(stock(product)).isZero();
    }

    private String newProduct(int stock) {
        HttpResponse<String> created = gateway.send(gateway.request("/api/products")
                .header("Authorization", "Bearer " + Users.admin(gateway)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"E2E-" + UUID.randomUUID()
                        + "\",\"name\":\"E2E widget\",\"category\":\"test\",\"price\":2.50,\"stock\":" + stock + "}")));
        assertThat(created.statusCode()).isEqualTo(201);
        return Users.field(created.body(), "id");
    }

    private int stock(String product) {
        // straight from the product service: the gateway may answer from its cache
        return Integer.parseInt(Users.field(ServiceStack.get().http("product-service")
                                                    .get("/api/products/" + product).body(), "stock"));
    }

    private HttpResponse<String> place(String token, String key, String body) {
        HttpRequest.Builder builder = gateway.request("/api/orders").header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            builder.header("Idempotency-Key", key);
        }
        return gateway.send(builder);
    }
}
