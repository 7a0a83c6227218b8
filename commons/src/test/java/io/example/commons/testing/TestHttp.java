package io.example.commons.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A small blocking HTTP client for tests: real requests over the loopback, with timeouts.
 */
public final class TestHttp {
    /**
     * Looks at every response before the test does, e.g. to hold it to the service's OpenAPI document.
     */
    @FunctionalInterface
    public interface ResponseCheck {
        /**
         * @param response a response just received; throw to fail the test
         */
        void check(HttpResponse<String> response);
    }

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final String baseUrl;
    private final ResponseCheck check;

    /**
     * @param baseUrl e.g. {@code http://localhost:8080}
     */
    public TestHttp(String baseUrl) {
        this(baseUrl, response -> { });
    }

    /**
     * @param baseUrl e.g. {@code http://localhost:8080} (a trailing slash is dropped)
     * @param check   applied to every response
     */
    public TestHttp(String baseUrl, ResponseCheck check) {
        // @ServerTest injects the server's URI with a trailing slash: without stripping it every request
        // would go to //path, which the server happens to normalise but no client sends
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.check = check;
    }

    /**
     * A request builder for a path, with a 30 s timeout.
     *
     * @param path path and query
     * @return builder
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    }

    /**
     * @param path path and query
     * @return response
     */
    public HttpResponse<String> get(String path) {
        return send(request(path).GET());
    }

    /**
     * @param path  path
     * @param json  JSON body
     * @param token bearer token or null
     * @return response
     */
    public HttpResponse<String> postJson(String path, String json, String token) {
        HttpRequest.Builder builder = request(path)
                .header("Content-Type", "application/json")
                .expectContinue(isLarge(json))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return send(builder);
    }

    /**
     * Whether to send a body with {@code Expect: 100-continue}, as curl does for large bodies: a server that
     * refuses it (413) answers before the body is sent, instead of closing a connection the client is still
     * writing to.
     *
     * @param body request body
     * @return true above 64 KiB
     */
    public static boolean isLarge(String body) {
        return body.length() > 64 * 1024;
    }

    /**
     * A problem body less the ids of the request it answered, which differ for every request: what is left
     * is what tells one kind of failure from another.
     *
     * @param problem a problem+json body
     * @return the body without its {@code requestId} and {@code traceId} members
     */
    public static String withoutIds(String problem) {
        return problem.replaceAll("\"(requestId|traceId)\":\"[^\"]*\",?", "").replace(",}", "}");
    }

    /**
     * @param builder request
     * @return response
     */
    public HttpResponse<String> send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            check.check(response);
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
