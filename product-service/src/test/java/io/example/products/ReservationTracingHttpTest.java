package io.example.products;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.RecordedSpans;
import io.example.commons.testing.TestHttp;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reservation and a release called with the caller's trace context make one tree under it: the request's
 * server span, the {@code reserve stock} (or {@code release stock}) span, and under that the statements that
 * move the stock, without the values they bind.
 */
@ServerTest
class ReservationTracingHttpTest {
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static FakeAuthServer auth;
    private static RecordedSpans spans;

    private final TestHttp http;

    ReservationTracingHttpTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        spans = RecordedSpans.start();
        auth = FakeAuthServer.start();
        ProductServiceUnderTest.configure(server, auth);
    }

    @AfterAll
    static void stop() {
        spans.close();
        auth.close();
    }

    @Test
    void aReservationAndItsReleaseAreSpansUnderTheCallersTraceWithTheirStatements() {
        String productId = product();
        String orderId = "order-" + UUID.randomUUID();

        String reserveTrace = newTraceId();
        HttpResponse<String> reserved = send("POST", "/internal/reservations", reserveTrace,
                "{\"orderId\":\"" + orderId + "\",\"items\":[{\"productId\":\"" + productId + "\",\"quantity\":2}]}");
        assertThat(reserved.statusCode()).isEqualTo(201);
        SpanData reserve = assertStockMovedInTree(reserveTrace, "POST /internal/reservations", "reserve stock", productId);
        assertThat(reserve.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo(orderId);

        String releaseTrace = newTraceId();
        assertThat(send("DELETE", "/internal/reservations/" + orderId, releaseTrace, null).statusCode()).isEqualTo(204);
        assertStockMovedInTree(releaseTrace, "DELETE /internal/reservations", "release stock", productId);
    }

    // server span under the caller's, the step under it, the stock's UPDATE under the step; the step is returned
    private SpanData assertStockMovedInTree(String traceId, String route, String step, String productId) {
        SpanData server = spans.await(span -> span.getTraceId().equals(traceId) && span.getKind() == SpanKind.SERVER);
        assertThat(server.getName()).startsWith(route);
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);

        SpanData work = spans.await(span -> span.getTraceId().equals(traceId) && span.getName().equals(step));
        assertThat(work.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(work.getParentSpanId()).isEqualTo(server.getSpanId());

        SpanData update = spans.await(span -> span.getParentSpanId().equals(work.getSpanId())
                                                && span.getName().equals("UPDATE products"));
        assertThat(update.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(update.getAttributes().get(AttributeKey.stringKey("db.query.text")))
                .contains("UPDATE products SET").contains("?").doesNotContain(productId);
        assertThat(update.getAttributes().get(AttributeKey.stringKey("db.collection.name"))).isEqualTo("products");
        return work;
    }

    private String product() {
        HttpResponse<String> created = http.postJson("/api/products",
                "{\"sku\":\"T-" + UUID.randomUUID() + "\",\"name\":\"Traced\",\"description\":\"d\",\"category\":\"books\","
                        + "\"price\":3.00,\"currency\":\"EUR\",\"stock\":10}", auth.token("admin-1", "ADMIN"));
        assertThat(created.statusCode()).isEqualTo(201);
        Matcher id = Pattern.compile("\"id\":\"([^\"]*)\"").matcher(created.body());
        assertThat(id.find()).isTrue();
        return id.group(1);
    }

    private HttpResponse<String> send(String method, String path, String traceId, String json) {
        HttpRequest.Builder builder = http.request(path)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + auth.serviceToken("order-service", "inventory"))
                .header("traceparent", "00-" + traceId + "-" + CALLER_SPAN + "-01");
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return http.send(builder);
    }

    private static String newTraceId() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
