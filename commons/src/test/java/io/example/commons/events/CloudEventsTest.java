package io.example.commons.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CloudEventsTest {
    @Test
    void theTypeOfAnEncodedEventIsReadWithoutDecodingIt() {
        byte[] event = CloudEvents.encode("order-service", "e1", "io.example.order.cancelled", "order", "o1", 3,
                                          Instant.now(), "{\"orderId\":\"o1\",\"type\":\"not this one\"}",
                                          Optional.empty());

        assertThat(CloudEvents.type(event)).contains("io.example.order.cancelled");
    }

    @Test
    void theLastTypeMemberCountsAsWhenTheEventIsDecoded() {
        byte[] twoTypes = bytes("{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/s\",\"type\":\"first\","
                                + "\"subject\":\"p1\",\"datacontenttype\":\"application/json\","
                                + "\"data\":{\"type\":\"inner\"},\"type\":\"last\"}");

        assertThat(CloudEvents.type(twoTypes)).contains("last");
        assertThat(CloudEvents.decode(twoTypes).getType()).isEqualTo("last");
    }

    @Test
    void aValueWithoutAStringTypeOrNotAWholeJsonObjectHasNone() {
        assertThat(CloudEvents.type(null)).isEmpty();
        assertThat(CloudEvents.type(bytes("not json"))).isEmpty();
        assertThat(CloudEvents.type(bytes("[\"type\",\"x\"]"))).isEmpty();
        assertThat(CloudEvents.type(bytes("{\"id\":\"e1\"}"))).isEmpty();
        assertThat(CloudEvents.type(bytes("{\"type\":7}"))).isEmpty();
        assertThat(CloudEvents.type(bytes("{\"type\":\"cut short\",\"data\":{"))).isEmpty();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
