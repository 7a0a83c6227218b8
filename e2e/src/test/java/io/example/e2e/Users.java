package io.example.e2e;

import java.net.http.HttpRequest;
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
    /** Every new user's password. */
    static final String PASSWORD = "correct-horse";

    private Users() {
    }

    /**
     * @param gateway gateway client
     * @return an access token of a new USER
     */
    static String newUser(TestHttp gateway) {
        String email = newEmail();
        assertThat(gateway.send(registration(gateway, email)).statusCode()).isEqualTo(201);
        return login(gateway, email, PASSWORD);
    }

    /**
     * @return an email address no user has yet
     */
    static String newEmail() {
        return "e2e-" + UUID.randomUUID() + "@example.com";
    }

    /**
     * @param gateway gateway client
     * @param email   the new user's email; the password is {@link #PASSWORD}
     * @return the request that registers the user, for a test to add headers to
     */
    static HttpRequest.Builder registration(TestHttp gateway, String email) {
        return json(gateway, "/api/auth/register", "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                + "\",\"name\":\"E2E\"}");
    }

    /**
     * @param gateway  gateway client
     * @param email    email
     * @param password password
     * @return the login request, for a test to add headers to
     */
    static HttpRequest.Builder loginRequest(TestHttp gateway, String email, String password) {
        return json(gateway, "/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}");
    }

    /**
     * @param gateway gateway client
     * @return an access token of the bootstrapped ADMIN
     */
    static String admin(TestHttp gateway) {
        return login(gateway, ServiceStack.ADMIN_EMAIL, ServiceStack.ADMIN_PASSWORD);
    }

    static String login(TestHttp gateway, String email, String password) {
        return accessToken(gateway.send(loginRequest(gateway, email, password)));
    }

    /**
     * @param login the answer to a {@link #loginRequest}
     * @return the access token it gives
     */
    static String accessToken(HttpResponse<String> login) {
        assertThat(login.statusCode()).isEqualTo(200);
        return field(login.body(), "accessToken");
    }

    private static HttpRequest.Builder json(TestHttp gateway, String path, String body) {
        return gateway.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]*)\"?").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }
}
