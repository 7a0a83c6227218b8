package io.example.auth;

import java.net.URI;

import io.example.auth.tokens.JwksRoutes;
import io.example.auth.users.User;
import io.example.auth.users.UserView;
import io.example.commons.http.Json;
import io.example.commons.http.ProblemException;
import io.example.commons.http.Routes;
import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.BearerAuth;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * HTTP mapping of the auth service's public API, mounted at {@value #PREFIX}.
 */
final class AuthRoutes implements HttpService {
    static final String PREFIX = "/api/auth";

    private final AuthService auth;
    private final BearerAuth bearer;
    private final JwksRoutes jwks;

    AuthRoutes(AuthService auth, BearerAuth bearer, JwksRoutes jwks) {
        this.auth = auth;
        this.bearer = bearer;
        this.jwks = jwks;
    }

    @Override
    public void routing(HttpRules rules) {
        Routes.create()
                .post("/register", this::registerUser)
                .post("/login", this::login)
                .post("/refresh", this::refresh)
                .post("/logout", this::logout)
                .get("/me", this::me)
                .get("/jwks", jwks::send)
                .get("/users/{id}", this::user)
                .put("/users/{id}/roles", this::setRoles)
                .register(rules);
    }

    private void registerUser(ServerRequest req, ServerResponse res) {
        User user = auth.register(Json.read(req, Requests.Register.class));
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, URI.create(PREFIX + "/users/" + user.id()).toString())
                .send(UserView.of(user));
    }

    private void login(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(auth.login(Json.read(req, Requests.Login.class)));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(auth.refresh(Json.read(req, Requests.Refresh.class).refreshToken()));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        auth.logout(Json.read(req, Requests.Refresh.class).refreshToken());
        res.status(Status.NO_CONTENT_204).send();
    }

    private void me(ServerRequest req, ServerResponse res) {
        res.send(UserView.of(auth.user(bearer.user(req).id())));
    }

    private void user(ServerRequest req, ServerResponse res) {
        AuthenticatedUser caller = bearer.user(req);
        String id = req.path().pathParameters().get("id");
        if (!caller.id().equals(id) && !caller.isAdmin()) {
            throw ProblemException.of(Status.NOT_FOUND_404, "No such user.");
        }
        res.send(UserView.of(auth.user(id)));
    }

    private void setRoles(ServerRequest req, ServerResponse res) {
        bearer.admin(req);
        String id = req.path().pathParameters().get("id");
        res.send(UserView.of(auth.setRoles(id, Json.read(req, Requests.Roles.class).roles())));
    }
}
