package io.example.products.inventory;

import java.util.Set;

import io.example.commons.security.BearerAuth;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Mounted at {@code /internal} before any route there, so that no route added under it can forget the check:
 * every request needs the order service's service token with the {@code inventory} scope. The
 * gateway never routes {@code /internal} and in the mesh only order-service may call it; the service does not
 * rely on that alone.
 */
public final class InventoryCallerCheck implements HttpService {
    private static final String INVENTORY_SCOPE = "inventory";
    private static final Set<String> INVENTORY_CLIENTS = Set.of("order-service");

    private final BearerAuth bearer;

    /**
     * @param bearer checks the service tokens
     */
    public InventoryCallerCheck(BearerAuth bearer) {
        this.bearer = bearer;
    }

    @Override
    public void routing(HttpRules rules) {
        // "/*" under the mount point also matches the mount point itself
        rules.any("/*", this::requireInventoryClient);
    }

    private void requireInventoryClient(ServerRequest req, ServerResponse res) {
        bearer.service(req, INVENTORY_SCOPE, INVENTORY_CLIENTS);
        res.next();
    }
}
