package io.example.commons.server;

import java.util.Locale;

import io.example.commons.http.ErrorHandling;
import io.example.commons.http.Problem;

import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Refuses, with 400 and before routing, a path that Helidon would route as another path than the one it reads
 * as: a dot segment ({@code ..}, {@code .}), written plainly, percent-encoded ({@code %2e%2e}) or with segment
 * parameters ({@code ..;x}, which Helidon reads as {@code ..}); any segment parameters ({@code p-1;v=2} is served
 * as {@code p-1}: no route takes them); an empty segment ({@code //}, which the server merges); and an encoded
 * separator ({@code %2F}, {@code %5C}). (Helidon refuses a raw {@code \} itself.)
 *
 * <p>Whatever checks a path as text before a service sees it (Istio's AuthorizationPolicy, the gateway's route
 * table and cache) would otherwise allow one path and the service serve another:
 * {@code /api/auth/..;/..;/internal/revocations} matches {@code /api/auth/*} and was served as
 * {@code /internal/revocations}. No client of the API needs such a path (curl and browsers resolve dot segments
 * before sending), so every service refuses them alike.
 */
public final class StrictPath implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String hidden = hiddenSegment(req.path().rawPath());
        if (hidden != null) {
            ErrorHandling.send(req, res, Problem.of(Status.BAD_REQUEST_400, hidden));
            return;
        }
        chain.proceed();
    }

    /**
     * @param rawPath a path as sent, still percent-encoded
     * @return what is wrong with it for the client, or {@code null} when it is served as it reads
     */
    private static String hiddenSegment(String rawPath) {
        boolean parameters = rawPath.indexOf(';') >= 0;
        if (!parameters && rawPath.indexOf('%') < 0 && rawPath.indexOf('.') < 0 && !rawPath.contains("//")) {
            return null;     // nothing encoded, no dots, nothing Helidon drops: the common case
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        for (String segment : lower.replace("%2e", ".").split("/")) {
            int start = segment.indexOf(';');
            String name = start < 0 ? segment : segment.substring(0, start);
            if (name.equals(".") || name.equals("..")) {
                return "The path contains dot segments.";
            }
        }
        if (parameters) {
            return "The path contains segment parameters (';'), which no route takes.";
        }
        if (rawPath.contains("//")) {
            return "The path contains an empty segment ('//').";
        }
        if (lower.contains("%2f") || lower.contains("%5c")) {
            return "The path contains an encoded separator.";
        }
        return null;
    }
}
