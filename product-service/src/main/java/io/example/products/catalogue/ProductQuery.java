package io.example.products.catalogue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.example.commons.http.QueryParameters;

import io.helidon.common.parameters.Parameters;

/**
 * The filters, order and page of a catalogue search, parsed from the query string.
 *
 * @param q        case-insensitive text in name or description
 * @param category exact category
 * @param minPrice lowest price
 * @param maxPrice highest price
 * @param inStock  true: only stock > 0; false: only stock = 0
 * @param sort     one of {@link #SORTS}
 * @param limit    page size (see {@link QueryParameters.Paging})
 * @param offset   where the page starts
 */
public record ProductQuery(String q, String category, BigDecimal minPrice, BigDecimal maxPrice, Boolean inStock,
                           String sort, int limit, int offset) {
    /** Accepted sort keys and their SQL; user input never reaches the SQL text. */
    public static final Map<String, String> SORTS = Map.of(
            "name", "LOWER(name) ASC, id ASC",
            "-name", "LOWER(name) DESC, id ASC",
            "price", "price ASC, id ASC",
            "-price", "price DESC, id ASC",
            "newest", "created_at DESC, id ASC");

    private static final List<String> SORT_KEYS = List.of("price", "-price", "name", "-name", "newest");
    private static final Set<String> PARAMETERS = Set.of("q", "category", "minPrice", "maxPrice", "inStock", "sort",
                                                         "limit", "offset");

    /**
     * Parse and validate; 400 listing every bad parameter (see {@link QueryParameters} for the common rules).
     *
     * @param parameters query parameters
     * @return query
     */
    public static ProductQuery from(Parameters parameters) {
        QueryParameters query = QueryParameters.of(parameters, PARAMETERS);
        String q = query.text("q", 100).orElse(null);
        String category = query.text("category", 50).orElse(null);
        BigDecimal minPrice = query.decimal("minPrice").orElse(null);
        BigDecimal maxPrice = query.decimal("maxPrice").orElse(null);
        if (minPrice != null && maxPrice != null && minPrice.compareTo(maxPrice) > 0) {
            query.invalid("minPrice", "must not be greater than maxPrice");
        }
        Boolean inStock = query.bool("inStock").orElse(null);
        String sort = query.oneOf("sort", SORT_KEYS).orElse("name");
        QueryParameters.Paging paging = query.paging();
        query.validated();
        return new ProductQuery(q, category, minPrice, maxPrice, inStock, sort, paging.limit(), paging.offset());
    }
}
