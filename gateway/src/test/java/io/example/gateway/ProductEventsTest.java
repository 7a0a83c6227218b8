package io.example.gateway;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.example.commons.events.EventConsumer;
import io.example.commons.events.Topics;
import io.example.commons.testing.KafkaBroker;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product cache follows the product events, published to a real broker as product-service's relay
 * publishes them: a changed product's read and every list page are loaded again within a second of the
 * event, other products stay cached, an event that cannot be read empties the cache and is parked on
 * gateway.dlt, and readiness says whether events arrive, staying UP while the broker is away.
 *
 * <p>The fake product service answers every read with a version the test moves, as product-service's data
 * would move before it publishes the event; the cache's TTL (60 s here) could not explain a change.
 */
@ServerTest
class ProductEventsTest {
    private static final Duration WITHIN = Duration.ofSeconds(1);
    private static final Duration SLOW = Duration.ofSeconds(30);
    private static final AtomicLong LISTS = new AtomicLong();
    private static final Map<String, Long> PRODUCTS = new ConcurrentHashMap<>();
    private static KafkaBroker broker;
    private static FakeServices services;
    private static ProductEventPublisher publisher;
    private final GatewayClient gateway;

    ProductEventsTest(URI uri) {
        gateway = new GatewayClient(services, uri);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        broker = KafkaBroker.start();
        broker.createTopics(Topics.PRODUCTS, Topics.deadLetters("gateway"));
        publisher = new ProductEventPublisher(broker);
        services = FakeServices.start();
        services.configure(server, Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
                                          // notices the broker leaving and returning within a second
                                          "events.consumer.health-interval", "PT0.2S"));
        services.products.on("GET", "*", (req, res) -> {
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(servedNow(req.path().rawPath()));
        });
    }

    @AfterAll
    static void stop() {
        services.close();
        broker.close();
    }

    // the consumer starts at the end of the topic: an event published before it got there is not for it
    @BeforeEach
    void receiving() {
        awaitReadiness(details -> details.events().equals("receiving"));
    }

    @Test
    void aCachedProductReadChangesWithinASecondOfItsEventAndOtherProductsStayCached() {
        String changed = cachedProduct();
        String other = cachedProduct();

        Instant published = changeProduct("io.example.product.updated", changed);

        assertThat(firstChange(changed, published)).isLessThan(WITHIN);
        assertThat(gateway.get(other).headers().firstValue("X-Cache")).hasValue("HIT");
    }

    @Test
    void everyListPageAndTheCategoriesAreLoadedAgainAfterAnyProductsEvent() {
        String list = "/api/products?q=" + UUID.randomUUID();
        String categories = "/api/products/categories";
        assertThat(cached(list)).isTrue();
        assertThat(cached(categories)).isTrue();

        Instant published = changeProduct("io.example.product.stock-changed", "/api/products/" + UUID.randomUUID());

        assertThat(firstChange(list, published)).isLessThan(WITHIN);
        assertThat(firstChange(categories, published)).isLessThan(WITHIN);
    }

    @Test
    void createdAndDeletedProductsAreDroppedToo() {
        String created = cachedProduct();
        String deleted = cachedProduct();

        Instant createdAt = changeProduct("io.example.product.created", created);
        Instant deletedAt = changeProduct("io.example.product.deleted", deleted);

        assertThat(firstChange(created, createdAt)).isLessThan(WITHIN);
        assertThat(firstChange(deleted, deletedAt)).isLessThan(WITHIN);
    }

    @Test
    void aLoadUnderWayWhenItsProductsEventArrivesIsNotKept() throws Exception {
        String path = "/api/products/" + UUID.randomUUID();
        String list = "/api/products?q=" + UUID.randomUUID();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        services.products.on("GET", path, (req, res) -> {
            String before = servedNow(path);
            loading.countDown();
            answer.await(10, TimeUnit.SECONDS);
            res.header(HeaderNames.CONTENT_TYPE, "application/json");
            res.send(before);
        });
        assertThat(cached(list)).isTrue();
        CompletableFuture<HttpResponse<String>> slowRead = CompletableFuture.supplyAsync(() -> gateway.get(path));
        assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

        Instant published = changeProduct("io.example.product.updated", path);
        // every product event drops the lists: once this one is loaded again, the event has been applied
        firstChange(list, published);
        answer.countDown();

        assertThat(slowRead.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        HttpResponse<String> after = gateway.get(path);
        assertThat(after.headers().firstValue("X-Cache")).hasValue("MISS");
        assertThat(after.body()).isEqualTo(servedNow(path));
    }

    @Test
    void anEventThatCannotBeReadEmptiesTheCacheAndIsParked() {
        String product = cachedProduct();
        String id = product.substring("/api/products/".length());

        // a product event whose data does not name its product
        Instant published = Instant.now();
        String eventId = publisher.publish("io.example.product.updated", id, "{\"name\":\"no id\"}");

        assertThat(firstMiss(product, published)).isLessThan(WITHIN);
        ConsumerRecord<String, byte[]> parked = awaitParked(eventId);
        assertThat(new String(parked.headers().lastHeader(EventConsumer.REASON_HEADER).value(), StandardCharsets.UTF_8))
                .contains("names product null");
    }

    @Test
    void readinessStaysUpAndSaysTheTtlAppliesWhileTheBrokerIsAway() {
        broker.stop();
        Readiness.ProductEventsDetails away;
        HttpResponse<String> readWhileAway;
        try {
            away = awaitReadiness(details -> !details.events().equals("receiving"));
            readWhileAway = gateway.get("/api/products/" + UUID.randomUUID());
        } finally {
            broker.restart();
        }
        Readiness.ProductEventsDetails back = awaitReadiness(details -> details.events().equals("receiving"));

        assertThat(away.events()).isEqualTo("broker not reachable");
        assertThat(away.cache()).isEqualTo("entries live up to the TTL of 60 s");
        assertThat(readWhileAway.statusCode()).isEqualTo(200);
        assertThat(back.cache()).isEqualTo("entries are dropped when their product changes");
        String product = cachedProduct();
        Instant published = changeProduct("io.example.product.updated", product);
        assertThat(firstChange(product, published)).isLessThan(WITHIN);
    }

    // a product's path, its read cached
    private String cachedProduct() {
        String path = "/api/products/" + UUID.randomUUID();
        assertThat(cached(path)).isTrue();
        return path;
    }

    private boolean cached(String path) {
        gateway.get(path);
        return gateway.get(path).headers().firstValue("X-Cache").orElseThrow().equals("HIT");
    }

    // what product-service does: change the product (and so every list), then publish the event
    private Instant changeProduct(String type, String path) {
        String id = path.substring("/api/products/".length());
        PRODUCTS.merge(path, 1L, Long::sum);
        LISTS.incrementAndGet();
        publisher.publish(type, id, "{\"productId\":\"" + id + "\",\"stock\":1}");
        return Instant.now();
    }

    // what the fake product service answers for a path (without query) now
    private static String servedNow(String path) {
        long version = path.startsWith("/api/products/") && !path.equals("/api/products/categories")
                ? PRODUCTS.getOrDefault(path, 0L) : LISTS.get();
        return "{\"path\":\"" + path + "\",\"version\":" + version + "}";
    }

    // how long after the event the gateway first answered the path as the product service does now
    private Duration firstChange(String path, Instant published) {
        String now = servedNow(path.contains("?") ? path.substring(0, path.indexOf('?')) : path);
        return await(path, published, response -> response.body().equals(now));
    }

    private Duration firstMiss(String path, Instant published) {
        return await(path, published, response -> response.headers().firstValue("X-Cache").orElseThrow().equals("MISS"));
    }

    private Duration await(String path, Instant published, Predicate<HttpResponse<String>> changed) {
        Instant deadline = published.plus(SLOW);
        while (Instant.now().isBefore(deadline)) {
            if (changed.test(gateway.get(path))) {
                return Duration.between(published, Instant.now());
            }
            pause();
        }
        throw new AssertionError(path + " did not change in " + SLOW);
    }

    // the cache is emptied before the event is parked: the dead-letter record may come a moment later
    private static ConsumerRecord<String, byte[]> awaitParked(String eventId) {
        Instant deadline = Instant.now().plus(SLOW);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> parked : broker.readAll(Topics.deadLetters("gateway"), SLOW)) {
                if (new String(parked.value(), StandardCharsets.UTF_8).contains(eventId)) {
                    return parked;
                }
            }
            pause();
        }
        throw new AssertionError("event " + eventId + " is not on " + Topics.deadLetters("gateway"));
    }

    private Readiness.ProductEventsDetails awaitReadiness(Predicate<Readiness.ProductEventsDetails> expected) {
        Instant deadline = Instant.now().plus(SLOW);
        Readiness.ProductEventsDetails details = Readiness.of(gateway).productEvents();
        while (!expected.test(details)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("readiness still says " + details);
            }
            pause();
            details = Readiness.of(gateway).productEvents();
        }
        return details;
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
