package io.example.commons.events;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToDoubleFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbRow;
import io.helidon.dbclient.DbTransaction;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.opentelemetry.api.trace.Span;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes the outbox to Kafka, oldest first, and deletes what the broker has acknowledged.
 *
 * <p>One round is one database transaction: take the relay lock ({@code FOR UPDATE SKIP LOCKED}: on another
 * replica that holds it, the round does nothing), read a batch, send it with the idempotent producer, wait
 * for every acknowledgement, delete the batch, commit. A broker that fails a send rolls the round back: the
 * events stay and the next round sends them again. A process killed after the sends and before the commit
 * sends the batch again after its restart: events are delivered at least once, and consumers are idempotent.
 * Each send is a span of the trace that made the change, and the record carries it on ({@link MessagingSpans}).
 *
 * <p>Metrics: {@code events_outbox_backlog}, {@code events_outbox_oldest_age_seconds},
 * {@code events_published_total}, {@code events_relay_failures_total}.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(OutboxRelay.class.getName());
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    /** Test seam: runs after the broker acknowledged a batch and before it is deleted. */
    interface Checkpoint {
        void afterPublish();
    }

    private final DbClient db;
    private final EventSettings settings;
    private final Checkpoint checkpoint;
    private final Counter published;
    private final Counter failures;
    private final Thread thread;
    // never Thread.interrupt(): an interrupt during a write closes an H2 file database
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile Producer<String, byte[]> producer;

    OutboxRelay(DbClient db, EventSettings settings, Checkpoint checkpoint) {
        this.db = db;
        this.settings = settings;
        this.checkpoint = checkpoint;
        List<Tag> tags = List.of(Tag.create("service", settings.service()));
        this.published = Metrics.globalRegistry().getOrCreate(
                Counter.builder("events.published").description("Events the broker acknowledged").tags(tags));
        this.failures = Metrics.globalRegistry().getOrCreate(
                Counter.builder("events.relay.failures").description("Relay rounds that failed and will be retried")
                        .tags(tags));
        this.thread = Thread.ofPlatform().daemon().name("outbox-relay").unstarted(this::run);
    }

    /**
     * Start relaying, or only warn when no broker is configured (events then wait in the outbox).
     *
     * @param db       the service's database
     * @param settings event settings
     * @return the relay, running when a broker is configured
     */
    public static Optional<OutboxRelay> start(DbClient db, EventSettings settings) {
        // published with or without a broker: without one, the backlog is what an operator must see grow
        List<Tag> tags = List.of(Tag.create("service", settings.service()));
        Metrics.globalRegistry().getOrCreate(
                Gauge.builder("events.outbox.backlog", db, OutboxRelay::backlog)
                        .description("Events recorded and not yet published").tags(tags));
        Metrics.globalRegistry().getOrCreate(
                Gauge.builder("events.outbox.oldest.age.seconds", db, OutboxRelay::oldestAgeSeconds)
                        .description("Age of the oldest event not yet published (0 when none)").tags(tags));
        if (!settings.enabled()) {
            LOGGER.warning("KAFKA_BOOTSTRAP_SERVERS is not set: events are recorded in the outbox and not published");
            return Optional.empty();
        }
        OutboxRelay relay = new OutboxRelay(db, settings, () -> { });
        relay.thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(relay::close));
        return Optional.of(relay);
    }

    /**
     * One round: publish up to a batch of events, if this replica holds the relay lock.
     *
     * @return how many events were published (0: nothing to do, or another replica relays)
     */
    int relayOnce() {
        DbTransaction tx = db.transaction();
        try {
            if (tx.query("SELECT name FROM outbox_relay_lock WHERE name = 'relay' FOR UPDATE SKIP LOCKED").count() == 0) {
                tx.rollback();
                return 0;
            }
            List<DbRow> rows = tx.query("SELECT seq, event_id, topic, event_type, aggregate_type, aggregate_id, data,"
                                                + " occurred_at, traceparent FROM outbox ORDER BY seq LIMIT ?",
                                        settings.relayBatch()).toList();
            if (rows.isEmpty()) {
                tx.rollback();
                return 0;
            }
            send(rows);
            checkpoint.afterPublish();
            List<Object> seqs = deletable(rows.stream().map(row -> (Object) row.column("seq").get(Long.class)).toList());
            tx.dml("DELETE FROM outbox WHERE seq IN (" + "?, ".repeat(seqs.size() - 1) + "?)", seqs.toArray());
            tx.commit();
            published.increment(rows.size());
            return rows.size();
        } catch (RuntimeException e) {
            tx.rollback();
            throw e;
        }
    }

    // The batch's seqs, the last one repeated up to the next power of four (at most the batch size): a handful of
    // statement shapes, each parsed once per pooled connection and then found in H2's statement cache. With a shape
    // for every batch size, each round parsed its DELETE and pushed a request's statement out of that cache.
    private List<Object> deletable(List<Object> seqs) {
        int shape = 1;
        while (shape < seqs.size()) {
            shape *= 4;
        }
        List<Object> padded = new ArrayList<>(seqs);
        while (padded.size() < Math.min(shape, settings.relayBatch())) {
            padded.add(seqs.getLast());
        }
        return padded;
    }

    private void send(List<DbRow> rows) {
        Producer<String, byte[]> sender = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        for (DbRow row : rows) {
            String eventId = row.column("event_id").get(String.class);
            String aggregateId = row.column("aggregate_id").get(String.class);
            Optional<String> traceparent = Optional.ofNullable(row.column("traceparent").get(String.class));
            byte[] event = CloudEvents.encode(settings.service(),
                                              eventId,
                                              row.column("event_type").get(String.class),
                                              row.column("aggregate_type").get(String.class),
                                              aggregateId,
                                              row.column("seq").get(Long.class),
                                              Instant.ofEpochMilli(row.column("occurred_at").get(Long.class)),
                                              row.column("data").get(String.class),
                                              traceparent);
            ProducerRecord<String, byte[]> record =
                    new ProducerRecord<>(row.column("topic").get(String.class), aggregateId, event);
            record.headers().add(CloudEvents.CONTENT_TYPE_HEADER, CloudEvents.CONTENT_TYPE.getBytes());
            Span span = MessagingSpans.send(record, eventId, traceparent);
            try {
                acks.add(sender.send(record, (metadata, failure) -> MessagingSpans.ended(span, failure)));
            } catch (RuntimeException e) {
                MessagingSpans.ended(span, e);
                throw e;
            }
        }
        long deadline = System.nanoTime() + EventSettings.SEND_TIMEOUT.toNanos();
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("The broker did not take the events: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while publishing", e);
            }
        }
    }

    private void run() {
        int failed = 0;
        while (closing.getCount() > 0) {
            try {
                int sent = relayOnce();
                if (failed > 0) {
                    LOGGER.info("Publishing events again");
                }
                failed = 0;
                if (sent < settings.relayBatch()) {
                    sleep(settings.relayInterval());
                }
            } catch (RuntimeException e) {
                if (closing.getCount() == 0) {
                    return;
                }
                failures.increment();
                failed++;
                if (failed == 1) {
                    LOGGER.log(Level.WARNING, "Cannot publish events; they wait in the outbox: " + e.getMessage());
                }
                // a producer that failed may be in a state it cannot leave: start the next round with a new one
                closeProducer();
                Duration backoff = settings.relayInterval().multipliedBy(1L << Math.min(failed, 10));
                sleep(backoff.compareTo(MAX_BACKOFF) < 0 ? backoff : MAX_BACKOFF);
            }
        }
    }

    private Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(settings.producer("relay"));
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "Closing the producer", e);
            }
            producer = null;
        }
    }

    private static double backlog(DbClient db) {
        return outboxQuery(db, "SELECT COUNT(*) AS n FROM outbox", row -> row.column("n").get(Long.class));
    }

    private static double oldestAgeSeconds(DbClient db) {
        return outboxQuery(db, "SELECT MIN(occurred_at) AS oldest FROM outbox", row -> {
            Long oldest = row.column("oldest").get(Long.class);
            return oldest == null ? 0 : (System.currentTimeMillis() - oldest) / 1000.0;
        });
    }

    private static double outboxQuery(DbClient db, String sql, ToDoubleFunction<DbRow> value) {
        try {
            return db.execute().get(sql).map(value::applyAsDouble).orElse(0.0);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void sleep(Duration pause) {
        try {
            closing.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closing.countDown();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        // a round blocked on a broker that is away fails at once instead of waiting out its timeout
        Producer<String, byte[]> sending = producer;
        if (sending != null) {
            sending.close(Duration.ZERO);
        }
        try {
            thread.join(EventSettings.SEND_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeProducer();
    }
}
