package io.example.loadgen;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/**
 * One shopper: registers, logs in once, then browses, searches, reads products, its profile and overview,
 * orders and cancels (each once, then at random by weight), at its share of the run's rate, refreshing its token (with rotation) as it goes. It
 * keeps at most {@code --open-orders} orders and cancels the oldest before ordering more, so the stock it
 * holds is bounded however long it runs.
 */
final class VirtualUser implements Runnable {
    private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);
    private static final Duration RETRY_REFRESH = Duration.ofSeconds(5);
    private static final int[] PAGE_SIZES = {5, 10, 20};
    private static final String[] SORTS = {"name", "-name", "price", "-price", "newest"};
    private static final int REMEMBERED_ORDERS = 20;

    /** What a user does next, with how likely it is (weights out of 100). */
    enum Action {
        BROWSE(30), SEARCH(10), PRODUCT(20), CATEGORIES(5), ME(5), OVERVIEW(8), ORDER(10), ORDERS(7), ORDER_DETAIL(5);

        private final int weight;

        Action(int weight) {
            this.weight = weight;
        }

        static Action pick(RandomGenerator random) {
            int roll = random.nextInt(100);
            for (Action action : values()) {
                roll -= action.weight;
                if (roll < 0) {
                    return action;
                }
            }
            return BROWSE;
        }
    }

    private final Shoppers shoppers;
    private final String email;
    private final String password;
    private final String name;
    private final RandomGenerator random = new SplittableRandom();
    /** a new user first does everything once, so even a short run calls every route */
    private final Deque<Action> firstVisit = new ArrayDeque<>(List.of(Action.values()));
    private final Deque<String> openOrders = new ArrayDeque<>();
    private final List<String> rememberedOrders = new ArrayList<>();
    private Pacer own;
    private Tokens tokens;
    private long refreshAt;

    VirtualUser(Shoppers shoppers, String runId, int number) {
        this.shoppers = shoppers;
        this.email = "loadgen-" + runId + "-" + number + "@example.com";
        // random, long, and unrelated to the address: passes the password rules
        this.password = UUID.randomUUID().toString();
        this.name = "Loadgen shopper " + number;
    }

    @Override
    public void run() {
        try {
            shoppers.stop().waitUntil(shoppers.arrivals().reserve(System.nanoTime()));
            retrying(this::register);
            retrying(this::logIn);
            own = new Pacer(shoppers.options().userRate(), System.nanoTime());
            while (true) {
                retrying(() -> {
                    refreshIfDue();
                    act(firstVisit.isEmpty() ? Action.pick(random) : firstVisit.removeFirst());
                    return true;
                });
            }
        } catch (StopSignal.Stopped e) {
            // the run has ended
        } catch (GaveUp e) {
            shoppers.err().println("loadgen: " + email + " stops: " + e.getMessage());
        }
    }

    /** A step that answers whether it is done; no answer or a failure that may pass: pause, try again. */
    private interface Step {
        boolean done();
    }

    private void retrying(Step step) {
        while (true) {
            try {
                if (step.done()) {
                    return;
                }
            } catch (ShopClient.NoAnswer e) {
                pause(PAUSE_AFTER_FAILURE);
            }
        }
    }

    private boolean register() {
        JsonObject body = Json.createObjectBuilder().add("email", email).add("password", password).add("name", name).build();
        Answer answer = shop().send(Route.REGISTER, shoppers.anonymous(), post("/api/auth/register", body));
        // 409: registered by an earlier attempt whose answer was lost
        return answer.isSuccess() || answer.status() == 409 || mayRetry(answer, "registration");
    }

    private boolean logIn() {
        JsonObject body = Json.createObjectBuilder().add("email", email).add("password", password).build();
        Answer answer = shop().send(Route.LOGIN, shoppers.logins(), post("/api/auth/login", body));
        Optional<Tokens> loggedIn = Tokens.from(answer);
        loggedIn.ifPresent(this::use);
        return loggedIn.isPresent() || mayRetry(answer, "login");
    }

    /**
     * @return false, after waiting, when the failure may pass (429, 5xx)
     * @throws GaveUp when it will not
     */
    private boolean mayRetry(Answer answer, String what) {
        if (answer.status() == 429) {
            return false; // the pacer holds the next call for Retry-After
        }
        if (answer.status() >= 500) {
            pause(answer.retryAfter());
            return false;
        }
        throw new GaveUp(what + " answered " + answer.status() + " " + answer.problemDetail().orElse(""));
    }

    private void use(Tokens fresh) {
        tokens = fresh;
        refreshAt = System.nanoTime() + fresh.refreshAfter(shoppers.options().refreshEvery()).toNanos();
    }

    private void refreshIfDue() {
        if (System.nanoTime() < refreshAt) {
            return;
        }
        JsonObject body = Json.createObjectBuilder().add("refreshToken", tokens.refreshToken()).build();
        Answer answer = shop().send(Route.REFRESH, shoppers.anonymous(), post("/api/auth/refresh", body));
        Optional<Tokens> refreshed = Tokens.from(answer);
        if (refreshed.isPresent()) {
            use(refreshed.get()); // rotation: the old refresh token is spent
        } else if (answer.status() == 401) {
            retrying(this::logIn); // the session is gone
        } else {
            refreshAt = System.nanoTime() + RETRY_REFRESH.toNanos();
        }
    }

    private void act(Action action) {
        switch (action) {
            case BROWSE -> browse();
            case SEARCH -> catalogue().searchWord(random).ifPresentOrElse(this::search, this::browse);
            case PRODUCT -> catalogue().anyProduct(random).ifPresentOrElse(this::readProduct, this::browse);
            case CATEGORIES -> asUser(Route.CATEGORIES, get("/api/products/categories")).jsonArray()
                    .ifPresent(catalogue()::learnCategories);
            case ME -> asUser(Route.ME, get("/api/auth/me"));
            case OVERVIEW -> asUser(Route.OVERVIEW, get("/api/overview"));
            case ORDER -> orderOrCancel();
            case ORDERS -> listOrders();
            case ORDER_DETAIL -> readOrder();
        }
    }

    private void browse() {
        int limit = PAGE_SIZES[random.nextInt(PAGE_SIZES.length)];
        int pages = Math.max(1, (catalogue().total() + limit - 1) / limit);
        StringBuilder query = new StringBuilder("/api/products?limit=").append(limit)
                .append("&offset=").append(random.nextInt(pages) * limit)
                .append("&sort=").append(SORTS[random.nextInt(SORTS.length)]);
        if (random.nextBoolean()) {
            catalogue().category(random).ifPresent(category -> query.append("&category=").append(encode(category)));
        }
        if (random.nextInt(4) == 0) {
            query.append("&inStock=true");
        }
        asUser(Route.BROWSE, get(query.toString())).json().ifPresent(catalogue()::learnPage);
    }

    private void search(String word) {
        asUser(Route.SEARCH, get("/api/products?q=" + encode(word) + "&limit=10")).json().ifPresent(catalogue()::learnPage);
    }

    private void readProduct(String id) {
        asUser(Route.PRODUCT, get("/api/products/" + id)).json().ifPresent(catalogue()::learnProduct);
    }

    private void orderOrCancel() {
        if (openOrders.size() >= shoppers.options().openOrders()) {
            // whatever the answer (200, or 409/404 for an order that cannot be cancelled), it is no longer ours to cancel
            asUser(Route.CANCEL_ORDER, request("/api/orders/" + openOrders.removeFirst() + "/cancel")
                    .POST(HttpRequest.BodyPublishers.noBody()));
            return;
        }
        Optional<String> product = catalogue().orderableProduct(random);
        if (product.isEmpty()) {
            browse();
            return;
        }
        JsonObject order = Json.createObjectBuilder().add("items", Json.createArrayBuilder().add(
                Json.createObjectBuilder().add("productId", product.get()).add("quantity", 1 + random.nextInt(2)))).build();
        asUser(Route.PLACE_ORDER, request("/api/orders")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(ShopClient.json(order)))
                .json().map(placed -> placed.get("id")).filter(JsonString.class::isInstance)
                .map(id -> ((JsonString) id).getString())
                .ifPresent(id -> {
                    openOrders.addLast(id);
                    remember(id);
                });
    }

    private void readOrder() {
        if (rememberedOrders.isEmpty()) {
            listOrders();
        } else {
            asUser(Route.ORDER, get("/api/orders/" + rememberedOrders.get(random.nextInt(rememberedOrders.size()))));
        }
    }

    private void listOrders() {
        asUser(Route.ORDERS, get("/api/orders?limit=10"));
    }

    private void remember(String orderId) {
        if (rememberedOrders.size() == REMEMBERED_ORDERS) {
            rememberedOrders.removeFirst();
        }
        rememberedOrders.add(orderId);
    }

    /** Sends as this user, at its pace; a 401 means its session has gone, so it logs in again. */
    private Answer asUser(Route route, HttpRequest.Builder request) {
        Answer answer = shop().send(route, own, request.header("Authorization", "Bearer " + tokens.accessToken()).build());
        if (answer.status() == 401) {
            retrying(this::logIn);
        }
        return answer;
    }

    private HttpRequest.Builder get(String pathAndQuery) {
        return request(pathAndQuery).GET();
    }

    private HttpRequest post(String path, JsonObject body) {
        return request(path).header("Content-Type", "application/json").POST(ShopClient.json(body)).build();
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return shop().request(pathAndQuery);
    }

    private void pause(Duration duration) {
        shoppers.stop().waitUntil(System.nanoTime() + duration.toNanos());
    }

    private ShopClient shop() {
        return shoppers.shop();
    }

    private Catalogue catalogue() {
        return shoppers.catalogue();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** A refusal that trying again will not change (a 4xx to registration or login). */
    private static final class GaveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;

        GaveUp(String message) {
            super(message, null, false, false);
        }
    }
}
