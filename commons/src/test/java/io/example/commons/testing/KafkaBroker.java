package io.example.commons.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.example.commons.events.CloudEvents;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A real Kafka broker for tests: the kafka-local module's single KRaft node, in its own JVM on free ports,
 * with its data in a temporary directory. It can be stopped, killed ({@code kill -9}) and restarted on the
 * same ports and data, so tests can take the broker away and bring it back.
 *
 * <p>{@link #shared()} is one broker for a whole test JVM, for tests that never stop it; a test that stops or
 * kills its broker starts its own with {@link #start()}.
 */
public final class KafkaBroker implements AutoCloseable {
    private static final Duration READY_WAIT = Duration.ofSeconds(120);
    private static KafkaBroker shared;

    private final Path data;
    private final int port;
    private final int controllerPort;
    private Process process;
    private KafkaProducer<String, byte[]> producer;

    private KafkaBroker(Path data, int port, int controllerPort) {
        this.data = data;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /**
     * @return a new broker, ready
     */
    public static KafkaBroker start() {
        try {
            KafkaBroker broker = new KafkaBroker(Files.createTempDirectory("kafka-broker"), FreePorts.next(),
                                                 FreePorts.next());
            broker.launch();
            // a test JVM that ends without close() (a failure, an abort) leaves no broker behind
            Runtime.getRuntime().addShutdownHook(new Thread(broker::killIfRunning));
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return the broker of this test JVM, started on first use and stopped when the JVM exits; never stop it
     */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /**
     * @return {@code localhost:port}
     */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /**
     * Stop the broker the polite way (SIGTERM) and wait for it to exit.
     */
    public void stop() {
        process.destroy();
        awaitExit();
    }

    /**
     * Kill the broker (SIGKILL), as a crash would.
     */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /**
     * Start the broker again on the same ports and data: topics, records and committed offsets are kept.
     */
    public void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("The broker is running; stop or kill it first");
        }
        launch();
    }

    /**
     * Create topics with 3 partitions (as in the cluster); ones that exist are left alone.
     *
     * @param names topic names
     */
    public void createTopics(String... names) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            for (String name : names) {
                try {
                    admin.createTopics(List.of(new NewTopic(name, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create " + name, e);
                    }
                }
            }
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("Cannot create " + Arrays.toString(names), e);
        }
    }

    /**
     * Publish a record as the relay does (with the CloudEvents {@code content-type} header) and wait until the
     * broker has it.
     *
     * @param topic the topic
     * @param key   the record key
     * @param value the record value, e.g. from {@link CloudEvents#encode}
     */
    public void publish(String topic, String key, byte[] value) {
        publish(topic, key, value, Map.of());
    }

    /**
     * Publish a record as the relay does, with more headers (trace context, in tests of tracing).
     *
     * @param topic   the topic
     * @param key     the record key
     * @param value   the record value
     * @param headers headers besides {@code content-type}
     */
    public synchronized void publish(String topic, String key, byte[] value, Map<String, String> headers) {
        if (producer == null) {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(props);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        record.headers().add(CloudEvents.CONTENT_TYPE_HEADER, CloudEvents.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        headers.forEach((name, text) -> record.headers().add(name, text.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The broker did not take the record", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Every record of a topic, from the beginning to the end it has when asked, by partition and offset.
     *
     * @param topic the topic
     * @param wait  longest time to read
     * @return the records
     */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic, Duration wait) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, wait).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, wait);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + wait.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, wait) < ends.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            records.sort(Comparator.<ConsumerRecord<String, byte[]>>comparingInt(ConsumerRecord::partition)
                                 .thenComparingLong(ConsumerRecord::offset));
            return records;
        }
    }

    private void killIfRunning() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ZERO);
        }
        if (process != null && process.isAlive()) {
            kill();
        }
        try (Stream<Path> files = Files.walk(data)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }

    private void launch() {
        Path home = kafkaLocal();
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-cp", home.resolve("classes") + File.pathSeparator + home.resolve("kafka/libs/*"),
                "io.example.kafkalocal.LocalKafka", data.toString(), Integer.toString(port),
                Integer.toString(controllerPort))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve("broker.log").toFile()));
        try {
            Files.createDirectories(data);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_WAIT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                                               AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000",
                                               AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000"))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The Kafka broker exited with " + process.exitValue() + ":\n" + logTail());
                }
                try {
                    if (!admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IllegalStateException("The Kafka broker was not ready within " + READY_WAIT + ":\n" + logTail());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(data.resolve("broker.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no broker log)";
        }
    }

    // kafka-local/target of the reactor this test runs in (a module's directory is the working directory)
    private static Path kafkaLocal() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("kafka-local/target");
            if (Files.isDirectory(target.resolve("kafka/libs"))) {
                return target;
            }
        }
        throw new IllegalStateException("kafka-local/target/kafka/libs not found above " + Path.of("").toAbsolutePath()
                                                + ": build the kafka-local module first");
    }
}
