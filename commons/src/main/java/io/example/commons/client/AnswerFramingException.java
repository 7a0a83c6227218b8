package io.example.commons.client;

/**
 * An answer that could not be trusted to belong to the request just sent (see {@link AnswerFramingCheck});
 * the connection it came on is not used again.
 */
public final class AnswerFramingException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    AnswerFramingException(String message) {
        super(message);
    }

    AnswerFramingException(String message, Throwable cause) {
        super(message, cause);
    }
}
