package io.example.products.catalogue;

import io.example.commons.http.Json;
import io.example.commons.http.Routes;
import io.example.commons.security.BearerAuth;
import io.example.products.release.ReleaseFault;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * HTTP mapping of the catalogue, mounted at {@code /api/products}: public reads, writes for administrators.
 * Products are answered through the {@link ProductView} (v1 or v2), and every route passes the
 * {@link ReleaseFault} first (none, unless this is the bad release): inside the route, so an injected failure
 * is counted and traced under the route it hit.
 */
public final class ProductRoutes implements HttpService {
    private final Catalogue catalogue;
    private final ProductView view;
    private final BearerAuth bearer;
    private final ReleaseFault fault;

    /**
     * @param catalogue the catalogue
     * @param view      how products are answered
     * @param bearer    checks the administrators' tokens
     * @param fault     the fault of a bad release, or none
     */
    public ProductRoutes(Catalogue catalogue, ProductView view, BearerAuth bearer, ReleaseFault fault) {
        this.catalogue = catalogue;
        this.view = view;
        this.bearer = bearer;
        this.fault = fault;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.create()
                .getWithQuery("/", fault.around(this::search))
                .get("/categories", fault.around(this::categories))
                .get("/{id}", fault.around(this::get))
                .post("/", fault.around(this::create))
                .put("/{id}", fault.around(this::replace))
                .delete("/{id}", fault.around(this::delete))
                .register(rules);
    }

    private void search(ServerRequest req, ServerResponse res) {
        res.send(view.show(catalogue.search(ProductQuery.from(req.query()))));
    }

    private void categories(ServerRequest req, ServerResponse res) {
        res.send(catalogue.categories());
    }

    private void get(ServerRequest req, ServerResponse res) {
        res.send(view.show(catalogue.get(req.path().pathParameters().get("id"))));
    }

    private void create(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        Product product = catalogue.create(Json.read(req, ProductInput.class));
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, "/api/products/" + product.id())
                .send(view.show(product));
    }

    private void replace(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        res.send(view.show(catalogue.replace(req.path().pathParameters().get("id"), Json.read(req, ProductInput.class))));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        catalogue.delete(req.path().pathParameters().get("id"));
        res.status(Status.NO_CONTENT_204).send();
    }
}
