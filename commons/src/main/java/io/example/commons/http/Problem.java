package io.example.commons.http;

import java.util.List;

import io.helidon.http.Status;

/**
 * An RFC 9457 problem document: the body of every error response.
 *
 * @param type   a URI naming the kind of problem ({@code about:blank} when the status says it all)
 * @param title  short, human-readable summary of the kind of problem
 * @param status the HTTP status code
 * @param detail what went wrong with this request, safe to show to a client
 * @param errors    for validation problems, one entry per bad field; otherwise {@code null}
 * @param requestId the request it answers ({@code X-Request-Id}); set when it is sent ({@link #identified})
 * @param traceId   the W3C trace id of that request, 32 hex digits; set when it is sent
 */
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
                      String requestId, String traceId) {

    /** Base of the {@code type} URIs this project defines; documented in docs/api.md. */
    public static final String TYPE_BASE = "https://example.io/problems/";
    /** At most this many invalid fields are listed in a validation problem; its detail gives the count. */
    public static final int MAX_LISTED_ERRORS = 50;

    /**
     * One invalid field of a request.
     *
     * @param field   the field (or query parameter) name
     * @param message what is wrong with it
     */
    public record FieldError(String field, String message) {
    }

    /**
     * A problem not yet sent: the request's ids are added by {@link #identified}. (A factory, not a second
     * constructor: JSON-B binds a record through its one constructor.)
     *
     * @param type   type URI
     * @param title  title
     * @param status status
     * @param detail detail
     * @param errors the invalid fields, or {@code null}
     * @return problem
     */
    public static Problem of(String type, String title, int status, String detail, List<FieldError> errors) {
        return new Problem(type, title, status, detail, errors, null, null);
    }

    /**
     * The same problem naming the request it answers, so a user can quote both ids from an error.
     *
     * @param requestId request id
     * @param traceId   trace id
     * @return the problem as sent
     */
    public Problem identified(String requestId, String traceId) {
        return new Problem(type, title, status, detail, errors, requestId, traceId);
    }

    /**
     * A problem whose status names it well enough.
     *
     * @param status status
     * @param detail detail for the client
     * @return problem
     */
    public static Problem of(Status status, String detail) {
        return of("about:blank", status.reasonPhrase(), status.code(), detail, null);
    }

    /**
     * A problem of one of this project's own types.
     *
     * @param slug   last segment of the type URI, e.g. {@code out-of-stock}
     * @param title  title
     * @param status status
     * @param detail detail
     * @return problem
     */
    public static Problem typed(String slug, String title, Status status, String detail) {
        return of(TYPE_BASE + slug, title, status.code(), detail, null);
    }

    /**
     * A 400 listing each invalid field.
     *
     * @param errors the invalid fields
     * @return problem
     */
    public static Problem validation(List<FieldError> errors) {
        // a body of thousands of bad fields would otherwise be answered with several times its own size
        boolean cut = errors.size() > MAX_LISTED_ERRORS;
        String detail = cut ? "The request has " + errors.size() + " invalid fields; errors lists the first "
                + MAX_LISTED_ERRORS + "." : "The request has invalid fields; see errors.";
        return of(TYPE_BASE + "validation", "Invalid request", 400, detail,
                  List.copyOf(cut ? errors.subList(0, MAX_LISTED_ERRORS) : errors));
    }
}
