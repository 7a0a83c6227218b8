package io.example.commons;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.example.commons.client.ServiceClients;
import io.example.commons.http.Json;
import io.example.commons.http.QueryParameters;
import io.example.commons.http.Routes;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The common HTTP behaviour of the contract, against a real server set up exactly as the services are.
 */
@ServerTest
class CommonHttpBehaviourTest {
    // JSON-B binds public records only
    public record Thing(String name, Integer count) {
    }

    private static final Map<String, String> BACKEND_SAW = new ConcurrentHashMap<>();
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String CALLER_SPAN = "b7ad6b7169203331";
    private static WebServer backend;
    private final TestHttp http;

    CommonHttpBehaviourTest(URI uri) {
        http = new TestHttp(uri.toString());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        // the backend /relay calls: a plain server, not one set up as a service's
        backend = WebServer.builder().port(0).routing(routing -> routing.get("/seen", (req, res) -> {
            req.headers().forEach(h -> BACKEND_SAW.put(h.name().toLowerCase(), h.values()));
            res.send("ok");
        })).build().start();
        Http1Client backendClient = ServiceClients.create("http://localhost:" + backend.port(),
                                                        Duration.ofSeconds(2), Duration.ofSeconds(5));
        Config config = TestConfig.of(Map.of("server.port", "0"));
        ServiceServer.configure(server, config, routing -> routing.register("/things", rules -> Routes.create()
                .post("/", (req, res) -> {
                    Thing thing = Json.read(req, Thing.class);
                    res.status(Status.CREATED_201).send(thing);
                })
                .get("/one", (req, res) -> res.send(new Thing("one", 1)))
                .getWithQuery("/named", (req, res) -> {
                    QueryParameters query = QueryParameters.of(req.query(), Set.of("name"));
                    String name = query.text("name", 10).orElse("none");
                    query.validated();
                    res.send(new Thing(name, 1));
                })
                .get("/all", (req, res) -> res.send(List.of(new Thing("one", 1), new Thing("two", 2))))
                .get("/boom", (req, res) -> {
                    throw new IllegalStateException("select password from users where id = 1");
                })
                .get("/relay", (req, res) -> {
                    try (HttpClientResponse answer = backendClient.get("/seen").request()) {
                        res.send(answer.as(String.class));
                    }
                })
                .register(rules)), List.of());
    }

    @AfterAll
    static void stop() {
        backend.stop();
    }

