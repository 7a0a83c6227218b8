package io.example.commons.testing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.example.commons.events.CloudEvents;
import io.example.commons.events.EventConsumer;
import io.example.commons.events.Topics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * docs/asyncapi.yaml as {@link EventContract} reads it: an event of each type as the relay writes it conforms;
 * events broken in one place each do not. (That the services' real events conform is EventsContractE2eTest's.)
 */
class EventContractTest {
    private static final EventContract CONTRACT = EventContract.load();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ORDER = "5b0c2b1e-8d1f-4c39-9a57-0c1d2e3f4a5b";
    private static final String PRODUCT = "bdd640fb-0667-4ad1-9c80-317fa3b1799d";
    private static final String USER = "0e7c9d4a-3b2f-4e61-8a5d-6f7e8d9c0b1a";
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void theDocumentDescribesEveryTopicAndEventType() {
        List<String> orderTypes = List.of("io.example.order.placed", "io.example.order.cancelled",
                                          "io.example.order.shipped", "io.example.order.delivered");
        List<String> productTypes = List.of("io.example.product.created", "io.example.product.updated",
                                            "io.example.product.deleted", "io.example.product.stock-changed");

        assertThat(CONTRACT.topics()).containsExactlyInAnyOrder(
                Topics.ORDERS, Topics.PRODUCTS, Topics.deadLetters("product-service"), Topics.deadLetters("gateway"));
        assertThat(CONTRACT.types(Topics.ORDERS)).containsExactlyInAnyOrderElementsOf(orderTypes);
        assertThat(CONTRACT.types(Topics.deadLetters("product-service"))).containsExactlyInAnyOrderElementsOf(orderTypes);
        assertThat(CONTRACT.types(Topics.PRODUCTS)).containsExactlyInAnyOrderElementsOf(productTypes);
        assertThat(CONTRACT.types(Topics.deadLetters("gateway"))).containsExactlyInAnyOrderElementsOf(productTypes);
    }

