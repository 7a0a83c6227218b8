package io.example.orders;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.example.commons.db.Database;
import io.example.commons.events.Outbox;
import io.example.commons.security.ServiceTokens;
import io.example.commons.server.ServiceServer;
import io.example.commons.testing.FakeAuthServer;
import io.example.commons.testing.HostileInputs;
import io.example.commons.testing.TestConfig;
import io.example.commons.testing.TestDatabases;
import io.example.commons.testing.TestHttp;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import static io.example.commons.testing.HostileInputs.assertAnsweredWithoutServerError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of every order-service route over arbitrary input: any query, path or body is answered 2xx or
 * 4xx problem+json, never 5xx; a quantity that is accepted is the quantity ordered and reserved, exactly.
 */
class OrderPropertiesTest {
    private static final List<String> QUERY_NAMES = List.of("status", "limit", "offset", "page", "Status");
    private static final Pattern WHOLE = Pattern.compile("-?[0-9]+");

    private static TestDatabases.Postgres postgres;
    private static FakeAuthServer auth;
    private static FakeProductService products;
    private static WebServer server;
    private static TestHttp http;
    private static String user;
    private static String admin;
    private static String product;
    private static String existingOrder;

    // jqwik runs its properties outside JUnit Jupiter, where @ServerTest cannot start the server: started by hand,
    // through the same ServiceServer set-up
    @BeforeContainer
    static void start() {
        postgres = TestDatabases.postgres();
        auth = FakeAuthServer.start();
        products = new FakeProductService();
        Config config = TestConfig.of(Map.of(
                "server.port", "0",
                "auth.service.url", auth.url(),
                "product.service.url", products.url(),
                ServiceTokens.secretKey(FakeAuthServer.SERVICE_CLIENT), FakeAuthServer.SERVICE_SECRET));
        Database database = postgres.database("order-service", 10, Database.SharedSchema.OUTBOX);
        OrderRepository repository = new OrderRepository(database.client(), new Outbox(Clock.systemUTC()));
        server = ServiceServer.start(config, routing -> Main.routing(routing, config, repository, Main.productClient(config)),
                                     List.of(database.readiness()));
        http = new TestHttp("http://localhost:" + server.port());
        user = auth.token("user-" + UUID.randomUUID(), "USER");
        admin = auth.token("admin-1", "ADMIN");
        product = "p-" + UUID.randomUUID().toString().substring(0, 8);
        products.stock(product, Integer.MAX_VALUE / 2);
        existingOrder = id(send("POST", "/api/orders", user, "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}"));
    }

    @AfterContainer
    static void stop() {
        server.stop();
        products.close();
        auth.close();
        postgres.close();
    }

    @Property(tries = 300)
    void anyOrderBodyIsAnsweredWithoutServerError(@ForAll("orderBodies") String body) {
        assertAnsweredWithoutServerError(send("POST", "/api/orders", user, body));
    }

    @Property(tries = 200)
    void anyStatusChangeBodyIsAnsweredWithoutServerError(@ForAll("statusBodies") String body) {
        assertAnsweredWithoutServerError(send("PATCH", "/api/orders/" + existingOrder + "/status", admin, body));
    }

    @Property(tries = 300)
    void anyListQueryIsAnsweredWithoutServerError(@ForAll("queries") Map<String, String> query) {
        String text = query.entrySet().stream()
                .map(e -> HostileInputs.encoded(e.getKey()) + "=" + HostileInputs.encoded(e.getValue()))
                .collect(Collectors.joining("&"));

        assertAnsweredWithoutServerError(send("GET", "/api/orders?" + text, user, null));
    }

    @Property(tries = 150)
    void anyOrderIdIsAnsweredWithoutServerError(@ForAll("texts") String id) {
        String path = "/api/orders/" + HostileInputs.encoded(id);

        assertAnsweredWithoutServerError(send("GET", path, user, null));
        assertAnsweredWithoutServerError(send("POST", path + "/cancel", user, null));
        assertAnsweredWithoutServerError(send("PATCH", path + "/status", admin, "{\"status\":\"SHIPPED\"}"));
    }

    @Property(tries = 100)
    void anyIdempotencyKeyIsAnsweredWithoutServerError(@ForAll("keys") String key) {
        HttpResponse<String> response = http.send(http.request("/api/orders").header("Authorization", "Bearer " + user)
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString("{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":1}]}")));

        assertAnsweredWithoutServerError(response);
    }

    @Property(tries = 200)
    void aQuantityIsOrderedAndReservedExactlyAsSentOrRefusedNamingIt(@ForAll("numbers") String quantity) {
        int stockBefore = products.stock(product);

        HttpResponse<String> response = send("POST", "/api/orders", user,
                                              "{\"items\":[{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}]}");

        boolean orderable = WHOLE.matcher(quantity).matches() && new BigDecimal(quantity).compareTo(BigDecimal.ONE) >= 0
                && new BigDecimal(quantity).compareTo(new BigDecimal(100)) <= 0;
        if (orderable) {
            int units = Integer.parseInt(quantity);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            assertThat(response.body()).contains("\"quantity\":" + units + ",");
            assertThat(products.stock(product)).isEqualTo(stockBefore - units);
        } else {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(response.body()).contains("\"field\":\"items[0].quantity\"");
            assertThat(products.stock(product)).isEqualTo(stockBefore);
        }
    }

    @Provide
    Arbitrary<String> orderBodies() {
        Arbitrary<String> value = Arbitraries.oneOf(HostileInputs.jsonValue(), HostileInputs.numberText(),
                                                    Arbitraries.just(HostileInputs.quote(product)));
        Arbitrary<String> item = Arbitraries.maps(Arbitraries.of("productId", "quantity", "quantitiy", "price"), value)
                .ofMaxSize(3).map(HostileInputs::object);
        Arbitrary<String> items = Arbitraries.oneOf(item.list().ofMaxSize(4).map(list -> "[" + String.join(",", list) + "]"),
                                                    HostileInputs.jsonValue());
        return Arbitraries.maps(Arbitraries.of("items", "userId", "status"), items).ofMaxSize(2).map(HostileInputs::object);
    }

    @Provide
    Arbitrary<String> statusBodies() {
        Arbitrary<String> status = Arbitraries.oneOf(HostileInputs.jsonValue(),
                                                     Arbitraries.of("CONFIRMED", "SHIPPED", "DELIVERED", "CANCELLED", "PENDING",
                                                                    "shipped", "Shipped").map(HostileInputs::quote));
        return Arbitraries.maps(Arbitraries.of("status", "state", "at"), status).ofMaxSize(2).map(HostileInputs::object);
    }

    @Provide
    Arbitrary<Map<String, String>> queries() {
        Arbitrary<String> value = Arbitraries.oneOf(HostileInputs.text(), HostileInputs.numberText(),
                                                    Arbitraries.of("CONFIRMED", "confirmed", "PENDING"));
        return Arbitraries.maps(Arbitraries.of(QUERY_NAMES), value).ofMaxSize(4);
    }

    @Provide
    Arbitrary<String> texts() {
        return HostileInputs.text().filter(s -> !s.isEmpty());
    }

    // what java.net.http lets a client put in a header value: visible ASCII, spaces and Latin-1
    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u00ff').ofMinLength(1).ofMaxLength(150)
                .map(String::strip).filter(s -> !s.isEmpty());
    }

    @Provide
    Arbitrary<String> numbers() {
        return HostileInputs.numberText();
    }

    private static HttpResponse<String> send(String method, String path, String token, String json) {
        HttpRequest.Builder builder = http.request(path).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return http.send(builder);
    }

    private static String id(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(response.body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }
}
