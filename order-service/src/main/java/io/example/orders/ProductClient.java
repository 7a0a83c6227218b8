package io.example.orders;

import java.math.BigDecimal;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.example.commons.client.BackendFailures;
import io.example.commons.http.Json;
import io.example.commons.http.OrderLines;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;

import jakarta.json.bind.JsonbException;

/**
 * The product service's inventory API. Every call is idempotent by order id, which is what lets the
 * mesh retry them and lets this service release "just in case" after a timeout.
 */
public final class ProductClient {
    private static final Logger LOGGER = Logger.getLogger(ProductClient.class.getName());
    private static final String BACKEND = "product-service";

    /**
     * The reservation's answer.
     *
     * @param orderId order id
     * @param items   reserved lines
     */
    public record Reservation(String orderId, List<ReservedLine> items) {
    }

    /**
     * @param productId product id
     * @param name      name
     * @param quantity  units
     * @param unitPrice price
     */
    public record ReservedLine(String productId, String name, Integer quantity, BigDecimal unitPrice) {
    }

    /**
     * Reservation request body.
     *
     * @param orderId  order id
     * @param items    items
     * @param currency the order's: a product priced in another is refused (409 currency-mismatch)
     */
    public record ReservationRequest(String orderId, List<OrderLines.Line> items, String currency) {
    }

    /** The product service refused the reservation (short stock, unknown product): its problem. */
    public static final class Refused extends RuntimeException {
        private final Problem problem;

        Refused(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        /**
         * @return the product service's problem
         */
        public Problem problem() {
            return problem;
        }
    }

    private final Http1Client client;

    /**
     * @param client client for the product service (with timeouts)
     */
    public ProductClient(Http1Client client) {
        this.client = client;
    }

    /**
     * @param orderId order id
     * @param items   items
     * @return what was reserved
     * @throws Refused          on 409 or 422
     * @throws ProblemException 503/504 when the product service is down, slow or failing
     */
    public Reservation reserve(String orderId, List<OrderLines.Line> items) {
        // every order is in one currency: a product priced in another is refused, not summed into the total
        String body = Json.write(new ReservationRequest(orderId, items, OrderService.CURRENCY));
        // a new connection: see ServiceClients.fresh
        try (HttpClientResponse response = withAcceptedToken(() -> client.post("/internal/reservations")
                .keepAlive(false)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .submit(body))) {
            int status = response.status().code();
            String answer = response.as(String.class);
            if (status == 200 || status == 201) {
                return Json.JSONB.fromJson(answer, Reservation.class);
            }
            if (status == 409 || status == 422) {
                throw new Refused(Json.JSONB.fromJson(answer, Problem.class));
            }
            LOGGER.warning(() -> "Reservation for order " + orderId + " answered " + status);
            throw BackendFailures.unavailable(BACKEND);
        } catch (JsonbException e) {
            LOGGER.log(Level.WARNING, "Unreadable reservation answer for order " + orderId, e);
            throw BackendFailures.unavailable(BACKEND);
        } catch (Refused | ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BackendFailures.toProblem(BACKEND, e);
        }
    }

    /**
     * Confirm the hold of an order that is on record, so that it does not expire.
     *
     * @param orderId order id
     * @return whether the product service confirmed it; false when it refused (the hold was released or
     *         expired) or could not be asked, and then the order must not be confirmed
     */
    public boolean confirm(String orderId) {
        try (HttpClientResponse response = withAcceptedToken(() -> client.post("/internal/reservations/" + orderId + "/confirm")
                .keepAlive(false).request())) {
            int status = response.status().code();
            if (status == Status.NO_CONTENT_204.code() || status == Status.OK_200.code()) {
                return true;
            }
            LOGGER.warning(() -> "Confirmation of order " + orderId + " answered " + status);
            return false;
        } catch (RuntimeException e) {
            LOGGER.warning(() -> "Confirmation of order " + orderId + " failed: " + e.getMessage());
            return false;
        }
    }

    /**
     * Give back whatever the order holds (nothing, if it holds nothing).
     *
     * @param orderId order id
     * @return whether the product service confirmed it
     */
    public boolean release(String orderId) {
        try (HttpClientResponse response = withAcceptedToken(() -> client.delete("/internal/reservations/" + orderId)
                .keepAlive(false).request())) {
            return response.status().code() == Status.NO_CONTENT_204.code();
        } catch (RuntimeException e) {
            LOGGER.warning(() -> "Release of order " + orderId + " failed: " + e.getMessage());
            return false;
        }
    }

    // A 401 means the product service did not accept the service token (the auth service restarted with a new
    // key since it was issued): the token source has dropped it, and the call, idempotent by order id, is made
    // once more with a fresh one.
    private static HttpClientResponse withAcceptedToken(Supplier<HttpClientResponse> call) {
        HttpClientResponse response = call.get();
        if (response.status().code() != Status.UNAUTHORIZED_401.code()) {
            return response;
        }
        response.close();
        return call.get();
    }
}
