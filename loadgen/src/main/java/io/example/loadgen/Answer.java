package io.example.loadgen;

import java.io.StringReader;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** An answer from the gateway. */
record Answer(int status, HttpHeaders headers, String body) {
    /** when a 429 or 503 names no Retry-After (the gateway always does) */
    private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(1);

    boolean isSuccess() {
        return status / 100 == 2;
    }

    /**
     * The body as a JSON object, only for a success: a problem (4xx, 5xx) is never read as data, so nothing
     * in an error can pass for a token or an id.
     *
     * @return the object; empty for a failure or a body that is not a JSON object
     */
    Optional<JsonObject> json() {
        return success(JsonObject.class);
    }

    /** @return the body as a JSON array, only for a success (like {@link #json()}) */
    Optional<JsonArray> jsonArray() {
        return success(JsonArray.class);
    }

    /** @return the {@code detail} of a problem answer */
    Optional<String> problemDetail() {
        return hasContentType("application/problem+json")
                ? read(JsonObject.class).map(problem -> problem.get("detail")).filter(JsonString.class::isInstance)
                        .map(detail -> ((JsonString) detail).getString())
                : Optional.empty();
    }

    private boolean hasContentType(String mediaType) {
        return headers.firstValue("Content-Type").orElse("").startsWith(mediaType);
    }

    private <T extends JsonValue> Optional<T> success(Class<T> type) {
        return isSuccess() && hasContentType("application/json") ? read(type) : Optional.empty();
    }

    private <T extends JsonValue> Optional<T> read(Class<T> type) {
        try (var reader = Json.createReader(new StringReader(body))) {
            return Optional.of(reader.readValue()).filter(type::isInstance).map(type::cast);
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    /** @return the wait the gateway asks for (Retry-After in seconds) */
    Duration retryAfter() {
        return headers.firstValue("Retry-After")
                .filter(seconds -> seconds.matches("\\d{1,6}"))
                .map(seconds -> Duration.ofSeconds(Math.max(1, Long.parseLong(seconds))))
                .orElse(DEFAULT_RETRY_AFTER);
    }
}
