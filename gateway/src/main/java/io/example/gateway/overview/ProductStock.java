package io.example.gateway.overview;

/**
 * The part of the product service's {@code GET /api/products/{id}} the overview uses.
 *
 * @param stock units in stock
 */
public record ProductStock(Long stock) {
}
