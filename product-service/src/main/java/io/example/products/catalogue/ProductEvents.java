package io.example.products.catalogue;

import java.math.BigDecimal;

import io.example.commons.events.EventDraft;
import io.example.commons.events.Topics;

/**
 * The catalogue's events on the {@code products} topic, keyed by product id: a product created, updated (stock
 * set by an administrator included) or deleted, and its stock moved by a reservation, a release or an expired
 * hold. The repository and the inventory record them in the transaction of the change.
 */
public final class ProductEvents {
    /** A reservation took the units. */
    public static final String RESERVED = "reserved";
    /** A release (a cancelled or failed order) gave them back. */
    public static final String RELEASED = "released";
    /** A hold nobody confirmed gave them back. */
    public static final String EXPIRED = "expired";

    private static final String AGGREGATE = "product";

    /**
     * The payload of {@code created} and {@code updated}: the product after the change.
     *
     * @param productId id
     * @param sku       SKU
     * @param name      name
     * @param category  category
     * @param price     unit price
     * @param currency  ISO 4217 code
     * @param stock     units available
     */
    public record Snapshot(String productId, String sku, String name, String category, BigDecimal price,
                           String currency, int stock) {
    }

    /**
     * The payload of {@code deleted}.
     *
     * @param productId id
     */
    public record Deleted(String productId) {
    }

    /**
     * The payload of {@code stock-changed}.
     *
     * @param productId id
     * @param stock     units available after the change
     * @param change    units taken (negative) or given back (positive)
     * @param reason    {@link #RESERVED}, {@link #RELEASED} or {@link #EXPIRED}
     */
    public record StockChanged(String productId, int stock, int change, String reason) {
    }

    private ProductEvents() {
    }

    static EventDraft created(Product product) {
        return draft("created", product.id(), snapshot(product));
    }

    static EventDraft updated(Product product) {
        return draft("updated", product.id(), snapshot(product));
    }

    static EventDraft deleted(String productId) {
        return draft("deleted", productId, new Deleted(productId));
    }

    /**
     * @param productId product
     * @param stock     its stock after the change
     * @param change    signed change
     * @param reason    why
     * @return the event
     */
    public static EventDraft stockChanged(String productId, int stock, int change, String reason) {
        return draft("stock-changed", productId, new StockChanged(productId, stock, change, reason));
    }

    private static Snapshot snapshot(Product product) {
        return new Snapshot(product.id(), product.sku(), product.name(), product.category(), product.price(),
                            product.currency(), product.stock());
    }

    private static EventDraft draft(String change, String productId, Record data) {
        return new EventDraft(Topics.PRODUCTS, "io.example.product." + change, AGGREGATE, productId, data);
    }
}
