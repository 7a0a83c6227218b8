package io.example.loadgen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * What loadgen knows of the shop's products, learnt from the lists and products it reads: ids with their
 * stock, categories, and words of product names to search for.
 */
final class Catalogue {
    /** a product is ordered only while it has at least this much stock, so orders are not refused as short */
    static final int ORDERABLE_STOCK = 10;

    private final Map<String, Integer> stock = new ConcurrentHashMap<>();
    private final Set<String> words = ConcurrentHashMap.newKeySet();
    private volatile List<String> categories = List.of();
    private volatile int total;

    /** @param firstPage the answer to an unfiltered {@code GET /api/products}: its total is the catalogue's size */
    void learnFirstPage(JsonObject firstPage) {
        if (firstPage.get("total") instanceof JsonNumber number) {
            total = number.intValue();
        }
        learnPage(firstPage);
    }

    /** @param page a {@code GET /api/products} answer, filtered or not */
    void learnPage(JsonObject page) {
        if (page.get("items") instanceof JsonArray items) {
            for (JsonValue item : items) {
                if (item instanceof JsonObject product) {
                    learnProduct(product);
                }
            }
        }
    }

    /** @param product a product as the API shows it */
    void learnProduct(JsonObject product) {
        if (product.get("id") instanceof JsonString id && product.get("stock") instanceof JsonNumber units) {
            stock.put(id.getString(), units.intValue());
        }
        if (product.get("name") instanceof JsonString name) {
            for (String word : name.getString().toLowerCase(Locale.ROOT).split("[^\\p{Alnum}]+")) {
                if (word.length() >= 4) {
                    words.add(word);
                }
            }
        }
    }

    /** @param answer a {@code GET /api/products/categories} answer body */
    void learnCategories(JsonArray answer) {
        categories = answer.stream().filter(JsonString.class::isInstance).map(c -> ((JsonString) c).getString()).toList();
    }

    boolean isEmpty() {
        return stock.isEmpty();
    }

    int total() {
        return total;
    }

    Optional<String> anyProduct(RandomGenerator random) {
        return pick(new ArrayList<>(stock.keySet()), random);
    }

    /** @return a product with enough stock to order one or two */
    Optional<String> orderableProduct(RandomGenerator random) {
        return pick(stock.entrySet().stream().filter(e -> e.getValue() >= ORDERABLE_STOCK).map(Map.Entry::getKey).toList(), random);
    }

    Optional<String> category(RandomGenerator random) {
        return pick(categories, random);
    }

    Optional<String> searchWord(RandomGenerator random) {
        return pick(new ArrayList<>(words), random);
    }

    private static Optional<String> pick(List<String> choices, RandomGenerator random) {
        return choices.isEmpty() ? Optional.empty() : Optional.of(choices.get(random.nextInt(choices.size())));
    }
}
