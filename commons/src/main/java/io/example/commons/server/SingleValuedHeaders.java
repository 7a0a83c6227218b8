package io.example.commons.server;

import java.util.List;

import io.example.commons.http.ErrorHandling;
import io.example.commons.http.Problem;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Refuses with 400, before routing, a request that sends more than once a header the API reads one value of:
 * {@code Authorization}, {@code Content-Type} and {@code Idempotency-Key}. Each reader here takes the first, but
 * what stands before a service need not (a proxy may join the values with a comma, or keep the last), so the
 * credential checked, the body's type or the key an order is kept under could differ from hop to hop. None of
 * them is a list (RFC 9110 5.3): a second one is the client's error, answered before anything reads either.
 */
public final class SingleValuedHeaders implements Filter {
    private static final List<HeaderName> SINGLE = List.of(HeaderNames.AUTHORIZATION, HeaderNames.CONTENT_TYPE,
                                                           HeaderNames.create("Idempotency-Key"));

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        for (HeaderName name : SINGLE) {
            if (req.headers().all(name, List::of).size() > 1) {
                ErrorHandling.send(req, res, Problem.of(Status.BAD_REQUEST_400,
                                                        "Send the " + name.defaultCase() + " header once."));
                return;
            }
        }
        chain.proceed();
    }
}
