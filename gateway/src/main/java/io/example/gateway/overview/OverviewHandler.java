package io.example.gateway.overview;

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

import io.example.commons.http.Json;
import io.example.commons.http.ProblemException;
import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.BearerAuth;
import io.example.commons.security.BearerToken;
import io.example.gateway.cache.ProductReads;
import io.example.gateway.proxy.Backend;
import io.example.gateway.proxy.BackendAnswer;

import io.helidon.common.context.Context;
import io.helidon.common.context.Contexts;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.bind.JsonbException;

/**
 * {@code GET /api/overview}: the caller's profile, their 5 most recent orders, and for each order item the
 * product's current stock, composed from the three services.
 *
 * <p>The profile and the orders are fetched in parallel, then every distinct product of those orders in
 * parallel (through the product cache when it is on), each call on its own virtual thread in the request's
 * context (so the request id and trace headers go with it) and bounded by a per-call timeout. A part that
 * fails is left out and named in {@code degraded}; the answer is 200 as long as the user is known.
 */
public final class OverviewHandler implements Handler {
    private static final int RECENT_ORDERS = 5;
    // the services' own APIs, which the overview calls with the client's token
    private static final String PROFILE = "/api/auth/me";
    private static final String ORDERS = "/api/orders?limit=" + RECENT_ORDERS;
    private static final String PRODUCT = "/api/products/";
    private static final Logger LOGGER = Logger.getLogger(OverviewHandler.class.getName());

    /** A part of the overview that could not be fetched. */
    private static final class PartFailed extends RuntimeException {
        PartFailed(String message) {
            super(message, null, false, false);
        }
    }

    private final BearerAuth auth;
    private final Backend authService;
    private final Backend orderService;
    private final ProductReads products;
    private final Duration callTimeout;
    private final ExecutorService executor;

    /**
     * @param auth         checks the caller's token
     * @param authService  the auth service, for the profile
     * @param orderService the order service, for the orders
     * @param products     product reads, for the stock
     * @param callTimeout  longest wait for each phase of parallel calls
     * @param executor     runs each call
     */
    public OverviewHandler(BearerAuth auth, Backend authService, Backend orderService, ProductReads products,
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
        Header authorization = req.headers().get(HeaderNames.AUTHORIZATION);
        Context context = req.context();
        List<String> degraded = new ArrayList<>();

        Future<Profile> profileCall = submit(context, () -> profile(authorization));
        Future<List<Order>> ordersCall = submit(context, () -> recent(authorization));
        long deadline = System.nanoTime() + callTimeout.toNanos();
        Profile user = await(profileCall, "user", deadline).orElse(null);
        if (user == null) {
            degraded.add("user");
            user = fromToken(caller);
        }
        Optional<List<Order>> orders = await(ordersCall, "orders", deadline);
        if (orders.isEmpty()) {
            degraded.add("orders");
        }
        List<Order> recentOrders = null;
        if (orders.isPresent()) {
            Map<String, Long> stock = new LinkedHashMap<>();
            if (!stockOf(productIds(orders.get()), context, stock)) {
                degraded.add("products");
            }
            recentOrders = withStock(orders.get(), stock);
        }

        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(Json.write(new Overview(user, recentOrders, degraded)).getBytes(StandardCharsets.UTF_8));
    }

    // the profile is fetched to get the name; a 4xx from the auth service means it does not know this user
    private Profile profile(Header authorization) {
        BackendAnswer answer = authService.get(PROFILE, authorization);
        int status = answer.status();
        if (status == 401 || status == 403 || status == 404) {
            throw BearerToken.invalid("The user of this token is not known.");
        }
        return parse(authService, answer, Profile.class);
    }

    private List<Order> recent(Header authorization) {
        List<Order> items = parse(orderService, orderService.get(ORDERS, authorization), OrderPage.class).items();
        if (items == null) {
            throw new PartFailed("order-service answered no items");
        }
        return items.stream().limit(RECENT_ORDERS).toList();
    }

    /**
     * Fill {@code stock} with each product's stock (absent for a product that no longer exists).
     *
     * @return false when some product could not be looked up
     */
    private boolean stockOf(Set<String> ids, Context context, Map<String, Long> stock) {
        Map<String, Future<Optional<Long>>> calls = new LinkedHashMap<>();
        for (String id : ids) {
            calls.put(id, submit(context, () -> productStock(id)));
        }
        boolean complete = true;
        long deadline = System.nanoTime() + callTimeout.toNanos();
        for (Map.Entry<String, Future<Optional<Long>>> call : calls.entrySet()) {
            Optional<Optional<Long>> result = await(call.getValue(), "products", deadline);
            if (result.isEmpty()) {
                complete = false;
            } else {
                result.get().ifPresent(units -> stock.put(call.getKey(), units));
            }
        }
        return complete;
    }

    private Optional<Long> productStock(String id) {
        BackendAnswer answer = products.read(PRODUCT + URLEncoder.encode(id, StandardCharsets.UTF_8)
                .replace("+", "%20"));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        if (answer.status() != 200) {
            throw new PartFailed("product-service answered " + answer.status());
        }
        Long stock = parse(answer, ProductStock.class).stock();
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

    private static Set<String> productIds(List<Order> orders) {
        Set<String> ids = new LinkedHashSet<>();
        for (Order order : orders) {
            for (Order.Line line : lines(order)) {
                if (line.productId() != null) {
                    ids.add(line.productId());
                }
            }
        }
        return ids;
    }

    private static List<Order> withStock(List<Order> orders, Map<String, Long> stock) {
        List<Order> result = new ArrayList<>(orders.size());
        for (Order order : orders) {
            if (order.items() == null) {
                result.add(order);
                continue;
            }
            List<Order.Line> lines = new ArrayList<>(order.items().size());
            for (Order.Line line : order.items()) {
                Long units = line.productId() == null ? null : stock.get(line.productId());
                lines.add(units == null ? line : line.withStock(units));
            }
            result.add(order.withItems(lines));
        }
        return result;
    }

    private static List<Order.Line> lines(Order order) {
        return order.items() == null ? List.of() : order.items();
    }

    // what the verified token says, when the auth service cannot be asked
    private static Profile fromToken(AuthenticatedUser user) {
        return new Profile(user.id(), user.email(), null, List.copyOf(user.roles()));
    }

    private static <T> T parse(Backend from, BackendAnswer answer, Class<T> type) {
        if (answer.status() != 200) {
            throw new PartFailed(from.name() + " answered " + answer.status());
        }
        return parse(answer, type);
    }

    private static <T> T parse(BackendAnswer answer, Class<T> type) {
        try {
            T value = Json.JSONB.fromJson(new String(answer.body(), StandardCharsets.UTF_8), type);
            if (value == null) {
                throw new PartFailed("not a JSON object");
            }
            return value;
        } catch (JsonbException e) {
            throw new PartFailed("not a JSON object");
        }
    }
}
