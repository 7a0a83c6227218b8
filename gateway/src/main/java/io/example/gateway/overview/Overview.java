package io.example.gateway.overview;

import java.util.List;

/**
 * The answer of {@code GET /api/overview}.
 *
 * @param user         the caller's profile
 * @param recentOrders their newest orders, each line with its product's stock; null when the orders failed
 * @param degraded     the parts that could not be fetched: {@code user}, {@code orders}, {@code products}
 */
public record Overview(Profile user, List<Order> recentOrders, List<String> degraded) {
}
