package io.example.orders;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;
import io.example.commons.http.QueryParameters;
import io.example.commons.security.AuthenticatedUser;

import io.helidon.http.Status;

/**
 * The order rules: place (PENDING, reserve, confirm the hold, CONFIRMED), idempotency keys, who may see
 * what, cancelling and the status machine. No HTTP types beyond the problems it throws.
 */
public final class OrderService {
    /** Currency of every order; the demo catalogue is priced in euros. */
    public static final String CURRENCY = "EUR";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,100}");

    private final OrderRepository orders;
    private final ProductClient products;
    private final Clock clock;
    private final Duration replayWait;

    /**
     * @param orders     repository
     * @param products   the product service
     * @param clock      clock
     * @param replayWait how long a replay waits for its original request to finish
     */
    public OrderService(OrderRepository orders, ProductClient products, Clock clock, Duration replayWait) {
        this.orders = orders;
        this.products = products;
        this.clock = clock;
        this.replayWait = replayWait;
    }

    /**
     * Place an order: validate, honour the Idempotency-Key, persist PENDING, reserve (a hold), confirm the hold,
     * mark CONFIRMED.
     *
     * @param user    caller
     * @param key     Idempotency-Key header, or null
     * @param request body
     * @return the order: the one placed now, or for a replay the one placed first
     */
    public Order place(AuthenticatedUser user, String key, OrderRequest request) {
        request.validated();
        if (key != null && !KEY.matcher(key).matches()) {
            throw ProblemException.invalid("Idempotency-Key", "must be 1 to 100 visible ASCII characters");
        }
        String fingerprint = request.fingerprint();
        if (key != null) {
            Optional<Order> replay = replay(user, key, fingerprint);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        String id = UUID.randomUUID().toString();
        if (!orders.insertPending(id, user.id(), key, fingerprint, clock.instant())) {
            // a concurrent request with the same key won the insert
            return replay(user, key, fingerprint).orElseThrow(OrderService::inProgress);
        }
        ProductClient.Reservation reservation;
        try {
            reservation = products.reserve(id, request.items());
        } catch (ProductClient.Refused refused) {
            // refused as a whole: nothing is held
            orders.fail(id, clock.instant());
            orders.markStockReleased(id);
            throw new ProblemException(refused.problem());
        } catch (RuntimeException unavailable) {
            // the reservation may have happened before the failure
            giveUp(id);
            throw unavailable;
        }
        List<Order.Line> lines = reservation.items().stream()
                .map(line -> new Order.Line(line.productId(), line.name(), line.quantity(), line.unitPrice(),
                                            line.unitPrice().multiply(BigDecimal.valueOf(line.quantity()))))
                .toList();
        // the hold is confirmed before the order: a CONFIRMED order always has its stock on record, and a hold
        // whose order died here expires
        if (!products.confirm(id) || !orders.confirm(id, user.id(), lines, CURRENCY, clock.instant())) {
            giveUp(id);
            throw ProblemException.of(Status.SERVICE_UNAVAILABLE_503, "The order could not be completed; try again.");
        }
        return orders.find(id).orElseThrow();
    }

    /**
     * @param user   caller
     * @param status only orders in this status, or all
     * @param paging which page
     * @return the caller's own orders, newest first
     */
    public OrderRepository.OrderPage list(AuthenticatedUser user, Optional<OrderStatus> status, QueryParameters.Paging paging) {
        return orders.page(user.id(), status, paging.limit(), paging.offset());
    }

    /**
     * @param user caller
     * @param id   order id
     * @return the order, for its owner or an ADMIN; 404 for anyone else
     */
    public Order get(AuthenticatedUser user, String id) {
        return orders.find(id)
                .filter(order -> OrderStatus.VISIBLE.contains(order.status()))
                .filter(order -> order.userId().equals(user.id()) || user.isAdmin())
                .orElseThrow(OrderService::notFound);
    }

    /**
     * Cancel: CONFIRMED -> CANCELLED with its {@code cancelled} event, then give the stock back. Cancelling a
     * cancelled order changes nothing.
     *
     * @param user caller (owner or ADMIN)
     * @param id   order id
     * @return the order
     */
    public Order cancel(AuthenticatedUser user, String id) {
        Order order = get(user, id);
        if (order.status() == OrderStatus.CONFIRMED) {
            // may lose to a concurrent ship or cancel: read again either way
            orders.move(id, OrderStatus.CONFIRMED, OrderStatus.CANCELLED, clock.instant());
            order = get(user, id);
        }
        if (order.status() != OrderStatus.CANCELLED) {
            throw new ProblemException(Problem.typed("order-not-cancellable", "Order cannot be cancelled",
                                                     Status.CONFLICT_409, "The order is " + order.status()
                                                             + "; it can no longer be cancelled."));
        }
        // state first, stock second, so a concurrent "ship" cannot win after the stock is back. This call is the
        // fast path: the cancelled event, committed with the state, makes product-service release the stock
        // when it reads it, even if it is down now; the release is idempotent, so doing both changes nothing
        if (products.release(id)) {
            orders.markStockReleased(id);
        }
        return get(user, id);
    }

    /**
     * Move an order along CONFIRMED -> SHIPPED -> DELIVERED (administrators; checked by the caller).
     *
     * @param user   administrator
     * @param id     order id
     * @param target requested status
     * @return the order
     */
    public Order move(AuthenticatedUser user, String id, OrderStatus target) {
        Order order = get(user, id);
        if (order.status().next() != target || !orders.move(id, order.status(), target, clock.instant())) {
            throw new ProblemException(Problem.typed("invalid-transition", "Invalid status change", Status.CONFLICT_409,
                                                     "An order that is " + get(user, id).status()
                                                             + " cannot become " + target + "."));
        }
        return get(user, id);
    }

    // FAILED first, so the order can no longer be confirmed, then the stock back; if the release fails, the
    // sweeper retries it (FAILED orders whose stock is not back)
    private void giveUp(String id) {
        orders.fail(id, clock.instant());
        if (products.release(id)) {
            orders.markStockReleased(id);
        }
    }

    private Optional<Order> replay(AuthenticatedUser user, String key, String fingerprint) {
        Instant deadline = clock.instant().plus(replayWait);
        while (true) {
            Optional<OrderRepository.KeyedOrder> keyed = orders.findByKey(user.id(), key);
            if (keyed.isEmpty()) {
                return Optional.empty();
            }
            if (!keyed.get().requestHash().equals(fingerprint)) {
                throw new ProblemException(Problem.typed("idempotency-key-reused", "Idempotency-Key reused",
                                                         Status.UNPROCESSABLE_CONTENT_422,
                                                         "This Idempotency-Key was used with a different request."));
            }
            if (keyed.get().status() != OrderStatus.PENDING) {
                return orders.find(keyed.get().orderId());
            }
            if (!clock.instant().isBefore(deadline)) {
                throw inProgress();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw inProgress();
            }
        }
    }

    private static ProblemException inProgress() {
        return new ProblemException(Problem.typed("order-in-progress", "Order in progress", Status.CONFLICT_409,
                                                  "An order with this Idempotency-Key is still being placed; retry shortly."))
                .withHeader("Retry-After", "1");
    }

    private static ProblemException notFound() {
        return ProblemException.of(Status.NOT_FOUND_404, "No such order.");
    }
}
