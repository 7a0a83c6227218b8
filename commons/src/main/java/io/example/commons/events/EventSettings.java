package io.example.commons.events;

import java.time.Duration;
import java.util.Optional;
import java.util.Properties;

import io.helidon.config.Config;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Where the broker is and how events move, from config: {@code kafka.bootstrap.servers}
 * ({@code KAFKA_BOOTSTRAP_SERVERS}; empty: events off) and the {@code events} node. Every key is required and
 * has its default in the module's application.yaml.
 *
 * @param service           the service's name (event source, client ids)
 * @param bootstrapServers  the broker list; empty when events are off
 * @param relayInterval     how often an idle relay looks at the outbox
 * @param relayBatch        most events one relay round publishes
 * @param maxAttempts       tries of one event before it is parked on the dead-letter topic
 * @param retryBackoff      pause after the first failed try; doubled after each further one
 * @param healthInterval    how often a consumer checks the broker and its lag
 */
public record EventSettings(String service,
                            Optional<String> bootstrapServers,
                            Duration relayInterval,
                            int relayBatch,
                            int maxAttempts,
                            Duration retryBackoff,
                            Duration healthInterval) {
    /** How long a send may wait for the broker before the relay gives up and tries again later. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    /**
     * @param root    root config
     * @param service the service's name
     * @return settings
     */
    public static EventSettings from(Config root, String service) {
        String servers = root.get("kafka.bootstrap.servers").asString().get().trim();
        Config events = root.get("events");
        return new EventSettings(service,
                                 servers.isEmpty() ? Optional.empty() : Optional.of(servers),
                                 events.get("relay.interval").as(Duration.class).get(),
                                 events.get("relay.batch-size").asInt().get(),
                                 events.get("consumer.max-attempts").asInt().get(),
                                 events.get("consumer.retry-backoff").as(Duration.class).get(),
                                 events.get("consumer.health-interval").as(Duration.class).get());
    }

    /**
     * @return whether a broker is configured
     */
    public boolean enabled() {
        return bootstrapServers.isPresent();
    }

    /**
     * An idempotent producer: the broker drops the duplicates of its own retries and keeps each partition's
     * order; a send waits for every in-sync replica.
     *
     * @param role what the producer is for, in its client id
     * @return producer config
     */
    Properties producer(String role) {
        Properties props = common(role);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        // a relay round holds the outbox lock while it sends: with the broker away it must give up soon
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(SEND_TIMEOUT.toMillis() - 1000));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /**
     * @param role  what the consumer is for, in its client id
     * @param group the consumer group, or empty for a consumer that reads every partition itself
     * @return consumer config: offsets committed by the consumer after an event is applied, never automatically
     */
    Properties consumer(String role, Optional<String> group) {
        Properties props = common(role);
        group.ifPresent(id -> props.put(ConsumerConfig.GROUP_ID_CONFIG, id));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a new group applies what is on record; a replica without a group starts at the end (see EventConsumer)
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, group.isPresent() ? "earliest" : "latest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        // a replica that died gives its partitions to the others within 10 s, not the default 45 s
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "3000");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private Properties common(String role) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.orElseThrow());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, service + "-" + role);
        // a broker that is away is retried at most every 2 s, not hammered
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        return props;
    }
}
