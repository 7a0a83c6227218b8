package io.example.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.example.commons.testing.TestHttp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product rows of the contract through the gateway, against the four running processes.
 */
class ProductE2eTest {
    private final TestHttp gateway = ServiceStack.get().http("gateway");

    @Test
    void theCatalogueIsPublicSearchableAndPaged() {
        HttpResponse<String> page = gateway.get("/api/products?category=books&sort=price&limit=2");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("\"limit\":2", "\"offset\":0", "\"total\":", "\"category\":\"books\"");
        assertThat(gateway.get("/api/products/categories").body()).contains("\"books\"", "\"toys\"");
        assertThat(gateway.get("/api/products?limit=500").statusCode()).isEqualTo(400);
        assertThat(gateway.get("/api/products/" + UUID.randomUUID()).statusCode()).isEqualTo(404);
    }

    @Test
    void anAdminManagesProductsThroughTheGatewayAndAUserCannot() {
        String admin = Users.admin(gateway);
        String body = "{\"sku\":\"E2E-" + UUID.randomUUID() + "\",\"name\":\"E2E lamp\",\"category\":\"home\","
                + "\"price\":19.99,\"stock\":4}";

        HttpResponse<String> created = send("POST", "/api/products", admin, body);
        String id = Users.field(created.body(), "id");
        HttpResponse<String> byUser = send("DELETE", "/api/products/" + id, Users.newUser(gateway), null);
        HttpResponse<String> deleted = send("DELETE", "/api/products/" + id, admin, null);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/api/products/" + id);
        assertThat(byUser.statusCode()).isEqualTo(403);
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(gateway.get("/api/products/" + id).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> send(String method, String path, String token, String json) {
        HttpRequest.Builder builder = gateway.request(path).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return gateway.send(builder);
    }
}
