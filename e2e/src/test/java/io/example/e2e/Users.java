package io.example.e2e;

import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.testing.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real users of the running stack: registered and logged in through the gateway.
 */
final class Users {
    private Users() {
    }

    /**
     * @param gateway gateway client
     * @return an access token of a new USER
     */
    static String newUser(TestHttp gateway) {
        String email = "e2e-" + UUID.randomUUID() + "@example.com";
        assertThat(gateway.postJson("/api/auth/register", "{\"email\":\"" + email
                + "\",\"password\":\"correct-horse\",\"name\":\"E2E\"}", null).statusCode()).isEqualTo(201);
        return login(gateway, email, "correct-horse");
    }

    /**
     * @param gateway gateway client
     * @return an access token of the bootstrapped ADMIN
     */
    static String admin(TestHttp gateway) {
        return login(gateway, ServiceStack.ADMIN_EMAIL, ServiceStack.ADMIN_PASSWORD);
    }

    static String login(TestHttp gateway, String email, String password) {
        HttpResponse<String> login = gateway.postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\""
                + password + "\"}", null);
        assertThat(login.statusCode()).isEqualTo(200);
        return field(login.body(), "accessToken");
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)\"?").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }
}
