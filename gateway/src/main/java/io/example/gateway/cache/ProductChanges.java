package io.example.gateway.cache;

import io.example.commons.events.CloudEvents;
import io.example.commons.events.EventHandler;
import io.example.commons.events.UnusableEvent;

import io.cloudevents.CloudEvent;

/**
 * The product events, applied to this replica's cache: every replica reads every event (no group), so a
 * change made through any replica, or by the product service itself (stock held, given back or expired),
 * reaches every replica's cache within the events' delay instead of the TTL.
 *
 * <p>Every event of the catalogue ({@code io.example.product.created}, {@code .updated}, {@code .deleted},
 * {@code .stock-changed}, and any later {@code io.example.product.*}) names the product in {@code productId};
 * the cache drops that product's read and every list page ({@link ProductCache#invalidateProduct}). An event
 * that cannot be read may be about any product: the cache drops everything, and the event is parked.
 * Dropping is idempotent, so a replayed event changes nothing twice.
 */
final class ProductChanges implements EventHandler {
    private static final String PRODUCT_EVENTS = "io.example.product.";

    /** What every product event's data has; the rest of it the cache does not need (public: JSON-B binds it). */
    public record ChangedProduct(String productId) {
    }

    private final ProductCache cache;

    ProductChanges(ProductCache cache) {
        this.cache = cache;
    }

    @Override
    public void handle(CloudEvent event) {
        try {
            cache.invalidateProduct(productId(event));
        } catch (UnusableEvent e) {
            cache.invalidateAll();
            throw e;
        }
    }

    // connected (again) after events may have been missed: nothing cached can be trusted beyond its TTL
    @Override
    public void resync() {
        cache.invalidateAll();
    }

    private static String productId(CloudEvent event) {
        if (!event.getType().startsWith(PRODUCT_EVENTS)) {
            throw new UnusableEvent("not a product event: " + event.getType());
        }
        String id = CloudEvents.data(event, ChangedProduct.class).productId();
        if (id == null || !id.equals(event.getSubject())) {
            throw new UnusableEvent(event.getType() + " names product " + id + " but its subject is "
                                            + event.getSubject());
        }
        return id;
    }
}
