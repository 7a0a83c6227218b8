package io.example.orders;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import io.example.commons.http.OrderLines;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

/**
 * The body of {@code POST /api/orders}.
 *
 * @param items products and quantities
 */
public record OrderRequest(List<OrderLines.Line> items) {
    /**
     * @return this request, or 400 listing every invalid field
     */
    public OrderRequest validated() {
        List<Problem.FieldError> errors = OrderLines.errors("items", items);
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
                .sorted(Comparator.comparing(OrderLines.Line::productId))
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
