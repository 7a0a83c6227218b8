package io.example.orders;

import java.util.Set;

/**
 * The life of an order. PENDING and FAILED are internal: such orders are never listed or shown.
 */
public enum OrderStatus {
    PENDING, CONFIRMED, SHIPPED, DELIVERED, CANCELLED, FAILED;

    /** The statuses a client can see (and filter by). */
    public static final Set<OrderStatus> VISIBLE = Set.of(CONFIRMED, SHIPPED, DELIVERED, CANCELLED);

    /**
     * @return the status an administrator may move this one to, or null
     */
    public OrderStatus next() {
        return switch (this) {
            case CONFIRMED -> SHIPPED;
            case SHIPPED -> DELIVERED;
            default -> null;
        };
    }
}
