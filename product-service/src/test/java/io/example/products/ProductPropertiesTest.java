package io.example.products;

import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.example.commons.db.Database;
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
 * Properties of every product-service route over arbitrary input, on PostgreSQL: any query, path or body is
 * answered 2xx or 4xx problem+json, never 5xx; a number that is accepted is stored and returned exactly.
 */
class ProductPropertiesTest {
    private static final List<String> PRODUCT_FIELDS = List.of("sku", "name", "description", "category", "price", "currency", "stock");
    private static final List<String> QUERY_NAMES = List.of("q", "category", "minPrice", "maxPrice", "inStock", "sort", "limit",
                                                            "offset", "page", "Limit");
    private static final BigDecimal MAX_STOCK = new BigDecimal("1000000000");
    private static final Pattern WHOLE = Pattern.compile("-?[0-9]+");

    private static TestDatabases.Postgres postgres;
    private static FakeAuthServer auth;
    private static WebServer server;
    private static TestHttp http;
    private static String admin;
    private static String inventoryCaller;
    private static String existingId;

    // jqwik runs its properties outside JUnit Jupiter, where @ServerTest cannot start the server: started by hand,
    // through the same ServiceServer set-up
    @BeforeContainer
    static void start() {
        postgres = TestDatabases.postgres();
        auth = FakeAuthServer.start();
        Database database = postgres.database("product-service", 10, Database.SharedSchema.OUTBOX);
        Config config = TestConfig.of(Map.of("server.port", "0", "auth.service.url", auth.url()));
        server = ServiceServer.start(config, routing -> Main.routing(routing, config, database), List.of(database.readiness()));
        http = new TestHttp("http://localhost:" + server.port());
        admin = auth.token("admin-1", "ADMIN");
        inventoryCaller = auth.serviceToken("order-service", "inventory");
        existingId = field(http.get("/api/products?limit=1").body(), "id").orElseThrow();
    }

    @AfterContainer
    static void stop() {
        server.stop();
        auth.close();
        postgres.close();
    }

    @Property(tries = 300)
    void anySearchIsAnsweredWithoutServerError(@ForAll("queries") Map<String, String> query) {
        String text = query.entrySet().stream()
                .map(e -> HostileInputs.encoded(e.getKey()) + "=" + HostileInputs.encoded(e.getValue()))
                .collect(Collectors.joining("&"));

        assertAnsweredWithoutServerError(http.get("/api/products?" + text));
    }

    @Property(tries = 150)
    void anyIdIsAnsweredWithoutServerError(@ForAll("texts") String id) {
        String path = "/api/products/" + HostileInputs.encoded(id);

        assertAnsweredWithoutServerError(http.get(path));
        assertAnsweredWithoutServerError(send("PUT", path, "{}"));
        assertAnsweredWithoutServerError(send("DELETE", path, null));
        assertAnsweredWithoutServerError(send("DELETE", "/internal/reservations/" + HostileInputs.encoded(id), null));
    }

    @Property(tries = 300)
    void anyProductBodyIsAnsweredWithoutServerError(@ForAll("productBodies") String body) {
        assertAnsweredWithoutServerError(send("POST", "/api/products", body));
        assertAnsweredWithoutServerError(send("PUT", "/api/products/" + existingId, body));
    }

    @Property(tries = 200)
    void anyReservationBodyIsAnsweredWithoutServerError(@ForAll("reservationBodies") String body) {
        assertAnsweredWithoutServerError(send("POST", "/internal/reservations", body));
    }

    @Property(tries = 200)
    void aStockIsStoredExactlyAsSentOrRefusedNamingStock(@ForAll("numbers") String stock) {
        HttpResponse<String> created = send("POST", "/api/products", product(Map.of("stock", stock)));

        boolean storable = WHOLE.matcher(stock).matches() && new BigDecimal(stock).signum() >= 0
                && new BigDecimal(stock).compareTo(MAX_STOCK) <= 0;
        if (storable) {
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            String id = field(created.body(), "id").orElseThrow();
            assertThat(number(http.get("/api/products/" + id).body(), "stock")).isEqualTo(new BigDecimal(stock).toBigInteger().toString());
        } else {
            assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
            assertThat(created.body()).contains("\"field\":\"stock\"");
        }
    }

