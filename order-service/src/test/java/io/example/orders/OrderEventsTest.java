package io.example.orders;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import io.example.commons.events.CloudEvents;
import io.example.commons.events.OutboxRelay;
import io.example.commons.events.Topics;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.KafkaBroker;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order's events through a real broker, on H2 and on PostgreSQL: each change a client can see publishes
 * exactly its event, in order per order, FAILED orders none; with the broker stopped orders are still placed
 * and cancelled, their events wait in the outbox, and all of them arrive once the broker is back, also after
 * the service restarted meanwhile.
 *
 * <p>Servers are started by hand, not by {@code @ServerTest}: each test runs the service on either database and
 * one test restarts it on the same data.
 */
class OrderEventsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final JsonFormat FORMAT = new JsonFormat();

    private static KafkaBroker broker;
    private static TestDatabases.Postgres postgres;
    private static FakeAuthServer auth;
    private static FakeProductService products;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
        broker.createTopics(Topics.ORDERS);
        postgres = TestDatabases.postgres();
        auth = FakeAuthServer.start();
        products = new FakeProductService();
    }

    @AfterAll
    static void stop() {
        products.close();
        auth.close();
        postgres.close();
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void everyVisibleChangePublishesExactlyItsEventInOrderAndFailedOrdersNone(String kind) {
        Orders orders = new Orders(database(kind));
        try (RunningService service = orders.start()) {
            String product = product(100);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                ids.add(orders.place(service, product, i + 1));
            }
            orders.cancel(service, ids.get(0));
            orders.cancel(service, ids.get(1));
            orders.move(service, ids.get(2), "SHIPPED");
            orders.move(service, ids.get(3), "SHIPPED");
            orders.move(service, ids.get(4), "SHIPPED");
            orders.move(service, ids.get(4), "DELIVERED");
            assertThat(orders.placeRefused(service, "no-such-product")).isEqualTo(422);
            products.mode(FakeProductService.Mode.ERROR);
            try {
                assertThat(orders.placeRefused(service, product)).isEqualTo(503);
            } finally {
                products.mode(FakeProductService.Mode.NORMAL);
            }

            Map<String, List<CloudEvent>> published = orders.awaitEvents(12);

            assertThat(types(published)).isEqualTo(Map.of(
                    ids.get(0), List.of("placed", "cancelled"),
                    ids.get(1), List.of("placed", "cancelled"),
                    ids.get(2), List.of("placed", "shipped"),
                    ids.get(3), List.of("placed", "shipped"),
                    ids.get(4), List.of("placed", "shipped", "delivered"),
                    ids.get(5), List.of("placed")));
            assertThat(published.get(ids.get(1))).extracting(event -> CloudEvents.data(event, OrderEvent.class).status())
                    .containsExactly(OrderStatus.CONFIRMED, OrderStatus.CANCELLED);
            CloudEvent placed = published.get(ids.get(1)).get(0);
            assertThat(placed.getSource()).hasToString("/order-service");
            assertThat(placed.getSubject()).isEqualTo(ids.get(1));
            assertThat(placed.getExtension("aggregatetype")).isEqualTo("order");
            assertThat(CloudEvents.data(placed, OrderEvent.class)).usingRecursiveComparison()
                    .withComparatorForType(BigDecimal::compareTo, BigDecimal.class).isEqualTo(new OrderEvent(
                    ids.get(1), orders.userId, OrderStatus.CONFIRMED, new BigDecimal("5.00"), "EUR",
                    List.of(new OrderEvent.Item(product, 2, new BigDecimal("2.50")))));
            await(() -> orders.outbox() == 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void withTheBrokerStoppedOrdersSucceedAndEveryEventArrivesOnceItIsBackAfterARestart(String kind) {
        Orders orders = new Orders(database(kind));
        String product = product(100);
        List<String> ids = new ArrayList<>();
        RunningService first = orders.start();
        await(() -> orders.outbox() == 0);
        broker.stop();
        try {
            for (int i = 0; i < 5; i++) {
                ids.add(orders.place(first, product, 1));
            }
            orders.cancel(first, ids.get(0));
            orders.cancel(first, ids.get(1));

            assertThat(orders.outbox()).isEqualTo(7);
            // the order service goes away with its events unpublished
            first.close();
        } finally {
            broker.restart();
        }

        RunningService second = orders.start();
        try {
            Map<String, List<CloudEvent>> published = orders.awaitEvents(7);

            assertThat(types(published)).isEqualTo(Map.of(
                    ids.get(0), List.of("placed", "cancelled"),
                    ids.get(1), List.of("placed", "cancelled"),
                    ids.get(2), List.of("placed"),
                    ids.get(3), List.of("placed"),
                    ids.get(4), List.of("placed")));
            await(() -> orders.outbox() == 0);
        } finally {
            second.close();
        }
    }

    // the test's keys that point the service at the database of that kind: a new H2 file, or the shared PostgreSQL
    private static Map<String, String> database(String kind) {
        return kind.equals("H2")
               ? Map.of("db.url", TestDatabases.h2Url())
               : Map.of("db.url", postgres.url(), "db.user", "postgres", "db.password", "postgres");
    }

    private static String product(int stock) {
        String id = "p-" + UUID.randomUUID().toString().substring(0, 8);
        products.stock(id, stock);
        return id;
    }

    // event types by order, without their common prefix
    private static Map<String, List<String>> types(Map<String, List<CloudEvent>> events) {
        Map<String, List<String>> types = new HashMap<>();
        events.forEach((id, list) -> types.put(id, list.stream()
                .map(event -> event.getType().substring("io.example.order.".length())).toList()));
        return types;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited %s", PATIENCE).isNegative();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** The order service, running on the test's database, reachable over HTTP. */
    private record RunningService(WebServer server, OrderServiceUnderTest service, TestHttp http) implements AutoCloseable {
        @Override
        public void close() {
            server.stop();
            service.relay().ifPresent(OutboxRelay::close);
        }
    }

    /** One user's orders on one database, through the service's HTTP API, and the events they published. */
    private static final class Orders {
        private final Map<String, String> database;
        private final String userId = "user-" + UUID.randomUUID();
        private final String user = auth.token(userId, "USER");
        private final String admin = auth.token("admin-" + UUID.randomUUID(), "USER", "ADMIN");
        private OrderServiceUnderTest current;

        Orders(Map<String, String> database) {
            this.database = database;
        }

        RunningService start() {
            Map<String, String> keys = new HashMap<>(database);
            keys.put("kafka.bootstrap.servers", broker.bootstrapServers());
            WebServerConfig.Builder builder = WebServer.builder();
            current = OrderServiceUnderTest.configure(builder, auth, products, keys);
            WebServer server = builder.build().start();
            return new RunningService(server, current, new TestHttp("http://localhost:" + server.port()));
        }

        String place(RunningService service, String product, int quantity) {
            HttpResponse<String> response = service.http().postJson("/api/orders", items(product, quantity), user);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            return response.headers().firstValue("Location").orElseThrow().substring("/api/orders/".length());
        }

        int placeRefused(RunningService service, String product) {
            return service.http().postJson("/api/orders", items(product, 1), user).statusCode();
        }

        void cancel(RunningService service, String id) {
            HttpResponse<String> response = service.http().send(
                    service.http().request("/api/orders/" + id + "/cancel").header("Authorization", "Bearer " + user)
                            .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        void move(RunningService service, String id, String status) {
            HttpResponse<String> response = service.http().send(
                    service.http().request("/api/orders/" + id + "/status").header("Authorization", "Bearer " + admin)
                            .header("Content-Type", "application/json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"status\":\"" + status + "\"}")));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }

        long outbox() {
            return current.database().client().execute().get("SELECT COUNT(*) AS n FROM outbox").orElseThrow()
                    .column("n").get(Long.class);
        }

        // this user's events on the topic, each once (delivery is at least once), grouped by order in version order
        Map<String, List<CloudEvent>> awaitEvents(int expected) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            List<CloudEvent> mine;
            do {
                mine = broker.readAll(Topics.ORDERS, Duration.ofSeconds(1)).stream()
                        .map(OrderEventsTest::decode)
                        .filter(event -> CloudEvents.data(event, OrderEvent.class).userId().equals(userId))
                        .collect(Collectors.toMap(CloudEvent::getId, event -> event, (a, b) -> a, LinkedHashMap::new))
                        .values().stream().toList();
            } while (mine.size() < expected && System.nanoTime() < deadline);
            assertThat(mine).hasSize(expected);
            return mine.stream()
                    .sorted(Comparator.comparingLong(OrderEventsTest::version))
                    .collect(Collectors.groupingBy(CloudEvent::getSubject, LinkedHashMap::new, Collectors.toList()));
        }

        private static String items(String product, int quantity) {
            return "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}]}";
        }
    }

    // the SDK reads the extension back as text, whatever JSON type it was written as
    private static long version(CloudEvent event) {
        return Long.parseLong(String.valueOf(event.getExtension("aggregateversion")));
    }

    private static CloudEvent decode(ConsumerRecord<String, byte[]> record) {
        assertThat(new String(record.headers().lastHeader(CloudEvents.CONTENT_TYPE_HEADER).value()))
                .isEqualTo(CloudEvents.CONTENT_TYPE);
        CloudEvent event = FORMAT.deserialize(record.value());
        assertThat(record.key()).isEqualTo(event.getSubject());
        return event;
    }
}
