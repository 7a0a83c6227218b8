package io.example.products.catalogue;

/**
 * How a product's stock reads to a shopper, in the answers of the canary release (v2, {@code product.availability}).
 */
public enum Availability {
    /** More than the low-stock threshold. */
    IN_STOCK,
    /** At or below the low-stock threshold, and above zero. */
    LOW_STOCK,
    /** None left. */
    OUT_OF_STOCK;

    /**
     * @param stock             units available
     * @param lowStockThreshold the most units that still count as low stock
     * @return the availability
     */
    static Availability of(int stock, int lowStockThreshold) {
        if (stock <= 0) {
            return OUT_OF_STOCK;
        }
        return stock <= lowStockThreshold ? LOW_STOCK : IN_STOCK;
    }
}
