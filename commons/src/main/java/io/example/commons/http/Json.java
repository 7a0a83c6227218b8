package io.example.commons.http;

import java.io.InputStream;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;

import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.JsonbException;

/**
 * The one JSON binding every service uses, and the strict way to read a request body.
 */
public final class Json {
    /** Shared, thread-safe binding: records in and out, nulls left out of the output. */
    public static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withNullValues(false));

    private Json() {
    }

    /**
     * Read the request body as {@code type}, answering 400 (never 500) when it is missing, not JSON,
     * {@code null}, or has a value of the wrong type. The parser's own message is not passed on: it names
     * Java classes.
     *
     * @param request the request
     * @param type    record to bind to
     * @param <T>     record type
     * @return the bound body, never {@code null}
     */
    public static <T> T read(ServerRequest request, Class<T> type) {
        if (!request.content().hasEntity()) {
            throw ProblemException.of(io.helidon.http.Status.BAD_REQUEST_400, "A JSON request body is required.");
        }
        requireJsonContentType(request);
        T value;
        try (InputStream in = request.content().inputStream()) {
            value = JSONB.fromJson(in, type);
        } catch (JsonbException | JsonException e) {
            throw malformed();
        } catch (java.io.IOException e) {
            throw malformed();
        }
        if (value == null) {
            throw malformed();
        }
        return value;
    }

    /**
     * Serialize a value as JSON text.
     *
     * @param value value
     * @return JSON
     */
    public static String write(Object value) {
        return JSONB.toJson(value);
    }

    static void requireJsonContentType(ServerRequest request) {
        String contentType = request.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (!MediaTypes.isJson(contentType)) {
            throw ProblemException.of(io.helidon.http.Status.UNSUPPORTED_MEDIA_TYPE_415,
                                      "Send the body as application/json.");
        }
    }

    private static ProblemException malformed() {
        return new ProblemException(Problem.typed("malformed-json", "Malformed JSON", io.helidon.http.Status.BAD_REQUEST_400,
                                                  "The body is not valid JSON, or a field has a value of the wrong type."));
    }
}
