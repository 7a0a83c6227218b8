package io.example.commons.http;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.function.UnaryOperator;

import io.helidon.common.GenericType;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Header;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.ServerResponseTrailers;
import io.helidon.http.Status;
import io.helidon.http.media.EntityWriter;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * The response a GET route's handler writes when it serves a HEAD (RFC 9110 9.3.2): the status and headers the
 * GET would have, its {@code Content-Length} included, and no body. Helidon writes whatever a handler sends,
 * even to HEAD, and a client reads no body after HEAD: the bytes would be taken for the next answer on the
 * connection. The entity is written as the GET would write it (the server's media support), then dropped.
 */
public final class HeadResponse implements ServerResponse {
    private final ServerRequest request;
    private final ServerResponse response;

    private HeadResponse(ServerRequest request, ServerResponse response) {
        this.request = request;
        this.response = response;
    }

    /**
     * @param request  the HEAD being served
     * @param response its response
     * @return a response that sends what a GET's handler writes without the body; one that already does, as it is
     */
    public static ServerResponse of(ServerRequest request, ServerResponse response) {
        return response instanceof HeadResponse ? response : new HeadResponse(request, response);
    }

    @Override
    public void send(byte[] bytes) {
        send(bytes, 0, bytes.length);
    }

    @Override
    public void send(byte[] bytes, int position, int length) {
        response.contentLength(length);
        response.send();
    }

    @Override
    public void send(Object entity) {
        if (entity instanceof byte[] bytes) {
            send(bytes);
            return;
        }
        GenericType<Object> type = GenericType.create(entity);
        EntityWriter<Object> writer = request.listenerContext().mediaContext()
                .writer(type, request.headers(), response.headers());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writer.write(type, entity, body, request.headers(), response.headers());
        send(body.toByteArray());
    }

    @Override
    public void send() {
        response.send();
    }

    @Override
    public OutputStream outputStream() {
        return new ByteArrayOutputStream() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    HeadResponse.this.send(toByteArray());
                }
            }
        };
    }

    @Override
    public ServerResponse status(Status status) {
        response.status(status);
        return this;
    }

    @Override
    public Status status() {
        return response.status();
    }

    @Override
    public ServerResponse header(Header header) {
        response.header(header);
        return this;
    }

    @Override
    public boolean isSent() {
        return response.isSent();
    }

    @Override
    public long bytesWritten() {
        return response.bytesWritten();
    }

    @Override
    public ServerResponse beforeSend(Runnable listener) {
        response.beforeSend(listener);
        return this;
    }

    @Override
    public ServerResponse whenSent(Runnable listener) {
        response.whenSent(listener);
        return this;
    }

    @Override
    public ServerResponse reroute(String newPath) {
        response.reroute(newPath);
        return this;
    }

    @Override
    public ServerResponse reroute(String path, UriQuery query) {
        response.reroute(path, query);
        return this;
    }

    @Override
    public ServerResponse next() {
        response.next();
        return this;
    }

    @Override
    public ServerResponseHeaders headers() {
        return response.headers();
    }

    @Override
    public ServerResponseTrailers trailers() {
        return response.trailers();
    }

    @Override
    public void streamResult(String result) {
        response.streamResult(result);
    }

    @Override
    public void streamFilter(UnaryOperator<OutputStream> filterFunction) {
        response.streamFilter(filterFunction);
    }
}
