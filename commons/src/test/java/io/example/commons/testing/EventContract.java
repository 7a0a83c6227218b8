package io.example.commons.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * The events' contract, {@code docs/asyncapi.yaml}, and the check a record on a topic must pass: the topic is a
 * channel of the document, the event's {@code type} names one of that channel's messages, and the value
 * validates against that message's payload schema (and, for a whole record, its key against the Kafka key
 * schema, its headers against the message's headers, and key, {@code subject} and {@code aggregateid} are one
 * id).
 *
 * <p>A message is found by its {@code name}, which the document sets to the event's CloudEvents type. The
 * schemas are read as JSON Schema draft-07 (what AsyncAPI's schema format extends) with formats asserted.
 * A module using this class needs {@code com.networknt:json-schema-validator} in its own test scope.
 */
public final class EventContract {
    /** Where the document lives, from the reactor root. */
    public static final String DOCUMENT = "docs/asyncapi.yaml";

    private static final String DOCUMENT_URI = "https://contract.example/asyncapi.json";
    // exact decimals, so that multipleOf 0.01 judges 0.07 as written; a member given twice is an error
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Map<String, Map<String, Message>> channels = new LinkedHashMap<>();

    private record Message(String pointer, Schema payload, Schema headers, Schema key) {
    }

    private record Read(Message message, JsonNode event) {
    }

    private EventContract(String yaml) {
        JsonNode document;
        String json;
        try {
            document = JSON.valueToTree(yaml().load(yaml));
            json = JSON.writeValueAsString(document);
        } catch (YAMLException | IOException e) {
            throw new IllegalStateException("The AsyncAPI document is not YAML: " + e.getMessage(), e);
        }
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_7,
                builder -> builder.schemas(Map.of(DOCUMENT_URI, json))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        document.path("channels").properties().forEach(channel -> {
            String address = required(channel.getValue(), "address", "#/channels/" + channel.getKey()).asText();
            Map<String, Message> messages = new LinkedHashMap<>();
            channel.getValue().path("messages").properties().forEach(entry -> {
                String pointer = entry.getValue().has("$ref")
                        ? entry.getValue().get("$ref").asText()
                        : "#/channels/" + token(channel.getKey()) + "/messages/" + token(entry.getKey());
                JsonNode message = document.at(pointer.substring(1));
                String name = required(message, "name", pointer).asText();
                required(message, "payload", pointer);
                required(message, "headers", pointer);
                required(message.path("bindings").path("kafka"), "key", pointer + "/bindings/kafka");
                Message compiled = new Message(pointer, compile(registry, pointer + "/payload"),
                                               compile(registry, pointer + "/headers"),
                                               compile(registry, pointer + "/bindings/kafka/key"));
                if (messages.put(name, compiled) != null) {
                    throw new IllegalStateException("The channel " + address + " has two messages named " + name);
                }
            });
            if (messages.isEmpty()) {
                throw new IllegalStateException("The channel " + address + " has no messages");
            }
            channels.put(address, messages);
        });
    }

    /**
     * @return the document of this source tree (found from the working directory up, so from any module)
     * @throws IllegalStateException when the document is missing or broken
     */
    public static EventContract load() {
        Path directory = Path.of("").toAbsolutePath();
        while (directory != null && !Files.isRegularFile(directory.resolve(DOCUMENT))) {
            directory = directory.getParent();
        }
        if (directory == null) {
            throw new IllegalStateException("No " + DOCUMENT + " above " + Path.of("").toAbsolutePath());
        }
        try {
            return of(Files.readString(directory.resolve(DOCUMENT)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param yaml an AsyncAPI document
     * @return its contract, every message's schemas compiled
     * @throws IllegalStateException when a channel, message or schema is missing or does not compile
     */
    public static EventContract of(String yaml) {
        return new EventContract(yaml);
    }

    /**
     * @return the topics (channel addresses) the document describes
     */
    public Set<String> topics() {
        return channels.keySet();
    }

    /**
     * @param topic a topic
     * @return the event types documented on it
     */
    public Set<String> types(String topic) {
        return channels.getOrDefault(topic, Map.of()).keySet();
    }

    /**
     * @param topic the topic the record was read from
     * @param value the record's value
     * @return how the value departs from the document; empty when it conforms
     */
    public List<String> validate(String topic, byte[] value) {
        List<String> violations = new ArrayList<>();
        read(topic, value, violations);
        return violations;
    }

    /**
     * @param record a record as read from the broker
     * @return how its value, key and headers depart from the document; empty when they conform
     */
    public List<String> validate(ConsumerRecord<String, byte[]> record) {
        List<String> violations = new ArrayList<>();
        read(record.topic(), record.value(), violations).ifPresent(read -> {
            Message message = read.message();
            JsonNode key = record.key() == null ? JsonNodeFactory.instance.nullNode() : TextNode.valueOf(record.key());
            violations.addAll(errors("key", message.key(), key, message.pointer() + "/bindings/kafka/key"));
            violations.addAll(errors("headers", message.headers(), headers(record), message.pointer() + "/headers"));
            String aggregateId = read.event().path("aggregateid").asText();
            if (!Objects.equals(record.key(), aggregateId)
                    || !aggregateId.equals(read.event().path("subject").asText())) {
                violations.add("key " + record.key() + ", subject " + read.event().path("subject") + " and aggregateid "
                                       + read.event().path("aggregateid") + " must be one id");
            }
        });
        return violations;
    }

    private Optional<Read> read(String topic, byte[] value, List<String> violations) {
        Map<String, Message> messages = channels.get(topic);
        if (messages == null) {
            violations.add("the topic " + topic + " is not a channel of " + DOCUMENT);
            return Optional.empty();
        }
        JsonNode event;
        try {
            event = value == null ? JsonNodeFactory.instance.nullNode() : JSON.readTree(value);
        } catch (IOException e) {
            violations.add("the value is not JSON: " + e.getMessage());
            return Optional.empty();
        }
        String type = event.path("type").asText();
        Message message = messages.get(type);
        if (message == null) {
            violations.add("type '" + type + "' is not a message of " + topic + " (documented: " + messages.keySet() + ")");
            return Optional.empty();
        }
        violations.addAll(errors(type, message.payload(), event, message.pointer() + "/payload"));
        return Optional.of(new Read(message, event));
    }

    private static List<String> errors(String what, Schema schema, JsonNode instance, String pointer) {
        return schema.validate(instance).stream().map(error -> what + ": " + error + " (schema " + pointer + ")").toList();
    }

    // header values as UTF-8 text; the last of a repeated header wins, as a Kafka consumer's lastHeader
    private static ObjectNode headers(ConsumerRecord<String, byte[]> record) {
        ObjectNode headers = JsonNodeFactory.instance.objectNode();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    // SnakeYAML (Helidon's), not Jackson's YAML module: that needs a newer jackson-core than the CloudEvents SDK
    // brings; a key given twice is an error
    private static Yaml yaml() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        return new Yaml(options);
    }

    private static Schema compile(SchemaRegistry registry, String pointer) {
        try {
            Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_URI + pointer));
            schema.initializeValidators();
            return schema;
        } catch (RuntimeException e) {
            throw new IllegalStateException("The schema at " + pointer + " does not compile: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String member, String where) {
        JsonNode value = node.path(member);
        if (value.isMissingNode() || value.isNull()) {
            throw new IllegalStateException(where + " has no " + member);
        }
        return value;
    }

    // a JSON pointer token (RFC 6901)
    private static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
