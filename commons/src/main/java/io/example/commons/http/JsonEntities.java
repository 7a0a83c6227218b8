package io.example.commons.http;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.OptionalLong;

import io.helidon.common.GenericType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.Headers;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.http.media.EntityWriter;
import io.helidon.http.media.InstanceWriter;
import io.helidon.http.media.MediaSupport;

import jakarta.json.JsonValue;

/**
 * How {@code res.send(record)} becomes JSON in every service: serialized in memory with {@link Json#JSONB}
 * and sent with a {@code Content-Length} in one write.
 *
 * <p>Helidon's own JSON-B support streams into the response and flushes, which makes every answer
 * chunked: headers, the chunk and the terminating chunk go out separately, and the response stream's
 * write buffer (a few KiB per request) is allocated for a body of a few hundred bytes. Our bodies are small
 * and always fit in memory.
 *
 * <p>Records, collections and maps are written; anything else (strings, byte arrays, streams, JSON-P
 * values) is left to Helidon's defaults. A client whose {@code Accept} excludes JSON gets 406, not a 415
 * that would blame its request body.
 */
public final class JsonEntities implements MediaSupport {
    @Override
    public String name() {
        return "json-entities";
    }

    @Override
    public String type() {
        return "json-entities";
    }

    @Override
    public <T> WriterResponse<T> writer(GenericType<T> type, Headers requestHeaders, WritableHeaders<?> responseHeaders) {
        if (!writable(type.rawType())) {
            return WriterResponse.unsupported();
        }
        requireJsonAccepted(requestHeaders);
        return new WriterResponse<>(SupportLevel.SUPPORTED, Writer::new);
    }

    /**
     * Refuse a request whose {@code Accept} excludes JSON, as every JSON answer does; for answers not written
     * through this support (a gateway's cached copy of a service's answer).
     *
     * @param requestHeaders the request's headers
     * @throws ProblemException 406 when {@code application/json} is not accepted
     */
    public static void requireJsonAccepted(Headers requestHeaders) {
        if (!acceptsJson(requestHeaders)) {
            throw ProblemException.of(Status.NOT_ACCEPTABLE_406,
                                      "This API answers with application/json, which the Accept header excludes.");
        }
    }

    // JSON-P values (a JsonObject is a Map) stay with Helidon's JSON-P support, as health answers do
    private static boolean writable(Class<?> type) {
        return (type.isRecord() || Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type))
                && !JsonValue.class.isAssignableFrom(type);
    }

    private static boolean acceptsJson(Headers requestHeaders) {
        var accepted = requestHeaders.acceptedTypes();
        return accepted.isEmpty()
                || accepted.stream().anyMatch(type -> type.qualityFactor() > 0 && type.test(MediaTypes.APPLICATION_JSON));
    }

    private static final class Writer<T> implements EntityWriter<T> {
        @Override
        public boolean supportsInstanceWriter() {
            return true;
        }

        @Override
        public InstanceWriter instanceWriter(GenericType<T> type, T object, Headers requestHeaders,
                                             WritableHeaders<?> responseHeaders) {
            return serialize(object, responseHeaders);
        }

        @Override
        public void write(GenericType<T> type, T object, OutputStream out, Headers requestHeaders,
                          WritableHeaders<?> responseHeaders) {
            write(type, object, out, responseHeaders);
        }

        @Override
        public void write(GenericType<T> type, T object, OutputStream out, WritableHeaders<?> headers) {
            serialize(object, headers).write(out);
        }

        private static InMemory serialize(Object object, WritableHeaders<?> headers) {
            headers.setIfAbsent(HeaderValues.CONTENT_TYPE_JSON);
            return new InMemory(Json.write(object).getBytes(StandardCharsets.UTF_8));
        }
    }

    private record InMemory(byte[] bytes) implements InstanceWriter {
        @Override
        public OptionalLong contentLength() {
            return OptionalLong.of(bytes.length);
        }

        @Override
        public boolean alwaysInMemory() {
            return true;
        }

        @Override
        public void write(OutputStream stream) {
            try {
                stream.write(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public byte[] instanceBytes() {
            return bytes;
        }
    }
}
