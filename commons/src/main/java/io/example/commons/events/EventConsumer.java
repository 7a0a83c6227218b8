package io.example.commons.events;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;

import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;

/**
 * Reads one topic on its own thread and hands each event to an {@link EventHandler}.
 *
 * <p>An event whose type the handler does not want ({@link EventHandler#wants}) is passed over undecoded. An
 * event that fails is tried again, {@code events.consumer.max-attempts} times in all with a doubling
 * pause; one that still fails, or can never be applied ({@link UnusableEvent}), is parked on the
 * subscription's dead-letter topic with the reason in its headers, and the partition moves on. Offsets are
 * committed only after the events before them were applied, parked or passed over, so a consumer killed
 * mid-batch gets the rest of the batch again (handlers are idempotent). Handling an event is a span of the
 * trace that made the change, current while the handler runs ({@link MessagingSpans}).
 *
 * <p>Every {@code events.consumer.health-interval} it asks the broker for the partitions' end: that tells
 * whether the broker is reachable ({@link #connected()}) and how far behind the consumer is.
 *
 * <p>Metrics, labelled {@code consumer}: {@code events_consumed_total}, {@code events_dead_lettered_total},
 * {@code events_consumer_lag}, {@code events_consumer_connected}, and {@code events_delay_seconds} (from
 * the change's commit to the event applied).
 */
public final class EventConsumer implements AutoCloseable {
    private static final Logger LOGGER = Logger.getLogger(EventConsumer.class.getName());
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration BROKER_QUESTION = Duration.ofSeconds(2);
    private static final int MAX_REASON = 500;

    /** Header names on a dead-letter record. */
    public static final String REASON_HEADER = "dlt-reason";
    /** The topic, partition and offset the parked record came from, as "topic/partition/offset". */
    public static final String ORIGIN_HEADER = "dlt-origin";

    private final EventSettings settings;
    private final Subscription subscription;
    private final EventHandler handler;
    private final Counter consumed;
    private final Counter deadLettered;
    private final Timer delay;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean connected;
    private volatile long lag;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Producer<String, byte[]> deadLetters;
    private long nextHealthCheck;

    EventConsumer(EventSettings settings, Subscription subscription, EventHandler handler) {
        this.settings = settings;
        this.subscription = subscription;
        this.handler = handler;
        List<Tag> tags = List.of(Tag.create("consumer", subscription.name()));
        this.consumed = Metrics.globalRegistry().getOrCreate(
                Counter.builder("events.consumed").description("Events applied").tags(tags));
        this.deadLettered = Metrics.globalRegistry().getOrCreate(
                Counter.builder("events.dead.lettered").description("Events parked on the dead-letter topic")
                        .tags(tags));
        this.delay = Metrics.globalRegistry().getOrCreate(
                Timer.builder("events.delay").description("From the change's commit to its event applied")
                        .percentiles(0.5, 0.99).tags(tags));
        Metrics.globalRegistry().getOrCreate(
                Gauge.builder("events.consumer.lag", this, consumer -> consumer.lag)
                        .description("Events on the broker not yet read").tags(tags));
        Metrics.globalRegistry().getOrCreate(
                Gauge.builder("events.consumer.connected", this, consumer -> consumer.connected ? 1 : 0)
                        .description("1 when the broker answered the last health question").tags(tags));
        this.thread = Thread.ofPlatform().daemon().name("events-" + subscription.topic()).unstarted(this::run);
    }

    /**
     * Start consuming, or only warn when no broker is configured.
     *
     * @param settings     event settings
     * @param subscription what to read
     * @param handler      what to do with each event
     * @return the consumer, running when a broker is configured
     */
    public static Optional<EventConsumer> start(EventSettings settings, Subscription subscription, EventHandler handler) {
        if (!settings.enabled()) {
            LOGGER.warning("KAFKA_BOOTSTRAP_SERVERS is not set: " + subscription.name() + " does not read "
                                   + subscription.topic() + " events");
            return Optional.empty();
        }
        EventConsumer running = new EventConsumer(settings, subscription, handler);
        running.startReading();
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        return Optional.of(running);
    }

    void startReading() {
        thread.start();
    }

    /**
     * @return whether the broker answered the last health question
     */
    public boolean connected() {
        return connected;
    }

    private void run() {
        int failed = 0;
        while (closing.getCount() > 0) {
            try {
                if (consumer == null) {
                    consumer = open();
                }
                pollOnce();
                checkHealth();
                failed = 0;
            } catch (WakeupException e) {
                break;
            } catch (RuntimeException e) {
                if (closing.getCount() == 0) {
                    break;
                }
                connected = false;
                if (++failed == 1) {
                    LOGGER.log(Level.WARNING, subscription.name() + " cannot read " + subscription.topic() + ": "
                            + e.getMessage());
                }
                // a broker away (a retriable error) keeps the consumer: a new one would be a new group member,
                // and the old one would hold its partitions until its session timed out
                if (!(e instanceof RetriableException)) {
                    closeClients();
                }
                pause(settings.relayInterval().multipliedBy(1L << Math.min(failed, 6)));
            }
        }
        closeClients();
    }

    private KafkaConsumer<String, byte[]> open() {
        KafkaConsumer<String, byte[]> opened =
                new KafkaConsumer<>(settings.consumer("events", subscription.group()));
        if (subscription.group().isPresent()) {
            opened.subscribe(List.of(subscription.topic()));
        }
        nextHealthCheck = 0;
        return opened;
    }

