package io.example.commons.security;

import java.util.Optional;
import java.util.Set;

import io.example.commons.client.BackendFailures;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * What route handlers call to require a caller: {@code Authorization: Bearer <JWT>}, verified by
 * {@link JwtVerifier}. Missing or invalid: 401 with {@code WWW-Authenticate: Bearer}; valid without the
 * role: 403; not verifiable yet because the auth service's keys are not loaded: 503 with {@code Retry-After}.
 */
public final class BearerAuth {
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
        String token = token(req);
        return verifier.verify(token).orElseThrow(this::refusal);
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

    /**
     * The calling service, for routes only other services may call ({@code /internal/**}): a service token
     * of one of {@code clients} with {@code scope}. No or an invalid token: 401; a user's token (an
     * administrator's too), another service or a token without the scope: 403.
     *
     * @param req     request
     * @param scope   required scope, e.g. {@code inventory}
     * @param clients the services allowed, e.g. {@code order-service}
     * @return the caller
     */
    public ServiceCaller service(ServerRequest req, String scope, Set<String> clients) {
        String token = token(req);
        Optional<ServiceCaller> caller = verifier.verifyService(token);
        if (caller.isEmpty()) {
            if (verifier.verify(token).isPresent()) {
                throw forbidden("Only other services may call this; a user's token is not enough.");
            }
            throw refusal();
        }
        if (!clients.contains(caller.get().clientId()) || !caller.get().scopes().contains(scope)) {
            throw forbidden("This service may not call this operation.");
        }
        return caller.get();
    }

    private static String token(ServerRequest req) {
        return BearerToken.of(req).orElseThrow(BearerToken::missing);
    }

    // until the keys and the revocations are loaded a valid token would be refused too: a caller must not drop its session or its
    // service token for that, so the answer is 503, not 401
    private ProblemException refusal() {
        return verifier.ready() ? BearerToken.invalid("The access token is invalid or expired.")
                : BackendFailures.unavailable("auth-service");
    }

    private static ProblemException forbidden(String detail) {
        return new ProblemException(Problem.typed("forbidden", "Forbidden", Status.FORBIDDEN_403, detail));
    }
}
