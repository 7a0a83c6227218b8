package io.example.products.catalogue;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A product as stored and as clients see it.
 *
 * @param id          id
 * @param sku         stock keeping unit, unique
 * @param name        name
 * @param description description
 * @param category    category
 * @param price       unit price, at most 2 decimals
 * @param currency    ISO 4217 code
 * @param stock       units available now
 * @param createdAt   created
 * @param updatedAt   last changed (stock changes included)
 */
public record Product(String id, String sku, String name, String description, String category, BigDecimal price,
                      String currency, int stock, Instant createdAt, Instant updatedAt) {
}
