package io.example.gateway;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.RawHttp;
import io.example.commons.testing.TestHttp;

/**
 * A test's view of the gateway under test: HTTP calls to it, and the fake services behind it.
 */
class GatewayClient {
    final FakeAuthServer tokens;
    final FakeBackend auth;
    final FakeBackend products;
    final FakeBackend orders;
    final TestHttp http;
    /** For requests an HTTP client would not send as they are written. */
    final RawHttp raw;
    private final int port;

    GatewayClient(FakeServices services, URI uri) {
        this.tokens = services.tokens;
        this.auth = services.auth;
        this.products = services.products;
        this.orders = services.orders;
        this.port = uri.getPort();
        // the injected URI ends with '/': a path appended to it would reach the services as "//api/..."
        this.http = new TestHttp("http://localhost:" + port);
        this.raw = new RawHttp(port);
    }

    int port() {
        return port;
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = http.request(path).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request);
    }

    HttpResponse<String> head(String path, String... headers) {
        HttpRequest.Builder request = http.request(path).HEAD();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request);
    }

    HttpResponse<String> send(String method, String path, String token, String json) {
        HttpRequest.Builder request = http.request(path)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request);
    }

    /**
     * A one-line order (product {@code p-1}), written byte for byte: each of the header lines goes out as
     * ISO-8859-1, so it can carry any byte.
     *
     * @param token       the bearer token
     * @param headerLines more header lines, after the body's
     * @return the gateway's answer
     */
    RawHttp.Answer rawOrder(String token, String... headerLines) {
        String body = "{\"items\":[{\"productId\":\"p-1\",\"quantity\":1}]}";
        StringBuilder request = new StringBuilder("POST /api/orders HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n")
                .append("Authorization: Bearer ").append(token).append("\r\nContent-Type: application/json\r\n")
                .append("Content-Length: ").append(body.length()).append("\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        return raw.exchange(request.append("\r\n").append(body).toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
