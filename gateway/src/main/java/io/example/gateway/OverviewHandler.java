package io.example.gateway;

import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.BearerAuth;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * {@code GET /api/overview}: the caller's profile, their 5 most recent orders, and for each order item the
 * product's current stock, composed from the three services.
 *
 * <p>The profile and the orders are fetched in parallel, then every distinct product of those orders in
 * parallel (through the product cache when it is on), each call on its own virtual thread in the request's
 * context (so the request id and trace headers go with it) and bounded by a per-call timeout. A part that
 * fails is left out and named in {@code degraded}; the answer is 200 as long as the user is known.
 */
final class OverviewHandler implements Handler {
    static final int RECENT_ORDERS = 5;
    private static final Logger LOGGER = Logger.getLogger(OverviewHandler.class.getName());

    /** A part of the overview that could not be fetched. */
    private static final class PartFailed extends RuntimeException {
        PartFailed(String message) {
            super(message, null, false, false);
        }
    }

    /** Product lookup by id: a 200 answer, or 404, or a failure (exception). */
    interface ProductLookup {
        BackendAnswer product(String encodedId);
    }

    private final BearerAuth auth;
    private final Backend authService;
    private final Backend orderService;
    private final ProductLookup products;
    private final Duration callTimeout;
    private final ExecutorService executor;

    OverviewHandler(BearerAuth auth, Backend authService, Backend orderService, ProductLookup products,
                    Duration callTimeout, ExecutorService executor) {
        this.auth = auth;
        this.authService = authService;
        this.orderService = orderService;
        this.products = products;
        this.callTimeout = callTimeout;
        this.executor = executor;
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        AuthenticatedUser caller = auth.user(req);
        String authorization = req.headers().get(HeaderNames.AUTHORIZATION).get();
        Context context = req.context();
        List<String> degraded = new ArrayList<>();

        Future<JsonObject> profileCall = submit(context, () -> getJson(authService, "/api/auth/me", Map.of(),
                                                                       authorization));
        Future<List<JsonObject>> ordersCall = submit(context, () -> recent(getJson(orderService,
                "/api/orders", Map.of("limit", Integer.toString(RECENT_ORDERS)), authorization)));
        long deadline = System.nanoTime() + callTimeout.toNanos();
        JsonObject user = await(profileCall, "user", deadline).orElse(null);
        if (user == null) {
            degraded.add("user");
            user = fromToken(caller);
        }
        Optional<List<JsonObject>> orders = await(ordersCall, "orders", deadline);
        if (orders.isEmpty()) {
            degraded.add("orders");
        }
        JsonArray recentOrders = null;
        if (orders.isPresent()) {
            Map<String, JsonValue> stock = new LinkedHashMap<>();
            if (!stockOf(productIds(orders.get()), context, stock)) {
                degraded.add("products");
            }
            recentOrders = withStock(orders.get(), stock);
        }

        JsonObjectBuilder body = Json.createObjectBuilder().add("user", user);
        if (recentOrders != null) {
            body.add("recentOrders", recentOrders);
        }
        body.add("degraded", Json.createArrayBuilder(degraded));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(body.build().toString().getBytes(StandardCharsets.UTF_8));
    }

    // the profile is fetched to get the name; a 4xx from the auth service means it does not know this user
    private JsonObject getJson(Backend backend, String path, Map<String, String> query, String authorization) {
        Http1ClientRequest request = backend.client().get(path).header(HeaderNames.AUTHORIZATION, authorization);
        query.forEach(request::queryParam);
        try (HttpClientResponse answer = request.request()) {
            int status = answer.status().code();
            if (status == 200) {
                return parseObject(answer.as(String.class));
            }
            if (backend == authService && (status == 401 || status == 403 || status == 404)) {
                throw new ProblemException(Problem.typed("unauthorized", "Unauthorized", Status.UNAUTHORIZED_401,
                                                         "The user of this token is not known."))
                        .withHeader("WWW-Authenticate", "Bearer realm=\"microservices-demo\", error=\"invalid_token\"");
            }
            throw new PartFailed(backend.name() + " answered " + status);
        }
    }

