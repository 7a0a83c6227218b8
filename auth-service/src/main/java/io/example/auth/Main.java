package io.example.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import io.example.auth.logins.LoginAttemptRepository;
import io.example.auth.logins.LoginThrottle;
import io.example.auth.logins.ThrottlePolicy;
import io.example.auth.passwords.Argon2PasswordHasher;
import io.example.auth.passwords.PasswordPolicy;
import io.example.auth.tokens.InternalTokenRoutes;
import io.example.auth.tokens.JwksRoutes;
import io.example.auth.tokens.KeyRing;
import io.example.auth.tokens.RefreshTokenRepository;
import io.example.auth.tokens.RevokedSessionRepository;
import io.example.auth.tokens.ServiceTokenIssuer;
import io.example.auth.tokens.TokenIssuer;
import io.example.auth.users.UserRepository;
import io.example.commons.db.Database;
import io.example.commons.security.BearerAuth;
import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtSigner;
import io.example.commons.security.JwtVerifier;
import io.example.commons.server.ServiceServer;
import io.example.commons.tracing.Tracing;

import io.helidon.config.Config;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * Starts the auth service: reads config, opens its database, wires its pieces by hand, serves HTTP. Its routes
 * are three {@code HttpService}s mounted here at their prefixes: {@link AuthRoutes} (the public API),
 * {@link JwksRoutes} (the keys) and {@link InternalTokenRoutes} (revocation feed and service tokens, for the
 * other services only).
 */
public final class Main {
    private static final Logger LOGGER = Logger.getLogger(Main.class.getName());

    private Main() {
    }

    /**
     * @param args ignored; configuration comes from application.yaml and the environment
     */
    public static void main(String[] args) {
        Config config = ServiceServer.loadConfig();
        Tracing.start("auth-service");
        Database database = Database.start(config.get("db"), "auth-service");
        WebServer server = ServiceServer.start(config, routing -> routing(routing, config, database),
                                               List.of(database.readiness()));
        LOGGER.info(() -> "auth-service listening on http://localhost:" + server.port());
    }

    /**
     * The service's routes; tests call this same method.
     *
     * @param routing  routing to add to
     * @param config   root config
     * @param database the service's database
     */
    static void routing(HttpRouting.Builder routing, Config config, Database database) {
        Clock clock = Clock.systemUTC();
        Config jwt = config.get("jwt");
        KeyRing keys = KeyRing.create(jwt);
        String issuer = jwt.get("issuer").asString().get();
        String audience = jwt.get("audience").asString().get();

        UserRepository users = new UserRepository(database.client());
        JwtSigner signer = new JwtSigner(keys.signingKey(), issuer, audience);
        RevokedSessionRepository revokedSessions = new RevokedSessionRepository(database.client(), clock);
        TokenIssuer tokens = new TokenIssuer(signer, new RefreshTokenRepository(database.client()), revokedSessions,
                                             jwt.get("access.token.ttl").as(Duration.class).get(),
                                             jwt.get("refresh.token.ttl").as(Duration.class).get(),
                                             clock);
        LoginThrottle throttle = new LoginThrottle(new LoginAttemptRepository(database.client()),
                                                   ThrottlePolicy.from(config.get("login.throttle")), clock);
        AuthService auth = new AuthService(users, Argon2PasswordHasher.owasp(), PasswordPolicy.withShippedList(),
                                           throttle, tokens, clock);
        config.get("admin.email").asString().ifPresent(email -> config.get("admin.password").asString()
                .ifPresent(password -> auth.ensureAdmin(email, password)));
        // this service holds the keys it publishes and the revocations: verify with them directly, no HTTP
        BearerAuth bearer = new BearerAuth(JwtVerifier.create(JwksCache.fixed(keys.jwkKeys()), config, revokedSessions));
        JwksRoutes jwks = new JwksRoutes(keys);
        routing.register(JwksRoutes.PREFIX, jwks)
                .register(AuthRoutes.PREFIX, new AuthRoutes(auth, bearer, jwks))
                .register(InternalTokenRoutes.PREFIX,
                          new InternalTokenRoutes(revokedSessions, ServiceTokenIssuer.create(config, signer, clock)));
    }
}
