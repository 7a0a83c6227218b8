package io.example.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.example.commons.security.JwksCache;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/**
 * The real gateway (started by {@link Main#start}) in front of three fake services; the fake auth service
 * publishes the JWKS of a {@link FakeAuthServer}, which signs the tests' tokens.
 */
final class TestGateway implements AutoCloseable {
    final FakeAuthServer tokens = FakeAuthServer.start();
    final FakeBackend auth = FakeBackend.start();
    final FakeBackend products = FakeBackend.start();
    final FakeBackend orders = FakeBackend.start();
    final WebServer server;
    final TestHttp http;

    private TestGateway(Map<String, String> overrides) {
        HttpClient jwksClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        auth.on("GET", JwksCache.JWKS_PATH, (req, res) -> {
            HttpResponse<String> jwks = jwksClient.send(HttpRequest.newBuilder(URI.create(tokens.url() + JwksCache.JWKS_PATH))
                                                                .build(), HttpResponse.BodyHandlers.ofString());
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(jwks.body());
        });
        Map<String, String> config = new HashMap<>();
        config.put("server.port", "0");
        config.put("auth.service.url", auth.url());
        config.put("product.service.url", products.url());
        config.put("order.service.url", orders.url());
        config.put("rate.limit.per.second", "10000");
        config.put("rate.limit.burst", "10000");
        config.put("login.rate.limit.per.minute", "10000");
        config.put("cache.ttl.seconds", "60");
        config.putAll(overrides);
        server = Main.start(Config.just(ConfigSources.create(config)));
        http = new TestHttp(url());
    }

    static TestGateway start(Map<String, String> overrides) {
        return new TestGateway(overrides);
    }

    static TestGateway start() {
        return start(Map.of());
    }

    String url() {
        return "http://localhost:" + server.port();
    }

    HttpResponse<String> get(String path, String... headers) {
        HttpRequest.Builder request = http.request(path).GET();
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

    @Override
    public void close() {
        server.stop();
        auth.close();
        products.close();
        orders.close();
        tokens.close();
    }
}
