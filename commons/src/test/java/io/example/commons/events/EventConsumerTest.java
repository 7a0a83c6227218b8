package io.example.commons.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.example.commons.testing.KafkaBroker;

import io.cloudevents.CloudEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer against a real broker: it applies each event, retries a failing one, parks what keeps failing
 * or cannot be read on the dead-letter topic with the reason and goes on, gives a replacement the events a
 * stopped consumer had not finished, lets every replica read everything when asked to, and knows whether the
 * broker is there.
 */
class EventConsumerTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static KafkaBroker broker;
    private static int topicNumber;

    public record Payload(String productId, int stock) {
    }

    @BeforeAll
    static void start() {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void aFailingEventIsRetriedAndAPoisonOneIsParkedWithoutBlockingThePartition() {
        String topic = newTopic();
        String service = topic + "-consumer";
        broker.createTopics(Topics.deadLetters(service));
        Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
        List<String> applied = new CopyOnWriteArrayList<>();
        AtomicInteger resyncs = new AtomicInteger();
        EventHandler handler = new EventHandler() {
            @Override
            public void handle(CloudEvent event) {
                int attempt = tries.computeIfAbsent(event.getId(), id -> new AtomicInteger()).incrementAndGet();
                Payload payload = CloudEvents.data(event, Payload.class);
                if (payload.stock() == 1 && attempt < 3) {
                    throw new IllegalStateException("database away");
                }
                if (payload.stock() == 2) {
                    throw new IllegalStateException("always fails");
                }
                applied.add(payload.productId() + ":" + payload.stock());
            }

            @Override
            public void resync() {
                resyncs.incrementAndGet();
            }
        };
        // one key: one partition, so the good event after the bad ones shows the partition moved on
        send(topic, "p", event("p", 1));
        send(topic, "p", event("p", 2));
        send(topic, "p", "not a cloud event".getBytes(StandardCharsets.UTF_8));
        send(topic, "p", event("p", 3));

        try (EventConsumer consumer = new EventConsumer(TestEvents.settings(broker),
                                                        Subscription.sharedByReplicas(service, topic), handler)) {
            consumer.startReading();
            await(() -> applied.size() == 2);
            assertThat(applied).containsExactly("p:1", "p:3");
            List<ConsumerRecord<String, byte[]>> parked = awaitRecords(Topics.deadLetters(service), 2);
            assertThat(header(parked.get(0), EventConsumer.REASON_HEADER))
                    .isEqualTo("failed 3 times: java.lang.IllegalStateException: always fails");
            assertThat(header(parked.get(1), EventConsumer.REASON_HEADER)).startsWith("not a CloudEvent in structured JSON");
            assertThat(parked).extracting(record -> header(record, EventConsumer.ORIGIN_HEADER))
                    .containsExactly(topic + "/" + parked.get(0).partition() + "/1",
                                     topic + "/" + parked.get(0).partition() + "/2");
            assertThat(parked.get(1).value()).isEqualTo("not a cloud event".getBytes(StandardCharsets.UTF_8));
            // once on reaching the broker, once for the unreadable record (it may have been about anything)
            assertThat(resyncs.get()).isEqualTo(2);
        }
        assertThat(tries.values()).extracting(AtomicInteger::get).containsExactlyInAnyOrder(3, 3, 1);
    }

    @Test
    void anEventOfATypeTheHandlerDoesNotWantIsPassedOverUndecoded() {
        String topic = newTopic();
        String service = topic + "-consumer";
        broker.createTopics(Topics.deadLetters(service));
        List<String> handled = new CopyOnWriteArrayList<>();
        EventHandler handler = new EventHandler() {
            @Override
            public boolean wants(String type) {
                return type.equals("io.example.product.stock-changed");
            }

            @Override
            public void handle(CloudEvent event) {
                handled.add(CloudEvents.data(event, Payload.class).productId());
            }
        };
        // neither envelope could be decoded (no source, subject or data): only the wanted one is, and parked
        byte[] unwanted = "{\"specversion\":\"1.0\",\"id\":\"u1\",\"type\":\"io.example.product.deleted\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] wantedButBroken = "{\"specversion\":\"1.0\",\"id\":\"w1\",\"type\":\"io.example.product.stock-changed\"}"
                .getBytes(StandardCharsets.UTF_8);
        // one key: one partition, so the last event shows the partition moved past the others
        send(topic, "p", unwanted);
        send(topic, "p", wantedButBroken);
        send(topic, "p", event("p", 7));

        try (EventConsumer consumer = new EventConsumer(TestEvents.settings(broker),
                                                        Subscription.sharedByReplicas(service, topic), handler)) {
            consumer.startReading();
            await(() -> handled.size() == 1);
            List<ConsumerRecord<String, byte[]>> parked = awaitRecords(Topics.deadLetters(service), 1);
            assertThat(parked.getFirst().value()).isEqualTo(wantedButBroken);
        }
        assertThat(handled).containsExactly("p");
    }

    @Test
    void aReplacementGetsWhatAStoppedConsumerHadNotFinished() {
        String topic = newTopic();
        String service = topic + "-consumer";
        for (int i = 0; i < 20; i++) {
            send(topic, "p" + (i % 4), event("p" + (i % 4), i));
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger calls = new AtomicInteger();
        EventConsumer first = new EventConsumer(TestEvents.settings(broker), Subscription.sharedByReplicas(service, topic),
                                                event -> {
                                                    calls.incrementAndGet();
                                                    seen.add(event.getId());
                                                });
        first.startReading();
        await(() -> calls.get() >= 5);
        first.close();

        try (EventConsumer second = new EventConsumer(TestEvents.settings(broker),
                                                      Subscription.sharedByReplicas(service, topic), event -> seen.add(event.getId()))) {
            second.startReading();
            await(() -> seen.size() == 20);
        }
        assertThat(seen).hasSize(20);
    }

    @Test
    void everyReplicaReadsEveryEventFromWhereItJoinedAndResyncsFirst() {
        String topic = newTopic();
        send(topic, "old", event("old", 0));
        List<List<String>> received = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        AtomicInteger resyncs = new AtomicInteger();
        List<EventConsumer> replicas = received.stream().map(list -> {
            EventConsumer replica = new EventConsumer(TestEvents.settings(broker), Subscription.everyReplica("gateway-test", topic),
                                                      new EventHandler() {
                                                          @Override
                                                          public void handle(CloudEvent event) {
                                                              list.add(event.getSubject());
                                                          }

                                                          @Override
                                                          public void resync() {
                                                              resyncs.incrementAndGet();
                                                          }
                                                      });
            replica.startReading();
            return replica;
        }).toList();
        try {
            await(() -> resyncs.get() == 2 && replicas.stream().allMatch(EventConsumer::connected));
            for (int i = 0; i < 6; i++) {
                send(topic, "p" + i, event("p" + i, i));
            }
            await(() -> received.stream().allMatch(list -> list.size() == 6));
            assertThat(received).allSatisfy(list -> assertThat(list).containsExactlyInAnyOrder("p0", "p1", "p2", "p3", "p4", "p5"));
        } finally {
            replicas.forEach(EventConsumer::close);
        }
    }

    @Test
    void itKnowsWhenTheBrokerIsAwayAndResyncsWhenItIsBack() {
        String topic = newTopic();
        AtomicInteger resyncs = new AtomicInteger();
        List<String> received = new CopyOnWriteArrayList<>();
        try (EventConsumer consumer = new EventConsumer(TestEvents.settings(broker), Subscription.everyReplica("outage-test", topic),
                                                        new EventHandler() {
                                                            @Override
                                                            public void handle(CloudEvent event) {
                                                                received.add(event.getSubject());
                                                            }

                                                            @Override
                                                            public void resync() {
                                                                resyncs.incrementAndGet();
                                                            }
                                                        })) {
            consumer.startReading();
            await(consumer::connected);
            int before = resyncs.get();
            broker.stop();
            try {
                await(() -> !consumer.connected());
            } finally {
                broker.restart();
            }
            await(consumer::connected);
            assertThat(resyncs.get()).isGreaterThan(before);
            send(topic, "after", event("after", 1));
            await(() -> received.contains("after"));
        }
        assertThat(EventConsumer.start(TestEvents.settingsWithoutBroker(), Subscription.everyReplica("x", topic), event -> { }))
                .isEmpty();
    }

    private static synchronized String newTopic() {
        String topic = "consumer-test-" + (++topicNumber);
        broker.createTopics(topic);
        return topic;
    }

    private static byte[] event(String productId, int stock) {
        return CloudEvents.encode("test-service", UUID.randomUUID().toString(), "io.example.product.stock-changed",
                                  "product", productId, stock + 1L, Instant.now(),
                                  "{\"productId\":\"" + productId + "\",\"stock\":" + stock + "}", Optional.empty());
    }

    private static void send(String topic, String key, byte[] value) {
        broker.publish(topic, key, value);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, int expected) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<ConsumerRecord<String, byte[]>> records;
        do {
            records = broker.readAll(topic, Duration.ofSeconds(2));
        } while (records.size() < expected && System.nanoTime() < deadline);
        assertThat(records).hasSize(expected);
        return records;
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", PATIENCE).isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
