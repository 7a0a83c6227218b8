package io.example.commons.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.helidon.http.Status;

/**
 * Thrown by handlers and domain code to answer with a problem; the error handler renders it.
 */
public class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /**
     * Create from a problem document.
     *
     * @param problem the body to send
     */
    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    /**
     * A plain problem whose status says it all.
     *
     * @param status status
     * @param detail detail for the client
     * @return exception
     */
    public static ProblemException of(Status status, String detail) {
        return new ProblemException(Problem.of(status, detail));
    }

    /**
     * 400 listing the invalid fields.
     *
     * @param errors invalid fields
     * @return exception
     */
    public static ProblemException validation(List<Problem.FieldError> errors) {
        return new ProblemException(Problem.validation(errors));
    }

    /**
     * 400 for one invalid field or parameter.
     *
     * @param field   name of the field
     * @param message what is wrong
     * @return exception
     */
    public static ProblemException invalid(String field, String message) {
        return validation(List.of(new Problem.FieldError(field, message)));
    }

    /**
     * Add a response header (e.g. {@code WWW-Authenticate}, {@code Retry-After}, {@code Allow}).
     *
     * @param name  header name
     * @param value header value
     * @return this exception
     */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /**
     * @return the body to send
     */
    public Problem problem() {
        return problem;
    }

    /**
     * @return extra response headers
     */
    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }
}
