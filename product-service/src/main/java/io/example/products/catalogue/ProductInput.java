package io.example.products.catalogue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.http.VisibleText;

/**
 * The body of a product create or replace.
 *
 * <p>Bound strictly (see {@code Json.read}): {@code stock} only from a whole JSON number, {@code price} only from
 * a JSON number, text only from JSON strings without control characters; unknown fields are refused.
 *
 * @param sku         required, 1..64 characters, one line
 * @param name        required, 1..200 characters, one line
 * @param description optional, up to 2000 characters
 * @param category    required, 1..50 characters, one line (stored lower-case)
 * @param price       required, 0..9999999999.99 with at most 2 decimals
 * @param currency    optional ISO 4217 code, default EUR
 * @param stock       required, 0..1000000000
 */
public record ProductInput(String sku, String name, String description, String category, BigDecimal price,
                           String currency, Integer stock) {
    /** What a currency code must be, a product's or the one an order is in: the field error's message. */
    public static final String CURRENCY_RULE = "must be a 3-letter ISO 4217 code such as EUR";
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final BigDecimal MAX_PRICE = new BigDecimal("9999999999.99");

    /**
     * @return this input, or 400 listing every invalid field
     */
    public ProductInput validated() {
        List<Problem.FieldError> errors = new ArrayList<>();
        text("sku", sku, 64, errors);
        text("name", name, 200, errors);
        text("category", category, 50, errors);
        if (description != null && description.length() > 2000) {
            errors.add(new Problem.FieldError("description", "must be at most 2000 characters"));
        } else if (description != null && !VisibleText.isVisible(description)) {
            errors.add(new Problem.FieldError("description", VisibleText.RULE));
        }
        if (price == null) {
            errors.add(new Problem.FieldError("price", "is required"));
        } else if (price.signum() < 0 || price.compareTo(MAX_PRICE) > 0) {
            errors.add(new Problem.FieldError("price", "must be between 0 and " + MAX_PRICE));
        } else if (price.stripTrailingZeros().scale() > 2) {
            errors.add(new Problem.FieldError("price", "must have at most 2 decimals"));
        }
        if (currency != null && !isCurrency(currency)) {
            errors.add(new Problem.FieldError("currency", CURRENCY_RULE));
        }
        if (stock == null) {
            errors.add(new Problem.FieldError("stock", "is required"));
        } else if (stock < 0 || stock > 1_000_000_000) {
            errors.add(new Problem.FieldError("stock", "must be between 0 and 1000000000"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return this;
    }

    private static void text(String field, String value, int max, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "is required"));
        } else if (value.length() > max) {
            errors.add(new Problem.FieldError(field, "must be at most " + max + " characters"));
        } else if (!VisibleText.isOneLine(value)) {
            errors.add(new Problem.FieldError(field, "must be a single line"));
        } else if (!VisibleText.isVisible(value)) {
            // a category or name that reads as another one (a zero-width space, a right-to-left override)
            errors.add(new Problem.FieldError(field, VisibleText.RULE));
        }
    }

    /**
     * @param code a currency code as a client sent it
     * @return whether it is one ({@link #CURRENCY_RULE})
     */
    public static boolean isCurrency(String code) {
        return CURRENCY.matcher(code).matches();
    }
}
