package io.example.gateway.overview;

import java.util.List;

/**
 * The part of the order service's {@code GET /api/orders} page the overview uses.
 *
 * @param items the caller's orders, newest first
 */
public record OrderPage(List<Order> items) {
}
