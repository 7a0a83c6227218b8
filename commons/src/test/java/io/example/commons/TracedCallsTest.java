package io.example.commons;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.example.commons.client.ServiceClients;
import io.example.commons.http.QueryParameters;
import io.example.commons.http.Routes;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.RecordedSpans;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request that calls another service, with spans recorded: one trace, continued from the caller's
 * {@code traceparent}, with each hop's span under the one before, and its ids in logs and problems.
 */
@ServerTest
class TracedCallsTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final RecordedSpans SPANS = RecordedSpans.start();
    private static WebServer backend;
    private static Http1Client stock;
    private final TestHttp http;

    TracedCallsTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        // the service called: set up as every service is, in the same JVM so its spans are recorded too
        WebServerConfig.Builder backendServer = WebServer.builder();
        ServiceServer.configure(backendServer, TestConfig.of(Map.of("server.port", "0")),
                                routing -> routing.register("/stock", rules -> Routes.create()
                                        .get("/{sku}", (req, res) -> res.send("7"))
                                        .register(rules)), List.of());
        backend = backendServer.build().start();
        stock = ServiceClients.create("http://localhost:" + backend.port(),
                                                  Duration.ofSeconds(2), Duration.ofSeconds(5));
        Http1Client nowhere = ServiceClients.create("http://localhost:" + closedPort(),
                                                    Duration.ofSeconds(2), Duration.ofSeconds(5));
        ServiceServer.configure(server, TestConfig.of(Map.of("server.port", "0")),
                                routing -> routing.register("/shop", rules -> Routes.create()
                                        // a route that takes a query: what a client puts in one is never recorded
                                        .getWithQuery("/{sku}", (req, res) -> {
                                            QueryParameters.of(req.query(), Set.of("token")).validated();
                                            try (HttpClientResponse answer = stock.get("/stock/" + req.path()
                                                    .pathParameters().get("sku")).queryParam("token", "secret-1").request()) {
                                                res.send(answer.as(String.class));
                                            }
                                        })
                                        .get("/broken/{n}", (req, res) -> {
                                            try (HttpClientResponse answer = nowhere.get("/stock/1").request()) {
                                                res.send(answer.as(String.class));
                                            }
                                        })
                                        .register(rules)), List.of());
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        backend.stop();
        SPANS.close();
    }

    @BeforeEach
    void forget() {
        SPANS.clear();
    }

    @Test
    void eachHopIsASpanUnderTheOneBeforeInTheCallersTrace() {
        HttpResponse<String> response = http.send(http.request("/shop/sku-9?token=secret-2")
                                                           .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01"));

        assertThat(response.statusCode()).isEqualTo(200);
        SpanData shop = SPANS.await(span -> span.getName().equals("GET /shop/{sku}"));
        SpanData call = SPANS.await(span -> span.getKind() == SpanKind.CLIENT);
        SpanData stock = SPANS.await(span -> span.getName().equals("GET /stock/{sku}"));
        assertThat(List.of(shop, call, stock)).allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE));
        assertThat(shop.getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(shop.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(call.getParentSpanId()).isEqualTo(shop.getSpanId());
        assertThat(call.getName()).isEqualTo("GET");
        assertThat(stock.getParentSpanId()).isEqualTo(call.getSpanId());
        assertThat(shop.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/shop/{sku}");
        assertThat(shop.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(call.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/stock/sku-9");
        // a query may carry anything a client sent: it is never recorded
        assertThat(SPANS.all()).allSatisfy(span -> assertThat(span.getAttributes().toString()).doesNotContain("secret"));
    }

    @Test
    void aRequestWithoutTraceContextStartsATraceAndItsProblemNamesIt() {
        HttpResponse<String> response = http.send(http.request("/shop"));

        assertThat(response.statusCode()).isEqualTo(404);
        SpanData unmatched = SPANS.await(span -> span.getKind() == SpanKind.SERVER);
        assertThat(unmatched.getName()).isEqualTo("GET");
        assertThat(unmatched.getParentSpanContext().isValid()).isFalse();
        assertThat(response.body()).contains("\"traceId\":\"" + unmatched.getTraceId() + "\"");
    }

    @Test
    void probesScrapesAndTimersStartNoTrace() {
        assertThat(http.get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(http.get("/metrics").statusCode()).isEqualTo(200);
        // a call made on behalf of no request, as a key refresh or a sweep makes them: marked not sampled, so
        // the service it calls records nothing either
        try (HttpClientResponse answer = stock.get("/stock/timer").request()) {
            assertThat(answer.status().code()).isEqualTo(200);
        }

        http.get("/shop/sku-3");

        // a server span ends once its answer is sent: the callee's may end after the caller's
        SPANS.await(span -> span.getName().equals("GET /shop/{sku}"));
        SPANS.await(span -> span.getName().equals("GET /stock/{sku}"));
        assertThat(SPANS.all()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("GET /shop/{sku}", "GET", "GET /stock/{sku}");
    }

    @Test
    void aCallerThatRefusesTracingInB3IsNotTracedHereOrAfter() {
        HttpResponse<String> refused = http.send(http.request("/shop/sku-5").header("b3", "0"));
        HttpResponse<String> refusedInMultiHeaders = http.send(http.request("/shop/sku-6").header("x-b3-sampled", "0"));
        http.get("/shop/sku-7");

        assertThat(refused.statusCode()).isEqualTo(200);
        assertThat(refusedInMultiHeaders.statusCode()).isEqualTo(200);
        SPANS.await(span -> span.getName().equals("GET /shop/{sku}"));
        SPANS.await(span -> span.getName().equals("GET /stock/{sku}"));
        // only the third request's spans: neither this service nor the one it called recorded the first two
        assertThat(SPANS.all()).extracting(SpanData::getName)
                .containsExactlyInAnyOrder("GET /shop/{sku}", "GET", "GET /stock/{sku}");
        assertThat(SPANS.all()).allSatisfy(span -> assertThat(span.getAttributes().get(AttributeKey.stringKey("url.path")))
                .isIn(null, "/shop/sku-7", "/stock/sku-7"));
    }

    @Test
    void aFailingCallIsAnErrorSpan() {
        HttpResponse<String> response = http.send(http.request("/shop/broken/1"));

        assertThat(response.statusCode()).isEqualTo(500);
        SpanData call = SPANS.await(span -> span.getKind() == SpanKind.CLIENT);
        assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        SpanData shop = SPANS.await(span -> span.getName().equals("GET /shop/broken/{n}"));
        assertThat(shop.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    }
}
