package io.example.products.catalogue;

import io.example.commons.http.Json;
import io.example.commons.http.Routes;
import io.example.commons.security.BearerAuth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * HTTP mapping of the catalogue, mounted at {@code /api/products}: public reads, writes for administrators.
 */
public final class ProductRoutes implements HttpService {
    private final Catalogue catalogue;
    private final BearerAuth bearer;

    /**
     * @param catalogue the catalogue
     * @param bearer    checks the administrators' tokens
     */
    public ProductRoutes(Catalogue catalogue, BearerAuth bearer) {
        this.catalogue = catalogue;
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.create()
                .get("/", this::search)
                .get("/categories", this::categories)
                .get("/{id}", this::get)
                .post("/", this::create)
                .put("/{id}", this::replace)
                .delete("/{id}", this::delete)
                .register(rules);
    }

    private void search(ServerRequest req, ServerResponse res) {
        res.send(catalogue.search(ProductQuery.from(req.query())));
    }

    private void categories(ServerRequest req, ServerResponse res) {
        res.send(catalogue.categories());
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.send(catalogue.get(req.path().pathParameters().get("id")));
    }

    private void create(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        Product product = catalogue.create(Json.read(req, ProductInput.class));
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/api/products/" + product.id())
                .send(product);
    }

    private void replace(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        res.send(catalogue.replace(req.path().pathParameters().get("id"), Json.read(req, ProductInput.class)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        catalogue.delete(req.path().pathParameters().get("id"));
        res.status(Status.NO_CONTENT_204).send();
    }
}
