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
 * parameters ({@code ..;x}, which Helidon reads as {@code ..}), and an encoded or backslash separator
 * ({@code %2F}, {@code %5C}, {@code \}).
 *
 * <p>Whatever checks a path as text before a service sees it (Istio's AuthorizationPolicy, the gateway's route
 * table) would otherwise allow one path and the service serve another: {@code /api/auth/..;/..;/internal/revocations}
 * matches {@code /api/auth/*} and was served as {@code /internal/revocations}. No client of the API needs such a
 * path (curl and browsers resolve dot segments before sending), so every service refuses them alike.
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
     * @return what is wrong with it for the client, or {@code null} when every segment is what it reads as
     */
    private static String hiddenSegment(String rawPath) {
        if (rawPath.indexOf('%') < 0 && rawPath.indexOf('.') < 0 && rawPath.indexOf('\\') < 0) {
            return null;     // nothing encoded, no dots: the common case
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2f") || lower.contains("%5c") || lower.indexOf('\\') >= 0) {
            return "The path contains an encoded separator.";
        }
        for (String segment : lower.replace("%2e", ".").split("/")) {
            int parameters = segment.indexOf(';');
            String name = parameters < 0 ? segment : segment.substring(0, parameters);
            if (name.equals(".") || name.equals("..")) {
                return "The path contains dot segments.";
            }
        }
        return null;
    }
}
