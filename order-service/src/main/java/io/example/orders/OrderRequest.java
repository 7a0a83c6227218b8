package io.example.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

/**
 * The body of {@code POST /api/orders}.
 *
 * @param items products and quantities
 */
public record OrderRequest(List<Item> items) {
    /**
     * @param productId product id
     * @param quantity  1..100
     */
    public record Item(String productId, Integer quantity) {
    }

    /**
     * @return this request, or 400 listing every invalid field
     */
    public OrderRequest validated() {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (items == null || items.isEmpty()) {
            errors.add(new Problem.FieldError("items", "must hold at least one item"));
        } else if (items.size() > 50) {
            errors.add(new Problem.FieldError("items", "must hold at most 50 items"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                if (item == null || item.productId() == null || item.productId().isBlank()) {
                    errors.add(new Problem.FieldError("items[" + i + "].productId", "is required"));
                } else if (item.productId().length() > 36) {
                    errors.add(new Problem.FieldError("items[" + i + "].productId", "is not a product id"));
                } else if (!seen.add(item.productId())) {
                    errors.add(new Problem.FieldError("items[" + i + "].productId", "appears more than once"));
                }
                if (item != null && (item.quantity() == null || item.quantity() < 1 || item.quantity() > 100)) {
                    errors.add(new Problem.FieldError("items[" + i + "].quantity", "must be between 1 and 100"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return this;
    }

    /**
     * What makes two requests "the same" for an Idempotency-Key: the items, in any order.
     *
     * @return SHA-256 hex of the canonical items
     */
    public String fingerprint() {
        String canonical = items.stream()
                .sorted(Comparator.comparing(Item::productId))
                .map(item -> item.productId() + ":" + item.quantity())
                .collect(Collectors.joining(";"));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
