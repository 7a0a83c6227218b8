package io.example.commons.security;

import java.util.Locale;
import java.util.Optional;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * The {@code Authorization: Bearer <token>} scheme (RFC 6750): where a request's token is read, and the
 * 401 answers that challenge for one.
 */
public final class BearerToken {
    private static final String PREFIX = "bearer ";
    private static final String CHALLENGE = "Bearer realm=\"microservices-demo\"";
    private static final String INVALID_TOKEN_CHALLENGE = CHALLENGE + ", error=\"invalid_token\"";

    private BearerToken() {
    }

    /**
     * @param req request
     * @return the token of its {@code Authorization: Bearer} header (scheme case-insensitive), not yet verified;
     *         empty when there is no such header
     */
    public static Optional<String> of(ServerRequest req) {
        Optional<String> header = req.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isEmpty() || !header.get().toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return Optional.empty();
        }
        return Optional.of(header.get().substring(PREFIX.length()).trim());
    }

    /**
     * @return 401 with {@code WWW-Authenticate: Bearer}: the request carries no bearer token
     */
    public static ProblemException missing() {
        return unauthorized("A bearer token is required.", CHALLENGE);
    }

    /**
     * @param detail why the token is refused
     * @return 401 with {@code WWW-Authenticate: Bearer ..., error="invalid_token"}
     */
    public static ProblemException invalid(String detail) {
        return unauthorized(detail, INVALID_TOKEN_CHALLENGE);
    }

    private static ProblemException unauthorized(String detail, String challenge) {
        return new ProblemException(Problem.typed("unauthorized", "Unauthorized", Status.UNAUTHORIZED_401, detail))
                .withHeader("WWW-Authenticate", challenge);
    }
}
