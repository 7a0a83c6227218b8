package io.example.commons.client;

import io.helidon.http.Header;
import io.helidon.webclient.api.WebClientServiceRequest;
import io.helidon.webclient.api.WebClientServiceResponse;
import io.helidon.webclient.spi.WebClientService;

/**
 * The last look at a request before it is written to another service, on exactly the text the HTTP/1.1
 * client writes: the method is a token, the request target is visible ASCII, every header name is a token
 * and every header value visible ASCII, spaces or tabs. Anything else (a CR or LF that would end a line early
 * and start a second request, another control character, or a non-ASCII character, which Helidon's client
 * writes as {@code ?} so that different values arrive as the same one) fails the call with an
 * {@link UnsafeRequestException} before a byte is sent.
 */
final class OutgoingRequestCheck implements WebClientService {
    // every request's header names pass through it
    private static final boolean[] TOKEN_CHARS = tokenChars();

    @Override
    public WebClientServiceResponse handle(Chain chain, WebClientServiceRequest request) {
        requireToken("method", request.method().text());
        String target = request.uri().pathWithQueryAndFragment();
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= ' ' || c >= 0x7F) {
                throw new UnsafeRequestException("The request target has a character that cannot be sent at " + i + ".");
            }
        }
        for (Header header : request.headers()) {
            requireToken("header name", header.name());
            for (String value : header.allValues()) {
                requireFieldValue(header.name(), value);
            }
        }
        return chain.proceed(request);
    }

    private static void requireToken(String what, String text) {
        if (text.isEmpty()) {
            throw new UnsafeRequestException("The " + what + " is empty.");
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                throw new UnsafeRequestException("The " + what + " has a character that cannot be sent.");
            }
        }
    }

    private static void requireFieldValue(String name, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < ' ' && c != '\t') || c >= 0x7F) {
                throw new UnsafeRequestException("The value of " + name + " has a character that cannot be sent.");
            }
        }
    }

    private static boolean isTokenChar(char c) {
        return c < TOKEN_CHARS.length && TOKEN_CHARS[c];
    }

    // RFC 9110 section 5.6.2: tchar
    private static boolean[] tokenChars() {
        boolean[] token = new boolean[128];
        for (char c = '!'; c <= '~'; c++) {
            token[c] = Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
        }
        return token;
    }
}
