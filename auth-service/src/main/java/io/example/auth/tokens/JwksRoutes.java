package io.example.auth.tokens;

import io.example.commons.http.Routes;
import io.example.commons.security.JwksDocument;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The JWK Set the other services verify tokens with, mounted at {@value #PREFIX} (and also served under the
 * public API, see {@link #send}).
 */
public final class JwksRoutes implements HttpService {
    /** Where Main mounts these routes. */
    public static final String PREFIX = "/.well-known";

    private final String jwks;

    /**
     * @param keys the keys whose public halves are published
     */
    public JwksRoutes(KeyRing keys) {
        this.jwks = JwksDocument.write(keys.published());
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.create()
                .get("/jwks.json", this::send)
                .register(rules);
    }

    /**
     * Answer with the JWK Set.
     *
     * @param req request
     * @param res response
     */
    public void send(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        res.send(jwks);
    }
}
