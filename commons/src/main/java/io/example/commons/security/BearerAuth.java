package io.example.commons.security;

import java.util.Locale;

import io.example.commons.client.BackendFailures;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * What route handlers call to require a caller: {@code Authorization: Bearer <JWT>}, verified by
 * {@link JwtVerifier}. Missing or invalid: 401 with {@code WWW-Authenticate: Bearer}; valid without the
 * role: 403; not verifiable yet because the auth service's keys are not loaded: 503 with {@code Retry-After}.
 */
public final class BearerAuth {
    private static final String PREFIX = "bearer ";
    private final JwtVerifier verifier;

    /**
     * @param verifier the token verifier
     */
    public BearerAuth(JwtVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * The authenticated caller, or 401.
     *
     * @param req request
     * @return user
     */
    public AuthenticatedUser user(ServerRequest req) {
        String header = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
        if (header == null || !header.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            throw unauthorized("A bearer token is required.", "Bearer realm=\"microservices-demo\"");
        }
        String token = header.substring(PREFIX.length()).trim();
        return verifier.verify(token)
                .orElseThrow(() -> verifier.hasKeys()
                        ? unauthorized("The access token is invalid or expired.",
                                       "Bearer realm=\"microservices-demo\", error=\"invalid_token\"")
                        // until the keys are loaded a valid token would be refused: a client must not drop its session
                        : BackendFailures.unavailable("auth-service"));
    }

    /**
     * The authenticated caller holding {@code role}: 401 without a valid token, 403 without the role.
     *
     * @param req  request
     * @param role required role
     * @return user
     */
    public AuthenticatedUser userWithRole(ServerRequest req, String role) {
        AuthenticatedUser user = user(req);
        if (!user.hasRole(role)) {
            throw new ProblemException(Problem.typed("forbidden", "Forbidden", Status.FORBIDDEN_403,
                                                     "This operation requires the " + role + " role."));
        }
        return user;
    }

    /**
     * @param req request
     * @return an administrator, or 401/403
     */
    public AuthenticatedUser admin(ServerRequest req) {
        return userWithRole(req, AuthenticatedUser.ADMIN);
    }

    private static ProblemException unauthorized(String detail, String challenge) {
        return new ProblemException(Problem.typed("unauthorized", "Unauthorized", Status.UNAUTHORIZED_401, detail))
                .withHeader("WWW-Authenticate", challenge);
    }
}
