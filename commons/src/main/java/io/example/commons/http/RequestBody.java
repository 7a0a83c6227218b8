package io.example.commons.http;

import java.io.IOException;
import java.io.InputStream;

import io.example.commons.server.RequestFraming;

import io.helidon.http.RequestException;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerRequest;

/**
 * The one way a service reads a whole request body: what its JSON binding parses and what the gateway
 * forwards. A body that is not framed as its headers say is a 400 and one over the payload limit a 413, and
 * the connection is closed after either answer, never a 500.
 */
public final class RequestBody {
    private RequestBody() {
    }

    /**
     * Read the whole body (at most the server's payload limit). A body that breaks off or is framed wrongly (a
     * bad chunk size) fails inside the server; the stream is then left unclosed, because closing it would read
     * on into whatever the client sends next.
     *
     * @param request the request
     * @return the body's bytes
     * @throws ProblemException 400 or 413, closing the connection
     */
    public static byte[] readAll(ServerRequest request) {
        InputStream in = request.content().inputStream();
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (RequestException e) {
            throw e.status() == Status.REQUEST_ENTITY_TOO_LARGE_413
                    ? PayloadLimit.of(request).exceeded()
                    : RequestFraming.refused("The request body is not framed as its headers say.");
        } catch (IOException | RuntimeException e) {
            throw RequestFraming.refused("The request body is not framed as its headers say.");
        }
        try {
            in.close();
        } catch (IOException e) {
            // fully read already
        }
        return bytes;
    }
}
