package io.example.commons.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.example.commons.db.Database;
import io.example.commons.http.Json;
import io.example.commons.testing.KafkaBroker;
import io.example.commons.testing.TestDatabases;

import io.cloudevents.CloudEvent;
import jakarta.json.JsonObject;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbTransaction;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The outbox and its relay against a real broker, on H2 and on PostgreSQL: what commits is published exactly
 * as recorded and in order per aggregate, what rolls back never is, two relays never send one event twice,
 * and a broker that is away or a relay that dies after sending delays events without losing any.
 */
class OutboxRelayTest {
    private static KafkaBroker broker;
    private static TestDatabases.Postgres postgres;
    private static int topicNumber;

    public record Payload(String productId, int stock) {
    }

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
        postgres = TestDatabases.postgres();
    }

    @AfterAll
    static void stop() {
        postgres.close();
        broker.close();
    }

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("H2", (Function<String, Database>) name -> TestDatabases.h2(name, Database.SharedSchema.OUTBOX)),
                         Arguments.of("PostgreSQL", (Function<String, Database>) name -> postgres.database(name, 4,
                                 Database.SharedSchema.OUTBOX)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void committedEventsArePublishedOnceInOrderAndRolledBackOnesNever(String kind, Function<String, Database> databases) {
        String topic = newTopic();
        DbClient db = databases.apply("relay-order-" + kind).client();
        Outbox outbox = new Outbox(Clock.systemUTC());
        for (int i = 0; i < 30; i++) {
            append(db, outbox, topic, "product-" + (i % 3), i);
        }
        DbTransaction rolledBack = db.transaction();
        outbox.append(rolledBack, draft(topic, "product-0", -1));
        rolledBack.rollback();

        OutboxRelay relay = relay(db, () -> { });
        while (relay.relayOnce() > 0) {
            // until the outbox is empty
        }

        List<CloudEvent> events = events(topic, 30);
        assertThat(events).hasSize(30);
        assertThat(events).extracting(CloudEvent::getId).doesNotHaveDuplicates();
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getSource().toString()).isEqualTo("/test-service");
            assertThat(event.getType()).isEqualTo("io.example.product.stock-changed");
            assertThat(event.getExtension("aggregatetype")).isEqualTo("product");
            assertThat(event.getExtension("aggregateid")).isEqualTo(event.getSubject());
            assertThat(event.getTime()).isNotNull();
        });
        assertThat(events).extracting(event -> CloudEvents.data(event, Payload.class).stock()).doesNotContain(-1);
        // per aggregate: in the order committed, with increasing versions
        Map<String, List<CloudEvent>> byProduct = events.stream().collect(Collectors.groupingBy(CloudEvent::getSubject));
        byProduct.forEach((product, its) -> {
            assertThat(its).extracting(event -> CloudEvents.data(event, Payload.class).stock()).isSorted();
            assertThat(its).extracting(event -> Long.parseLong(event.getExtension("aggregateversion").toString()))
                    .isSorted().doesNotHaveDuplicates();
        });
        assertThat(backlog(db)).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void twoRelaysRacingNeverPublishOneEventTwice(String kind, Function<String, Database> databases) throws Exception {
        String topic = newTopic();
        DbClient db = databases.apply("relay-race-" + kind).client();
        Outbox outbox = new Outbox(Clock.systemUTC());
        int total = 400;
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            AtomicBoolean writing = new AtomicBoolean(true);
            Future<?> writer = threads.submit(() -> {
                for (int i = 0; i < total; i++) {
                    append(db, outbox, topic, "product-" + (i % 7), i);
                }
                writing.set(false);
            });
            List<Future<?>> relays = new ArrayList<>();
            for (String name : List.of("relay-a", "relay-b")) {
                OutboxRelay relay = new OutboxRelay(db, TestEvents.settings(broker, name), () -> { });
                relays.add(threads.submit(() -> {
                    while (writing.get() || backlog(db) > 0) {
                        relay.relayOnce();
                    }
                }));
            }
            writer.get();
            for (Future<?> relay : relays) {
                relay.get();
            }
        } finally {
            threads.shutdownNow();
        }
        List<CloudEvent> events = events(topic, total);
        // each copy's source is the relay that sent it: a failure says whether both relays sent an event (the race
        // this test is about) or one relay sent it twice (its producer)
        Map<String, List<String>> sentBy = events.stream().collect(Collectors.groupingBy(
                CloudEvent::getId, Collectors.mapping(event -> event.getSource().toString(), Collectors.toList())));
        sentBy.values().removeIf(relays -> relays.size() == 1);
        assertThat(sentBy).as("events published more than once, and by which relays").isEmpty();
        assertThat(events).hasSize(total);
        events.stream().collect(Collectors.groupingBy(CloudEvent::getSubject)).forEach((product, its) ->
                assertThat(its).extracting(event -> CloudEvents.data(event, Payload.class).stock()).isSorted());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void everyBatchSizeDeletesExactlyWhatItPublished(String kind, Function<String, Database> databases) {
        String topic = newTopic();
        DbClient db = databases.apply("relay-sizes-" + kind).client();
        Outbox outbox = new Outbox(Clock.systemUTC());
        // each round, an event committed after the batch was read and sent: the round must leave it to the next
        AtomicBoolean lateWrites = new AtomicBoolean(true);
        OutboxRelay relay = relay(db, () -> {
            if (lateWrites.get()) {
                append(db, outbox, topic, "late", 0);
            }
        });
        int published = 0;
        // the DELETE's list is padded to a few shapes: sizes on, between and past them
        for (int size = 1; size <= 18; size++) {
            for (int i = 0; i < size; i++) {
                append(db, outbox, topic, "product-" + size, i);
            }
            published += relay.relayOnce();
            assertThat(backlog(db)).as("left after a batch of %d", size).isEqualTo(1);
        }
        lateWrites.set(false);
        published += relay.relayOnce();

        assertThat(backlog(db)).isZero();
        assertThat(published).isEqualTo(171 + 18);
        assertThat(events(topic, published)).extracting(CloudEvent::getId).hasSize(published).doesNotHaveDuplicates();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRelayThatDiesAfterSendingSendsAgainAndNothingIsLost(String kind, Function<String, Database> databases) {
        String topic = newTopic();
        DbClient db = databases.apply("relay-crash-" + kind).client();
        Outbox outbox = new Outbox(Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            append(db, outbox, topic, "product-" + i, i);
        }
        OutboxRelay dying = relay(db, () -> {
            throw new IllegalStateException("killed between publish and mark");
        });
        assertThatThrownBy(dying::relayOnce).hasMessageContaining("killed");
        assertThat(backlog(db)).isEqualTo(5);

        assertThat(relay(db, () -> { }).relayOnce()).isEqualTo(5);

        List<ConsumerRecord<String, byte[]>> records = broker.readAll(topic, Duration.ofSeconds(10));
        // sent twice (at least once delivery), five distinct events, the outbox empty
        assertThat(records).hasSize(10);
        assertThat(records.stream().map(record -> CloudEvents.decode(record.value()).getId()).collect(Collectors.toSet()))
                .hasSize(5);
        assertThat(backlog(db)).isZero();
    }

    @Test
    void aBrokerThatCrashedDelaysEventsAndLosesNone() {
        String topic = newTopic();
        DbClient db = TestDatabases.h2("relay-outage", Database.SharedSchema.OUTBOX).client();
        Outbox outbox = new Outbox(Clock.systemUTC());
        OutboxRelay relay = relay(db, () -> { });
        append(db, outbox, topic, "product-a", 1);
        assertThat(relay.relayOnce()).isEqualTo(1);

        broker.kill();
        try {
            for (int i = 2; i <= 6; i++) {
                append(db, outbox, topic, "product-a", i);
            }
            assertThatThrownBy(relay::relayOnce).isInstanceOf(IllegalStateException.class);
            assertThat(backlog(db)).isEqualTo(5);
        } finally {
            broker.restart();
        }
        OutboxRelay afterOutage = relay(db, () -> { });
        assertThat(afterOutage.relayOnce()).isEqualTo(5);
        assertThat(events(topic, 6)).extracting(event -> CloudEvents.data(event, Payload.class).stock())
                .containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void theRunningRelayPublishesWithinItsInterval() throws Exception {
        String topic = newTopic();
        Database database = TestDatabases.h2("relay-running", Database.SharedSchema.OUTBOX);
        Optional<OutboxRelay> running = OutboxRelay.start(database.client(), settings());
        assertThat(running).isPresent();
        try (OutboxRelay relay = running.get()) {
            append(database.client(), new Outbox(Clock.systemUTC()), topic, "product-x", 7);
            assertThat(events(topic, 1)).hasSize(1);
        }
        assertThat(OutboxRelay.start(database.client(), TestEvents.settingsWithoutBroker())).isEmpty();
    }

    @Test
    void withoutABrokerTheBacklogAndItsAgeArePublishedAndGrow() {
        Database database = TestDatabases.h2("relay-absent", Database.SharedSchema.OUTBOX);
        // a service name of its own: the gauges are the process's, bound to the first database that registers them
        EventSettings noBroker = new EventSettings("backlog-test", Optional.empty(), Duration.ofMillis(50), 200, 3,
                                                   Duration.ofMillis(50), Duration.ofMillis(500));
        assertThat(OutboxRelay.start(database.client(), noBroker)).isEmpty();
        Outbox outbox = new Outbox(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-2)));

        append(database.client(), outbox, "products", "product-1", 1);
        append(database.client(), outbox, "products", "product-2", 2);

        List<Tag> service = List.of(Tag.create("service", "backlog-test"));
        assertThat(Metrics.globalRegistry().gauge("events.outbox.backlog", service).orElseThrow().value().doubleValue())
                .isEqualTo(2.0);
        assertThat(Metrics.globalRegistry().gauge("events.outbox.oldest.age.seconds", service).orElseThrow().value()
                           .doubleValue()).isGreaterThanOrEqualTo(120.0);
    }

    static EventSettings settings() {
        return TestEvents.settings(broker);
    }

    private static OutboxRelay relay(DbClient db, OutboxRelay.Checkpoint checkpoint) {
        return new OutboxRelay(db, settings(), checkpoint);
    }

    private static synchronized String newTopic() {
        String topic = "relay-test-" + (++topicNumber);
        broker.createTopics(topic);
        return topic;
    }

    private static EventDraft draft(String topic, String productId, int stock) {
        return new EventDraft(topic, "io.example.product.stock-changed", "product", productId, new Payload(productId, stock));
    }

    private static void append(DbClient db, Outbox outbox, String topic, String productId, int stock) {
        DbTransaction tx = db.transaction();
        outbox.append(tx, draft(topic, productId, stock));
        tx.commit();
    }

    private static long backlog(DbClient db) {
        return db.execute().get("SELECT COUNT(*) AS n FROM outbox").orElseThrow().column("n").get(Long.class);
    }

    // every event on the topic, once the expected number arrived
    private static List<CloudEvent> events(String topic, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<ConsumerRecord<String, byte[]>> records;
        do {
            records = broker.readAll(topic, Duration.ofSeconds(2));
        } while (records.size() < expected && System.nanoTime() < deadline);
        records.forEach(record -> {
            assertThat(record.key()).isNotNull();
            // a long extension goes out as a JSON string (the SDK writes only Integer and Boolean as JSON values)
            assertThat(Json.JSONB.fromJson(new String(record.value(), StandardCharsets.UTF_8), JsonObject.class)
                               .getString("aggregateversion")).matches("[1-9][0-9]*");
            assertThat(new String(record.headers().lastHeader(CloudEvents.CONTENT_TYPE_HEADER).value()))
                    .isEqualTo("application/cloudevents+json");
        });
        List<CloudEvent> events = records.stream().map(record -> CloudEvents.decode(record.value())).toList();
        Set<String> keysMatchSubjects = records.stream()
                .filter(record -> !record.key().equals(CloudEvents.decode(record.value()).getSubject()))
                .map(ConsumerRecord::key).collect(Collectors.toSet());
        assertThat(keysMatchSubjects).isEmpty();
        return events;
    }
}
