package io.example.e2e;

import java.io.StringReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.example.commons.db.DatabaseUrl;
import io.example.commons.testing.TestHttp;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crashes: services killed with SIGKILL, alone right after acknowledged writes, and at random moments under
 * a load of orders, then started again on their data. Afterwards every acknowledged write is there, stock is
 * conserved (initial = available + held by live orders), no live order lacks its reservation, and all of it
 * within the bound docs/consistency.md states for the timeouts used here.
 *
 * <p>Seeded: {@code -Dcrash.seed=N} replays a run's choices (what is ordered, when and what is killed; thread
 * scheduling still varies); {@code -Dcrash.rounds=N} sets the number of kills (default 4).
 */
class CrashE2eTest {
    private static final String PASSWORD = "correct-horse";
    private static final Set<String> LIVE = Set.of("CONFIRMED", "SHIPPED", "DELIVERED");

    // short timeouts, so that a run settles in seconds
    private static final Duration PENDING_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration SWEEPER_INTERVAL = Duration.ofSeconds(1);
    private static final Duration HOLD_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration HOLD_SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** docs/consistency.md: max(pending-timeout + 2 x sweeper.interval, hold-timeout + sweep-interval). */
    private static final Duration BOUND = max(PENDING_TIMEOUT.plus(SWEEPER_INTERVAL.multipliedBy(2)),
                                              HOLD_TIMEOUT.plus(HOLD_SWEEP_INTERVAL));
    // what a loaded 2-core machine adds: the polls' own requests, a sweep that waits for a CPU
    private static final Duration SLACK = Duration.ofSeconds(10);

    private static final Map<String, TestHttp> CLIENTS = new ConcurrentHashMap<>();
    private static ServiceStack stack;

    @BeforeAll
    static void start() {
        stack = ServiceStack.start(List.of("auth-service", "product-service", "order-service"), Map.of(
                "order-service", Map.of("sweeper.interval", SWEEPER_INTERVAL.toString(),
                                        "sweeper.pending-timeout", PENDING_TIMEOUT.toString()),
                "product-service", Map.of("inventory.hold-timeout", HOLD_TIMEOUT.toString(),
                                          "inventory.sweep-interval", HOLD_SWEEP_INTERVAL.toString())));
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    @Test
    void writesAcknowledgedJustBeforeAKillAreThereAfterTheRestart() {
        String admin = login(ServiceStack.ADMIN_EMAIL, ServiceStack.ADMIN_PASSWORD);
        List<String> productIds = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            productIds.add(createProduct(admin, 50));
        }
        crash("product-service");
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            emails.add(register());
        }
        crash("auth-service");
        String buyer = login(emails.get(0), PASSWORD);
        List<String> orderIds = new ArrayList<>();
        for (String productId : productIds) {
            HttpResponse<String> placed = placeAsAClientWould(buyer, items(Map.of(productId, 2)));
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
            orderIds.add(read(placed.body()).getString("id"));
        }
        crash("order-service", "product-service");