    // without a group the consumer takes every partition itself, from the end; what happened before it got
    // there is unknown to it, so the handler resyncs
    private void assignEveryPartition() {
        List<PartitionInfo> partitions = consumer.partitionsFor(subscription.topic(), BROKER_QUESTION);
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("the topic " + subscription.topic() + " has no partitions yet");
        }
        List<TopicPartition> all = partitions.stream()
                .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
        consumer.assign(all);
        consumer.seekToEnd(all);
        all.forEach(partition -> consumer.position(partition, BROKER_QUESTION));
        // resynced before it says connected: whoever sees it connected sees the handler in step
        handler.resync();
        connected = true;
    }

    private void pollOnce() {
        if (subscription.group().isEmpty() && consumer.assignment().isEmpty()) {
            assignEveryPartition();
        }
        ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        try {
            for (TopicPartition partition : records.partitions()) {
                for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
                    if (!apply(record)) {
                        // closing, or the dead-letter topic cannot be written: read this record again later
                        consumer.seek(partition, record.offset());
                        break;
                    }
                    done.put(partition, new OffsetAndMetadata(record.offset() + 1));
                }
            }
        } finally {
            if (subscription.group().isPresent() && !done.isEmpty()) {
                consumer.commitSync(done);
            }
        }
    }

    // true once the event is applied, parked or passed over
    private boolean apply(ConsumerRecord<String, byte[]> record) {
        Optional<String> type = CloudEvents.type(record.value());
        if (type.isPresent() && !handler.wants(type.get())) {
            return true;
        }
        CloudEvent event;
        try {
            event = CloudEvents.decode(record.value());
        } catch (UnusableEvent e) {
            // it may have been about anything: whatever the handler keeps in step with events cannot be trusted
            handler.resync();
            return park(record, e.getMessage());
        }
        Context trace = MessagingSpans.process(record, event);
        Span span = Span.fromContext(trace);
        try (Scope ignored = trace.makeCurrent()) {
            return applyTraced(record, event, span);
        } finally {
            span.end();
        }
    }

    private boolean applyTraced(ConsumerRecord<String, byte[]> record, CloudEvent event, Span span) {
        Duration backoff = settings.retryBackoff();
        for (int attempt = 1; ; attempt++) {
            try {
                handler.handle(event);
                consumed.increment();
                if (event.getTime() != null) {
                    delay.record(Duration.between(event.getTime().toInstant(), Instant.now()));
                }
                return true;
            } catch (UnusableEvent e) {
                MessagingSpans.failed(span, UnusableEvent.class.getName());
                return park(record, e.getMessage());
            } catch (Exception e) {
                if (attempt >= settings.maxAttempts()) {
                    MessagingSpans.failed(span, e.getClass().getName());
                    return park(record, "failed " + attempt + " times: " + e);
                }
                LOGGER.log(Level.FINE, "Applying " + event.getId() + " failed; trying again", e);
                if (!pause(backoff)) {
                    return false;
                }
                backoff = backoff.multipliedBy(2);
            }
        }
    }

    private boolean park(ConsumerRecord<String, byte[]> record, String reason) {
        String shortReason = reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        LOGGER.warning(subscription.name() + " parks the record " + origin(record) + " on "
                               + subscription.deadLetterTopic() + ": " + shortReason);
        ProducerRecord<String, byte[]> parked =
                new ProducerRecord<>(subscription.deadLetterTopic(), record.key(), record.value());
        for (Header header : record.headers()) {
            parked.headers().add(header);
        }
        parked.headers().add(REASON_HEADER, shortReason.getBytes(StandardCharsets.UTF_8));
        parked.headers().add(ORIGIN_HEADER, origin(record).getBytes(StandardCharsets.UTF_8));
        try {
            if (deadLetters == null) {
                deadLetters = new KafkaProducer<>(settings.producer("dead-letters"));
            }
            deadLetters.send(parked).get(EventSettings.SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            deadLettered.increment();
            return true;
        } catch (ExecutionException | TimeoutException e) {
            LOGGER.warning("Cannot park " + origin(record) + "; it will be read again: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String origin(ConsumerRecord<String, byte[]> record) {
        return record.topic() + "/" + record.partition() + "/" + record.offset();
    }

    private void checkHealth() {
        long now = System.nanoTime();
        if (now - nextHealthCheck < 0) {
            return;
        }
        nextHealthCheck = now + settings.healthInterval().toNanos();
        boolean was = connected;
        try {
            Set<TopicPartition> assigned = consumer.assignment();
            if (assigned.isEmpty()) {
                consumer.partitionsFor(subscription.topic(), BROKER_QUESTION);
                lag = 0;
            } else {
                Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, BROKER_QUESTION);
                long behind = 0;
                for (TopicPartition partition : assigned) {
                    behind += Math.max(0, ends.getOrDefault(partition, 0L) - consumer.position(partition, BROKER_QUESTION));
                }
                lag = behind;
            }
            if (!was) {
                LOGGER.info(subscription.name() + " reads " + subscription.topic() + " events");
                handler.resync();
            }
            connected = true;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            connected = false;
            if (was) {
                LOGGER.warning(subscription.name() + " cannot reach the broker: " + e.getMessage());
            }
        }
    }

    // false when the consumer is closing
    private boolean pause(Duration pause) {
        try {
            return !closing.await(pause.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeClients() {
        KafkaConsumer<String, byte[]> current = consumer;
        consumer = null;
        if (current != null) {
            try {
                current.close(Duration.ofSeconds(1));
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "Closing the consumer", e);
            }
        }
        if (deadLetters != null) {
            deadLetters.close(Duration.ofSeconds(1));
            deadLetters = null;
        }
    }

    @Override
    public void close() {
        closing.countDown();
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(EventSettings.SEND_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
