package io.example.products.inventory;

import io.example.commons.http.Json;
import io.example.commons.http.ProblemException;
import io.example.commons.http.Routes;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * HTTP mapping of the inventory API the order service calls, mounted at {@code /internal/reservations}
 * behind {@link InventoryCallerCheck}.
 */
public final class ReservationRoutes implements HttpService {
    private final Inventory inventory;

    /**
     * @param inventory the inventory
     */
    public ReservationRoutes(Inventory inventory) {
        this.inventory = inventory;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.create()
                .post("/", this::reserve)
                .post("/{orderId}/confirm", this::confirm)
                .delete("/{orderId}", this::release)
                .register(rules);
    }

    private void reserve(ServerRequest req, ServerResponse res) {
        ReservationRequest request = Json.read(req, ReservationRequest.class).validated();
        res.status(Status.CREATED_201).send(inventory.reserve(request));
    }

    private void confirm(ServerRequest req, ServerResponse res) {
        inventory.confirm(req.path().pathParameters().get("orderId"));
        res.status(Status.NO_CONTENT_204).send();
    }

    private void release(ServerRequest req, ServerResponse res) {
        String orderId = req.path().pathParameters().get("orderId");
        // the release records a tombstone under this id: it must fit the column a reservation's orderId fits
        if (orderId.length() > Inventory.MAX_ORDER_ID_LENGTH) {
            throw ProblemException.invalid("orderId", "must be at most " + Inventory.MAX_ORDER_ID_LENGTH + " characters");
        }
        inventory.release(orderId);
        res.status(Status.NO_CONTENT_204).send();
    }
}
