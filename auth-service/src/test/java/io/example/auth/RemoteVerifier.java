package io.example.auth;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import io.example.commons.security.JwksCache;
import io.example.commons.security.JwtVerifier;
import io.example.commons.testing.TestConfig;

import io.helidon.config.Config;

/**
 * A verifier as another service builds one: this auth service's keys and revoked sessions read over HTTP.
 */
final class RemoteVerifier {
    private RemoteVerifier() {
    }

    static JwtVerifier of(URI authService, Duration revocationPoll) {
        // what a calling service's application.yaml sets and this service's own has no use for
        Config config = TestConfig.of(Map.of("auth.service.url", authService.toString(),
                                             "auth.service.connect-timeout", "PT2S",
                                             "auth.service.read-timeout", "PT5S",
                                             "jwt.jwks-min-refresh", "PT5S",
                                             "jwt.revocation.poll.interval", revocationPoll.toString()));
        return JwtVerifier.create(JwksCache.create(config), config);
    }
}
