package io.example.gateway.proxy;

import io.example.commons.http.ProblemException;

import io.helidon.http.Header;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Refuses with 400, before any route handles it, a request the gateway could not pass on exactly as
 * received: a target {@link RequestTarget} refuses, or a header value with a character other than visible
 * ASCII, space and tab. Helidon reads header values as ASCII, so a byte above 0x7E (obs-text) arrives here
 * as U+FFFD and would leave as {@code ?}: three different non-ASCII {@code Idempotency-Key}s would reach the
 * order service as one.
 */
public final class StrictRequestFilter implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
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
