package io.example.products;

import java.util.Set;

import io.example.commons.http.Json;
import io.example.commons.http.ProblemException;
import io.example.commons.http.Routes;
import io.example.commons.security.BearerAuth;
import io.example.products.catalogue.Catalogue;
import io.example.products.catalogue.Product;
import io.example.products.catalogue.ProductInput;
import io.example.products.catalogue.ProductQuery;
import io.example.products.inventory.Inventory;
import io.example.products.inventory.ReservationRequest;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * HTTP mapping of the product service: the public catalogue with its admin writes, and the inventory
 * API the order service calls (never routed by the gateway; in the mesh only order-service may call it).
 * The service does not rely on the mesh alone: every {@code /internal} route requires the order service's
 * service token with the {@code inventory} scope.
 */
final class ProductRoutes {
    private static final int MAX_ORDER_ID_LENGTH = 100;
    /** The scope a service token needs for the inventory API. */
    static final String INVENTORY_SCOPE = "inventory";
    /** The services that may call the inventory API. */
    static final Set<String> INVENTORY_CLIENTS = Set.of("order-service");

    private final Catalogue catalogue;
    private final Inventory inventory;
    private final BearerAuth bearer;

    ProductRoutes(Catalogue catalogue, Inventory inventory, BearerAuth bearer) {
        this.catalogue = catalogue;
        this.inventory = inventory;
        this.bearer = bearer;
    }

    void register(HttpRouting.Builder routing) {
        routing.register("/api/products", rules -> Routes.under("/api/products")
                .get("/", this::search)
                .get("/categories", this::categories)
                .get("/{id}", this::get)
                .post("/", this::create)
                .put("/{id}", this::replace)
                .delete("/{id}", this::delete)
                .register(rules));
        // before any /internal route, so that no route added there can forget it
        routing.any("/internal", this::requireInventoryClient);
        routing.any("/internal/*", this::requireInventoryClient);
        routing.register("/internal/reservations", rules -> Routes.under("/internal/reservations")
                .post("/", this::reserve)
                .post("/{orderId}/confirm", this::confirm)
                .delete("/{orderId}", this::release)
                .register(rules));
    }

    private void requireInventoryClient(ServerRequest req, ServerResponse res) {
        bearer.service(req, INVENTORY_SCOPE, INVENTORY_CLIENTS);
        res.next();
    }

    private void search(ServerRequest req, ServerResponse res) {
        res.send(catalogue.search(ProductQuery.from(req.query())));
    }

    private void categories(ServerRequest req, ServerResponse res) {
        res.send(catalogue.categories());
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.send(catalogue.get(req.path().pathParameters().get("id")));
    }

    private void create(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        Product product = catalogue.create(Json.read(req, ProductInput.class));
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/api/products/" + product.id())
                .send(product);
    }

    private void replace(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        res.send(catalogue.replace(req.path().pathParameters().get("id"), Json.read(req, ProductInput.class)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        catalogue.delete(req.path().pathParameters().get("id"));
        res.status(Status.NO_CONTENT_204).send();
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
        if (orderId.length() > MAX_ORDER_ID_LENGTH) {
            throw ProblemException.invalid("orderId", "must be at most " + MAX_ORDER_ID_LENGTH + " characters");
        }
        inventory.release(orderId);
        res.status(Status.NO_CONTENT_204).send();
    }
}
