package io.example.commons.events;

/**
 * The topics, named once. Keys are aggregate ids, so each order's and each product's events stay in order.
 */
public final class Topics {
    /** The order's life, keyed by order id; written by order-service. */
    public static final String ORDERS = "orders";
    /** The catalogue's changes, keyed by product id; written by product-service. */
    public static final String PRODUCTS = "products";

    private Topics() {
    }

    /**
     * @param consumer the consuming service
     * @return where that service parks events it cannot apply
     */
    public static String deadLetters(String consumer) {
        return consumer + ".dlt";
    }
}
