package io.example.commons.http;

import io.example.commons.server.RequestFraming;

import io.helidon.config.Config;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * The largest request body a service takes ({@code server.max-payload-size}, in bytes), and the one wording of
 * the 413 that refuses a larger one, whether Helidon refuses it by its {@code Content-Length} or
 * {@link RequestBody} while reading it. The server's request filter puts it in every request's context.
 *
 * @param bytes the limit
 */
public record PayloadLimit(long bytes) {
    private static final long KIB = 1024;
    private static final long MIB = KIB * KIB;

    /**
     * @param root root config
     * @return the configured limit
     */
    public static PayloadLimit of(Config root) {
        return new PayloadLimit(root.get("server.max-payload-size").asLong().get());
    }

    /**
     * @param request a request served by a {@link io.example.commons.server.ServiceServer}
     * @return the limit of the server serving it
     */
    public static PayloadLimit of(ServerRequest request) {
        return request.context().get(PayloadLimit.class)
                .orElseThrow(() -> new IllegalStateException("no payload limit: the request was not served by ServiceServer"));
    }

    /**
     * @return what a client is told when its body is over the limit
     */
    public String detail() {
        return "The request body is larger than the " + size() + " limit.";
    }

    /**
     * @return the 413 for a body found over the limit while it was read, closing the connection (the rest of
     *         the body is not read)
     */
    public ProblemException exceeded() {
        return RequestFraming.closing(ProblemException.of(Status.REQUEST_ENTITY_TOO_LARGE_413, detail()));
    }

    private String size() {
        if (bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        return bytes % KIB == 0 ? bytes / KIB + " KiB" : bytes + " bytes";
    }
}
