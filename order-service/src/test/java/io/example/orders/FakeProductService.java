package io.example.orders;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.example.commons.http.Json;
import io.example.commons.http.OrderLines;
import io.example.commons.http.Problem;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The product service's inventory API as the contract states it, in memory, with switches for the ways
 * a real one fails.
 */
final class FakeProductService implements AutoCloseable {
    enum Mode { NORMAL, SLOW, ERROR, CONFIRM_FAILS, RELEASE_FAILS, SLOW_RELEASE }

    private final Map<String, Integer> stock = new ConcurrentHashMap<>();
    private final Map<String, ProductClient.Reservation> reservations = new ConcurrentHashMap<>();
    private final List<String> releases = new CopyOnWriteArrayList<>();
    private final AtomicInteger releaseAttempts = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger tokensToRefuse = new AtomicInteger();
    private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
    private volatile Runnable beforeConfirm = () -> { };
    private volatile Mode mode = Mode.NORMAL;

    /**
     * Answer the next {@code calls} inventory calls 401, as a product service does to a service token signed
     * with a key it does not know (the auth service restarted with a new one).
     */
    void refuseTokens(int calls) {
        tokensToRefuse.set(calls);
    }
    private final WebServer server;

    FakeProductService() {
        server = WebServer.builder().port(0).routing(routing -> routing
                .any("/internal/*", (req, res) -> {
                    authorizations.add(req.headers().first(HeaderNames.AUTHORIZATION).orElse(""));
                    if (tokensToRefuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                        res.status(Status.UNAUTHORIZED_401).send();
                        return;
                    }
                    res.next();
                })
                .post("/internal/reservations", this::reserve)
                .post("/internal/reservations/{orderId}/confirm", this::confirm)
                .delete("/internal/reservations/{orderId}", this::release)).build().start();
    }

    String url() {
        return "http://localhost:" + server.port();
    }

    void stock(String productId, int units) {
        stock.put(productId, units);
    }

    int stock(String productId) {
        return stock.get(productId);
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    int releaseAttempts() {
        return releaseAttempts.get();
    }

    List<String> releases() {
        return releases;
    }

    // the Authorization header of every inventory call, in order
    List<String> authorizations() {
        return authorizations;
    }

    /**
     * @return order ids whose reservation is confirmed and not released
     */
    Set<String> confirmed() {
        return confirmed;
    }

    void beforeConfirm(Runnable action) {
        beforeConfirm = action;
    }

    private void reserve(ServerRequest req, ServerResponse res) throws InterruptedException {
        ProductClient.ReservationRequest request = Json.read(req, ProductClient.ReservationRequest.class);
        if (mode == Mode.ERROR) {
            res.status(Status.INTERNAL_SERVER_ERROR_500).send("boom");
            return;
        }
        ProductClient.Reservation reserved;
        synchronized (this) {
            reserved = reserveNow(request, res);
        }
        if (reserved == null) {
            return;
        }
        if (mode == Mode.SLOW) {
            // reserved, but the answer comes too late: the caller must release
            Thread.sleep(3000);
        }
        res.status(Status.CREATED_201).send(Json.write(reserved));
    }

    private ProductClient.Reservation reserveNow(ProductClient.ReservationRequest request, ServerResponse res) {
        ProductClient.Reservation existing = reservations.get(request.orderId());
        if (existing == null) {
            List<String> unknown = request.items().stream().map(OrderLines.Line::productId)
                    .filter(id -> !stock.containsKey(id)).toList();
            if (!unknown.isEmpty()) {
                problem(res, 422, "unknown-product", "No such product: " + unknown);
                return null;
            }
            List<String> shortOf = request.items().stream()
                    .filter(item -> stock.get(item.productId()) < item.quantity())
                    .map(OrderLines.Line::productId).toList();
            if (!shortOf.isEmpty()) {
                problem(res, 409, "insufficient-stock", "Not enough stock for: " + String.join(", ", shortOf));
                return null;
            }
            List<ProductClient.ReservedLine> lines = new ArrayList<>();
            for (OrderLines.Line item : request.items()) {
                stock.merge(item.productId(), -item.quantity(), Integer::sum);
                lines.add(new ProductClient.ReservedLine(item.productId(), "Product " + item.productId(),
                                                         item.quantity(), new BigDecimal("2.50")));
            }
            existing = new ProductClient.Reservation(request.orderId(), lines);
            reservations.put(request.orderId(), existing);
        }
        return existing;
    }

    private void confirm(ServerRequest req, ServerResponse res) {
        String orderId = req.path().pathParameters().get("orderId");
        beforeConfirm.run();
        if (mode == Mode.CONFIRM_FAILS) {
            res.status(Status.INTERNAL_SERVER_ERROR_500).send("boom");
            return;
        }
        synchronized (this) {
            if (reservations.containsKey(orderId)) {
                confirmed.add(orderId);
                res.status(Status.NO_CONTENT_204).send();
            } else if (releases.contains(orderId)) {
                problem(res, 409, "reservation-released", "The reservation for this order was released.");
            } else {
                problem(res, 404, "not-found", "No reservation for this order.");
            }
        }
    }

    // each release takes 20 ms in SLOW_RELEASE, outside the lock, as a real service's do in parallel
    private void release(ServerRequest req, ServerResponse res) throws InterruptedException {
        releaseAttempts.incrementAndGet();
        if (mode == Mode.SLOW_RELEASE) {
            Thread.sleep(20);
        }
        releaseNow(req, res);
    }

    private synchronized void releaseNow(ServerRequest req, ServerResponse res) {
        String orderId = req.path().pathParameters().get("orderId");
        if (mode == Mode.RELEASE_FAILS) {
            res.status(Status.INTERNAL_SERVER_ERROR_500).send("boom");
            return;
        }
        releases.add(orderId);
        confirmed.remove(orderId);
        ProductClient.Reservation reservation = reservations.remove(orderId);
        if (reservation != null) {
            reservation.items().forEach(line -> stock.merge(line.productId(), line.quantity(), Integer::sum));
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    private static void problem(ServerResponse res, int status, String slug, String detail) {
        res.status(Status.create(status)).header(HeaderNames.CONTENT_TYPE, "application/problem+json")
                .send(Json.write(Problem.of(Problem.TYPE_BASE + slug, slug, status, detail, null)));
    }

    @Override
    public void close() {
        server.stop();
    }
}
