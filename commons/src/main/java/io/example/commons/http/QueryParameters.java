package io.example.commons.http;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.helidon.common.parameters.Parameters;

/**
 * The strict reading of a query string, the same for every route: a parameter the route does not know, a
 * parameter given twice, or a value with control characters is an error, as is a value that does not parse
 * exactly. Errors are collected; {@link #validated()} answers them all at once as one 400.
 *
 * <pre>{@code
 * QueryParameters query = QueryParameters.of(req.query(), Set.of("status", "limit", "offset"));
 * Optional<String> status = query.oneOf("status", STATUSES);
 * QueryParameters.Paging paging = query.paging();
 * query.validated();
 * }</pre>
 */
public final class QueryParameters {
    /**
     * Which page of a list: every list of the API takes {@code limit} (1 to {@value #MAX_LIMIT}, default
     * {@value #DEFAULT_LIMIT}; too large is refused, never clamped, so a client's bug shows) and {@code offset}
     * (from 0, default 0).
     *
     * @param limit  most items on the page
     * @param offset items skipped before it
     */
    public record Paging(int limit, int offset) {
    }

    /** Most items a page holds. */
    public static final int MAX_LIMIT = 100;
    /** Items on a page when the client does not say. */
    public static final int DEFAULT_LIMIT = 20;

    // digits with an optional fraction: no sign, exponent, spaces or non-ASCII digits (BigDecimal takes them all)
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,15}(\\.[0-9]{1,15})?");
    private static final Pattern WHOLE = Pattern.compile("[0-9]{1,10}");

    private final Parameters query;
    private final List<Problem.FieldError> errors = new ArrayList<>();

    private QueryParameters(Parameters query) {
        this.query = query;
    }

    /**
     * Start reading a query string.
     *
     * @param query the request's query parameters
     * @param known every parameter the route takes
     * @return the reader
     */
    public static QueryParameters of(Parameters query, Set<String> known) {
        QueryParameters parameters = new QueryParameters(query);
        try {
            for (String name : query.names()) {
                List<String> values = query.all(name);
                if (!known.contains(name)) {
                    parameters.invalid(name, "is not a parameter of this route");
                } else if (values.isEmpty()) {
                    parameters.invalid(name, "must have a value (name=value)");
                } else if (values.size() > 1) {
                    parameters.invalid(name, "must be given once");
                } else if (values.getFirst().chars().anyMatch(Character::isISOControl)) {
                    parameters.invalid(name, "must not contain control characters");
                }
            }
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("query", "is not valid percent-encoding");
        }
        return parameters;
    }

    /**
     * Optional text, stripped; empty counts as absent.
     *
     * @param name      parameter
     * @param maxLength most characters allowed
     * @return the text
     */
    public Optional<String> text(String name, int maxLength) {
        Optional<String> text = value(name).map(String::strip).filter(s -> !s.isEmpty());
        if (text.isPresent() && text.get().length() > maxLength) {
            invalid(name, "must be at most " + maxLength + " characters");
            return Optional.empty();
        }
        return text;
    }

    /**
     * A whole number written in ASCII digits, within bounds.
     *
     * @param name         parameter
     * @param defaultValue when absent
     * @param min          least allowed
     * @param max          most allowed
     * @return the number, or the default when absent or invalid
     */
    public int integer(String name, int defaultValue, int min, int max) {
        Optional<String> text = value(name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        if (WHOLE.matcher(text.get()).matches()) {
            long value = Long.parseLong(text.get());
            if (value >= min && value <= max) {
                return (int) value;
            }
        }
        invalid(name, max == Integer.MAX_VALUE ? "must be a whole number from " + min
                : "must be a whole number from " + min + " to " + max);
        return defaultValue;
    }

    /**
     * The paging parameters {@code limit} and {@code offset}, read the same way on every list (see {@link Paging}).
     *
     * @return the page asked for; the defaults where a parameter is absent or invalid
     */
    public Paging paging() {
        return new Paging(integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), integer("offset", 0, 0, Integer.MAX_VALUE));
    }

    /**
     * A non-negative decimal written as digits with an optional fraction ({@code 12}, {@code 12.50}).
     *
     * @param name parameter
     * @return the number
     */
    public Optional<BigDecimal> decimal(String name) {
        Optional<String> text = value(name);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!DECIMAL.matcher(text.get()).matches()) {
            invalid(name, "must be a non-negative decimal number such as 12.50");
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(text.get()));
    }

    /**
     * {@code true} or {@code false}, exactly.
     *
     * @param name parameter
     * @return the flag
     */
    public Optional<Boolean> bool(String name) {
        return value(name).flatMap(text -> switch (text) {
            case "true" -> Optional.of(Boolean.TRUE);
            case "false" -> Optional.of(Boolean.FALSE);
            default -> {
                invalid(name, "must be true or false");
                yield Optional.empty();
            }
        });
    }

    /**
     * One of a fixed set of words, exactly (case included).
     *
     * @param name    parameter
     * @param allowed the words
     * @return the word
     */
    public Optional<String> oneOf(String name, Collection<String> allowed) {
        Optional<String> text = value(name);
        if (text.isPresent() && !allowed.contains(text.get())) {
            invalid(name, "must be one of " + String.join(", ", allowed));
            return Optional.empty();
        }
        return text;
    }

    /**
     * Record an error found by the route's own rules (e.g. one parameter against another).
     *
     * @param name    parameter
     * @param message what is wrong
     */
    public void invalid(String name, String message) {
        errors.add(new Problem.FieldError(name, message));
    }

    /**
     * End of reading: 400 listing every bad parameter, if any.
     *
     * @throws ProblemException when a parameter was invalid
     */
    public void validated() {
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
    }

    // a parameter already reported (unknown, repeated, control characters) is not read again
    private Optional<String> value(String name) {
        if (!query.contains(name) || errors.stream().anyMatch(e -> e.field().equals(name))) {
            return Optional.empty();
        }
        return Optional.of(query.get(name));
    }
}
