package io.example.gateway.ratelimit;

import java.util.Optional;

import io.example.commons.http.ErrorHandling;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.observe.ObservePaths;
import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.BearerToken;
import io.example.commons.security.JwtVerifier;

import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Rate limits every request before it is routed, per client: the user id of a valid bearer token, else the
 * client address. {@code POST /api/auth/login} has its own, stricter limit keyed by address only (a password
 * guesser has no token). Every response carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset}; a refused request gets 429 problem+json with {@code Retry-After}.
 * Errors answered by commons' error handler get the headers too ({@link ErrorHandling#keepOnError}); only
 * requests Helidon refuses before routing (a malformed request line, an oversized declared body) lack them.
 */
public final class RateLimitFilter implements Filter {
    private static final String LOGIN_PATH = "/api/auth/login";
    private static final HeaderName LIMIT = HeaderNames.create("RateLimit-Limit");
    private static final HeaderName REMAINING = HeaderNames.create("RateLimit-Remaining");
    private static final HeaderName RESET = HeaderNames.create("RateLimit-Reset");

    private final RateLimiter general;
    private final RateLimiter login;
    private final ClientAddress clients;
    private final JwtVerifier verifier;

    /**
     * @param general  the limit of every request but logins
     * @param login    the limit of {@code POST /api/auth/login}
     * @param clients  who a request's client is
     * @param verifier the verifier of bearer tokens
     */
    public RateLimitFilter(RateLimiter general, RateLimiter login, ClientAddress clients, JwtVerifier verifier) {
        this.general = general;
        this.login = login;
        this.clients = clients;
        this.verifier = verifier;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        RateLimiter.Decision decision;
        // the login path decoded (/api/auth/logi%6E is a login too), the probes' as sent (/api/../health/live is
        // refused by StrictPath, and counts like any refusal)
        if (req.prologue().method() == Method.POST && LOGIN_PATH.equals(req.path().path())) {
            decision = login.tryConsume("ip:" + clients.of(req));
        } else if (ObservePaths.ALL.contains(req.path().rawPath())) {
            // probes and scrapes are not client traffic: a busy client must not make its pod look unready
            decision = general.peek(key(req));
        } else {
            decision = general.tryConsume(key(req));
        }
        Header[] headers = headers(decision);
        if (!decision.allowed()) {
            ProblemException refused = new ProblemException(Problem.typed(
                    "rate-limited", "Too many requests", Status.TOO_MANY_REQUESTS_429,
                    "Too many requests; retry in " + decision.retryAfterSeconds() + " s."))
                    .withHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            for (Header header : headers) {
                refused.withHeader(header.name(), header.get());
            }
            throw refused;
        }
        for (Header header : headers) {
            res.header(header);
        }
        // the error path starts from a reset response: have it put these back
        ErrorHandling.keepOnError(req, headers);
        chain.proceed();
    }

    private String key(RoutingRequest req) {
        return user(req).map(user -> "user:" + user.id()).orElseGet(() -> "ip:" + clients.of(req));
    }

    // verified tokens are cached by hash in the verifier, so this costs a digest per request
    private Optional<AuthenticatedUser> user(RoutingRequest req) {
        return BearerToken.of(req).flatMap(verifier::verify);
    }

    // cached values: Helidon stores them as they are and writes each as one array, where a plain value is
    // copied into a list on every write
    private static Header[] headers(RateLimiter.Decision decision) {
        return new Header[] {
                HeaderValues.createCached(LIMIT, decision.limit()),
                HeaderValues.createCached(REMAINING, decision.remaining()),
                HeaderValues.createCached(RESET, decision.resetSeconds())
        };
    }
}
