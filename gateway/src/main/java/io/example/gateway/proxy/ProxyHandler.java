package io.example.gateway.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

import io.example.commons.client.BackendFailures;
import io.example.commons.client.ServiceClients;
import io.example.commons.http.HeadResponse;
import io.example.commons.http.ProblemException;
import io.example.commons.http.RequestBody;
import io.example.commons.tracing.RequestInfo;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Passes a request to a backend with method, path, query, body and end-to-end headers intact, and its
 * answer back the same way. Hop-by-hop headers (RFC 9110 section 7.6.1) are dropped both ways.
 * A backend 5xx that is not problem+json is replaced by a generic problem, so no backend internals leak.
 */
public final class ProxyHandler implements Handler {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection", "te",
            "trailer", "transfer-encoding", "upgrade", "host", "content-length",
            // the gateway has read the whole body before it calls: a backend's interim 100 would be taken for its answer
            "expect");
    // the gateway's cache needs the full answer, whatever the client already holds
    private static final Set<String> CONDITIONAL = Set.of("if-none-match", "if-modified-since", "if-match",
                                                          "if-unmodified-since", "if-range");

    private static final Header FORWARDED_HTTP = HeaderValues.createCached(HeaderNames.X_FORWARDED_PROTO, "http");
    private static final Header FORWARDED_HTTPS = HeaderValues.createCached(HeaderNames.X_FORWARDED_PROTO, "https");

    /** Answers with a known length up to this size are relayed from memory; larger or chunked ones stream. */
    public static final int IN_ONE_PIECE_BYTES = 64 * 1024;

    private final Backend backend;
    private final String routeLabel;
    private final Consumer<ServerRequest> afterUnrefusedCall;

    public ProxyHandler(Backend backend, String routeLabel) {
        this(backend, routeLabel, req -> { });
    }

    /**
     * @param backend            where to send requests
     * @param routeLabel         metrics label
     * @param afterUnrefusedCall run when the backend did not refuse the request (anything but a 4xx, including
     *                           failures whose outcome is unknown), before the answer reaches the client: how
     *                           writes drop stale cache entries without a window where the client could read them
     */
    public ProxyHandler(Backend backend, String routeLabel, Consumer<ServerRequest> afterUnrefusedCall) {
        this.backend = backend;
        this.routeLabel = routeLabel;
        this.afterUnrefusedCall = afterUnrefusedCall;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        label(req, routeLabel);
        RequestTarget target = RequestTarget.of(req);
        byte[] body = readBody(req);
        try (HttpClientResponse answer = forward(req, target, body, false)) {
            int status = answer.status().code();
            if (status < 400 || status >= 500) {
                afterUnrefusedCall.accept(req);
            }
            // a HEAD went on as the GET it stands for (see forward): its answer goes back without the body
            relay(req, answer, req.prologue().method() == Method.HEAD ? HeadResponse.of(req, res) : res);
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            afterUnrefusedCall.accept(req);
            throw BackendFailures.toProblem(backend.name(), e);
        }
    }

    /**
     * Read a GET of the backend completely: what the product cache stores.
     *
     * @param req    the client's request
     * @param target its target, checked
     * @return the backend's answer (a non-problem 5xx already replaced by a generic problem)
     */
    public BackendAnswer fetch(ServerRequest req, RequestTarget target) {
        try (HttpClientResponse answer = forward(req, target, new byte[0], true)) {
            byte[] body = answer.status().code() == Status.NO_CONTENT_204.code() ? new byte[0]
                    : Backend.readBody(answer);
            String contentType = answer.headers().first(HeaderNames.CONTENT_TYPE).orElse(null);
            return backend.sanitised(new BackendAnswer(answer.status().code(), contentType, body));
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException | IOException e) {
            throw BackendFailures.toProblem(backend.name(), e);
        }
    }

    private HttpClientResponse forward(ServerRequest req, RequestTarget target, byte[] body, boolean unconditional) {
        // A HEAD goes on as the GET it stands for: Helidon's client drops the Content-Length of an answer to HEAD,
        // and the client is owed the GET's (RFC 9110 8.6)
        Method method = req.prologue().method() == Method.HEAD ? Method.GET : req.prologue().method();
        Http1ClientRequest out = backend.request(method, target.toString())
                .keepAlive(!ServiceClients.fresh(method));
        Set<String> connectionTokens = connectionTokens(req.headers().first(HeaderNames.CONNECTION).orElse(""));
        for (Header header : req.headers()) {
            if (forwardable(header, connectionTokens)
                    && !(unconditional && CONDITIONAL.contains(header.headerName().lowerCase()))) {
                out.header(header);
            }
        }
        out.header(HeaderValues.createCached(HeaderNames.X_FORWARDED_FOR, forwardedFor(req)));
        out.header(req.isSecure() ? FORWARDED_HTTPS : FORWARDED_HTTP);
        return body.length == 0 ? out.request() : out.submit(body);
    }

    private void relay(ServerRequest req, HttpClientResponse answer, ServerResponse res) throws IOException {
        int status = answer.status().code();
        if (status >= 500 && !Backend.isProblem(answer.headers().first(HeaderNames.CONTENT_TYPE).orElse(null))) {
            throw backend.failure(status);
        }
        res.status(answer.status());
        Set<String> answerTokens = connectionTokens(answer.headers().first(HeaderNames.CONNECTION).orElse(""));
        for (Header header : answer.headers()) {
            // what the gateway already answers with is its own (its X-Request-Id, which the backend echoes, and
            // its RateLimit-*): a backend's header of the same name never replaces it
            if (forwardable(header, answerTokens) && !res.headers().contains(header.headerName())) {
                res.headers().set(header);
            }
        }
        if (status == Status.NO_CONTENT_204.code() || status == Status.NOT_MODIFIED_304.code()) {
            res.send();
            return;
        }
        long length = answer.headers().contentLength().orElse(-1);
        if (length >= 0 && length <= IN_ONE_PIECE_BYTES) {
            // one read and one write with a Content-Length; streaming would allocate two 16 KiB copy
            // buffers and the response's write buffer for a body of a few hundred bytes
            res.send(Backend.readBody(answer));
            return;
        }
        try (InputStream in = answer.inputStream(); OutputStream os = res.outputStream()) {
            in.transferTo(os);
        }
    }

    /**
     * @param req        a request
     * @param routeLabel the route it is counted under in the metrics
     */
    public static void label(ServerRequest req, String routeLabel) {
        req.context().get(RequestInfo.class).ifPresent(info -> info.route(routeLabel));
    }

    private static byte[] readBody(ServerRequest req) {
        return req.content().hasEntity() ? RequestBody.readAll(req) : new byte[0];
    }

    // the client's own X-Forwarded-For lines, in order, then the address it connected from
    private static String forwardedFor(ServerRequest req) {
        String client = req.remotePeer().host();
        if (!req.headers().contains(HeaderNames.X_FORWARDED_FOR)) {
            return client;
        }
        return String.join(", ", req.headers().get(HeaderNames.X_FORWARDED_FOR).allValues()) + ", " + client;
    }

    private static boolean forwardable(Header header, Set<String> connectionTokens) {
        String name = header.headerName().lowerCase();
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
