package io.example.products.catalogue;

import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.example.commons.http.Json;
import io.example.commons.testing.TestConfig;

import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The two views of a product: v2's answer is v1's with the availability added and nothing else, whatever
 * fields a product gains later; and settings that are not valid are refused, naming the variable to fix.
 */
class ProductViewTest {
    private static final Product PRODUCT = new Product("p-1", "SKU-1", "Lamp", "bright", "home", new BigDecimal("9.90"),
                                                       "EUR", 4, Instant.parse("2026-01-01T00:00:00Z"),
                                                       Instant.parse("2026-01-02T00:00:00Z"));

    @Test
    void v2AnswersV1sProductWithOnlyTheAvailabilityAdded() {
        JsonObject v1 = json(Json.write(view("false", "5").show(PRODUCT)));
        JsonObject v2 = json(Json.write(view("true", "5").show(PRODUCT)));

        Map<String, Object> v2WithoutAvailability = new HashMap<>(v2);
        assertThat(v2WithoutAvailability.remove("availability")).hasToString("\"LOW_STOCK\"");
        assertThat(v2WithoutAvailability).isEqualTo(v1);
    }

    @Test
    void aPageOfV2CarriesEachProductsAvailabilityAndTheSamePaging() {
        Page<Product> page = new Page<>(List.of(PRODUCT), 7, 1, 3);

        JsonObject v2 = json(Json.write(view("true", "3").show(page)));

        assertThat(v2.getJsonArray("items").getJsonObject(0).getString("availability")).isEqualTo("IN_STOCK");
        assertThat(v2.getInt("total")).isEqualTo(7);
        assertThat(v2.getInt("limit")).isEqualTo(1);
        assertThat(v2.getInt("offset")).isEqualTo(3);
    }

    @Test
    void aSwitchThatIsNotTrueOrFalseIsRefused() {
        assertThatThrownBy(() -> view("yes", "5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PRODUCT_AVAILABILITY (product.availability) must be true or false, not 'yes'");
    }

    @Test
    void aThresholdThatIsNotAWholeNumberOfUnitsIsRefused() {
        assertThatThrownBy(() -> view("true", "-1")).hasMessageStartingWith(
                "PRODUCT_LOW_STOCK_THRESHOLD (product.low.stock.threshold) must be a whole number from 0 to");
        assertThatThrownBy(() -> view("true", "five")).hasMessageEndingWith("not 'five'");
    }

    private static ProductView view(String availability, String threshold) {
        return ProductView.from(TestConfig.of(Map.of("product.availability", availability,
                                                     "product.low.stock.threshold", threshold)));
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }
}
