package io.example.products.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

/**
 * What the order service asks to reserve.
 *
 * @param orderId the order the stock is for; the idempotency key of the reservation
 * @param items   products and quantities
 */
public record ReservationRequest(String orderId, List<Item> items) {
    /**
     * @param productId product id
     * @param quantity  units, 1..100
     */
    public record Item(String productId, Integer quantity) {
    }

    /**
     * @return this request, or 400 listing every invalid field
     */
    public ReservationRequest validated() {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (orderId == null || orderId.isBlank() || orderId.length() > 100) {
            errors.add(new Problem.FieldError("orderId", "is required, at most 100 characters"));
        }
        if (items == null || items.isEmpty() || items.size() > 50) {
            errors.add(new Problem.FieldError("items", "must hold 1 to 50 items"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                if (item == null || item.productId() == null || item.productId().isBlank()) {
                    errors.add(new Problem.FieldError("items[" + i + "].productId", "is required"));
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
}
