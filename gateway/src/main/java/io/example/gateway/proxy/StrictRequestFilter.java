package io.example.gateway.proxy;

import io.example.commons.http.ProblemException;

import io.helidon.http.Header;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Refuses with 400, before any route handles it, a request the gateway could not pass on exactly as
 * received: a {@code CONNECT}, a target {@link RequestTarget} refuses, or a header value with a character other
 * than visible ASCII, space and tab. Helidon reads header values as ASCII, so a byte above 0x7E (obs-text) arrives here
 * as U+FFFD and would leave as {@code ?}: three different non-ASCII {@code Idempotency-Key}s would reach the
 * order service as one.
 */
public final class StrictRequestFilter implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (req.prologue().method() == Method.CONNECT) {
            // a tunnel to the host:port its target names; the gateway is no tunnelling proxy, and Helidon's client
            // cannot send it on to a service, which answered a client's request with a 503 of its own
            throw ProblemException.of(Status.BAD_REQUEST_400, "CONNECT opens a tunnel; this server is not a proxy.");
        }
        RequestTarget.of(req);
        for (Header header : req.headers()) {
            for (String value : header.allValues()) {
                requireVisibleAscii(header.name(), value);
            }
        }
        chain.proceed();
    }

    private static void requireVisibleAscii(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c >= 0x7F) {
                throw ProblemException.of(Status.BAD_REQUEST_400,
                                          "The " + name + " header has a character other than visible ASCII.");
            }
        }
    }
}
