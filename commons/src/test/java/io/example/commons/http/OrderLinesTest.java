package io.example.commons.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OrderLinesTest {
    @Test
    void validLinesHaveNoErrors() {
        assertThat(OrderLines.errors("items", List.of(new OrderLines.Line("a", 1), new OrderLines.Line("b".repeat(36), 100))))
                .isEmpty();
    }

    @Test
    void noLinesOrMoreThanFiftyAreOneErrorOnTheList() {
        List<OrderLines.Line> fiftyOne = IntStream.rangeClosed(0, 50).mapToObj(i -> new OrderLines.Line("p" + i, 1)).toList();

        for (List<OrderLines.Line> lines : Arrays.asList(null, List.<OrderLines.Line>of(), fiftyOne)) {
            assertThat(OrderLines.errors("items", lines))
                    .containsExactly(new Problem.FieldError("items", "must hold 1 to 50 items"));
        }
    }

    @Test
    void eachBadLineIsNamedByItsPath() {
        List<OrderLines.Line> lines = new ArrayList<>();
        lines.add(new OrderLines.Line("a", 1));
        lines.add(new OrderLines.Line("a", 0));
        lines.add(new OrderLines.Line(" ", 101));
        lines.add(new OrderLines.Line("x".repeat(37), null));
        lines.add(null);

        assertThat(OrderLines.errors("items", lines)).containsExactly(
                new Problem.FieldError("items[1].productId", "appears more than once"),
                new Problem.FieldError("items[1].quantity", "must be between 1 and 100"),
                new Problem.FieldError("items[2].productId", "is required"),
                new Problem.FieldError("items[2].quantity", "must be between 1 and 100"),
                new Problem.FieldError("items[3].productId", "is not a product id"),
                new Problem.FieldError("items[3].quantity", "must be between 1 and 100"),
                new Problem.FieldError("items[4].productId", "is required"));
    }
}
