package io.example.auth;

import java.net.URI;

import io.example.auth.users.User;
import io.example.auth.users.UserView;
import io.example.commons.http.Json;
import io.example.commons.http.ProblemException;
import io.example.commons.http.Routes;
import io.example.commons.security.AuthenticatedUser;
import io.example.commons.security.BearerAuth;
import io.example.commons.security.JwksDocument;

import io.example.auth.tokens.KeyRing;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * HTTP mapping of the auth service: {@code /api/auth/**} and the JWKS.
 */
final class AuthRoutes {
    private final AuthService auth;
    private final BearerAuth bearer;
    private final String jwks;

    AuthRoutes(AuthService auth, BearerAuth bearer, KeyRing keys) {
        this.auth = auth;
        this.bearer = bearer;
        this.jwks = JwksDocument.write(keys.published());
    }

    void register(HttpRouting.Builder routing) {
        routing.register("/.well-known", rules -> Routes.under("/.well-known")
                .get("/jwks.json", this::jwks)
                .register(rules));
        routing.register("/api/auth", rules -> Routes.under("/api/auth")
                .post("/register", this::registerUser)
                .post("/login", this::login)
                .post("/refresh", this::refresh)
                .post("/logout", this::logout)
                .get("/me", this::me)
                .get("/jwks", this::jwks)
                .get("/users/{id}", this::user)
                .put("/users/{id}/roles", this::setRoles)
                .register(rules));
    }

    private void jwks(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.header(HeaderNames.CACHE_CONTROL, "public, max-age=300");
        res.send(jwks);
    }

    private void registerUser(ServerRequest req, ServerResponse res) {
        User user = auth.register(Json.read(req, Requests.Register.class));
        res.status(Status.CREATED_201)
                .header(HeaderNames.LOCATION, URI.create("/api/auth/users/" + user.id()).toString())
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
