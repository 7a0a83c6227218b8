package io.example.auth.tokens;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.example.commons.http.Json;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.http.QueryParameters;
import io.example.commons.http.Routes;
import io.example.commons.security.ServiceTokens;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * What the other services ask the auth service for (never routed by the gateway; in the mesh only the
 * services may call it), mounted at {@value #PREFIX}: the revocation feed their verifiers poll, and service tokens.
 */
public final class InternalTokenRoutes implements HttpService {
    /** Where Main mounts these routes. */
    public static final String PREFIX = "/internal";

    private final RevokedSessionRepository revokedSessions;
    private final ServiceTokenIssuer serviceTokens;

    /**
     * @param revokedSessions the revoked sessions
     * @param serviceTokens   the service token issuer
     */
    public InternalTokenRoutes(RevokedSessionRepository revokedSessions, ServiceTokenIssuer serviceTokens) {
        this.revokedSessions = revokedSessions;
        this.serviceTokens = serviceTokens;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.create()
                .getWithQuery("/revocations", this::revocations)
                .post("/service-tokens", this::serviceToken)
                .register(rules);
    }

    private void revocations(ServerRequest req, ServerResponse res) {
        QueryParameters query = QueryParameters.of(req.query(), Set.of("since"));
        String since = query.text("since", 100).orElse(null);
        if (since != null && !RevokedSessionRepository.isCursor(since)) {
            query.invalid("since", "must be a cursor this feed returned");
        }
        query.validated();
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(revokedSessions.since(since));
    }

    private void serviceToken(ServerRequest req, ServerResponse res) {
        ServiceTokens.Request request = Json.read(req, ServiceTokens.Request.class);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request.clientId() == null || request.clientId().isBlank()) {
            errors.add(new Problem.FieldError("clientId", "is required"));
        }
        if (request.clientSecret() == null || request.clientSecret().isEmpty()) {
            errors.add(new Problem.FieldError("clientSecret", "is required"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        ServiceTokens.Answer answer = serviceTokens.issue(request.clientId(), request.clientSecret())
                .orElseThrow(() -> new ProblemException(Problem.typed("invalid-client", "Invalid client",
                                                                      Status.UNAUTHORIZED_401,
                                                                      "The client id or secret is wrong.")));
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(answer);
    }
}
