package io.example.commons.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The lines of an order, {@code [{"productId","quantity"}]}: what a client sends to the order API, and what
 * the order service sends on to the inventory API. One rule for both, so that the product service accepts
 * every line the order service accepted: 1 to {@value #MAX_LINES} lines, each product once, a product id of
 * at most {@value #MAX_PRODUCT_ID_LENGTH} characters (the product service's ids), a quantity from 1 to
 * {@value #MAX_QUANTITY}.
 */
public final class OrderLines {
    /** Most lines an order holds. */
    public static final int MAX_LINES = 50;
    /** Most units of one product an order holds. */
    public static final int MAX_QUANTITY = 100;
    /** Longest product id. */
    public static final int MAX_PRODUCT_ID_LENGTH = 36;

    /**
     * One line.
     *
     * @param productId the product's id
     * @param quantity  units, 1 to {@value #MAX_QUANTITY}
     */
    public record Line(String productId, Integer quantity) {
    }

    private OrderLines() {
    }

    /**
     * Check lines against the rule.
     *
     * @param field the lines' member in the request body (e.g. {@code items}), for the errors' paths
     * @param lines the lines as bound from the body; null when the member was absent
     * @return every invalid field by its path ({@code items[0].quantity}); empty when the lines are valid
     */
    public static List<Problem.FieldError> errors(String field, List<Line> lines) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (lines == null || lines.isEmpty() || lines.size() > MAX_LINES) {
            errors.add(new Problem.FieldError(field, "must hold 1 to " + MAX_LINES + " items"));
            return errors;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            String productId = field + "[" + i + "].productId";
            if (line == null || line.productId() == null || line.productId().isBlank()) {
                errors.add(new Problem.FieldError(productId, "is required"));
            } else if (line.productId().length() > MAX_PRODUCT_ID_LENGTH) {
                errors.add(new Problem.FieldError(productId, "is not a product id"));
            } else if (!seen.add(line.productId())) {
                errors.add(new Problem.FieldError(productId, "appears more than once"));
            }
            if (line != null && (line.quantity() == null || line.quantity() < 1 || line.quantity() > MAX_QUANTITY)) {
                errors.add(new Problem.FieldError(field + "[" + i + "].quantity", "must be between 1 and " + MAX_QUANTITY));
            }
        }
        return errors;
    }
}
