package io.example.orders;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.example.commons.http.Json;
import io.example.commons.http.ProblemException;
import io.example.commons.http.QueryParameters;
import io.example.commons.http.Routes;
import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.BearerAuth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * HTTP mapping of the order service, mounted at {@code /api/orders}; every route needs a user.
 */
final class OrderRoutes implements HttpService {
    /**
     * Body of {@code PATCH /api/orders/{id}/status}.
     *
     * @param status the new status
     */
    public record StatusChange(String status) {
    }

    private static final Set<String> LIST_PARAMETERS = Set.of("status", "limit", "offset");
    private static final List<String> VISIBLE_NAMES = Arrays.stream(OrderStatus.values())
            .filter(OrderStatus.VISIBLE::contains).map(OrderStatus::name).toList();

    private final OrderService orders;
    private final BearerAuth bearer;

    OrderRoutes(OrderService orders, BearerAuth bearer) {
        this.orders = orders;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.create()
                .post("/", this::place)
                .getWithQuery("/", this::list)
                .get("/{id}", this::get)
                .post("/{id}/cancel", this::cancel)
                .patch("/{id}/status", this::changeStatus)
                .register(rules);
    }

    private void place(ServerRequest req, ServerResponse res) {
        AuthenticatedUser user = bearer.user(req);
        String key = req.headers().first(HeaderNames.create("Idempotency-Key")).orElse(null);
        Order order = orders.place(user, key, Json.read(req, OrderRequest.class));
        // a replay answers exactly as the first request did
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/api/orders/" + order.id())
                .send(order);
    }

    private void list(ServerRequest req, ServerResponse res) {
        AuthenticatedUser user = bearer.user(req);
        QueryParameters query = QueryParameters.of(req.query(), LIST_PARAMETERS);
        Optional<OrderStatus> status = query.oneOf("status", VISIBLE_NAMES).map(OrderStatus::valueOf);
        QueryParameters.Paging paging = query.paging();
        query.validated();
        res.send(orders.list(user, status, paging));
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

    // exact names only: "shipped" is not a status, as an enum in a JSON body is matched exactly too
    private static OrderStatus visibleStatus(String text, String field) {
        if (!VISIBLE_NAMES.contains(text)) {
            throw ProblemException.invalid(field, "must be one of " + String.join(", ", VISIBLE_NAMES));
        }
        return OrderStatus.valueOf(text);
    }
}