    /**
     * Fill {@code stock} with each product's stock (absent for a product that no longer exists).
     *
     * @return false when some product could not be looked up
     */
    private boolean stockOf(Set<String> ids, Context context, Map<String, JsonValue> stock) {
        Map<String, Future<Optional<JsonValue>>> calls = new LinkedHashMap<>();
        for (String id : ids) {
            calls.put(id, submit(context, () -> productStock(id)));
        }
        boolean complete = true;
        long deadline = System.nanoTime() + callTimeout.toNanos();
        for (Map.Entry<String, Future<Optional<JsonValue>>> call : calls.entrySet()) {
            Optional<Optional<JsonValue>> result = await(call.getValue(), "products", deadline);
            if (result.isEmpty()) {
                complete = false;
            } else {
                result.get().ifPresent(value -> stock.put(call.getKey(), value));
            }
        }
        return complete;
    }

    private Optional<JsonValue> productStock(String id) {
        BackendAnswer answer = products.product(URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (answer.status() != 200) {
            throw new PartFailed("product-service answered " + answer.status());
        }
        JsonValue stock = parseObject(new String(answer.body(), StandardCharsets.UTF_8)).get("stock");
        if (stock == null) {
            throw new PartFailed("product-service answered a product without stock");
        }
        return Optional.of(stock);
    }

    private <T> Future<T> submit(Context context, Supplier<T> task) {
        return executor.submit(() -> Contexts.runInContext(context, task::get));
    }

    // parallel calls share one deadline, so a phase lasts at most one call timeout
    private static <T> Optional<T> await(Future<T> call, String part, long deadlineNanos) {
        try {
            return Optional.of(call.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProblemException problem && problem.problem().status() == 401) {
                throw problem;
            }
            LOGGER.fine(() -> "overview part " + part + " failed: " + e.getCause());
            return Optional.empty();
        } catch (TimeoutException e) {
            call.cancel(true);
            LOGGER.fine(() -> "overview part " + part + " timed out");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static List<JsonObject> recent(JsonObject page) {
        JsonValue items = page.get("items");
        if (!(items instanceof JsonArray array)) {
            throw new PartFailed("order-service answered no items");
        }
        return array.stream()
                .filter(value -> value.getValueType() == JsonValue.ValueType.OBJECT)
                .map(JsonValue::asJsonObject)
                .limit(RECENT_ORDERS)
                .toList();
    }

    private static Set<String> productIds(List<JsonObject> orders) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonObject order : orders) {
            for (JsonObject item : items(order)) {
                if (item.get("productId") instanceof JsonString id) {
                    ids.add(id.getString());
                }
            }
        }
        return ids;
    }

    private static JsonArray withStock(List<JsonObject> orders, Map<String, JsonValue> stock) {
        JsonArrayBuilder result = Json.createArrayBuilder();
        for (JsonObject order : orders) {
            JsonArrayBuilder items = Json.createArrayBuilder();
            for (JsonObject item : items(order)) {
                JsonValue units = item.get("productId") instanceof JsonString id ? stock.get(id.getString()) : null;
                items.add(units == null ? item : Json.createObjectBuilder(item).add("stock", units).build());
            }
            result.add(Json.createObjectBuilder(order).add("items", items));
        }
        return result.build();
    }

    private static List<JsonObject> items(JsonObject order) {
        if (!(order.get("items") instanceof JsonArray items)) {
            return List.of();
        }
        return items.stream()
                .filter(value -> value.getValueType() == JsonValue.ValueType.OBJECT)
                .map(JsonValue::asJsonObject)
                .toList();
    }

    // what the verified token says, when the auth service cannot be asked
    private static JsonObject fromToken(AuthenticatedUser user) {
        JsonObjectBuilder builder = Json.createObjectBuilder().add("id", user.id());
        if (user.email() != null) {
            builder.add("email", user.email());
        }
        return builder.add("roles", Json.createArrayBuilder(List.copyOf(user.roles()))).build();
    }

    private static JsonObject parseObject(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        } catch (RuntimeException e) {
            throw new PartFailed("not a JSON object");
        }
    }
}
