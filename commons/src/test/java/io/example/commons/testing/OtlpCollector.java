package io.example.commons.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import com.sun.net.httpserver.HttpServer;

/**
 * An OTLP/HTTP endpoint on a free port, as a collector would be: it reads each export of spans and answers 200.
 * What arrived goes to the caller as {@code "<Content-Type> <body>"} (the protobuf body read as ISO-8859-1, so
 * its strings can be searched), or nowhere. The e2e tests decode exports; this one only receives them.
 */
public final class OtlpCollector implements AutoCloseable {
    private final HttpServer server;

    private OtlpCollector(HttpServer server) {
        this.server = server;
    }

    /**
     * @param exports given each export as it arrives
     * @return the collector, listening
     */
    public static OtlpCollector start(Consumer<String> exports) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/traces", exchange -> {
                try (InputStream body = exchange.getRequestBody()) {
                    exports.accept(exchange.getRequestHeaders().getFirst("Content-Type") + " "
                                           + new String(body.readAllBytes(), StandardCharsets.ISO_8859_1));
                }
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.start();
            return new OtlpCollector(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @return its base URL, the value of {@code OTEL_EXPORTER_OTLP_ENDPOINT}
     */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
