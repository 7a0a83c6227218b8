package io.example.orders;

import java.math.BigDecimal;
import java.util.List;

/**
 * What every order event carries (its CloudEvents {@code data}): the order after the change. The change is
 * named by the event's type, which follows from the status the order entered.
 *
 * @param orderId  order id, also the event's subject and Kafka key
 * @param userId   owner
 * @param status   status after the change
 * @param total    sum of the line totals
 * @param currency ISO 4217 code
 * @param items    what the order holds
 */
public record OrderEvent(String orderId, String userId, OrderStatus status, BigDecimal total, String currency,
                         List<Item> items) {
    /** The aggregate type of order events. */
    public static final String AGGREGATE = "order";

    /**
     * @param productId product id
     * @param quantity  units
     * @param unitPrice price when ordered
     */
    public record Item(String productId, int quantity, BigDecimal unitPrice) {
    }

    /**
     * @param entered the status an order has just entered
     * @return the type of the event that announces it
     * @throws IllegalArgumentException for PENDING and FAILED: nobody outside ever sees such an order
     */
    public static String type(OrderStatus entered) {
        return switch (entered) {
            case CONFIRMED -> "io.example.order.placed";
            case CANCELLED -> "io.example.order.cancelled";
            case SHIPPED -> "io.example.order.shipped";
            case DELIVERED -> "io.example.order.delivered";
            case PENDING, FAILED -> throw new IllegalArgumentException("A " + entered + " order is never announced");
        };
    }
}
