package io.example.benchmarks;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;

import io.helidon.common.socket.SocketOptions;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.Proxy;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;

/**
 * The ceiling for the gateway's pass-through: the least a Helidon SE server can do to forward a GET —
 * no filters, no metrics, no header policy, no error mapping. The benchmark compares the gateway with
 * the cache off against this on the same machine.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.example.benchmarks.BareProxy 9090 http://localhost:8082}
 */
public final class BareProxy {
    private BareProxy() {
    }

    /**
     * @param args listen port, target base URL
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Http1Client target = Http1Client.builder()
                .baseUri(args[1])
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(10))
                .proxy(Proxy.noProxy())
                .socketOptions(SocketOptions.builder().tcpNoDelay(true).build())
                .build();
        WebServer.builder()
                .port(port)
                .connectionOptions(options -> options.tcpNoDelay(true))
                .routing(routing -> routing.get("/*", (req, res) -> {
                    String query = req.query().rawValue();
                    try (HttpClientResponse answer = target.get()
                            .skipUriEncoding(true)
                            .uri(URI.create(req.path().rawPath() + (query.isEmpty() ? "" : "?" + query)))
                            .request()) {
                        res.status(answer.status());
                        for (Header header : answer.headers()) {
                            if (!header.headerName().equals(HeaderNames.CONTENT_LENGTH)
                                    && !header.headerName().equals(HeaderNames.TRANSFER_ENCODING)
                                    && !header.headerName().equals(HeaderNames.CONNECTION)) {
                                res.headers().set(header);
                            }
                        }
                        // as the gateway does: a known-length body in one piece, anything else streamed
                        long length = answer.headers().contentLength().orElse(-1);
                        try (InputStream in = answer.inputStream()) {
                            if (length >= 0 && length <= 64 * 1024) {
                                res.send(in.readNBytes((int) length));
                            } else {
                                try (OutputStream out = res.outputStream()) {
                                    in.transferTo(out);
                                }
                            }
                        }
                    }
                }))
                .build()
                .start();
        System.out.println("bare proxy on " + port + " -> " + args[1]);
    }
}
