package io.example.commons.server;

import java.util.List;
import java.util.Set;

import io.example.commons.http.ErrorHandling;
import io.example.commons.http.PayloadLimit;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Refuses a request whose body framing is ambiguous before anything reads the body: 400 problem+json and the
 * connection closed, because the bytes after a doubtful body cannot be trusted to be the next request. It
 * also closes the connection after any answer marked {@link #closing}, e.g. a body whose chunks turned out
 * malformed while it was read.
 *
 * <p>Helidon 4.1.7 parsed {@code Content-Length} with {@code Long.parseLong} and took the first of several,
 * so {@code -1} was read as "chunked" (and waited forever), {@code +14} was 14, and {@code 14} next to
 * {@code 15} was 14; it read a chunked body when any {@code Transfer-Encoding} value was {@code chunked},
 * whatever else was listed or a {@code Content-Length} said. Helidon 4.5 refuses most of these itself (a list of
 * codings ending in {@code chunked} with 501); this filter keeps the services' one rule whatever the server's
 * release. Accepted here: no body headers, one
 * {@code Content-Length} of 1 to 18 digits, or one {@code Transfer-Encoding: chunked} alone. GET and HEAD
 * must not carry a body (RFC 9110 gives it no meaning and names it a smuggling risk): no route reads one, so a
 * malformed one would only be found after the answer.
 */
public final class RequestFraming implements Filter {
    private static final Set<Method> BODILESS = Set.of(Method.GET, Method.HEAD);
    private static final int MAX_LENGTH_DIGITS = 18;
    private static final Header CLOSE = HeaderValues.CONNECTION_CLOSE;

    private final PayloadLimit limit;

    /**
     * @param limit the server's payload limit, put in each request's context for whatever reads the body
     */
    public RequestFraming(PayloadLimit limit) {
        this.limit = limit;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        req.context().register(limit);
        String ambiguity = ambiguity(req);
        if (ambiguity != null) {
            res.header(CLOSE);
            ErrorHandling.send(req, res, Problem.of(Status.BAD_REQUEST_400, ambiguity));
            throw new CloseConnectionException("Ambiguous request framing");
        }
        chain.proceed();
        // Helidon 4.1.7 skipped the unread body of an answer marked Connection: close and then read on, taking the
        // rest of that body for the next request, and 4.5 still keeps such a connection open (helidon#12324): only
        // this exception makes it close the connection
        if (res.headers().contains(CLOSE)) {
            throw new CloseConnectionException("Request body unreadable as framed");
        }
    }

    // "chunked" exactly: Helidon 4.1.7 read a body only for the lower-case token, so "CHUNKED" (valid per RFC
    // 9112, which makes codings case-insensitive) left the body to be read as the next request
    private static String ambiguity(RoutingRequest req) {
        List<String> lengths = req.headers().all(HeaderNames.CONTENT_LENGTH, List::of);
        List<String> codings = req.headers().all(HeaderNames.TRANSFER_ENCODING, List::of);
        if (!codings.isEmpty()) {
            if (codings.size() > 1 || !lengths.isEmpty() || !"chunked".equals(codings.getFirst())) {
                return "Send a body with one Transfer-Encoding: chunked and no Content-Length, or with one Content-Length.";
            }
        } else if (!lengths.isEmpty() && (lengths.size() > 1 || !isDecimal(lengths.getFirst()))) {
            return "Content-Length must appear once, as a non-negative decimal number.";
        }
        boolean hasBody = !codings.isEmpty() || (!lengths.isEmpty() && Long.parseLong(lengths.getFirst()) > 0);
        if (hasBody && BODILESS.contains(req.prologue().method())) {
            return "A " + req.prologue().method().text() + " request takes no body.";
        }
        return null;
    }

    /**
     * The answer to a request whose body cannot be read as framed (thrown by whatever reads it): 400, and
     * the connection closed once the answer is sent.
     *
     * @param detail what is wrong, for the client
     * @return the exception to throw
     */
    public static ProblemException refused(String detail) {
        return closing(ProblemException.of(Status.BAD_REQUEST_400, detail));
    }

    /**
     * Mark a problem as one after which the connection is closed.
     *
     * @param problem the problem to answer
     * @return the same exception
     */
    public static ProblemException closing(ProblemException problem) {
        return problem.withHeader(CLOSE.name(), CLOSE.get());
    }

    private static boolean isDecimal(String value) {
        if (value.isEmpty() || value.length() > MAX_LENGTH_DIGITS) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
