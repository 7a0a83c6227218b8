package io.example.auth;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.example.commons.db.Database;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.RecordedSpans;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A login's password check is a {@code hash password} span of the login's trace, and no span of a registration or
 * a login holds the email or the password.
 */
@ServerTest
class PasswordTracingHttpTest {
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static RecordedSpans spans;

    private final TestHttp http;

    PasswordTracingHttpTest(URI uri) {
        this.http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        spans = RecordedSpans.start();
        Config config = TestConfig.of(Map.of("server.port", "0", "db.url", TestDatabases.h2Url()));
        Database database = Database.start(config.get("db"), "auth-service");
        ServiceServer.configure(server, config, routing -> Main.routing(routing, config, database),
                                List.of(database.readiness()));
    }

    @AfterAll
    static void stop() {
        spans.close();
    }

    @Test
    void theLoginsPasswordCheckIsASpanOfItsTraceAndNoSpanHoldsTheEmailOrThePassword() {
        String email = "ada-" + UUID.randomUUID() + "@example.com";
        String password = "Analytical-engine-" + UUID.randomUUID();
        assertThat(post("/api/auth/register", newTraceId(),
                        "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"name\":\"Ada\"}").statusCode())
                .isEqualTo(201);
        String loginTrace = newTraceId();
        assertThat(post("/api/auth/login", loginTrace, "{\"email\":\"" + email + "\",\"password\":\"" + password + "\"}")
                           .statusCode()).isEqualTo(200);

        SpanData login = spans.await(span -> span.getTraceId().equals(loginTrace) && span.getKind() == SpanKind.SERVER);
        assertThat(login.getName()).isEqualTo("POST /api/auth/login");
        SpanData hash = spans.await(span -> span.getTraceId().equals(loginTrace) && span.getName().equals("hash password"));
        assertThat(hash.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(hash.getParentSpanId()).isEqualTo(login.getSpanId());
        assertThat(spans.all()).extracting(SpanData::getName).contains("INSERT users");
        assertThat(spans.all()).flatExtracting(span -> List.copyOf(span.getAttributes().asMap().values()))
                .allSatisfy(value -> assertThat(value.toString()).doesNotContain(email).doesNotContain(password));
    }

    private HttpResponse<String> post(String path, String traceId, String json) {
        return http.send(http.request(path)
                                 .header("Content-Type", "application/json")
                                 .header("traceparent", "00-" + traceId + "-" + CALLER_SPAN + "-01")
                                 .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
