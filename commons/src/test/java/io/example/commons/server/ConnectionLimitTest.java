package io.example.commons.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.example.commons.testing.TestConfig;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service holds at most so many connections at once and keeps listening past that: a client that opens
 * connections until the process runs out of file descriptors used to end Helidon's listener for good.
 */
class ConnectionLimitTest {
    @Test
    void withoutConfigurationTheLimitIsHalfTheOpenFileLimit() {
        assertThat(ConnectionLimit.fromOpenFileLimit(20_000)).isEqualTo(10_000);
        assertThat(ConnectionLimit.fromOpenFileLimit(1)).isEqualTo(1);
        assertThat(ConnectionLimit.fromOpenFileLimit(-1)).isEqualTo(-1);
        assertThat(ConnectionLimit.of(TestConfig.of(Map.of("server.max-tcp-connections", "7")).get("server"))).isEqualTo(7);
    }

    @Test
    void everyServiceServerHasTheLimit() {
        long openFiles = ((com.sun.management.UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        WebServerConfig.Builder server = WebServer.builder();
        ServiceServer.configure(server, TestConfig.of(Map.of("server.port", "0")), routing -> { }, List.of());

        assertThat(server.buildPrototype().maxTcpConnections()).isEqualTo(openFiles / 2).isPositive();
    }

    @Test
    @Timeout(30)
    void connectionsOverTheLimitWaitAndAreServedOnceOthersClose() throws Exception {
        WebServer server = ServiceServer.start(TestConfig.of(Map.of("server.port", "0", "server.max-tcp-connections", "3")),
                                               routing -> routing.get("/things", (req, res) -> res.send("ok")),
                                               List.of());
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Socket socket = new Socket("localhost", server.port());
                assertThat(get(socket)).startsWith("HTTP/1.1 200");
                idle.add(socket);
            }
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> {
                try (Socket fourth = new Socket("localhost", server.port())) {
                    return get(fourth);
                } catch (IOException e) {
                    return e.toString();
                }
            });

            Thread.sleep(1_000);
            assertThat(waiting).as("the fourth connection is not served while three are held").isNotDone();

            idle.getFirst().close();
            assertThat(waiting.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 200");
            assertThat(server.isRunning()).isTrue();
        } finally {
            for (Socket socket : idle) {
                socket.close();
            }
            server.stop();
        }
    }

    // one keep-alive GET on the socket; the status line and headers of its answer
    private static String get(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write("GET /things HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        // the body, "ok"
        in.readNBytes(2);
        return head.toString();
    }
}