    @Test
    void aSchemaThatDoesNotCompileIsRefused() throws IOException {
        String broken = document().replace("$ref: '#/components/schemas/Price'", "$ref: '#/components/schemas/Prise'");

        assertThatThrownBy(() -> EventContract.of(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not compile");
    }

    @Test
    void aMessageWithoutItsKafkaKeyIsRefused() throws IOException {
        String broken = document().replaceFirst("(?m)^ {10}key:\\n {12}\\$ref: '#/components/schemas/OrderId'\\n", "");

        assertThatThrownBy(() -> EventContract.of(broken))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has no key");
    }

    static Stream<Arguments> correctRecords() {
        return Stream.of(
                arguments(record(Topics.ORDERS, ORDER, order("io.example.order.placed", "CONFIRMED"))),
                arguments(record(Topics.ORDERS, ORDER, order("io.example.order.cancelled", "CANCELLED"))),
                arguments(record(Topics.ORDERS, ORDER, order("io.example.order.shipped", "SHIPPED"))),
                arguments(record(Topics.ORDERS, ORDER, order("io.example.order.delivered", "DELIVERED"))),
                arguments(record(Topics.PRODUCTS, PRODUCT, product("io.example.product.created", snapshot()))),
                arguments(record(Topics.PRODUCTS, PRODUCT, product("io.example.product.updated", snapshot()))),
                arguments(record(Topics.PRODUCTS, PRODUCT, product("io.example.product.deleted",
                                                                   "{\"productId\":\"" + PRODUCT + "\"}"))),
                arguments(record(Topics.PRODUCTS, PRODUCT, product("io.example.product.stock-changed",
                                                                   stockChange(117, -3, "reserved")))),
                arguments(record(Topics.PRODUCTS, PRODUCT, product("io.example.product.stock-changed",
                                                                   stockChange(120, 3, "released")))),
                arguments(record(Topics.PRODUCTS, PRODUCT, product("io.example.product.stock-changed",
                                                                   stockChange(120, 3, "expired")))),
                arguments(parked(record(Topics.deadLetters("product-service"), ORDER,
                                        order("io.example.order.cancelled", "CANCELLED")))),
                arguments(parked(record(Topics.deadLetters("gateway"), PRODUCT,
                                        product("io.example.product.deleted", "{\"productId\":\"" + PRODUCT + "\"}")))));
    }

    @ParameterizedTest
    @MethodSource("correctRecords")
    void aCorrectEventOfEachTypeConforms(ConsumerRecord<String, byte[]> record) {
        assertThat(CONTRACT.validate(record)).isEmpty();
        assertThat(CONTRACT.validate(record.topic(), record.value())).isEmpty();
    }

    @Test
    void anEventWithoutTraceContextConforms() throws IOException {
        ObjectNode untraced = (ObjectNode) JSON.readTree(placed());
        untraced.remove("traceparent");

        assertThat(CONTRACT.validate(Topics.ORDERS, JSON.writeValueAsBytes(untraced))).isEmpty();
    }

    static Stream<Arguments> brokenEvents() {
        return Stream.of(
                arguments("a missing attribute", Topics.ORDERS, placed(), remove("time"), "time"),
                arguments("a missing data member", Topics.ORDERS, placed(), data(data -> data.remove("userId")),
                          "userId"),
                arguments("a version as a number", Topics.ORDERS, placed(), set("aggregateversion", 7),
                          "aggregateversion"),
                arguments("a version that is not decimal digits", Topics.ORDERS, placed(), set("aggregateversion", "07"),
                          "aggregateversion"),
                arguments("a time that is no date-time", Topics.ORDERS, placed(), set("time", "yesterday"), "time"),
                arguments("an unknown data member", Topics.ORDERS, placed(), data(data -> data.put("discount", 1)),
                          "discount"),
                arguments("an unknown attribute", Topics.ORDERS, placed(), set("partitionkey", ORDER), "partitionkey"),
                arguments("an undocumented type", Topics.ORDERS, placed(), set("type", "io.example.order.paid"),
                          "io.example.order.paid"),
                arguments("a product type on orders", Topics.ORDERS, placed(), set("type", "io.example.product.created"),
                          "io.example.product.created"),
                arguments("a status the type does not enter", Topics.ORDERS, placed(),
                          data(data -> data.put("status", "CANCELLED")), "CONFIRMED"),
                arguments("a price with 3 decimals", Topics.ORDERS, placed(),
                          data(data -> data.put("total", new BigDecimal("7.505"))), "total"),
                arguments("money as text", Topics.ORDERS, placed(), data(data -> data.put("total", "7.50")), "total"),
                arguments("a product id longer than the services allow", Topics.ORDERS, placed(),
                          data(data -> ((ObjectNode) data.withArray("items").get(0)).put("productId", "p".repeat(37))),
                          "productId"),
                arguments("a foreign trace context", Topics.ORDERS, placed(), set("traceparent", "not-a-trace"),
                          "traceparent"),
                arguments("data in base64", Topics.ORDERS, placed(), remove("data").andThen(set("data_base64", "e30=")),
                          "data"),
                arguments("the other service as source", Topics.ORDERS, placed(), set("source", "/product-service"),
                          "source"),
                arguments("a reservation that gives stock back", Topics.PRODUCTS,
                          product("io.example.product.stock-changed", stockChange(120, 3, "reserved")), none(), "change"),
                arguments("a negative stock", Topics.PRODUCTS, product("io.example.product.updated", snapshot()),
                          data(data -> data.put("stock", -1)), "stock"),
                arguments("an order event on products", Topics.PRODUCTS, placed(), none(), "io.example.order.placed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenEvents")
    void aBrokenEventDoesNotConform(String broken, String topic, byte[] correct, Consumer<ObjectNode> breaking,
                                    String named) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(correct);
        breaking.accept(event);

        List<String> violations = CONTRACT.validate(topic, JSON.writeValueAsBytes(event));

        assertThat(violations).as(broken).isNotEmpty().anySatisfy(violation -> assertThat(violation).contains(named));
    }

    @Test
    void aKeyThatIsNotTheAggregateIdDoesNotConform() {
        ConsumerRecord<String, byte[]> record = record(Topics.ORDERS, PRODUCT, placed());

        assertThat(CONTRACT.validate(record)).anySatisfy(violation -> assertThat(violation).contains("one id"));
    }

    @Test
    void aRecordWithoutItsContentTypeDoesNotConform() {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(Topics.ORDERS, 0, 0, ORDER, placed());

        assertThat(CONTRACT.validate(record)).anySatisfy(violation -> assertThat(violation).contains("content-type"));
    }

    @Test
    void aParkedRecordWithoutItsReasonDoesNotConform() {
        ConsumerRecord<String, byte[]> record = record(Topics.deadLetters("product-service"), ORDER, placed());
        record.headers().add(EventConsumer.ORIGIN_HEADER, "orders/2/41".getBytes(StandardCharsets.UTF_8));

        assertThat(CONTRACT.validate(record)).anySatisfy(violation -> assertThat(violation).contains("dlt-reason"));
    }

    @Test
    void aTopicOutsideTheDocumentDoesNotConform() {
        assertThat(CONTRACT.validate("payments", placed())).anySatisfy(violation -> assertThat(violation).contains("payments"));
    }

    private static byte[] placed() {
        return order("io.example.order.placed", "CONFIRMED");
    }

    private static byte[] order(String type, String status) {
        return event("order-service", type, "order", ORDER, """
                {"orderId":"%s","userId":"%s","status":"%s","total":7.50,"currency":"EUR",\
                "items":[{"productId":"%s","quantity":3,"unitPrice":2.50}]}""".formatted(ORDER, USER, status, PRODUCT));
    }

    private static byte[] product(String type, String data) {
        return event("product-service", type, "product", PRODUCT, data);
    }

    // as CloudEvents.encode writes an outbox row
    private static byte[] event(String service, String type, String aggregateType, String aggregateId, String data) {
        return """
                {"specversion":"1.0","id":"3f6c1a2b-4d5e-4f70-8a91-b2c3d4e5f607","source":"/%s","type":"%s",\
                "datacontenttype":"application/json","subject":"%s","time":"2026-11-30T18:00:00.123Z",\
                "aggregatetype":"%s","aggregateid":"%s","aggregateversion":"7","traceparent":"%s","data":%s}"""
                .formatted(service, type, aggregateId, aggregateType, aggregateId, TRACEPARENT, data)
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String snapshot() {
        return """
                {"productId":"%s","sku":"BK-1001","name":"The Pragmatic Programmer","category":"books",\
                "price":39.90,"currency":"EUR","stock":120}""".formatted(PRODUCT);
    }

    private static String stockChange(int stock, int change, String reason) {
        return "{\"productId\":\"%s\",\"stock\":%d,\"change\":%d,\"reason\":\"%s\"}".formatted(PRODUCT, stock, change, reason);
    }

    private static ConsumerRecord<String, byte[]> record(String topic, String key, byte[] value) {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>(topic, 0, 0, key, value);
        record.headers().add(CloudEvents.CONTENT_TYPE_HEADER, CloudEvents.CONTENT_TYPE.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static ConsumerRecord<String, byte[]> parked(ConsumerRecord<String, byte[]> record) {
        record.headers().add(EventConsumer.REASON_HEADER, "failed 5 times: java.lang.IllegalStateException: down"
                .getBytes(StandardCharsets.UTF_8));
        record.headers().add(EventConsumer.ORIGIN_HEADER, "orders/2/41".getBytes(StandardCharsets.UTF_8));
        return record;
    }

    private static String document() throws IOException {
        return Files.readString(Path.of("..").resolve(EventContract.DOCUMENT));
    }

    private static Consumer<ObjectNode> none() {
        return event -> {
        };
    }

    private static Consumer<ObjectNode> remove(String member) {
        return event -> event.remove(member);
    }

    private static Consumer<ObjectNode> set(String member, String value) {
        return event -> event.put(member, value);
    }

    private static Consumer<ObjectNode> set(String member, int value) {
        return event -> event.put(member, value);
    }

    private static Consumer<ObjectNode> data(Consumer<ObjectNode> change) {
        return event -> change.accept((ObjectNode) event.get("data"));
    }
}
