package io.example.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's cache of public product reads against a fake product service that counts its calls.
 * Every test reads its own product ids or queries, so the tests do not share entries.
 */
@ServerTest
class ProductCacheTest {
    private static FakeServices services;
    private static String adminToken;
    private final GatewayClient gateway;

    ProductCacheTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        services = FakeServices.start();
        services.configure(server, Map.of("cache.ttl.seconds", "60"));
        adminToken = services.tokens.token("admin-1", "ADMIN");
        services.products.on("GET", "*", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"path\":\"" + req.path().rawPath() + "\",\"query\":\"" + req.query().rawValue()
                             + "\",\"stock\":3}");
        });
        services.products.json("GET", "/api/products/missing", 404,
                               "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}");
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void aReadMissesThenHitsWithTheSameBodyAndETag() {
        String path = "/api/products/" + newId();

        HttpResponse<String> first = gateway.get(path);
        HttpResponse<String> second = gateway.get(path);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(first.headers().firstValue("ETag")).hasValueSatisfying(
                etag -> assertThat(etag).matches("\"[A-Za-z0-9_-]{43}\""));
        assertThat(second.headers().firstValue("ETag")).isEqualTo(first.headers().firstValue("ETag"));
        assertThat(second.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(second.headers().firstValue("Age")).isPresent();
        assertThat(gateway.products.count("GET", path)).isEqualTo(1);
    }

    @Test
    void aHeadIsAnsweredFromTheCacheWithTheGetsHeadersAndNoBody() {
        String path = "/api/products/" + newId();
        HttpResponse<String> get = gateway.get(path);
        String etag = get.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> head = gateway.head(path);
        HttpResponse<String> unchanged = gateway.head(path, "If-None-Match", etag);

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(get.body().length()));
        assertThat(head.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(head.headers().firstValue("ETag")).hasValue(etag);
        assertThat(head.headers().firstValue("Cache-Control")).hasValue("public, max-age=60");
        assertThat(head.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(gateway.products.count("GET", path)).isEqualTo(1);
    }

    @Test
    void aHeadThatMissesLoadsTheGetsAnswerWhichTheNextGetIsServed() {
        String path = "/api/products/" + newId();

        HttpResponse<String> head = gateway.head(path);
        HttpResponse<String> get = gateway.get(path);

        assertThat(head.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(get.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(get.body()).contains("\"path\":\"" + path + "\"");
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(get.body().length()));
        assertThat(gateway.products.count("GET", path)).isEqualTo(1);
        assertThat(gateway.products.count("HEAD", path)).isZero();
    }

    @Test
    void aClientThatAcceptsNoJsonGets406EvenWhenTheAnswerIsCached() {
        String path = "/api/products/" + newId();
        assertThat(gateway.get(path).statusCode()).isEqualTo(200);

        HttpResponse<String> html = gateway.get(path, "Accept", "text/html");
        HttpResponse<String> noJson = gateway.get(path, "Accept", "application/json;q=0");

        assertThat(html.statusCode()).isEqualTo(406);
        assertThat(html.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(noJson.statusCode()).isEqualTo(406);
        assertThat(gateway.get(path, "Accept", "application/*").headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(gateway.products.count("GET", path)).isEqualTo(1);
    }

    @Test
    void listsAndCategoriesAreCachedByPathAndQuery() {
        String query = "?q=" + newId();

        gateway.get("/api/products" + query);
        HttpResponse<String> again = gateway.get("/api/products" + query);
        HttpResponse<String> otherQuery = gateway.get("/api/products" + query + "&limit=5");
        gateway.get("/api/products/categories");
        HttpResponse<String> categories = gateway.get("/api/products/categories");

        assertThat(again.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(otherQuery.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(otherQuery.body()).contains("limit=5");
        assertThat(categories.headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void aMatchingIfNoneMatchGets304OnAHitAndOnAMiss() {
        String path = "/api/products/" + newId();
        HttpResponse<String> first = gateway.get(path);
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> onHit = gateway.get(path, "If-None-Match", etag);
        gateway.send("PUT", path, adminToken, "{}");
        HttpResponse<String> onMiss = gateway.get(path, "If-None-Match", "\"other\", W/" + etag);

        assertThat(onHit.statusCode()).isEqualTo(304);
        assertThat(onHit.body()).isEmpty();
        assertThat(onHit.headers().firstValue("ETag")).hasValue(etag);
        assertThat(onHit.headers().firstValue("X-Cache")).hasValue("HIT");
        assertThat(onMiss.statusCode()).isEqualTo(304);
        assertThat(onMiss.headers().firstValue("X-Cache")).hasValue("MISS");
        // the backend was asked for the full answer, not conditionally
        assertThat(gateway.products.requests()).filteredOn(seen -> seen.path().equals(path))
                .allSatisfy(seen -> assertThat(seen.header("If-None-Match")).isNull());
    }

    @Test
    void aStaleETagGetsTheBody() {
        String path = "/api/products/" + newId();
        gateway.get(path);

        HttpResponse<String> response = gateway.get(path, "If-None-Match", "\"not-the-etag\"");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains(path);
    }

    @Test
    void aProductWriteDropsListsCategoriesAndThatProductOnly() {
        String written = "/api/products/" + newId();
        String untouched = "/api/products/" + newId();
        String list = "/api/products?q=" + newId();
        for (String path : List.of(written, untouched, list, "/api/products/categories")) {
            gateway.get(path);
        }

        HttpResponse<String> put = gateway.send("PUT", written, adminToken, "{\"name\":\"new\"}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(gateway.get(written).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(gateway.get(list).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(gateway.get("/api/products/categories").headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(gateway.get(untouched).headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void creatingAndDeletingProductsDropTheLists() {
        String list = "/api/products?q=" + newId();
        String deleted = "/api/products/" + newId();
        gateway.get(list);
        gateway.get(deleted);

        gateway.send("POST", "/api/products", adminToken, "{}");
        HttpResponse<String> afterCreate = gateway.get(list);
        gateway.send("DELETE", deleted, adminToken, null);

        assertThat(afterCreate.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(gateway.get(deleted).headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(gateway.get(list).headers().firstValue("X-Cache")).hasValue("MISS");
    }

    @Test
    void aWriteTheServiceRefusesKeepsTheCache() {
        String id = newId();
        String path = "/api/products/" + id;
        gateway.products.json("PUT", path, 403, "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403}");
        gateway.get(path);

        HttpResponse<String> refused = gateway.send("PUT", path, gateway.tokens.token("user-1", "USER"), "{}");

        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(gateway.get(path).headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void placingAnOrderDropsCachedStock() {
        String path = "/api/products/" + newId();
        gateway.get(path);

        gateway.send("POST", "/api/orders", gateway.tokens.token("user-1", "USER"), "{\"items\":[]}");

        assertThat(gateway.get(path).headers().firstValue("X-Cache")).hasValue("MISS");
    }

    @Test
    void onlySuccessfulAnswersAreCached() {
        HttpResponse<String> first = gateway.get("/api/products/missing");
        HttpResponse<String> second = gateway.get("/api/products/missing");

        assertThat(first.statusCode()).isEqualTo(404);
        assertThat(second.statusCode()).isEqualTo(404);
        assertThat(second.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(second.headers().firstValue("ETag")).isEmpty();
        assertThat(gateway.products.count("GET", "/api/products/missing")).isEqualTo(2);
    }

    @Test
    void concurrentMissesForOneKeyMakeOneBackendCall() throws Exception {
        String path = "/api/products/" + newId();

        List<HttpResponse<String>> responses = whileTheFirstLoadIsHeld(path, 20, (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send("{\"id\":\"slow\"}");
        });

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"id\":\"slow\"}");
        });
        assertThat(gateway.products.count("GET", path)).isEqualTo(1);
    }

    @Test
    void concurrentMissesThatFailEachGetAProblemNamingTheirOwnRequest() throws Exception {
        String path = "/api/products/" + newId();

        List<HttpResponse<String>> responses = whileTheFirstLoadIsHeld(path, 5, (req, res) -> {
            // as a real service answers: the problem names the request it answers
            res.status(404).header(HeaderNames.CONTENT_TYPE, "application/problem+json");
            res.send("{\"status\":404,\"requestId\":\"" + req.headers().first(HeaderNames.create("X-Request-Id")).orElseThrow()
                             + "\"}");
        });

        assertThat(responses).allSatisfy(response -> {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body())
                    .contains("\"requestId\":\"" + response.headers().firstValue("X-Request-Id").orElseThrow() + "\"");
        });
    }

    // Concurrent reads of one path (each with its own X-Request-Id) while the backend holds the first of them; the
    // backend answers each with `answer` once released
    private List<HttpResponse<String>> whileTheFirstLoadIsHeld(String path, int clients, Handler answer) throws Exception {
        CountDownLatch backendEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        gateway.products.on("GET", path, (req, res) -> {
            backendEntered.countDown();
            release.await(10, TimeUnit.SECONDS);
            answer.handle(req, res);
        });
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < clients; i++) {
                String requestId = "rid-" + i;
                responses.add(CompletableFuture.supplyAsync(() -> gateway.get(path, "X-Request-Id", requestId), pool));
            }
            assertThat(backendEntered.await(10, TimeUnit.SECONDS)).isTrue();
            // give the other requests time to arrive while the first load is held; correctness does not depend on it
            Thread.sleep(300);
            release.countDown();
        }
        return responses.stream().map(CompletableFuture::join).toList();
    }

    @Test
    void aZeroTtlTurnsTheCacheOff() {
        try (TestGateway uncached = TestGateway.start(Map.of("cache.ttl.seconds", "0"))) {
            HttpResponse<String> first = uncached.get("/api/products/p-1");
            HttpResponse<String> second = uncached.get("/api/products/p-1");

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.headers().firstValue("X-Cache")).isEmpty();
            assertThat(uncached.products.count("GET", "/api/products/p-1")).isEqualTo(2);
        }
    }

    @Test
    void entriesExpireAfterTheTtl() {
        try (TestGateway shortLived = TestGateway.start(Map.of("cache.ttl.seconds", "1"))) {
            assertThat(shortLived.get("/api/products/p-1").headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(shortLived.get("/api/products/p-1").headers().firstValue("Cache-Control"))
                    .hasValue("public, max-age=1");

            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            boolean missedAgain = false;
            while (!missedAgain && Instant.now().isBefore(deadline)) {
                missedAgain = shortLived.get("/api/products/p-1").headers().firstValue("X-Cache").orElseThrow().equals("MISS");
            }
            assertThat(missedAgain).isTrue();
        }
    }

    @Test
    void deeperPathsArePassedThroughForGetAndHead() {
        HttpResponse<String> get = gateway.get("/api/products/p-deep/more");
        HttpResponse<String> head = gateway.head("/api/products/p-deep/more");

        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.headers().firstValue("X-Cache")).isEmpty();
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("X-Cache")).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).hasValue(Integer.toString(get.body().length()));
        assertThat(gateway.products.count("GET", "/api/products/p-deep/more")).isEqualTo(2);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
