package io.example.products.catalogue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.common.parameters.Parameters;

/**
 * The filters, order and page of a catalogue search, parsed from the query string.
 *
 * @param q        case-insensitive text in name or description
 * @param category exact category
 * @param minPrice lowest price
 * @param maxPrice highest price
 * @param inStock  true: only stock > 0; false: only stock = 0
 * @param sort     one of {@link #SORTS}
 * @param limit    1..100
 * @param offset   0..
 */
public record ProductQuery(String q, String category, BigDecimal minPrice, BigDecimal maxPrice, Boolean inStock,
                           String sort, int limit, int offset) {
    /** Accepted sort keys and their SQL; user input never reaches the SQL text. */
    public static final Map<String, String> SORTS = Map.of(
            "name", "LOWER(name) ASC, id ASC",
            "-name", "LOWER(name) DESC, id ASC",
            "price", "price ASC, id ASC",
            "-price", "price DESC, id ASC",
            "newest", "created_at DESC, id ASC");

    /**
     * Parse and validate; 400 listing every bad parameter.
     *
     * @param query query parameters
     * @return query
     */
    public static ProductQuery from(Parameters query) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String q = first(query, "q").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        if (q != null && q.length() > 100) {
            errors.add(new Problem.FieldError("q", "must be at most 100 characters"));
        }
        String category = first(query, "category").map(String::strip).filter(s -> !s.isEmpty()).orElse(null);
        BigDecimal minPrice = decimal(query, "minPrice", errors);
        BigDecimal maxPrice = decimal(query, "maxPrice", errors);
        if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
            errors.add(new Problem.FieldError("minPrice", "must not be greater than maxPrice"));
        }
        Boolean inStock = null;
        Optional<String> inStockText = first(query, "inStock");
        if (inStockText.isPresent()) {
            switch (inStockText.get()) {
                case "true" -> inStock = true;
                case "false" -> inStock = false;
                default -> errors.add(new Problem.FieldError("inStock", "must be true or false"));
            }
        }
        String sort = first(query, "sort").orElse("name");
        if (!SORTS.containsKey(sort)) {
            errors.add(new Problem.FieldError("sort", "must be one of price, -price, name, -name, newest"));
        }
        int limit = integer(query, "limit", 20, 1, 100, errors);
        int offset = integer(query, "offset", 0, 0, Integer.MAX_VALUE, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new ProductQuery(q, category, minPrice, maxPrice, inStock, sort, limit, offset);
    }

    private static Optional<String> first(Parameters query, String name) {
        return query.contains(name) ? Optional.of(query.get(name)) : Optional.empty();
    }

    private static BigDecimal decimal(Parameters query, String name, List<Problem.FieldError> errors) {
        Optional<String> text = first(query, name);
        if (text.isEmpty()) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text.get());
            if (value.signum() < 0) {
                errors.add(new Problem.FieldError(name, "must not be negative"));
            }
            return value;
        } catch (NumberFormatException e) {
            errors.add(new Problem.FieldError(name, "must be a number"));
            return null;
        }
    }

    private static int integer(Parameters query, String name, int defaultValue, int min, int max,
                               List<Problem.FieldError> errors) {
        Optional<String> text = first(query, name);
        if (text.isEmpty()) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(text.get());
            if (value < min || value > max) {
                errors.add(new Problem.FieldError(name, max == Integer.MAX_VALUE
                        ? "must be at least " + min : "must be between " + min + " and " + max));
            }
            return value;
        } catch (NumberFormatException e) {
            errors.add(new Problem.FieldError(name, "must be a whole number"));
            return defaultValue;
        }
    }
}
