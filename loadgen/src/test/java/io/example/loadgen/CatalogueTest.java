package io.example.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.util.SplittableRandom;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

class CatalogueTest {
    private static JsonObject page(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    @Test
    void ordersOnlyProductsWithStockToSpare() {
        Catalogue catalogue = new Catalogue();
        catalogue.learnFirstPage(page("""
                {"items":[{"id":"plenty","name":"Yoga Mat","stock":80},{"id":"few","name":"Desk Lamp","stock":9},
                {"id":"none","name":"Board Game","stock":0}],"total":3,"limit":20,"offset":0}"""));

        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 50; i++) {
            assertThat(catalogue.orderableProduct(random)).contains("plenty");
        }
        assertThat(catalogue.total()).isEqualTo(3);
    }

    @Test
    void whatItReadsLaterReplacesWhatItKnew() {
        Catalogue catalogue = new Catalogue();
        catalogue.learnFirstPage(page("{\"items\":[{\"id\":\"p\",\"name\":\"Yoga Mat\",\"stock\":80}],\"total\":24}"));

        catalogue.learnProduct(page("{\"id\":\"p\",\"name\":\"Yoga Mat\",\"stock\":2}"));
        catalogue.learnPage(page("{\"items\":[],\"total\":0}"));

        assertThat(catalogue.orderableProduct(new SplittableRandom(1))).isEmpty();
        assertThat(catalogue.anyProduct(new SplittableRandom(1))).contains("p");
        assertThat(catalogue.total()).as("a filtered page says nothing of the catalogue's size").isEqualTo(24);
    }

    @Test
    void searchesForWordsOfProductNames() {
        Catalogue catalogue = new Catalogue();
        catalogue.learnProduct(page("{\"id\":\"p\",\"name\":\"Cast Iron Skillet\",\"stock\":5}"));

        assertThat(catalogue.searchWord(new SplittableRandom(1))).hasValueSatisfying(
                word -> assertThat(word).isIn("cast", "iron", "skillet"));
    }

    @Test
    void anEmptyCatalogueHasNothingToOffer() {
        Catalogue catalogue = new Catalogue();
        catalogue.learnFirstPage(page("{\"items\":[],\"total\":0,\"limit\":100,\"offset\":0}"));

        assertThat(catalogue.isEmpty()).isTrue();
        assertThat(catalogue.anyProduct(new SplittableRandom(1))).isEmpty();
        assertThat(catalogue.searchWord(new SplittableRandom(1))).isEmpty();
    }
}
