package io.example.orders;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.http.OrderLines;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.TestHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every order row of the contract through real HTTP, on H2, against a product service that can also be
 * slow, failing or gone.
 */
@ServerTest
class OrderHttpTest {
    private static FakeAuthServer auth;
    private static FakeProductService products;
    private static OrderRepository repository;
    private static ProductClient productClient;

    private final TestHttp http;

    private String user;
    private String productA;
    private String productB;

    OrderHttpTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        auth = FakeAuthServer.start();
        products = new FakeProductService();
        OrderServiceUnderTest service = OrderServiceUnderTest.configure(server, auth, products, Map.of(
                "product.service.connect-timeout", "PT1S",
                "product.service.read-timeout", "PT1S"));
        repository = service.repository();
        productClient = service.productClient();
    }

    @AfterAll
    static void stop() {
        products.close();
        auth.close();
    }

    @BeforeEach
    void freshUserAndStock() {
        user = auth.token("user-" + UUID.randomUUID(), "USER");
        productA = "pa-" + UUID.randomUUID().toString().substring(0, 8);
        productB = "pb-" + UUID.randomUUID().toString().substring(0, 8);
        products.stock(productA, 10);
        products.stock(productB, 1);
        products.mode(FakeProductService.Mode.NORMAL);
        products.beforeConfirm(() -> { });
    }

    @Test
    void placingAnOrderConfirmsItWithTheReservedNamesAndPrices() {
        HttpResponse<String> response = place(user, null, items(productA, 3));

        assertThat(response.statusCode()).isEqualTo(201);
        String id = string(response.body(), "id");
        assertThat(response.headers().firstValue("Location")).hasValue("/api/orders/" + id);
        assertThat(response.body()).contains("\"status\":\"CONFIRMED\"", "\"name\":\"Product " + productA + "\"",
                                             "\"unitPrice\":2.50", "\"lineTotal\":7.50", "\"total\":7.50",
                                             "\"currency\":\"EUR\"", "\"statusHistory\":[{\"at\":");
        assertThat(products.stock(productA)).isEqualTo(7);
        assertThat(products.confirmed()).contains(id);
    }

    @Test
    void aHoldThatCannotBeConfirmedLeavesNoOrderAndNoStockHeld() {
        products.mode(FakeProductService.Mode.CONFIRM_FAILS);

        HttpResponse<String> response = place(user, null, items(productA, 2));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(list(user, "").body()).contains("\"total\":0");
        assertThat(products.stock(productA)).isEqualTo(10);
    }

    @Test
    void anOrderTheSweeperGaveUpOnWhileItWasPlacedIsNeverConfirmed() {
        // the sweeper runs (with no grace period) between the reservation and its confirmation
        PendingOrderSweeper impatient = new PendingOrderSweeper(repository, productClient, Clock.systemUTC(), Duration.ZERO);
        products.beforeConfirm(impatient::sweep);

        HttpResponse<String> response = place(user, null, items(productA, 2));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(list(user, "").body()).contains("\"total\":0");
        assertThat(products.stock(productA)).isEqualTo(10);
    }

    @Test
    void theSameKeyAndBodyGiveTheSameOrderReservedOnce() {
        HttpResponse<String> first = place(user, "key-1", items(productA, 2));
        HttpResponse<String> again = place(user, "key-1", items(productA, 2));

        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(string(again.body(), "id")).isEqualTo(string(first.body(), "id"));
        assertThat(products.stock(productA)).isEqualTo(8);
        assertThat(list(user, "").body()).contains("\"total\":1");
    }

    @Test
    void theSameKeyWithAnotherBodyIs422() {
        place(user, "key-2", items(productA, 2));

        HttpResponse<String> other = place(user, "key-2", items(productA, 3));

        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(products.stock(productA)).isEqualTo(8);
    }

    @Test
    void racingRequestsWithOneKeyMakeOneOrder() throws Exception {
        List<Callable<HttpResponse<String>>> racers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            racers.add(() -> place(user, "race-key", items(productA, 1)));
        }

        List<String> ids = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (Future<HttpResponse<String>> f : pool.invokeAll(racers)) {
                assertThat(f.get().statusCode()).isEqualTo(201);
                ids.add(string(f.get().body(), "id"));
            }
        }

        assertThat(ids).containsOnly(ids.getFirst());
        assertThat(products.stock(productA)).isEqualTo(9);
    }

    @Test
    void shortStockIs409AndLeavesNoOrder() {
        HttpResponse<String> response = place(user, "short-key", items(productB, 2));

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains(productB);
        assertThat(list(user, "").body()).contains("\"total\":0");
        assertThat(products.stock(productB)).isEqualTo(1);
    }

    @Test
    void unknownProductIs422AndLeavesNoOrder() {
        HttpResponse<String> response = place(user, null, items("no-such-product", 1));

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(list(user, "").body()).contains("\"total\":0");
    }

    @Test
    void badQuantitiesAndEmptyOrdersAre400() {
        assertThat(place(user, null, items(productA, 0)).statusCode()).isEqualTo(400);
        assertThat(place(user, null, items(productA, 101)).statusCode()).isEqualTo(400);
        assertThat(place(user, null, "{\"items\":[]}").statusCode()).isEqualTo(400);
        assertThat(place(user, null, "{\"items\":[{\"productId\":\"" + productA + "\",\"quantity\":1},{\"productId\":\""
                + productA + "\",\"quantity\":1}]}").statusCode()).isEqualTo(400);
        assertThat(place(user, null, "{\"items\":[{\"productId\":\"x\",\"quantity\":\"two\"}]}").statusCode()).isEqualTo(400);
        assertThat(list(user, "").body()).contains("\"total\":0");
    }

    @Test
    void aProductServiceThatFailsIs503AndLeavesNoOrderAndNoStockHeld() {
        products.mode(FakeProductService.Mode.ERROR);

        HttpResponse<String> response = place(user, null, items(productA, 2));

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(list(user, "").body()).contains("\"total\":0");
        assertThat(products.stock(productA)).isEqualTo(10);
    }

    @Test
    void aSlowProductServiceIs504AndTheReservationIsReleased() {
        products.mode(FakeProductService.Mode.SLOW);
        long started = System.nanoTime();

        HttpResponse<String> response = place(user, null, items(productA, 4));

        assertThat(response.statusCode()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(list(user, "").body()).contains("\"total\":0");
        assertThat(products.stock(productA)).isEqualTo(10);
    }

    @Test
    void listsOnlyTheCallersOrdersNewestFirstWithFilterAndPaging() {
        String first = string(place(user, null, items(productA, 1)).body(), "id");
        String second = string(place(user, null, items(productA, 1)).body(), "id");
        place(auth.token("someone-else", "USER"), null, items(productA, 1));
        cancel(user, first);

        HttpResponse<String> all = list(user, "");
        HttpResponse<String> page = list(user, "?limit=1&offset=1");
        HttpResponse<String> cancelled = list(user, "?status=CANCELLED");

        assertThat(all.body()).contains("\"total\":2");
        assertThat(all.body().indexOf(second)).isLessThan(all.body().indexOf(first));
        assertThat(page.body()).contains(first, "\"limit\":1", "\"offset\":1").doesNotContain(second);
        assertThat(cancelled.body()).contains(first, "\"total\":1");
        assertThat(list(user, "?status=PENDING").statusCode()).isEqualTo(400);
        assertThat(list(user, "?limit=0").statusCode()).isEqualTo(400);
        assertThat(list(user, "?offset=x").statusCode()).isEqualTo(400);
    }

    @Test
    void anOrderIsVisibleToItsOwnerAndAdminsOnly() {
        String id = string(place(user, null, items(productA, 1)).body(), "id");

        assertThat(get(user, id).statusCode()).isEqualTo(200);
        assertThat(get(auth.token("admin", "USER", "ADMIN"), id).statusCode()).isEqualTo(200);
        assertThat(get(auth.token("stranger", "USER"), id).statusCode()).isEqualTo(404);
        assertThat(get(user, UUID.randomUUID().toString()).statusCode()).isEqualTo(404);
    }

    @Test
    void cancellingGivesTheStockBackAndIsRefusedOnceShipped() {
        String admin = auth.token("admin", "USER", "ADMIN");
        String kept = string(place(user, null, items(productA, 3)).body(), "id");
        String shipped = string(place(user, null, items(productA, 2)).body(), "id");
        changeStatus(admin, shipped, "SHIPPED");

        HttpResponse<String> cancelled = cancel(user, kept);
        HttpResponse<String> again = cancel(user, kept);
        HttpResponse<String> refused = cancel(user, shipped);

        assertThat(cancelled.statusCode()).isEqualTo(200);
        assertThat(cancelled.body()).contains("\"status\":\"CANCELLED\"");
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(products.stock(productA)).isEqualTo(8);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(cancel(auth.token("stranger", "USER"), shipped).statusCode()).isEqualTo(404);
    }

    @Test
    void adminsMoveOrdersForwardOnlyAndEveryMoveIsRecorded() {
        String admin = auth.token("admin", "USER", "ADMIN");
        String id = string(place(user, null, items(productA, 1)).body(), "id");

        assertThat(changeStatus(user, id, "SHIPPED").statusCode()).isEqualTo(403);
        assertThat(changeStatus(admin, id, "DELIVERED").statusCode()).isEqualTo(409);
        assertThat(changeStatus(admin, id, "SHIPPED").statusCode()).isEqualTo(200);
        HttpResponse<String> delivered = changeStatus(admin, id, "DELIVERED");
        assertThat(changeStatus(admin, id, "SHIPPED").statusCode()).isEqualTo(409);
        assertThat(changeStatus(admin, id, "LOST").statusCode()).isEqualTo(400);

        assertThat(delivered.statusCode()).isEqualTo(200);
        assertThat(Pattern.compile("\"status\":\"(CONFIRMED|SHIPPED|DELIVERED)\",?\"?").matcher(delivered.body()).results()
                           .map(r -> r.group(1)).toList())
                .containsSubsequence("CONFIRMED", "SHIPPED", "DELIVERED");
    }

    @Test
    void everyRouteNeedsAToken() {
        HttpResponse<String> response = http.get("/api/orders");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).get().asString().startsWith("Bearer");
    }

    @Test
    void theSweeperReleasesAndFailsOrdersLeftPending() {
        String userId = "crashed-" + UUID.randomUUID();
        String orderId = UUID.randomUUID().toString();
        repository.insertPending(orderId, userId, null, "x".repeat(64), Instant.now().minusSeconds(120));

        int settled = new PendingOrderSweeper(repository, productClient, Clock.systemUTC(), Duration.ofSeconds(30)).sweep();

        assertThat(settled).isGreaterThanOrEqualTo(1);
        assertThat(products.releases()).contains(orderId);
        assertThat(repository.find(orderId)).hasValueSatisfying(o -> assertThat(o.status()).isEqualTo(OrderStatus.FAILED));
        assertThat(list(auth.token(userId, "USER"), "").body()).contains("\"total\":0");
    }

    @Test
    void aFailedOrderWhoseReleaseFailedGetsItsStockBackAtTheNextSweep() {
        String orderId = UUID.randomUUID().toString();
        repository.insertPending(orderId, "crashed-" + UUID.randomUUID(), null, "x".repeat(64),
                                 Instant.now().minusSeconds(120));
        // the crash came after the reservation
        productClient.reserve(orderId, List.of(new OrderLines.Line(productA, 4)));
        PendingOrderSweeper sweeper = new PendingOrderSweeper(repository, productClient, Clock.systemUTC(),
                                                              Duration.ofSeconds(30));
        products.mode(FakeProductService.Mode.RELEASE_FAILS);
        sweeper.sweep();
        OrderStatus whileDown = repository.find(orderId).orElseThrow().status();
        int heldWhileDown = products.stock(productA);
        products.mode(FakeProductService.Mode.NORMAL);

        sweeper.sweep();

        // given up on first, so it can no longer be confirmed, though its stock could not come back yet
        assertThat(whileDown).isEqualTo(OrderStatus.FAILED);
        assertThat(heldWhileDown).isEqualTo(6);
        assertThat(products.stock(productA)).isEqualTo(10);
    }

    @Test
    void aBacklogOfFailedOrdersIsReleasedSeveralAtATime() {
        List<String> failed = failedOrdersLeftBehind(100);
        products.mode(FakeProductService.Mode.SLOW_RELEASE);
        long started = System.nanoTime();

        new PendingOrderSweeper(repository, productClient, Clock.systemUTC(), Duration.ofSeconds(30)).sweep();

        // one at a time, 100 releases of 20 ms take 2 s
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1500));
        assertThat(products.releases()).containsAll(failed);
        assertThat(repository.stockNotReleased()).doesNotContainAnyElementsOf(failed);
    }

    @Test
    void aSweepStopsAtTheFirstReleaseProductServiceRefusesAndTheNextOneFinishes() {
        List<String> failed = failedOrdersLeftBehind(100);
        products.mode(FakeProductService.Mode.RELEASE_FAILS);
        int attemptsBefore = products.releaseAttempts();
        PendingOrderSweeper sweeper = new PendingOrderSweeper(repository, productClient, Clock.systemUTC(),
                                                              Duration.ofSeconds(30));

        sweeper.sweep();
        int attemptsWhileRefused = products.releaseAttempts() - attemptsBefore;
        products.mode(FakeProductService.Mode.NORMAL);
        sweeper.sweep();

        // the releases already under way when the first refusal came back, not one per order
        assertThat(attemptsWhileRefused).isBetween(1, 16);
        assertThat(repository.stockNotReleased()).doesNotContainAnyElementsOf(failed);
    }

    private List<String> failedOrdersLeftBehind(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String orderId = UUID.randomUUID().toString();
            repository.insertPending(orderId, "crashed-" + UUID.randomUUID(), null, "x".repeat(64),
                                     Instant.now().minusSeconds(120));
            assertThat(repository.fail(orderId, Instant.now())).isTrue();
            ids.add(orderId);
        }
        return ids;
    }

    @Test
    void badRequestsAreProblemsNeverA500() {
        assertThat(place(user, null, "{\"items\":").statusCode()).isEqualTo(400);
        assertThat(place(user, null, "{\"items\":[{\"productId\":\"" + "x".repeat(1_100_000) + "\"}]}").statusCode())
                .isEqualTo(413);
        assertThat(http.send(http.request("/api/orders/x/status").header("Authorization", "Bearer " + user)
                                     .DELETE()).statusCode()).isEqualTo(405);
        assertThat(http.get("/api/elsewhere").statusCode()).isEqualTo(404);
        assertThat(place(user, "bad key with spaces", items(productA, 1)).statusCode()).isEqualTo(400);
    }

    private static String items(String productId, int quantity) {
        return "{\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + "}]}";
    }

    private HttpResponse<String> place(String token, String key, String body) {
        HttpRequest.Builder builder = http.request("/api/orders")
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .expectContinue(TestHttp.isLarge(body))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            builder.header("Idempotency-Key", key);
        }
        return http.send(builder);
    }

    private HttpResponse<String> list(String token, String query) {
        return http.send(http.request("/api/orders" + query).header("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> get(String token, String id) {
        return http.send(http.request("/api/orders/" + id).header("Authorization", "Bearer " + token));
    }

    private HttpResponse<String> cancel(String token, String id) {
        return http.send(http.request("/api/orders/" + id + "/cancel").header("Authorization", "Bearer " + token)
                                 .POST(HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> changeStatus(String token, String id, String status) {
        return http.send(http.request("/api/orders/" + id + "/status").header("Authorization", "Bearer " + token)
                                 .header("Content-Type", "application/json")
                                 .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}")));
    }

    private static String string(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }
}
