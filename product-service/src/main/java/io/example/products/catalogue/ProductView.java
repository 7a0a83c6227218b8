package io.example.products.catalogue;

import io.example.products.StrictSettings;

import io.helidon.config.Config;

/**
 * What clients see of a product: the product as stored (v1), or with its {@link Availability} added (v2, the
 * canary release: {@code product.availability}, env {@code PRODUCT_AVAILABILITY}). One source tree makes both;
 * the v2 image only has the setting on. Chosen once, in {@code Main}.
 */
@FunctionalInterface
public interface ProductView {
    /** v1: exactly the contract's product. */
    ProductView AS_STORED = product -> product;

    /**
     * @param product a product
     * @return its answer
     */
    Record show(Product product);

    /**
     * @param page a page of products
     * @return the same page with each product shown
     */
    default Page<Record> show(Page<Product> page) {
        return page.map(this::show);
    }

    /**
     * @param config root config: {@code product.availability} (true or false) and
     *               {@code product.low.stock.threshold} (the most units that still read as low stock)
     * @return the view the settings ask for
     * @throws IllegalArgumentException for a setting that is not valid
     */
    static ProductView from(Config config) {
        boolean availability = StrictSettings.flag(config.get("product.availability"));
        int lowStockThreshold = StrictSettings.whole(config.get("product.low.stock.threshold"), 0, Integer.MAX_VALUE);
        return availability ? product -> AvailableProduct.of(product, lowStockThreshold) : AS_STORED;
    }
}
