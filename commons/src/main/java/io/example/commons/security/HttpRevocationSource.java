package io.example.commons.security;

import io.example.commons.client.ServiceClients;
import io.example.commons.http.Json;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.config.Config;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

/**
 * The auth service's revocation feed ({@code GET /internal/revocations}), read over HTTP.
 */
public final class HttpRevocationSource implements RevocationSource {
    private final Http1Client authService;

    /**
     * @param authService client for the auth service (with timeouts)
     */
    public HttpRevocationSource(Http1Client authService) {
        this.authService = authService;
    }

    /**
     * @param root root config ({@code auth.service.*})
     * @return source
     */
    public static HttpRevocationSource create(Config root) {
        return new HttpRevocationSource(ServiceClients.create(root.get("auth.service")));
    }

    @Override
    public RevocationFeed since(String cursor) {
        // not on behalf of any request: no request id or trace headers of one
        return Contexts.runInContext(Context.create(), () -> fetch(cursor));
    }

    private RevocationFeed fetch(String cursor) {
        Http1ClientRequest request = authService.get(RevocationFeed.PATH);
        if (cursor != null) {
            request.queryParam("since", cursor);
        }
        try (HttpClientResponse response = request.request()) {
            if (response.status().code() != 200) {
                throw new IllegalStateException("the revocation feed answered " + response.status().code());
            }
            return Json.JSONB.fromJson(response.as(String.class), RevocationFeed.class);
        }
    }
}
