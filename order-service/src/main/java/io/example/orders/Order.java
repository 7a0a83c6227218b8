package io.example.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * An order as clients see it.
 *
 * @param id            id
 * @param userId        owner
 * @param status        current status
 * @param items         lines with the names and prices reserved
 * @param total         sum of line totals
 * @param currency      ISO 4217 code
 * @param createdAt     placed
 * @param updatedAt     last changed
 * @param statusHistory every status it has had, oldest first
 */
public record Order(String id, String userId, OrderStatus status, List<Line> items, BigDecimal total, String currency,
                    Instant createdAt, Instant updatedAt, List<StatusChange> statusHistory) {
    /**
     * @param productId product id
     * @param name      product name when ordered
     * @param quantity  units
     * @param unitPrice price when ordered
     * @param lineTotal unitPrice x quantity
     */
    public record Line(String productId, String name, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
    }

    /**
     * @param status status entered
     * @param at     when
     */
    public record StatusChange(OrderStatus status, Instant at) {
    }
}
