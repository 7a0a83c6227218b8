package io.example.gateway;

import java.io.StringReader;
import java.net.http.HttpResponse;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway's {@code /health/ready} as a test reads it.
 *
 * @param status the HTTP status
 * @param body   the answer
 */
record Readiness(int status, JsonObject body) {
    static Readiness of(GatewayClient gateway) {
        HttpResponse<String> ready = gateway.get("/health/ready");
        try (JsonReader reader = Json.createReader(new StringReader(ready.body()))) {
            return new Readiness(ready.statusCode(), reader.readObject());
        }
    }

    /**
     * @param name a check's name
     * @return that check: its status and its details ({@code data})
     */
    JsonObject check(String name) {
        return body.getJsonArray("checks").getValuesAs(JsonObject.class).stream()
                .filter(check -> check.getString("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + body));
    }

    /**
     * @return the product-events check's {@code events} and {@code cache} details, with the check UP and the
     *         gateway ready
     */
    ProductEventsDetails productEvents() {
        JsonObject check = check("product-events");
        assertThat(status).isEqualTo(200);
        assertThat(check.getString("status")).isEqualTo("UP");
        JsonObject data = check.getJsonObject("data");
        return new ProductEventsDetails(data.getString("events"), data.getString("cache"));
    }

    record ProductEventsDetails(String events, String cache) {
    }
}
