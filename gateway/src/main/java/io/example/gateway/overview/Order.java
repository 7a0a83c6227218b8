package io.example.gateway.overview;

import java.math.BigDecimal;
import java.util.List;

/**
 * An order as the order service answers it; in the overview each line also carries its product's stock.
 *
 * @param id            order id
 * @param userId        owner
 * @param status        status
 * @param items         lines
 * @param total         total
 * @param currency      currency
 * @param createdAt     creation time
 * @param updatedAt     time of the last change
 * @param statusHistory status changes
 */
public record Order(String id, String userId, String status, List<Line> items, BigDecimal total, String currency,
                    String createdAt, String updatedAt, List<StatusChange> statusHistory) {

    Order withItems(List<Line> lines) {
        return new Order(id, userId, status, lines, total, currency, createdAt, updatedAt, statusHistory);
    }

    /**
     * An order line.
     *
     * @param productId product
     * @param name      product name when ordered
     * @param quantity  quantity
     * @param unitPrice unit price when ordered
     * @param lineTotal line total
     * @param stock     the product's current stock (overview only); null when unknown
     */
    public record Line(String productId, String name, Integer quantity, BigDecimal unitPrice, BigDecimal lineTotal,
                       Long stock) {
        Line withStock(Long units) {
            return new Line(productId, name, quantity, unitPrice, lineTotal, units);
        }
    }

    /**
     * A status change.
     *
     * @param status the new status
     * @param at     when
     */
    public record StatusChange(String status, String at) {
    }
}
