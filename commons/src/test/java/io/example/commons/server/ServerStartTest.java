package io.example.commons.server;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import io.example.commons.testing.TestConfig;

import io.helidon.webserver.WebServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A server that cannot take its port fails the start: Helidon alone logs the error and hands back a server that
 * is not running, and a service's {@code main} then returned and its process ended with 0, as if stopped.
 */
class ServerStartTest {
    @Test
    void aPortInUseFailsTheStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            String port = Integer.toString(taken.getLocalPort());

            assertThatThrownBy(() -> ServiceServer.start(TestConfig.of(Map.of("server.port", port)),
                                                         routing -> routing.get("/things", (req, res) -> res.send("ok")),
                                                         List.of()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("The server did not start on port " + port + "; the reason is logged above");
        }
    }

    @Test
    void aFreePortStartsTheServer() {
        WebServer server = ServiceServer.start(TestConfig.of(Map.of("server.port", "0")),
                                               routing -> routing.get("/things", (req, res) -> res.send("ok")),
                                               List.of());
        try {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isPositive();
        } finally {
            server.stop();
        }
    }
}
