package io.example.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import io.example.commons.client.BackendFailures;
import io.example.commons.client.ServiceClients;
import io.example.commons.http.MediaTypes;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.common.uri.UriInfo;
import io.helidon.common.uri.UriPath;
import io.helidon.config.Config;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

/**
 * A service behind the gateway: its name (for errors, logs and the {@link BackendLatency} metric) and a client
 * with timeouts.
 *
 * @param name   service name, e.g. {@code product-service}
 * @param client client for its base URL
 */
public record Backend(String name, Http1Client client) {

    /**
     * @param name service name
     * @param node config node with {@code url}, {@code connect-timeout}, {@code read-timeout}
     * @return backend
     */
    public static Backend create(String name, Config node) {
        return new Backend(name, ServiceClients.create(node, new BackendLatency(name)));
    }

    /**
     * A GET made by the gateway itself (not on behalf of a client's own request line), read completely.
     *
     * @param encodedPathAndQuery path and query, already percent-encoded
     * @param headers             headers to send, e.g. the client's {@code Authorization}
     * @return the answer
     * @throws ProblemException 503 or 504 when the backend cannot be reached in time
     */
    public BackendAnswer get(String encodedPathAndQuery, Header... headers) {
        Http1ClientRequest request = request(Method.GET, encodedPathAndQuery);
        for (Header header : headers) {
            request.header(header);
        }
        try (HttpClientResponse answer = request.request()) {
            byte[] body = readBody(answer);
            return sanitised(new BackendAnswer(answer.status().code(),
                                               answer.headers().first(HeaderNames.CONTENT_TYPE).orElse(null),
                                               body));
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw BackendFailures.toProblem(name, e);
        }
    }

    /**
     * A request whose target is written exactly as given, byte for byte. Helidon's client would parse a
     * target given as a URI into a decoded path and query parameters and write them decoded
     * ({@code skipUriEncoding}) or encoded again, never as they were: so the whole target goes in as one raw
     * path, which it writes unchanged.
     *
     * @param method    method
     * @param rawTarget path and query, already percent-encoded
     * @return the request, to add headers to and send
     */
    Http1ClientRequest request(Method method, String rawTarget) {
        UriInfo base = client.prototype().baseUri().orElseThrow();
        UriInfo target = UriInfo.builder()
                .scheme(base.scheme())
                .host(base.host())
                .port(base.port())
                .path(UriPath.create(rawTarget))
                .build();
        return client.method(method).uri(ClientUri.create(target));
    }

    /**
     * Read an answer's body: with one exact-size read when its length is known (reading to the end would
     * copy through 16 KiB buffers for a body of a few hundred bytes), else to the end.
     *
     * @param answer the backend's answer
     * @return its body
     * @throws IOException when reading fails
     */
    static byte[] readBody(HttpClientResponse answer) throws IOException {
        long length = answer.headers().contentLength().orElse(-1);
        try (InputStream in = answer.inputStream()) {
            return length >= 0 && length <= Integer.MAX_VALUE ? in.readNBytes((int) length) : in.readAllBytes();
        }
    }

    /**
     * @param answer a complete answer
     * @return the same answer, unless it is a 5xx whose body is not problem+json
     * @throws ProblemException a generic problem with the same status instead of such a 5xx
     */
    BackendAnswer sanitised(BackendAnswer answer) {
        if (answer.status() >= 500 && !isProblem(answer.contentType())) {
            throw failure(answer.status());
        }
        return answer;
    }

    /**
     * The body of a backend's non-problem 5xx could be a stack trace or a proxy's HTML page: never relay it.
     *
     * @param status the backend's status
     * @return a generic problem with that status
     */
    ProblemException failure(int status) {
        return new ProblemException(Problem.typed("backend-failure", "Backend failure", Status.create(status),
                                                  name + " failed to handle the request."));
    }

    /**
     * @param contentType a Content-Type, or null
     * @return whether it is problem+json
     */
    static boolean isProblem(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(MediaTypes.PROBLEM_JSON);
    }
}
