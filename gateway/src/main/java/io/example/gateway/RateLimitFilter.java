package io.example.gateway;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.example.commons.http.ErrorHandling;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.JwtVerifier;
import io.example.commons.tracing.RequestInfo;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.Method;
import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Rate limits every request before it is routed, per client: the user id of a valid bearer token, else the
 * client address. {@code POST /api/auth/login} has its own, stricter limit keyed by address only (a password
 * guesser has no token). Every response carries {@code RateLimit-Limit}, {@code RateLimit-Remaining} and
 * {@code RateLimit-Reset}; a refused request gets 429 problem+json with {@code Retry-After}.
 *
 * <p>The error handler starts from a reset response, so headers set here would be lost on an error path:
 * exceptions passing through this filter get the headers attached, the way commons' error handler re-applies
 * them.
 */
final class RateLimitFilter implements Filter {
    private static final Logger LOGGER = Logger.getLogger(RateLimitFilter.class.getName());
    private static final String LOGIN_PATH = "/api/auth/login";
    private static final String BEARER = "bearer ";
    // probes and scrapes are not client traffic: a busy client must not make its pod look unready
    private static final Set<String> UNLIMITED = Set.of("/health", "/health/live", "/health/ready", "/metrics");

    private final RateLimiter general;
    private final RateLimiter login;
    private final ClientAddress clients;
    private final JwtVerifier verifier;

    RateLimitFilter(RateLimiter general, RateLimiter login, ClientAddress clients, JwtVerifier verifier) {
        this.general = general;
        this.login = login;
        this.clients = clients;
        this.verifier = verifier;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        RateLimiter.Decision decision;
        if (req.prologue().method() == Method.POST && LOGIN_PATH.equals(path)) {
            decision = login.tryConsume("ip:" + clients.of(req));
        } else if (UNLIMITED.contains(path)) {
            decision = general.peek(key(req));
        } else {
            decision = general.tryConsume(key(req));
        }
        Map<String, String> headers = headers(decision);
        if (!decision.allowed()) {
            ProblemException refused = new ProblemException(Problem.typed(
                    "rate-limited", "Too many requests", Status.TOO_MANY_REQUESTS_429,
                    "Too many requests; retry in " + decision.retryAfterSeconds() + " s."))
                    .withHeader("Retry-After", Long.toString(decision.retryAfterSeconds()));
            headers.forEach(refused::withHeader);
            throw refused;
        }
        headers.forEach(res::header);
        try {
            chain.proceed();
        } catch (ProblemException e) {
            headers.forEach(e::withHeader);
            throw e;
        } catch (HttpException e) {
            headers.forEach((name, value) -> e.header(HeaderValues.create(name, value)));
            throw e;
        } catch (RequestException e) {
            headers.forEach((name, value) -> e.responseHeaders().set(HeaderNames.create(name), value));
            throw e;
        } catch (CloseConnectionException | UncheckedIOException e) {
            // the connection is gone or going: nothing can be answered
            throw e;
        } catch (RuntimeException e) {
            throw withHeaders(req, e, headers);
        }
    }

    // An unexpected failure: log it as commons' handler would, and answer the same problem with the headers.
    private static ProblemException withHeaders(RoutingRequest req, RuntimeException error, Map<String, String> headers) {
        Problem problem = ErrorHandling.toProblem(error);
        if (problem.status() >= 500) {
            String requestId = req.context().get(RequestInfo.class).map(RequestInfo::requestId).orElse("-");
            LOGGER.log(Level.SEVERE, "Unexpected failure of " + req.prologue().method().text() + " "
                    + req.path().path() + " rid=" + requestId, error);
        }
        ProblemException wrapped = new ProblemException(problem);
        headers.forEach(wrapped::withHeader);
        return wrapped;
    }

    private String key(RoutingRequest req) {
        return user(req).map(user -> "user:" + user.id()).orElseGet(() -> "ip:" + clients.of(req));
    }

    // verified tokens are cached by hash in the verifier, so this costs a digest per request
    private Optional<AuthenticatedUser> user(RoutingRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() || !header.get().toLowerCase(Locale.ROOT).startsWith(BEARER)) {
            return Optional.empty();
        }
        return verifier.verify(header.get().substring(BEARER.length()).trim());
    }

    private static Map<String, String> headers(RateLimiter.Decision decision) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Limit", Long.toString(decision.limit()));
        headers.put("RateLimit-Remaining", Long.toString(decision.remaining()));
        headers.put("RateLimit-Reset", Long.toString(decision.resetSeconds()));
        return headers;
    }
}
