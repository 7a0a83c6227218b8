package io.example.gateway.proxy;

import io.example.commons.http.ProblemException;

import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * The path and query of a client's request exactly as the client sent them, once they are known to be safe
 * to pass on: what the gateway forwards to a service and what the product cache keys on, so two requests
 * share a cache entry only when the service would receive the same bytes.
 *
 * <p>Nothing is ever decoded and encoded again. Refused with 400: a character that is not visible ASCII
 * (a control character, a space, or a byte above 0x7E), a {@code %} not followed by two hex digits, an
 * encoded control character ({@code %00}-{@code %1F}, {@code %7F}) and a fragment. A path a backend could
 * normalise into one the gateway does not route (a dot segment, an encoded separator) never gets here: the
 * gateway's server refuses it before routing, as every service's does ({@code StrictPath}).
 *
 * @param rawPath  path as received
 * @param rawQuery query as received, without the {@code ?}; empty when none
 */
public record RequestTarget(String rawPath, String rawQuery) {

    /**
     * @param req the client's request
     * @return its target
     * @throws ProblemException 400 when it is not safe to pass on
     */
    public static RequestTarget of(ServerRequest req) {
        if (req.prologue().fragment().hasValue()) {
            throw refused("The request target has a fragment.");
        }
        String rawPath = req.path().rawPath();
        String rawQuery = req.query().rawValue();
        requireStrictlyEncoded(rawPath, "path");
        requireStrictlyEncoded(rawQuery, "query");
        return new RequestTarget(rawPath, rawQuery);
    }

    /**
     * @return the request target to send: path, and {@code ?} and query when there is one
     */
    @Override
    public String toString() {
        return rawQuery.isEmpty() ? rawPath : rawPath + '?' + rawQuery;
    }

    private static void requireStrictlyEncoded(String raw, String part) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                // Helidon reads the request line as ASCII: any byte above 0x7E arrives here as U+FFFD
                throw refused("The " + part + " has a character that must be percent-encoded.");
            }
            if (c == '%') {
                int high = hexDigit(raw, i + 1);
                int low = hexDigit(raw, i + 2);
                if (high < 0 || low < 0) {
                    throw refused("The " + part + " has a '%' that is not followed by two hex digits.");
                }
                int decoded = high * 16 + low;
                if (decoded < 0x20 || decoded == 0x7F) {
                    throw refused("The " + part + " has an encoded control character.");
                }
                i += 2;
            }
        }
    }

    // ASCII hex digits only (Character.digit would also take other scripts' digits)
    private static int hexDigit(String text, int index) {
        if (index >= text.length()) {
            return -1;
        }
        char c = text.charAt(index);
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    private static ProblemException refused(String detail) {
        return ProblemException.of(Status.BAD_REQUEST_400, detail);
    }
}
