package io.example.commons.http;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

import jakarta.json.JsonException;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;

/**
 * The one JSON binding every service uses, and the strict way to read a request body.
 */
public final class Json {
    /** Shared, thread-safe binding: records out (nulls left out), and the answers of our own services in. */
    public static final Jsonb JSONB = JsonbBuilder.create(new JsonbConfig().withNullValues(false));

    private Json() {
    }

    /**
     * Read the request body as the record {@code type}, strictly (see {@link StrictJson}: exact JSON types, no
     * unknown or repeated members, whole numbers that fit, no control characters in text). Answers 400 (never
     * 500) when the body is missing, not UTF-8, not JSON, not an object, or has fields that do not fit, with
     * each bad field named in {@code errors}; 415 when it is not sent as JSON. The parser's own message is not
     * passed on: it names Java classes.
     *
     * @param request the request
     * @param type    record to bind to
     * @param <T>     record type
     * @return the bound body, never {@code null}
     */
    public static <T extends Record> T read(ServerRequest request, Class<T> type) {
        if (!request.content().hasEntity()) {
            throw ProblemException.of(Status.BAD_REQUEST_400, "A JSON request body is required.");
        }
        requireJsonContentType(request);
        String text = utf8(RequestBody.readAll(request));
        try {
            return StrictJson.bind(text, type);
        } catch (JsonException | NumberFormatException | ArithmeticException e) {
            throw malformed("The body is not valid JSON.");
        }
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
            throw ProblemException.of(Status.UNSUPPORTED_MEDIA_TYPE_415, "Send the body as application/json.");
        }
    }

    static ProblemException malformed(String detail) {
        return new ProblemException(Problem.typed("malformed-json", "Malformed JSON", Status.BAD_REQUEST_400, detail));
    }


    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw malformed("The body is not valid UTF-8.");
        }
    }
}
