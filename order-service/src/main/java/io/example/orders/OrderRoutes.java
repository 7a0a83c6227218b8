package io.example.orders;

import java.util.Locale;
import java.util.Optional;

import io.example.commons.http.Json;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.http.Routes;
import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.BearerAuth;

import io.helidon.common.parameters.Parameters;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * HTTP mapping of the order service; every route needs a user.
 */
final class OrderRoutes {
    /**
     * Body of {@code PATCH /api/orders/{id}/status}.
     *
     * @param status the new status
     */
    public record StatusChange(String status) {
    }

    private final OrderService orders;
    private final BearerAuth bearer;

    OrderRoutes(OrderService orders, BearerAuth bearer) {
        this.orders = orders;
        this.bearer = bearer;
    }

    void register(HttpRouting.Builder routing) {
        routing.register("/api/orders", rules -> Routes.under("/api/orders")
                .post("/", this::place)
                .get("/", this::list)
                .get("/{id}", this::get)
                .post("/{id}/cancel", this::cancel)
                .patch("/{id}/status", this::changeStatus)
                .register(rules));
    }

    private void place(ServerRequest req, ServerResponse res) {
        AuthenticatedUser user = bearer.user(req);
        String key = req.headers().first(HeaderNames.create("Idempotency-Key")).orElse(null);
        OrderService.Placed placed = orders.place(user, key, Json.read(req, OrderRequest.class));
        // a replay answers exactly as the first request did
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/api/orders/" + placed.order().id())
                .send(placed.order());
    }

    private void list(ServerRequest req, ServerResponse res) {
        AuthenticatedUser user = bearer.user(req);
        Parameters query = req.query();
        OrderStatus status = query.contains("status") ? visibleStatus(query.get("status"), "status") : null;
        int limit = integer(query, "limit", 20, 1, 100);
        int offset = integer(query, "offset", 0, 0, Integer.MAX_VALUE);
        res.send(orders.list(user, status, limit, offset));
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.send(orders.get(bearer.user(req), req.path().pathParameters().get("id")));
    }

    private void cancel(ServerRequest req, ServerResponse res) {
        res.send(orders.cancel(bearer.user(req), req.path().pathParameters().get("id")));
    }

    private void changeStatus(ServerRequest req, ServerResponse res) {
        AuthenticatedUser admin = bearer.admin(req);
        StatusChange change = Json.read(req, StatusChange.class);
        if (change.status() == null) {
            throw ProblemException.invalid("status", "is required");
        }
        res.send(orders.move(admin, req.path().pathParameters().get("id"), visibleStatus(change.status(), "status")));
    }

    private static OrderStatus visibleStatus(String text, String field) {
        return Optional.of(text.toUpperCase(Locale.ROOT))
                .flatMap(name -> OrderStatus.VISIBLE.stream().filter(s -> s.name().equals(name)).findFirst())
                .orElseThrow(() -> ProblemException.invalid(field, "must be one of CONFIRMED, SHIPPED, DELIVERED, CANCELLED"));
    }

    private static int integer(Parameters query, String name, int defaultValue, int min, int max) {
        if (!query.contains(name)) {
            return defaultValue;
        }
        try {
            int value = Integer.parseInt(query.get(name));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Problem.validation(java.util.List.of(new Problem.FieldError(
                name, max == Integer.MAX_VALUE ? "must be a whole number >= " + min
                        : "must be a whole number from " + min + " to " + max))));
    }
}
