package io.example.products.inventory;

import java.util.ArrayList;
import java.util.List;

import io.example.commons.http.OrderLines;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.products.catalogue.ProductInput;

/**
 * What the order service asks to reserve.
 *
 * @param orderId  the order the stock is for; the idempotency key of the reservation
 * @param items    products and quantities
 * @param currency the order's currency, when it has one: a product priced in another is refused (409), since an
 *                 order's total is one sum in one currency; absent, any currency is reserved
 */
public record ReservationRequest(String orderId, List<OrderLines.Line> items, String currency) {
    /**
     * @return this request, or 400 listing every invalid field
     */
    public ReservationRequest validated() {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (!Inventory.isOrderId(orderId)) {
            errors.add(new Problem.FieldError("orderId", "is required, at most " + Inventory.MAX_ORDER_ID_LENGTH
                    + " characters"));
        }
        errors.addAll(OrderLines.errors("items", items));
        if (currency != null && !ProductInput.isCurrency(currency)) {
            errors.add(new Problem.FieldError("currency", ProductInput.CURRENCY_RULE));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return this;
    }
}
