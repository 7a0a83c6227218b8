package io.example.products.catalogue;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A product as the canary release (v2) answers it: every field of {@link Product}, and its availability. The
 * fields are {@link Product}'s, one for one (a test compares the two answers), so v2 only adds a field.
 *
 * @param id           id
 * @param sku          stock keeping unit
 * @param name         name
 * @param description  description
 * @param category     category
 * @param price        unit price
 * @param currency     ISO 4217 code
 * @param stock        units available now
 * @param createdAt    created
 * @param updatedAt    last changed
 * @param availability what the stock means to a shopper
 */
public record AvailableProduct(String id, String sku, String name, String description, String category,
                               BigDecimal price, String currency, int stock, Instant createdAt, Instant updatedAt,
                               Availability availability) {
    static AvailableProduct of(Product product, int lowStockThreshold) {
        return new AvailableProduct(product.id(), product.sku(), product.name(), product.description(),
                                    product.category(), product.price(), product.currency(), product.stock(),
                                    product.createdAt(), product.updatedAt(),
                                    Availability.of(product.stock(), lowStockThreshold));
    }
}
