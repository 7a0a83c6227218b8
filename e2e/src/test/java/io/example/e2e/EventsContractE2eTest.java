package io.example.e2e;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.example.commons.events.Topics;
import io.example.commons.testing.EventContract;
import io.example.commons.testing.TestHttp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every event the services emit, read back from the stack's broker, conforms to docs/asyncapi.yaml: a user and
 * an administrator drive the stack through the gateway until each documented type has been emitted, then every
 * record of {@code orders} and {@code products} (this test's and the other tests' in this JVM) is validated.
 */
class EventsContractE2eTest {
    // the relays publish within their interval; this only bounds a broken stack
    private static final Duration ARRIVAL = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceStack stack = ServiceStack.get();
    private final TestHttp gateway = stack.http("gateway");
    private final EventContract contract = EventContract.load();

    @Test
    void everyEventTheServicesEmitConformsToTheAsyncApiDocument() {
        String admin = Users.admin(gateway);
        String user = Users.newUser(gateway);
        String kept = Users.field(send("POST", "/api/products", admin, product("E2E event lamp", 10)).body(), "id");
        send("PUT", "/api/products/" + kept, admin, product("E2E event lamp, renamed", 12));
        String dropped = Users.field(send("POST", "/api/products", admin, product("E2E event vase", 1)).body(), "id");
        send("DELETE", "/api/products/" + dropped, admin, null);
        String cancelled = place(user, kept, 3);
        send("POST", "/api/orders/" + cancelled + "/cancel", user, null);
        String delivered = place(user, kept, 1);
        send("PATCH", "/api/orders/" + delivered + "/status", admin, "{\"status\":\"SHIPPED\"}");
        send("PATCH", "/api/orders/" + delivered + "/status", admin, "{\"status\":\"DELIVERED\"}");
        Set<String> expected = Set.of(
                kept + " io.example.product.created", kept + " io.example.product.updated",
                kept + " io.example.product.stock-changed",
                dropped + " io.example.product.created", dropped + " io.example.product.deleted",
                cancelled + " io.example.order.placed", cancelled + " io.example.order.cancelled",
                delivered + " io.example.order.placed", delivered + " io.example.order.shipped",
                delivered + " io.example.order.delivered");

        List<ConsumerRecord<String, byte[]>> records = recordsOnceArrived(expected);

        List<String> violations = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            contract.validate(record).forEach(violation -> violations.add(
                    record.topic() + "/" + record.partition() + "/" + record.offset() + ": " + violation));
            types.add(type(record));
        }
        assertThat(violations).as("records outside docs/asyncapi.yaml").isEmpty();
        assertThat(types).containsAll(contract.types(Topics.ORDERS)).containsAll(contract.types(Topics.PRODUCTS));
        assertThat(records).filteredOn(record -> kept.equals(record.key()))
                .extracting(record -> event(record).path("data").path("reason").asText())
                .contains("reserved", "released");
    }

    // every record of both topics, read again until this test's events are among them
    private List<ConsumerRecord<String, byte[]>> recordsOnceArrived(Set<String> expected) {
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (true) {
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            for (String topic : List.of(Topics.ORDERS, Topics.PRODUCTS)) {
                records.addAll(stack.kafka().readAll(topic, Duration.ofSeconds(10)));
            }
            Set<String> missing = new HashSet<>(expected);
            records.forEach(record -> missing.remove(record.key() + " " + type(record)));
            if (missing.isEmpty()) {
                return records;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not on the broker after " + ARRIVAL + ": " + missing + " (read "
                                         + records.size() + " records)");
            }
            sleep(Duration.ofMillis(250));
        }
    }

    private String place(String token, String product, int quantity) {
        HttpResponse<String> placed = send("POST", "/api/orders", token,
                                           "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}]}");
        assertThat(placed.statusCode()).isEqualTo(201);
        return Users.field(placed.body(), "id");
    }

    private static String product(String name, int stock) {
        return "{\"sku\":\"E2E-" + UUID.randomUUID() + "\",\"name\":\"" + name + "\",\"category\":\"home\","
                + "\"price\":19.99,\"stock\":" + stock + "}";
    }

    private HttpResponse<String> send(String method, String path, String token, String json) {
        HttpRequest.Builder builder = gateway.request(path).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = gateway.send(builder);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return response;
    }

    private static String type(ConsumerRecord<String, byte[]> record) {
        return event(record).path("type").asText();
    }

    // the contract reports a value that is not JSON; here it only has no type
    private static JsonNode event(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(record.value());
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