    @Test
    void validJsonIsBoundToARecord() {
        HttpResponse<String> response = http.postJson("/things", "{\"name\":\"a\",\"count\":2}", null);

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"name\":\"a\"").contains("\"count\":2");
    }

    @Test
    void recordsAndListsAreSentAsJsonWithAContentLength() {
        for (String path : List.of("/things/one", "/things/all")) {
            HttpResponse<String> response = http.get(path);

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
            assertThat(response.headers().firstValueAsLong("Content-Length"))
                    .hasValue(response.body().getBytes(StandardCharsets.UTF_8).length);
        }
        assertThat(http.get("/things/all").body()).isEqualTo("[{\"count\":1,\"name\":\"one\"},{\"count\":2,\"name\":\"two\"}]");
    }

    @Test
    void anAcceptHeaderThatExcludesJsonIs406AndOneThatAllowsItIsServed() {
        assertProblem(http.send(http.request("/things/one").header("Accept", "text/html")), 406);
        assertProblem(http.send(http.request("/things/one").header("Accept", "application/json;q=0, text/plain")), 406);

        assertThat(http.send(http.request("/things/one").header("Accept", "text/html, */*;q=0.8")).statusCode())
                .isEqualTo(200);
        assertThat(http.send(http.request("/things/one").header("Accept", "application/*")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void unknownPathIsProblem404() {
        HttpResponse<String> response = http.get("/nowhere");

        assertProblem(response, 404);
    }

    @Test
    void wrongMethodOnKnownPathIs405WithAllow() {
        HttpResponse<String> response = http.send(http.request("/things").DELETE());

        assertProblem(response, 405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    }

    // a query a route does not read would be served as if absent, and each new one would be a new entry in the
    // gateway's cache
    @ParameterizedTest
    @ValueSource(strings = {"/things/one?x=1", "/things/one?x", "/things/one?name=one", "/things/one?%41=1",
            "/things?x=1"})
    void aQueryOnARouteThatTakesNoneIs400(String pathAndQuery) {
        HttpResponse<String> response = pathAndQuery.startsWith("/things?")
                ? http.postJson(pathAndQuery, "{\"name\":\"one\"}", null)
                : http.get(pathAndQuery);

        assertProblem(response, 400);
        assertThat(response.body()).contains("is not a parameter of this route");
    }

    @Test
    void aRouteThatTakesAQueryReadsItAndRefusesWhatItDoesNotTake() {
        assertThat(http.get("/things/one").statusCode()).isEqualTo(200);
        assertThat(http.get("/things/one?").statusCode()).isEqualTo(200);
        assertThat(http.get("/things/named?name=two").body()).contains("\"name\":\"two\"");

        HttpResponse<String> unknown = http.get("/things/named?name=two&other=1");

        assertProblem(unknown, 400);
        assertThat(unknown.body()).contains("\"field\":\"other\"").doesNotContain("\"field\":\"name\"");
    }

    @Test
    void malformedJsonIs400() {
        HttpResponse<String> response = http.postJson("/things", "{\"name\":", null);

        assertProblem(response, 400);
    }

    @Test
    void wrongTypeIs400WithoutClassNames() {
        HttpResponse<String> response = http.postJson("/things", "{\"name\":\"a\",\"count\":\"many\"}", null);

        assertProblem(response, 400);
        assertThat(response.body()).doesNotContain("java.", "Integer", "Exception");
    }

    @Test
    void jsonNullOrMissingBodyIs400() {
        assertProblem(http.postJson("/things", "null", null), 400);
        assertProblem(http.send(http.request("/things").header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.noBody())), 400);
    }

    @Test
    void nonJsonMediaTypeIs415() {
        HttpResponse<String> response = http.send(http.request("/things").header("Content-Type", "text/plain")
                                                           .POST(HttpRequest.BodyPublishers.ofString("name=a")));

        assertProblem(response, 415);
    }

    // RFC 7694: a content coding the server does not decode is a 415 that names the codings it takes
    @ParameterizedTest
    @ValueSource(strings = {"gzip", "br", "identity", "x-made-up"})
    void aContentEncodedBodyIs415NamingNoCoding(String coding) {
        HttpResponse<String> response = http.send(http.request("/things").header("Content-Type", "application/json")
                                                           .header("Content-Encoding", coding)
                                                           .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\"}")));

        assertProblem(response, 415);
        assertThat(response.headers().firstValue("Accept-Encoding")).hasValue("identity");
        assertThat(response.body()).contains("Content-Encoding");
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\"}";

        HttpResponse<String> response = http.postJson("/things", big, null);

        assertProblem(response, 413);
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() {
        HttpResponse<String> response = http.get("/things/boom");

        assertProblem(response, 500);
        assertThat(response.body()).doesNotContain("select", "IllegalState", "password");
    }

    @Test
    void incomingRequestIdIsKeptAndReturned() {
        HttpResponse<String> response = http.send(http.request("/nowhere").header("X-Request-Id", "abc-123"));

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Az09._:-", "0af7651916cd43dd8448eb211c80319c:b7ad6b7169203331"})
    void safeRequestIdsAreKept(String id) {
        HttpResponse<String> response = http.send(http.request("/nowhere").header("X-Request-Id", id));

        assertThat(response.headers().firstValue("X-Request-Id")).hasValue(id);
    }

    @Test
    void requestIdOf128CharactersIsKeptAnd129IsReplaced() {
        String longest = "r".repeat(128);

        assertThat(http.send(http.request("/nowhere").header("X-Request-Id", longest))
                           .headers().firstValue("X-Request-Id")).hasValue(longest);
        assertThat(http.send(http.request("/nowhere").header("X-Request-Id", longest + "r"))
                           .headers().firstValue("X-Request-Id")).get().asString().hasSize(36);
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words", "<script>", "a/b", "id\u00e9", "rid;x=1", "a,b"})
    void unsafeRequestIdsAreReplaced(String id) {
        HttpResponse<String> response = http.send(http.request("/nowhere").header("X-Request-Id", id));

        assertThat(response.headers().firstValue("X-Request-Id")).get().asString()
                .hasSize(36).isNotEqualTo(id);
    }

    @Test
    void missingRequestIdIsGenerated() {
        HttpResponse<String> response = http.get("/health/live");

        assertThat(response.headers().firstValue("X-Request-Id")).get().asString().hasSize(36);
    }

    // nothing recorded here (no exporter): the call carries the caller's context on, so the callee's sidecar
    // hangs its span under the caller's; TracedCallsTest covers a service that records spans
    @Test
    void outgoingCallsCarryTheIncomingTraceOnInW3cAndB3() {
        BACKEND_SAW.clear();
        HttpResponse<String> response = http.send(http.request("/things/relay")
                                                           .header("X-Request-Id", "rid-1")
                                                           .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01")
                                                           .header("tracestate", "vendor=opaque")
                                                           .header("x-b3-parentspanid", "e457b5a2e4d86bd1"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(BACKEND_SAW.get("x-request-id")).isEqualTo("rid-1");
        assertThat(BACKEND_SAW.get("traceparent")).isEqualTo("00-" + TRACE + "-" + CALLER_SPAN + "-01");
        assertThat(BACKEND_SAW.get("tracestate")).isEqualTo("vendor=opaque");
        assertThat(BACKEND_SAW.get("x-b3-traceid")).isEqualTo(TRACE);
        assertThat(BACKEND_SAW.get("x-b3-spanid")).isEqualTo(CALLER_SPAN);
        assertThat(BACKEND_SAW.get("x-b3-sampled")).isEqualTo("1");
        assertThat(BACKEND_SAW.get("b3")).isEqualTo(TRACE + "-" + CALLER_SPAN + "-1");
        // B3 says which span is the parent through the span id: a parent id from further up names the wrong one
        assertThat(BACKEND_SAW).doesNotContainKey("x-b3-parentspanid");
    }

    @Test
    void aTraceStartedByAZipkinSidecarIsContinued() {
        BACKEND_SAW.clear();
        HttpResponse<String> response = http.send(http.request("/things/relay")
                                                           .header("x-b3-traceid", TRACE)
                                                           .header("x-b3-spanid", CALLER_SPAN)
                                                           .header("x-b3-sampled", "0"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(BACKEND_SAW.get("traceparent")).startsWith("00-" + TRACE + "-").endsWith("-00");
        assertThat(BACKEND_SAW.get("x-b3-sampled")).isEqualTo("0");
    }

    @Test
    void aProblemNamesTheRequestAndTheTraceItContinues() {
        HttpResponse<String> response = http.send(http.request("/no-such-path")
                                                           .header("X-Request-Id", "rid-2")
                                                           .header("traceparent", "00-" + TRACE + "-" + CALLER_SPAN + "-01"));

        assertProblem(response, 404);
        assertThat(response.body()).contains("\"requestId\":\"rid-2\"").contains("\"traceId\":\"" + TRACE + "\"");
    }

    @Test
    void healthAnswersJsonStatus() {
        HttpResponse<String> live = http.get("/health/live");
        HttpResponse<String> ready = http.get("/health/ready");

        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"status\":\"UP\"");
    }

    @Test
    void metricsArePrometheusTextPerRouteAndStatus() {
        http.postJson("/things", "{\"name\":\"a\"}", null);

        HttpResponse<String> metrics = http.send(http.request("/metrics").header("Accept", "text/plain"));

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("http_server_requests_seconds_count{method=\"POST\",route=\"/things\"")
                .contains("status=\"201\"");
    }

    // every problem names its request (the id the response carries) and a trace, whichever path answered it
    private static void assertProblem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status).contains("\"title\":").contains("\"type\":")
                .contains("\"detail\":")
                .contains("\"requestId\":\"" + response.headers().firstValue("X-Request-Id").orElseThrow() + "\"")
                .containsPattern("\"traceId\":\"(?!0{32})[0-9a-f]{32}\"");
    }
}
