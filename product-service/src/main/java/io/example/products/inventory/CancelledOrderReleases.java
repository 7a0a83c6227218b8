package io.example.products.inventory;

import io.example.commons.events.CloudEvents;
import io.example.commons.events.EventHandler;
import io.example.commons.events.UnusableEvent;

import io.cloudevents.CloudEvent;

/**
 * Gives back the stock of a cancelled order when its event arrives from order-service: the same release by
 * order id as {@code DELETE /internal/reservations/{orderId}}, so the stock comes back even when that call
 * failed (this service was down during the cancel), and only once, whichever comes first and however often
 * the event is delivered. The order's other events are not this service's business.
 */
public final class CancelledOrderReleases implements EventHandler {
    static final String CANCELLED = "io.example.order.cancelled";

    /**
     * The part of an order event this handler reads.
     *
     * @param orderId the cancelled order
     */
    public record CancelledOrder(String orderId) {
    }

    private final Inventory inventory;

    /**
     * @param inventory the inventory
     */
    public CancelledOrderReleases(Inventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public boolean wants(String type) {
        return CANCELLED.equals(type);
    }

    @Override
    public void handle(CloudEvent event) {
        // the consumer asks wants() first; checked again because a placed order's payload has an orderId too, and
        // releasing it would free the stock of a live order
        if (!CANCELLED.equals(event.getType())) {
            return;
        }
        String orderId = CloudEvents.data(event, CancelledOrder.class).orderId();
        if (!Inventory.isOrderId(orderId) || !orderId.equals(event.getSubject())) {
            throw new UnusableEvent("a cancelled event needs the order id of its subject, at most "
                                            + Inventory.MAX_ORDER_ID_LENGTH + " characters");
        }
        inventory.release(orderId);
    }
}
