package io.example.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Locale;
import java.util.Set;

import io.example.commons.client.BackendFailures;
import io.example.commons.http.ProblemException;
import io.example.commons.tracing.RequestInfo;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Passes a request to a backend with method, path, query, body and end-to-end headers intact, and its
 * answer back the same way. Hop-by-hop headers (RFC 9110 section 7.6.1) are dropped both ways.
 */
final class ProxyHandler implements Handler {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length");

    private final Backend backend;
    private final String routeLabel;

    ProxyHandler(Backend backend, String routeLabel) {
        this.backend = backend;
        this.routeLabel = routeLabel;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        req.context().get(RequestInfo.class).ifPresent(info -> info.route(routeLabel));
        requireSafePath(req.path().rawPath());
        byte[] body = readBody(req);

        HttpClientRequest out = backend.client()
                .method(req.prologue().method())
                .skipUriEncoding(true)
                .uri(URI.create(targetPathAndQuery(req)));
        Set<String> connectionTokens = connectionTokens(req.headers().first(HeaderNames.CONNECTION).orElse(""));
        for (Header header : req.headers()) {
            if (forwardable(header, connectionTokens)) {
                out.header(header);
            }
        }
        out.header(HeaderNames.X_FORWARDED_FOR, forwardedFor(req));
        out.header(HeaderNames.X_FORWARDED_PROTO, req.isSecure() ? "https" : "http");

        try (HttpClientResponse answer = body.length == 0 ? out.request() : out.submit(body)) {
            res.status(answer.status());
            Set<String> answerTokens = connectionTokens(answer.headers().first(HeaderNames.CONNECTION).orElse(""));
            for (Header header : answer.headers()) {
                if (forwardable(header, answerTokens)) {
                    res.headers().set(header);
                }
            }
            if (answer.status().code() == Status.NO_CONTENT_204.code()
                    || answer.status().code() == Status.NOT_MODIFIED_304.code()) {
                res.send();
                return;
            }
            try (InputStream in = answer.inputStream(); OutputStream os = res.outputStream()) {
                in.transferTo(os);
            }
        } catch (UncheckedIOException | IOException e) {
            throw BackendFailures.toProblem(backend.name(), e);
        }
    }

    private static String targetPathAndQuery(ServerRequest req) {
        String query = req.query().rawValue();
        return req.path().rawPath() + (query.isEmpty() ? "" : "?" + query);
    }

    // A path that decodes to dot segments or hides a '/' could be normalised by the backend into a path the
    // gateway never routes (e.g. /api/products/%2e%2e/internal/...): refuse it here.
    private static void requireSafePath(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")) {
            throw ProblemException.of(Status.BAD_REQUEST_400, "The path contains an encoded separator.");
        }
        for (String segment : lower.replace("%2e", ".").split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                throw ProblemException.of(Status.BAD_REQUEST_400, "The path contains dot segments.");
            }
        }
    }

    private static byte[] readBody(ServerRequest req) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        try (InputStream in = req.content().inputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String forwardedFor(ServerRequest req) {
        String client = req.remotePeer().host();
        return req.headers().first(HeaderNames.X_FORWARDED_FOR)
                .map(existing -> existing + ", " + client)
                .orElse(client);
    }

    private static boolean forwardable(Header header, Set<String> connectionTokens) {
        String name = header.name().toLowerCase(Locale.ROOT);
        return !HOP_BY_HOP.contains(name) && !connectionTokens.contains(name)
                && !name.equals("x-forwarded-for") && !name.equals("x-forwarded-proto");
    }

    private static Set<String> connectionTokens(String connection) {
        if (connection.isBlank()) {
            return Set.of();
        }
        return Set.of(connection.toLowerCase(Locale.ROOT).replace(" ", "").split(","));
    }
}
