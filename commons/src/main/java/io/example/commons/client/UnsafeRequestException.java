package io.example.commons.client;

/**
 * A request that was not sent because it would not reach the other service as written: a character in its
 * request line or a header value that would end the line early, hide a second request, or be transformed on
 * the way (see {@link OutgoingRequestCheck}).
 */
public final class UnsafeRequestException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UnsafeRequestException(String message) {
        super(message);
    }
}
