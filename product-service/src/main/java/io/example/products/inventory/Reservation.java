package io.example.products.inventory;

import java.math.BigDecimal;
import java.util.List;

/**
 * Stock held for an order, with the names and prices at the time of reservation.
 *
 * @param orderId order id
 * @param items   reserved lines
 */
public record Reservation(String orderId, List<Line> items) {
    /**
     * @param productId product id
     * @param name      product name when reserved
     * @param quantity  units held
     * @param unitPrice price when reserved
     */
    public record Line(String productId, String name, int quantity, BigDecimal unitPrice) {
    }
}
