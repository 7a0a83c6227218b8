package io.example.e2e;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import io.example.commons.testing.TestHttp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17's promise, through the gateway: an order placed under a caller's {@code traceparent} is one trace
 * in the backend, from the gateway's span through the order service and its reservation call to the product
 * service's transaction and its statement, each span from the service that made it and none carrying a
 * secret; and a request that fails names its trace in the problem and in the access log, and the backend has
 * that trace. A stack of its own, every service exporting to an {@link OtlpReceiver}: the shared stack exports
 * nothing.
 */
class TracingE2eTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String ORDERS = "POST /api/orders";
    // the gateway's route is its proxy's template: everything under /api/orders goes to the order service
    private static final String GATEWAY_ORDERS = "/api/orders/**";
    private static final String RESERVATIONS = "/internal/reservations";

    private static OtlpReceiver receiver;
    private static ServiceStack stack;
    private static TestHttp gateway;

    // one user and one order, all three requests in one trace the caller started
    private static final String TRACE_ID = newTraceId();
    private static String email;
    private static String token;
    private static String orderBody;
    private static String orderParentSpanId;

    @BeforeAll
    static void start() {
        receiver = OtlpReceiver.start();
        stack = ServiceStack.start(ServiceStack.ALL, Map.of(), receiver.exporterEnvironment());
        gateway = stack.http("gateway");

        String product = newProduct();
        email = Users.newEmail();
        assertThat(gateway.send(Users.registration(gateway, email).header("traceparent", traceparent(TRACE_ID, newSpanId())))
                           .statusCode()).isEqualTo(201);
        token = Users.accessToken(gateway.send(Users.loginRequest(gateway, email, Users.PASSWORD)
                                                       .header("traceparent", traceparent(TRACE_ID, newSpanId()))));
        orderParentSpanId = newSpanId();
        orderBody = "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":2}]}";
        assertThat(placeOrder(orderBody, traceparent(TRACE_ID, orderParentSpanId)).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        stack.close();
        receiver.close();
    }

    @Test
    void anOrderIsOneTraceFromTheGatewayThroughTheOrderServiceToTheReservation() {
        List<ReceivedSpan> trace = awaitOrderTrace();

        ReceivedSpan gatewayServer = the(trace, gatewayOrders().and(childOf(orderParentSpanId)));
        ReceivedSpan gatewayClient = child(trace, gatewayServer, span("gateway", "CLIENT", "POST").and(path("/api/orders")));
        ReceivedSpan orderServer = child(trace, gatewayClient, span("order-service", "SERVER", ORDERS));
        ReceivedSpan orderClient = child(trace, orderServer, span("order-service", "CLIENT", "POST").and(path(RESERVATIONS)));
        ReceivedSpan reservation = child(trace, orderClient, reservationServer());

        assertThat(gatewayServer.attribute("http.route")).hasValue(GATEWAY_ORDERS);
        assertThat(gatewayServer.attribute("http.response.status_code")).hasValue("201");
        assertThat(orderServer.attribute("http.response.status_code")).hasValue("201");
        assertThat(reservation.attribute("http.route")).hasValue(RESERVATIONS);
        assertThat(reservation.attribute("http.response.status_code")).hasValue("201");
    }

    @Test
    void theReservationsTransactionAndItsStatementAreInTheOrdersTrace() {
        List<ReceivedSpan> trace = receiver.awaitTrace(TRACE_ID, has(span("product-service", "CLIENT", "UPDATE products")));
        ReceivedSpan reservation = the(trace, reservationServer());

        ReceivedSpan reserveStock = child(trace, reservation, span("product-service", "INTERNAL", "reserve stock"));
        ReceivedSpan update = child(trace, reserveStock, span("product-service", "CLIENT", "UPDATE products"));

        assertThat(update.attributes()).containsEntry("db.system.name", "h2")
                .containsEntry("db.operation.name", "UPDATE")
                .containsEntry("db.collection.name", "products");
        assertThat(update.attribute("db.query.text")).hasValueSatisfying(sql -> assertThat(sql)
                .startsWithIgnoringCase("update products").contains("?"));
    }

    @Test
    void everySpanComesFromTheServiceItNames() {
        List<ReceivedSpan> trace = awaitOrderTrace();

        // a client span names the port it called: the server span under it is from the service on that port (a
        // client span may also have client spans under it, e.g. the service token a reservation call fetches)
        List<ReceivedSpan> calls = trace.stream().filter(span -> span.kind().equals("CLIENT"))
                .filter(span -> span.attribute("server.port").isPresent()).toList();
        int checked = 0;
        for (ReceivedSpan call : calls) {
            String callee = serviceAt(call.attribute("server.port").orElseThrow());
            for (ReceivedSpan served : trace.stream().filter(childOf(call.spanId()))
                    .filter(span -> span.kind().equals("SERVER")).toList()) {
                assertThat(served.service()).as("%s under %s", served, call).isEqualTo(callee);
                checked++;
            }
        }
        // the gateway's calls for register, login and the order, and the order service's for the reservation
        assertThat(checked).isGreaterThanOrEqualTo(4);
        assertThat(receiver.spans()).extracting(ReceivedSpan::service).isSubsetOf(ServiceStack.ALL);
    }

    @Test
    void noSpanCarriesTheTokenThePasswordTheEmailOrABody() {
        awaitOrderTrace();
        List<String> secrets = List.of(token, Users.PASSWORD, email, orderBody, "\"items\"", "\"password\"");

        // every span exported so far, the trace's and all others (the services' own work, other requests)
        for (ReceivedSpan span : receiver.spans()) {
            for (String text : span.texts()) {
                assertThat(text).as("%s", span).doesNotContain(secrets);
            }
        }
    }

    @Test
    void aFailedRequestsTraceIsNamedInItsProblemAndItsAccessLogLinesAndIsInTheBackend() {
        String traceId = newTraceId();
        String requestId = "e2e-" + UUID.randomUUID();

        HttpResponse<String> failed = gateway.send(gateway.request("/api/orders/" + UUID.randomUUID())
                .header("Authorization", "Bearer " + token).header("X-Request-Id", requestId)
                .header("traceparent", traceparent(traceId, newSpanId())));

        assertThat(failed.statusCode()).isEqualTo(404);
        assertThat(Users.field(failed.body(), "traceId")).isEqualTo(traceId);
        assertThat(Users.field(failed.body(), "requestId")).isEqualTo(requestId);
        for (String service : List.of("gateway", "order-service")) {
            assertThat(stack.eventuallyLogged(service, "rid=" + requestId + " trace=" + traceId))
                    .as("%s's access log:%n%s", service, stack.log(service)).isTrue();
        }
        Predicate<ReceivedSpan> served = span("order-service", "SERVER", "GET /api/orders/{id}");
        assertThat(the(receiver.awaitTrace(traceId, has(served)), served).attribute("http.response.status_code"))
                .hasValue("404");
    }

    // What Kubernetes does to a pod it replaces: SIGTERM. The spans a service still holds (its batch waits up to
    // OTEL_BSP_SCHEDULE_DELAY) are exported as it stops.
    @Test
    void aServiceStoppedWithSigtermExportsTheSpansItStillHeld() {
        try (OtlpReceiver held = OtlpReceiver.start();
             ServiceStack stopping = ServiceStack.start(List.of("auth-service"),
                                                        Map.of("auth-service", Map.of("otel.bsp.schedule.delay", "600000")),
                                                        held.exporterEnvironment())) {
            String traceId = newTraceId();
            TestHttp auth = stopping.http("auth-service");

            assertThat(auth.send(auth.request("/api/auth/me").header("traceparent", traceparent(traceId, newSpanId())))
                               .statusCode()).isEqualTo(401);
            assertThat(held.spans()).as("the batch waits for its delay").noneMatch(span -> span.traceId().equals(traceId));
            stopping.stop("auth-service");

            assertThat(held.awaitTrace(traceId, spans -> !spans.isEmpty()))
                    .anyMatch(span -> span.is("auth-service", "SERVER", "GET /api/auth/me"));
        }
    }

    // each service exports on its own schedule: the gateway's span of the order ends last, yet the product
    // service's may arrive after it
    private static List<ReceivedSpan> awaitOrderTrace() {
        return receiver.awaitTrace(TRACE_ID, has(span("auth-service", "SERVER", "POST /api/auth/register"))
                .and(has(span("auth-service", "SERVER", "POST /api/auth/login")))
                .and(has(gatewayOrders())).and(has(reservationServer())));
    }

    private static Predicate<ReceivedSpan> gatewayOrders() {
        return span("gateway", "SERVER", "POST " + GATEWAY_ORDERS);
    }

    private static Predicate<ReceivedSpan> reservationServer() {
        return span("product-service", "SERVER", "POST " + RESERVATIONS);
    }

    private static Predicate<ReceivedSpan> span(String service, String kind, String name) {
        return span -> span.is(service, kind, name);
    }

    private static Predicate<List<ReceivedSpan>> has(Predicate<ReceivedSpan> span) {
        return trace -> trace.stream().anyMatch(span);
    }

    private static ReceivedSpan the(List<ReceivedSpan> trace, Predicate<ReceivedSpan> which) {
        List<ReceivedSpan> found = trace.stream().filter(which).toList();
        assertThat(found).as("one such span in the trace:%n%s", String.join("\n", trace.stream().map(String::valueOf).toList()))
                .hasSize(1);
        return found.getFirst();
    }

    private static ReceivedSpan child(List<ReceivedSpan> trace, ReceivedSpan parent, Predicate<ReceivedSpan> which) {
        return the(trace, which.and(childOf(parent.spanId())));
    }

    private static Predicate<ReceivedSpan> childOf(String spanId) {
        return span -> span.parentSpanId().equals(Optional.of(spanId));
    }

    private static Predicate<ReceivedSpan> path(String path) {
        return span -> span.attribute("url.path").equals(Optional.of(path));
    }

    private static String serviceAt(String port) {
        return ServiceStack.ALL.stream().filter(service -> stack.url(service).endsWith(":" + port)).findFirst()
                .orElseThrow(() -> new AssertionError("no service of the stack listens on " + port));
    }

    private static String newProduct() {
        HttpResponse<String> created = gateway.send(gateway.request("/api/products")
                .header("Authorization", "Bearer " + Users.admin(gateway)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"E2E-" + UUID.randomUUID()
                        + "\",\"name\":\"E2E traced lamp\",\"category\":\"test\",\"price\":4.00,\"stock\":10}")));
        assertThat(created.statusCode()).isEqualTo(201);
        return Users.field(created.body(), "id");
    }

    private static HttpResponse<String> placeOrder(String body, String traceparent) {
        return gateway.send(gateway.request("/api/orders").header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/json").header("traceparent", traceparent)
                                    .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String traceparent(String traceId, String parentSpanId) {
        return "00-" + traceId + '-' + parentSpanId + "-01";
    }

    private static String newTraceId() {
        return HEX.toHexDigits(ThreadLocalRandom.current().nextLong()) + HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
    }

    private static String newSpanId() {
        return HEX.toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
