package io.example.commons.observe;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import io.example.commons.http.Routes;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access log line of a request is written from the path as the client sent it: an encoded line break or
 * terminal escape stays encoded, so no client can forge a log line or colour an operator's terminal.
 */
@ServerTest
class AccessLogLineTest {
    // held here: the logging framework keeps loggers only weakly, and the handler must stay on this one
    private final Logger access = Logger.getLogger("access");
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage() == null ? "" : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final TestHttp http;

    AccessLogLineTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config config = TestConfig.of(Map.of("server.port", "0"));
        ServiceServer.configure(server, config, routing -> routing.register("/things", rules -> Routes.create()
                .get("/{id}", (req, res) -> res.send(Map.of("id", req.path().pathParameters().get("id"))))
                .register(rules)), List.of());
    }

    // after the server's start, which reads the logging configuration anew and would drop it
    @BeforeEach
    void capture() {
        access.addHandler(capture);
    }

    @AfterEach
    void release() {
        access.removeHandler(capture);
    }

    @Test
    void encodedControlCharactersStayEncodedInTheAccessLog() throws InterruptedException {
        http.get("/things/x%0D%0AGET%20/forged%20200%1B%5B31m");

        String line = awaitLineContaining("/things/");
        assertThat(line).contains("/things/x%0D%0AGET%20/forged%20200%1B%5B31m");
        assertThat(line.chars().noneMatch(Character::isISOControl)).as(line).isTrue();
    }

    private String awaitLineContaining(String text) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            for (String line : lines) {
                if (line.contains(text)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no access log line containing " + text + " in " + lines);
    }
}
