package io.example.kafkalocal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import kafka.Kafka;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * A single Kafka node in KRaft mode (broker and controller in one process) for a laptop and for tests:
 * {@code LocalKafka DATA_DIR PORT CONTROLLER_PORT}. It writes {@code DATA_DIR/server.properties}, formats the
 * storage the first time (a restart on the same directory keeps topics and offsets), and runs the broker
 * until it is stopped. Clients connect to {@code localhost:PORT}. Settings for one node: every internal topic
 * has one replica, topics are created on first use with 3 partitions.
 */
public final class LocalKafka {
    private LocalKafka() {
    }

    /**
     * @param args data directory, client port, controller port
     */
    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: LocalKafka DATA_DIR PORT CONTROLLER_PORT");
            System.exit(2);
        }
        Path data = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        Path properties = writeProperties(data, port, controllerPort);
        if (!Files.exists(data.resolve("logs").resolve("meta.properties"))) {
            int formatted = StorageTool.execute(new String[] {"format", "--standalone", "--ignore-formatted",
                    "--cluster-id", Uuid.randomUuid().toString(), "--config", properties.toString()},
                    new PrintStream(System.err, true, StandardCharsets.UTF_8));
            if (formatted != 0) {
                System.err.println("Formatting " + data + " failed");
                System.exit(1);
            }
        }
        Kafka.main(new String[] {properties.toString()});
    }

    private static Path writeProperties(Path data, int port, int controllerPort) {
        String text = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=localhost:" + controllerPort,
                "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "advertised.listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + data.resolve("logs"),
                "num.partitions=3",
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=3",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // a laptop's broker: a week of events, small segments
                "log.retention.hours=168",
                "log.segment.bytes=16777216",
                "");
        try {
            Files.createDirectories(data);
            Path properties = data.resolve("server.properties");
            Files.writeString(properties, text);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