    @Property(tries = 200)
    void aPriceIsStoredExactlyAsSentOrRefusedNamingPrice(@ForAll("numbers") String price) {
        HttpResponse<String> created = send("POST", "/api/products", product(Map.of("price", price)));

        if (created.statusCode() == 201) {
            String id = field(created.body(), "id").orElseThrow();
            assertThat(new BigDecimal(number(http.get("/api/products/" + id).body(), "price")))
                    .isEqualByComparingTo(new BigDecimal(price));
        } else {
            assertThat(created.statusCode()).as(created.body()).isEqualTo(400);
            assertThat(created.body()).contains("\"field\":\"price\"");
        }
    }

    @Provide
    Arbitrary<Map<String, String>> queries() {
        Arbitrary<String> value = Arbitraries.oneOf(HostileInputs.text(), HostileInputs.numberText(),
                                                    Arbitraries.of("true", "false", "price", "-name", "newest"));
        return Arbitraries.maps(Arbitraries.of(QUERY_NAMES), value).ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> texts() {
        return HostileInputs.text().filter(s -> !s.isEmpty());
    }

    @Provide
    Arbitrary<String> numbers() {
        return HostileInputs.numberText();
    }

    @Provide
    Arbitrary<String> productBodies() {
        Arbitrary<String> member = Arbitraries.oneOf(HostileInputs.jsonValue(), HostileInputs.text().map(HostileInputs::quote),
                                                     HostileInputs.numberText());
        return Arbitraries.maps(Arbitraries.oneOf(Arbitraries.of(PRODUCT_FIELDS), Arbitraries.of("stok", "id", "Price")), member)
                .ofMaxSize(9)
                .map(HostileInputs::object)
                .injectDuplicates(0.0)
                .edgeCases(edges -> edges.add(product(Map.of())));
    }

    @Provide
    Arbitrary<String> reservationBodies() {
        Arbitrary<String> item = Arbitraries.maps(Arbitraries.of("productId", "quantity", "quantitiy"),
                                                  Arbitraries.oneOf(HostileInputs.jsonValue(), HostileInputs.numberText(),
                                                                    Arbitraries.just(HostileInputs.quote(existingId))))
                .ofMaxSize(3).map(HostileInputs::object);
        Arbitrary<String> items = item.list().ofMaxSize(3).map(list -> "[" + String.join(",", list) + "]");
        return Arbitraries.maps(Arbitraries.of("orderId", "items", "extra"),
                                Arbitraries.oneOf(items, HostileInputs.jsonValue(),
                                                  Arbitraries.create(() -> HostileInputs.quote(UUID.randomUUID().toString()))))
                .ofMaxSize(3).map(HostileInputs::object);
    }

    // a valid product with some members replaced by the given JSON texts
    private static String product(Map<String, String> replaced) {
        Map<String, String> members = new LinkedHashMap<>();
        members.put("sku", HostileInputs.quote("P-" + UUID.randomUUID()));
        members.put("name", "\"Property product\"");
        members.put("category", "\"properties\"");
        members.put("price", "9.99");
        members.put("stock", "1");
        members.putAll(replaced);
        return HostileInputs.object(members);
    }

    private static HttpResponse<String> send(String method, String path, String json) {
        // the inventory API takes the order service's token, everything else an administrator's
        String token = path.startsWith("/internal/") ? inventoryCaller : admin;
        HttpRequest.Builder builder = http.request(path).header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        return http.send(builder);
    }

    private static Optional<String> field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]*)\"").matcher(json);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String number(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(-?[0-9.Ee+]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", name, json).isTrue();
        return m.group(1);
    }
}
