package io.example.products.catalogue;

import java.util.List;

/**
 * One page of a search.
 *
 * @param items  the products on this page
 * @param total  how many products match in all
 * @param limit  page size asked for
 * @param offset where the page starts
 */
public record Page(List<Product> items, long total, int limit, int offset) {
}
