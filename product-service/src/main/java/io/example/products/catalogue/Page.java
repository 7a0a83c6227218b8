package io.example.products.catalogue;

import java.util.List;
import java.util.function.Function;

/**
 * One page of a search.
 *
 * @param items  the products on this page
 * @param total  how many products match in all
 * @param limit  page size asked for
 * @param offset where the page starts
 * @param <T>    how a product is held: as stored, or as answered ({@link ProductView})
 */
public record Page<T>(List<T> items, long total, int limit, int offset) {
    /**
     * @param each what becomes of each item
     * @param <R>  the items' new type
     * @return the same page with each item changed
     */
    public <R> Page<R> map(Function<? super T, ? extends R> each) {
        return new Page<>(items.stream().<R>map(each).toList(), total, limit, offset);
    }
}
