package io.example.loadgen;

/** What loadgen calls, by method and route template: the rows of its table. */
enum Route {
    REGISTER("POST", "/api/auth/register"),
    LOGIN("POST", "/api/auth/login"),
    REFRESH("POST", "/api/auth/refresh"),
    ME("GET", "/api/auth/me"),
    CATEGORIES("GET", "/api/products/categories"),
    BROWSE("GET", "/api/products"),
    SEARCH("GET", "/api/products?q="),
    PRODUCT("GET", "/api/products/{id}"),
    OVERVIEW("GET", "/api/overview"),
    PLACE_ORDER("POST", "/api/orders"),
    ORDERS("GET", "/api/orders"),
    ORDER("GET", "/api/orders/{id}"),
    CANCEL_ORDER("POST", "/api/orders/{id}/cancel");

    private final String method;
    private final String template;

    Route(String method, String template) {
        this.method = method;
        this.template = template;
    }

    String method() {
        return method;
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