        for (String productId : productIds) {
            HttpResponse<String> product = http("product-service").get("/api/products/" + productId);
            assertThat(product.statusCode()).as("product %s", productId).isEqualTo(200);
            assertThat(read(product.body()).getInt("stock")).as("stock of %s", productId).isEqualTo(48);
        }
        for (String email : emails) {
            assertThat(loginResponse(email, PASSWORD).statusCode()).as("login of %s", email).isEqualTo(200);
        }
        for (String orderId : orderIds) {
            HttpResponse<String> order = get("order-service", "/api/orders/" + orderId, buyer);
            assertThat(order.statusCode()).as("order %s", orderId).isEqualTo(200);
            assertThat(read(order.body()).getString("status")).isEqualTo("CONFIRMED");
        }
    }

    @Test
    void stockIsConservedWhateverIsKilledWhileOrdersArePlaced() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        int rounds = Integer.getInteger("crash.rounds", 4);
        System.out.println("CrashE2eTest seed " + seed + " (-Dcrash.seed=" + seed + " replays it), " + rounds + " rounds");
        Random chaos = new Random(seed);
        String admin = login(ServiceStack.ADMIN_EMAIL, ServiceStack.ADMIN_PASSWORD);
        Map<String, Integer> initial = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            initial.put(createProduct(admin, 1000), 1000);
        }
        List<String> buyers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            buyers.add(login(register(), PASSWORD));
        }

        Load load = new Load(buyers, List.copyOf(initial.keySet()), seed);
        load.start();
        Instant roundsBegan = Instant.now();
        for (int round = 1; round <= rounds; round++) {
            // a kill under load: once orders flow again, at a random moment
            load.awaitAcknowledged(5, Duration.ofSeconds(60));
            Thread.sleep(chaos.nextInt(1000));
            List<String> victims = switch (chaos.nextInt(3)) {
                case 0 -> List.of("order-service");
                case 1 -> List.of("product-service");
                default -> List.of("order-service", "product-service");
            };
            System.out.println("CrashE2eTest round " + round + ": kill -9 " + victims + " after " + load.acknowledged.size()
                                       + " acknowledged orders");
            victims.forEach(stack::kill);
            Thread.sleep(chaos.nextInt(500));
            victims.forEach(CrashE2eTest::restart);
            System.out.println("CrashE2eTest " + progress(round, rounds, Duration.between(roundsBegan, Instant.now())));
        }
        Thread.sleep(500);
        load.stop();
        Instant settledFrom = Instant.now();

        String run = "seed " + seed;
        Map<String, JsonObject> orders = awaitConservation(buyers, initial, settledFrom, run);
        Duration settled = Duration.between(settledFrom, Instant.now());
        System.out.println("CrashE2eTest: " + load.acknowledged.size() + " orders acknowledged, " + orders.size()
                                   + " in the order service, settled in " + settled.toMillis() + " ms (bound " + BOUND
                                   + ")");

        assertThat(load.acknowledged).as("orders acknowledged under load, %s", run).isNotEmpty();
        for (String id : load.acknowledged.keySet()) {
            assertThat(orders).as("acknowledged order %s, %s", id, run).containsKey(id);
        }
        for (String id : load.cancelled) {
            assertThat(orders.get(id).getString("status")).as("acknowledged cancel of %s, %s", id, run)
                    .isEqualTo("CANCELLED");
        }
        assertThat(settled).as("time to settle, %s", run).isLessThanOrEqualTo(BOUND.plus(SLACK));
        assertEveryLiveOrderHoldsExactlyItsReservation(orders, initial.keySet(), run);
    }

    // What Kubernetes does to a pod it replaces or scales down: SIGTERM while it serves. Each request in flight is
    // answered or refused (503, or its connection closed), never failed with a 500, and what was acknowledged stays.
    @Test
    void ordersInFlightWhenTheOrderServiceIsStoppedAreAnsweredOrRefusedNeverFailed() throws Exception {
        String admin = login(ServiceStack.ADMIN_EMAIL, ServiceStack.ADMIN_PASSWORD);
        String product = createProduct(admin, 1000);
        List<String> buyers = List.of(login(register(), PASSWORD));
        Map<Integer, Integer> answers = new ConcurrentHashMap<>();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            clients.add(Thread.ofPlatform().name("client-" + i).start(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> placed = http("order-service")
                                .postJson("/api/orders", items(Map.of(product, 1)), buyers.getFirst());
                        answers.merge(placed.statusCode(), 1, Integer::sum);
                        if (placed.statusCode() == 201) {
                            acknowledged.add(read(placed.body()).getString("id"));
                        }
                    } catch (RuntimeException down) {
                        // stopped mid-request or not listening: no answer, nothing acknowledged
                        sleepQuietly();
                    }
                }
            }));
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (acknowledged.size() < 20 && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        stack.stop("order-service");
        running.set(false);
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(30));
        }
        restart("order-service");

        assertThat(answers).as("answers while order-service was stopped under load").doesNotContainKey(500);
        Map<String, JsonObject> orders = awaitConservation(buyers, Map.of(product, 1000), Instant.now(), "SIGTERM");
        assertThat(orders.keySet()).as("acknowledged orders after the restart").containsAll(acknowledged);
    }

    // a long run's progress in the test's log: the rounds so far take as long as the rest will
    private static String progress(int round, int rounds, Duration elapsed) {
        Duration rest = elapsed.dividedBy(round).multipliedBy(rounds - round);
        return "round " + round + " of " + rounds + " done, " + elapsed.toSeconds() + " s so far; about " + rest.toSeconds()
                + " s more for the other rounds, then up to " + BOUND.plus(SLACK).toSeconds() + " s to settle";
    }

    // polls until stock = initial - units of live orders; past the bound (and some) it fails with the difference
    private Map<String, JsonObject> awaitConservation(List<String> buyers, Map<String, Integer> initial, Instant from,
                                                      String run) throws InterruptedException {
        Instant deadline = from.plus(BOUND).plus(SLACK).plus(Duration.ofSeconds(30));
        while (true) {
            Map<String, JsonObject> orders = ordersOf(buyers);
            Map<String, Integer> expected = new HashMap<>(initial);
            orders.values().stream().filter(o -> LIVE.contains(o.getString("status")))
                    .forEach(o -> lines(o).forEach((product, quantity) -> expected.merge(product, -quantity, Integer::sum)));
            Map<String, Integer> actual = new HashMap<>();
            initial.keySet().forEach(id -> actual.put(id, read(http("product-service").get("/api/products/" + id).body())
                    .getInt("stock")));
            if (actual.equals(expected)) {
                return orders;
            }
            if (Instant.now().isAfter(deadline)) {
                assertThat(actual).as("stock = initial - units of live orders, %s", run).isEqualTo(expected);
            }
            Thread.sleep(250);
        }
    }

    // read straight from product-service's database, stopped so that the file can be opened
    private void assertEveryLiveOrderHoldsExactlyItsReservation(Map<String, JsonObject> orders, Set<String> products,
                                                                String run) throws SQLException {
        stack.stop("product-service");
        Map<String, Map<String, Integer>> held = new HashMap<>();
        Set<String> confirmed = new HashSet<>();
        try (Connection db = DriverManager.getConnection(stack.databaseUrl("product-service") + DatabaseUrl.h2Options(),
                                                         "sa", "");
             Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT r.order_id, r.confirmed_at, l.product_id, l.quantity FROM reservations r"
                             + " JOIN reservation_lines l ON l.order_id = r.order_id WHERE r.state = 'RESERVED'")) {
            while (rows.next()) {
                if (products.contains(rows.getString("product_id"))) {
                    held.computeIfAbsent(rows.getString("order_id"), id -> new HashMap<>())
                            .put(rows.getString("product_id"), rows.getInt("quantity"));
                    rows.getLong("confirmed_at");
                    if (!rows.wasNull()) {
                        confirmed.add(rows.getString("order_id"));
                    }
                }
            }
        } finally {
            restart("product-service");
        }
        Map<String, Map<String, Integer>> live = new HashMap<>();
        orders.forEach((id, order) -> {
            if (LIVE.contains(order.getString("status"))) {
                live.put(id, lines(order));
            }
        });
        assertThat(held).as("reservations held = the lines of live orders, no more, no less, %s", run).isEqualTo(live);
        assertThat(confirmed).as("every live order's reservation is confirmed, %s", run).isEqualTo(live.keySet());
    }

    /** Buyers placing orders (and now and then cancelling one) as fast as the services answer. */
    private final class Load {
        private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
        private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(List<String> buyers, List<String> products, long seed) {
            for (int i = 0; i < buyers.size(); i++) {
                String buyer = buyers.get(i);
                Random random = new Random(seed + i + 1);
                threads.add(Thread.ofPlatform().name("buyer-" + i).unstarted(() -> buy(buyer, products, random)));
            }
        }

        void start() {
            threads.forEach(Thread::start);
        }

        void awaitAcknowledged(int more, Duration atMost) throws InterruptedException {
            int target = acknowledged.size() + more;
            Instant deadline = Instant.now().plus(atMost);
            while (acknowledged.size() < target && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(Duration.ofSeconds(60));
            }
        }

        private void buy(String buyer, List<String> products, Random random) {
            while (running.get()) {
                TestHttp orders = http("order-service");
                List<String> shuffled = new ArrayList<>(products);
                Collections.shuffle(shuffled, random);
                Map<String, Integer> lines = new LinkedHashMap<>();
                shuffled.subList(0, 1 + random.nextInt(2)).forEach(p -> lines.put(p, 1 + random.nextInt(3)));
                boolean cancel = random.nextInt(8) == 0;
                try {
                    HttpResponse<String> placed = orders.postJson("/api/orders", items(lines), buyer);
                    if (placed.statusCode() != 201) {
                        Thread.sleep(20);
                        continue;
                    }
                    String id = read(placed.body()).getString("id");
                    acknowledged.put(id, buyer);
                    if (cancel) {
                        HttpResponse<String> cancelled = orders.send(orders.request("/api/orders/" + id + "/cancel")
                                .header("Authorization", "Bearer " + buyer).POST(HttpRequest.BodyPublishers.noBody()));
                        if (cancelled.statusCode() == 200) {
                            this.cancelled.add(id);
                        }
                    }
                } catch (RuntimeException down) {
                    // killed mid-request: the answer never came, so nothing was acknowledged
                    sleepQuietly();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static Map<String, JsonObject> ordersOf(List<String> buyers) {
        Map<String, JsonObject> orders = new HashMap<>();
        for (String buyer : buyers) {
            for (int offset = 0; ; offset += 100) {
                JsonObject page = read(get("order-service", "/api/orders?limit=100&offset=" + offset, buyer).body());
                page.getJsonArray("items").forEach(o -> orders.put(o.asJsonObject().getString("id"), o.asJsonObject()));
                if (offset + 100 >= page.getInt("total")) {
                    break;
                }
            }
        }
        return orders;
    }

    private static Map<String, Integer> lines(JsonObject order) {
        Map<String, Integer> lines = new HashMap<>();
        for (JsonValue line : order.getJsonArray("items")) {
            lines.put(line.asJsonObject().getString("productId"), line.asJsonObject().getInt("quantity"));
        }
        return lines;
    }

    private static void crash(String... services) {
        for (String service : services) {
            stack.kill(service);
        }
        for (String service : services) {
            restart(service);
        }
    }

    // a client's pooled connections to the killed process are dead: the next request gets a new client
    private static void restart(String service) {
        stack.restart(service);
        CLIENTS.remove(service);
    }

    private static String createProduct(String admin, int stock) {
        String body = "{\"sku\":\"CRASH-" + UUID.randomUUID() + "\",\"name\":\"Crash widget\",\"category\":\"test\","
                + "\"price\":1.50,\"stock\":" + stock + "}";
        // the SKU is unique: a retry after a lost answer could only fail with 409, never create a second product
        HttpResponse<String> created = retryingWhileUnavailable(
                () -> http("product-service").postJson("/api/products", body, admin));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return read(created.body()).getString("id");
    }

    private static String register() {
        String email = "crash-" + UUID.randomUUID() + "@example.com";
        HttpResponse<String> registered = http("auth-service").postJson("/api/auth/register", "{\"email\":\"" + email
                + "\",\"password\":\"" + PASSWORD + "\",\"name\":\"Crash\"}", null);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(201);
        return email;
    }

    private static String login(String email, String password) {
        HttpResponse<String> login = loginResponse(email, password);
        assertThat(login.statusCode()).as("login of %s: %s", email, login.body()).isEqualTo(200);
        return read(login.body()).getString("accessToken");
    }

    private static HttpResponse<String> loginResponse(String email, String password) {
        return http("auth-service").postJson("/api/auth/login", "{\"email\":\"" + email + "\",\"password\":\"" + password
                + "\"}", null);
    }

    // Right after auth-service restarts (with a new key, as no JWT_PRIVATE_KEY is set here) the order service, or
    // the product service behind it, may answer 503 with Retry-After for a few seconds until it has read the new
    // keys: a client retries, with its Idempotency-Key, so a retry can never place a second order
    private static HttpResponse<String> placeAsAClientWould(String token, String body) {
        String key = "crash-" + UUID.randomUUID();
        return retryingWhileUnavailable(() -> http("order-service").send(http("order-service").request("/api/orders")
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body))));
    }

    // A service that has just (re)started takes traffic before it has read auth-service's keys and revocations
    // (its readiness does not wait for them: anonymous catalogue reads need neither), and answers a token 503 with
    // Retry-After until then; so does a client, for up to 15 s
    private static HttpResponse<String> retryingWhileUnavailable(Supplier<HttpResponse<String>> request) {
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            HttpResponse<String> answer = request.get();
            if (answer.statusCode() != 503 || Instant.now().isAfter(deadline)) {
                return answer;
            }
            sleepQuietly(Duration.ofSeconds(1));
        }
    }

    private static HttpResponse<String> get(String service, String path, String token) {
        return retryingWhileUnavailable(() -> http(service).send(http(service).request(path)
                                                                      .header("Authorization", "Bearer " + token)));
    }

    private static String items(Map<String, Integer> lines) {
        List<String> items = new ArrayList<>();
        lines.forEach((product, quantity) -> items.add("{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}"));
        return "{\"items\":[" + String.join(",", items) + "]}";
    }

    private static TestHttp http(String service) {
        return CLIENTS.computeIfAbsent(service, s -> new TestHttp(stack.url(s)));
    }

    private static JsonObject read(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static void sleepQuietly() {
        sleepQuietly(Duration.ofMillis(50));
    }

    private static void sleepQuietly(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
