package io.example.e2e;

import java.net.http.HttpResponse;
import java.util.UUID;

import io.example.commons.testing.TestHttp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth rows of the contract through the gateway, against the four running processes.
 */
class AuthE2eTest {
    private final TestHttp gateway = ServiceStack.get().http("gateway");

    @Test
    void registerLoginMeRefreshLogoutThroughTheGateway() {
        String email = "e2e-" + UUID.randomUUID() + "@example.com";
        String credentials = "{\"email\":\"" + email + "\",\"password\":\"correct-horse\"}";

        HttpResponse<String> registered = gateway.postJson("/api/auth/register",
                credentials.replace("}", ",\"name\":\"E2E\"}"), null);
        assertThat(registered.statusCode()).isEqualTo(201);
        assertThat(registered.headers().firstValue("Location")).isPresent();

        HttpResponse<String> login = gateway.postJson("/api/auth/login", credentials, null);
        assertThat(login.statusCode()).isEqualTo(200);
        String access = Users.field(login.body(), "accessToken");
        String refresh = Users.field(login.body(), "refreshToken");

        HttpResponse<String> me = gateway.send(gateway.request("/api/auth/me").header("Authorization", "Bearer " + access));
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"email\":\"" + email + "\"");

        HttpResponse<String> refreshed = gateway.postJson("/api/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}", null);
        assertThat(refreshed.statusCode()).isEqualTo(200);
        String next = Users.field(refreshed.body(), "refreshToken");
        assertThat(gateway.postJson("/api/auth/refresh", "{\"refreshToken\":\"" + refresh + "\"}", null).statusCode())
                .isEqualTo(401);

        HttpResponse<String> logout = gateway.postJson("/api/auth/logout", "{\"refreshToken\":\"" + next + "\"}", null);
        assertThat(logout.statusCode()).isEqualTo(204);
    }

    @Test
    void duplicateEmailIs409AndBadInputIs400ThroughTheGateway() {
        String email = "dup-" + UUID.randomUUID() + "@example.com";
        String body = "{\"email\":\"" + email + "\",\"password\":\"correct-horse\",\"name\":\"Dup\"}";
        gateway.postJson("/api/auth/register", body, null);

        assertThat(gateway.postJson("/api/auth/register", body.replace(email, email.toUpperCase()), null).statusCode())
                .isEqualTo(409);
        assertThat(gateway.postJson("/api/auth/register", "{\"email\":\"x\"}", null).statusCode()).isEqualTo(400);
        assertThat(gateway.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"wrong-one\"}", null)
                           .statusCode()).isEqualTo(401);
    }

    @Test
    void anAddressWithTooManyFailedLoginsIsRefusedWith429AndRetryAfterThroughTheGateway() {
        String body = "{\"email\":\"guessed-" + UUID.randomUUID() + "@example.com\",\"password\":\"wrong-one\"}";
        for (int i = 0; i < 5; i++) {
            assertThat(gateway.postJson("/api/auth/login", body, null).statusCode()).isEqualTo(401);
        }

        HttpResponse<String> refused = gateway.postJson("/api/auth/login", body, null);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("60");
        assertThat(refused.body()).contains("login-throttled");
    }

    @Test
    void jwksIsReachableThroughTheGateway() {
        HttpResponse<String> jwks = gateway.get("/api/auth/jwks");

        assertThat(jwks.statusCode()).isEqualTo(200);
        assertThat(jwks.body()).contains("\"kid\":").contains("\"alg\":\"ES256\"");
    }

    @Test
    void theBootstrappedAdminCanLogIn() {
        HttpResponse<String> login = gateway.postJson("/api/auth/login", "{\"email\":\"" + ServiceStack.ADMIN_EMAIL
                + "\",\"password\":\"" + ServiceStack.ADMIN_PASSWORD + "\"}", null);

        assertThat(login.statusCode()).isEqualTo(200);
    }
}
