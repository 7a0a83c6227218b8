package io.example.products;

import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import io.example.commons.events.CloudEvents;
import io.example.commons.events.EventConsumer;
import io.example.commons.events.Outbox;
import io.example.commons.events.Topics;
import io.example.commons.http.OrderLines;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.KafkaBroker;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;
import io.example.products.catalogue.Product;
import io.example.products.catalogue.ProductEvents;
import io.example.products.catalogue.ProductRepository;
import io.example.products.inventory.Inventory;
import io.example.products.inventory.ReservationRequest;

import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * product-service's events through a real broker, on H2 and on PostgreSQL: a cancelled order's event read from
 * {@code orders} gives its stock back exactly once however often it comes, also when the service reads it only
 * after a restart, and with two replicas sharing the work; a poison event is parked with its reason and the
 * partition moves on; catalogue changes publish their events on {@code products}; readiness does not depend on the
 * broker.
 *
 * <p>Servers are started by hand, not by {@code @ServerTest}: tests run the service on either database, restart
 * it, or run two replicas of it.
 */
class ProductEventsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String GROUP = "product-service";
    private static final JsonFormat FORMAT = new JsonFormat();

    private static KafkaBroker broker;
    private static TestDatabases.Postgres postgres;
    private static FakeAuthServer auth;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
        broker.createTopics(Topics.ORDERS, Topics.PRODUCTS, Topics.deadLetters(GROUP));
        postgres = TestDatabases.postgres();
        auth = FakeAuthServer.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    @AfterAll
    static void stop() {
        admin.close();
        auth.close();
        postgres.close();
        broker.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aCancelledOrderGivesItsStockBackExactlyOnceHoweverOftenItsEventComes(String kind) {
        Map<String, String> database = database(kind);
        try (RunningService service = RunningService.start(database)) {
            awaitMembers(1);
            String product = service.product(10);
            String order = service.reserve(product, 3);
            byte[] cancelled = cancelled(order);

            send(order, cancelled);
            send(order, cancelled);
            send(order, cancelled);
            send(order, cancelled(order));
            awaitAllApplied();

            assertThat(service.stock(product)).isEqualTo(10);
            assertThat(stockChanges(product, 2)).containsExactly(new ProductEvents.StockChanged(product, 7, -3, "reserved"),
                                                                 new ProductEvents.StockChanged(product, 10, 3, "released"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aCancelMadeWhileTheServiceWasDownGivesTheStockBackOnceItIsBack(String kind) {
        Map<String, String> database = database(kind);
        String product;
        String order;
        try (RunningService before = RunningService.start(database)) {
            awaitMembers(1);
            product = before.product(10);
            order = before.reserve(product, 4);
        }

        send(order, cancelled(order));

        try (RunningService after = RunningService.start(database)) {
            awaitMembers(1);
            await(() -> after.stock(product) == 10);
            awaitAllApplied();
            assertThat(after.stock(product)).isEqualTo(10);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void aPoisonEventIsParkedWithItsReasonAndTheNextEventOfItsPartitionApplies(String kind) {
        try (RunningService service = RunningService.start(database(kind))) {
            awaitMembers(1);
            String product = service.product(10);
            String order = service.reserve(product, 2);

            send(order, "not a cloud event".getBytes(StandardCharsets.UTF_8));
            send(order, event(order, "io.example.order.cancelled", "{\"id\":\"" + order + "\"}"));
            send(order, cancelled(order));
            awaitAllApplied();

            assertThat(service.stock(product)).isEqualTo(10);
            List<ConsumerRecord<String, byte[]>> parked = broker.readAll(Topics.deadLetters(GROUP), Duration.ofSeconds(1))
                    .stream().filter(record -> order.equals(record.key())).toList();
            assertThat(parked).extracting(record -> header(record, EventConsumer.REASON_HEADER))
                    .hasSize(2)
                    .satisfiesExactly(reason -> assertThat(reason).contains("not a CloudEvent"),
                                      reason -> assertThat(reason).contains("order id"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void catalogueChangesPublishTheProductAfterEachChange(String kind) {
        try (RunningService service = RunningService.start(database(kind))) {
            awaitMembers(1);
            String token = auth.token("admin-" + UUID.randomUUID(), "ADMIN");
            String sku = "SKU-" + UUID.randomUUID().toString().substring(0, 8);
            HttpResponse<String> created = service.http().postJson("/api/products", product(sku, "2.50", 5), token);
            String id = created.headers().firstValue("Location").orElseThrow().substring("/api/products/".length());
            HttpResponse<String> updated = service.http().send(service.http().request("/api/products/" + id)
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(product(sku, "3.00", 8))));
            HttpResponse<String> taken = service.http().postJson("/api/products", product(sku, "1.00", 1), token);
            HttpResponse<String> deleted = service.http().send(service.http().request("/api/products/" + id)
                    .header("Authorization", "Bearer " + token).DELETE());

            assertThat(List.of(created.statusCode(), updated.statusCode(), taken.statusCode(), deleted.statusCode()))
                    .containsExactly(201, 200, 409, 204);
            List<CloudEvent> events = productEvents(id, 3);
            assertThat(events).extracting(CloudEvent::getType).containsExactly(
                    "io.example.product.created", "io.example.product.updated", "io.example.product.deleted");
            assertThat(CloudEvents.data(events.get(0), ProductEvents.Snapshot.class)).usingRecursiveComparison()
                    .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                    .isEqualTo(new ProductEvents.Snapshot(id, sku, "Thing", "tests", new BigDecimal("2.50"), "EUR", 5));
            assertThat(CloudEvents.data(events.get(1), ProductEvents.Snapshot.class)).usingRecursiveComparison()
                    .withComparatorForType(BigDecimal::compareTo, BigDecimal.class)
                    .isEqualTo(new ProductEvents.Snapshot(id, sku, "Thing", "tests", new BigDecimal("3.00"), "EUR", 8));
            assertThat(CloudEvents.data(events.get(2), ProductEvents.Deleted.class)).isEqualTo(new ProductEvents.Deleted(id));
            assertThat(events.get(0).getSource()).isEqualTo(URI.create("/product-service"));
            // the refused creation rolled back with its event
            assertThat(broker.readAll(Topics.PRODUCTS, Duration.ofSeconds(1)).stream()
                               .map(record -> FORMAT.deserialize(record.value()))
                               .filter(event -> event.getType().equals("io.example.product.created"))
                               .filter(event -> CloudEvents.data(event, ProductEvents.Snapshot.class).sku().equals(sku)))
                    .hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"H2", "PostgreSQL"})
    void twoReplicasSharingTheGroupGiveEachCancelledOrdersStockBackOnceAndOneCarriesOnAlone(String kind) {
        Map<String, String> database = database(kind);
        RunningService one = RunningService.start(database);
        try (RunningService two = RunningService.start(database)) {
            awaitMembers(2);
            String product = one.product(100);
            List<String> orders = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                orders.add(one.reserve(product, 1));
            }

            orders.forEach(order -> send(order, cancelled(order)));
            awaitAllApplied();
            int afterBoth = one.stock(product);
            one.close();
            awaitMembers(1);
            List<String> more = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                more.add(two.reserve(product, 1));
            }
            more.forEach(order -> send(order, cancelled(order)));
            awaitAllApplied();

            assertThat(afterBoth).isEqualTo(100);
            assertThat(two.stock(product)).isEqualTo(100);
            assertThat(stockChanges(product, 36)).filteredOn(change -> change.reason().equals("released")).hasSize(18);
        } finally {
            one.close();
        }
    }

    @Test
    void theServiceIsReadyWhileItCannotReachTheBroker() throws Exception {
        Map<String, String> keys = new HashMap<>(database("H2"));
        try (ServerSocket closed = new ServerSocket(0)) {
            keys.put("kafka.bootstrap.servers", "localhost:" + closed.getLocalPort());
        }
        try (RunningService service = RunningService.start(keys)) {
            EventConsumer consumer = service.service().consumer().orElseThrow();

            assertThat(service.http().get("/health/ready").statusCode()).isEqualTo(200);
            assertThat(consumer.connected()).isFalse();
        }
    }

    // the test's keys that point the service at the database of that kind: a new H2 file, or the shared PostgreSQL
    private static Map<String, String> database(String kind) {
        return kind.equals("H2")
               ? Map.of("db.url", TestDatabases.h2Url())
               : Map.of("db.url", postgres.url(), "db.user", "postgres", "db.password", "postgres");
    }

    private static String product(String sku, String price, int stock) {
        return "{\"sku\":\"" + sku + "\",\"name\":\"Thing\",\"category\":\"tests\",\"price\":" + price + ",\"stock\":" + stock + "}";
    }

    // what order-service publishes when an order is cancelled: each call a new event id
    private static byte[] cancelled(String order) {
        return event(order, "io.example.order.cancelled",
                     "{\"orderId\":\"" + order + "\",\"userId\":\"u\",\"status\":\"CANCELLED\",\"total\":2.50,"
                             + "\"currency\":\"EUR\",\"items\":[]}");
    }

    private static byte[] event(String order, String type, String data) {
        return CloudEvents.encode("order-service", UUID.randomUUID().toString(), type, "order", order, 1,
                                  Instant.now(), data, Optional.empty());
    }

    private static void send(String key, byte[] value) {
        broker.publish(Topics.ORDERS, key, value);
    }

    // the group has committed past the end of every partition of orders: everything sent was applied or parked
    private static void awaitAllApplied() {
        await(() -> {
            try {
                Map<TopicPartition, OffsetAndMetadata> committed =
                        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(Topics.ORDERS)).allTopicNames().get().get(Topics.ORDERS).partitions()
                        .forEach(info -> latest.put(new TopicPartition(Topics.ORDERS, info.partition()), OffsetSpec.latest()));
                return admin.listOffsets(latest).all().get().entrySet().stream().allMatch(end -> end.getValue().offset() == 0
                        || committed.containsKey(end.getKey()) && committed.get(end.getKey()).offset() >= end.getValue().offset());
            } catch (Exception e) {
                return false;
            }
        });
    }

    // the replicas running have joined the group and share the partitions; a replica closed only then leaves it
    // at once (one closed while it joins stays a member until the broker times it out)
    private static void awaitMembers(int members) {
        await(() -> {
            try {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(GROUP)).all().get().get(GROUP);
                return group.groupState() == GroupState.STABLE && group.members().size() == members
                        && group.members().stream().allMatch(member -> !member.assignment().topicPartitions().isEmpty());
            } catch (Exception e) {
                return false;
            }
        });
    }

    // a product's events on the products topic, each once, in the order they were made
    private static List<CloudEvent> productEvents(String productId, int expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<CloudEvent> events;
        do {
            events = broker.readAll(Topics.PRODUCTS, Duration.ofSeconds(1)).stream()
                    .filter(record -> productId.equals(record.key()))
                    .map(record -> FORMAT.deserialize(record.value()))
                    .filter(distinctIds())
                    .toList();
        } while (events.size() < expected && System.nanoTime() < deadline);
        assertThat(events).hasSize(expected);
        return events;
    }

    private static Predicate<CloudEvent> distinctIds() {
        Set<String> seen = new HashSet<>();
        return event -> seen.add(event.getId());
    }

    private static List<ProductEvents.StockChanged> stockChanges(String productId, int expected) {
        return productEvents(productId, expected + 1).stream()
                .filter(event -> event.getType().equals("io.example.product.stock-changed"))
                .map(event -> CloudEvents.data(event, ProductEvents.StockChanged.class))
                .toList();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waited %s", PATIENCE).isNegative();
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** One replica of the product service on the test's database, with its events on the test's broker. */
    private record RunningService(WebServer server, ProductServiceUnderTest service, TestHttp http, Inventory inventory,
                                  ProductRepository products) implements AutoCloseable {
        static RunningService start(Map<String, String> more) {
            Map<String, String> keys = new HashMap<>(Map.of("kafka.bootstrap.servers", broker.bootstrapServers()));
            keys.putAll(more);
            WebServerConfig.Builder builder = WebServer.builder();
            ProductServiceUnderTest service = ProductServiceUnderTest.configure(builder, auth, keys);
            WebServer server = builder.build().start();
            Outbox outbox = new Outbox(Clock.systemUTC());
            return new RunningService(server, service, new TestHttp("http://localhost:" + server.port()),
                                      new Inventory(service.database().client(), outbox, Clock.systemUTC()),
                                      new ProductRepository(service.database().client(), outbox));
        }

        String product(int stock) {
            Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
            String id = UUID.randomUUID().toString();
            products.insert(new Product(id, "SKU-" + id, "Widget", "", "tests", new BigDecimal("2.50"), "EUR", stock, now, now));
            return id;
        }

        // what order-service does for an order: reserve, then confirm once the order is on record
        String reserve(String product, int quantity) {
            String order = UUID.randomUUID().toString();
            inventory.reserve(new ReservationRequest(order, List.of(new OrderLines.Line(product, quantity)), null));
            inventory.confirm(order);
            return order;
        }

        int stock(String product) {
            return products.find(product).orElseThrow().stock();
        }

        @Override
        public void close() {
            server.stop();
            service.close();
        }
    }
}
