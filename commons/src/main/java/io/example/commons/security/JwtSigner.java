package io.example.commons.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import io.helidon.security.jwt.Jwt;
import io.helidon.security.jwt.SignedJwt;
import io.helidon.security.jwt.jwk.JwkEC;

/**
 * Issues ES256 access tokens with the claims every verifier expects: {@code iss}, {@code aud}, {@code sub},
 * {@code email}, {@code roles}, {@code iat}, {@code nbf}, {@code exp}, {@code jti}, and {@code kid} in the
 * header.
 */
public final class JwtSigner {
    private final SigningKey key;
    private final JwkEC jwk;
    private final String issuer;
    private final String audience;

    /**
     * @param key      signing key (with its private part)
     * @param issuer   {@code iss}
     * @param audience {@code aud}
     */
    public JwtSigner(SigningKey key, String issuer, String audience) {
        this.key = key;
        this.jwk = key.toJwk();
        this.issuer = issuer;
        this.audience = audience;
    }

    /**
     * Sign an access token.
     *
     * @param userId   {@code sub}
     * @param email    {@code email}
     * @param roles    {@code roles}
     * @param issuedAt {@code iat} and {@code nbf}
     * @param lifetime time until {@code exp}
     * @return compact JWS
     */
    public String sign(String userId, String email, Set<String> roles, Instant issuedAt, Duration lifetime) {
        Jwt jwt = Jwt.builder()
                .algorithm(SigningKey.ALGORITHM)
                .keyId(key.kid())
                .type("JWT")
                .issuer(issuer)
                .addAudience(audience)
                .subject(userId)
                .email(email)
                .addPayloadClaim("roles", List.copyOf(roles))
                .issueTime(issuedAt)
                .notBefore(issuedAt)
                .expirationTime(issuedAt.plus(lifetime))
                .jwtId(UUID.randomUUID().toString())
                .build();
        return SignedJwt.sign(jwt, jwk).tokenContent();
    }

    /**
     * @return the key this signer uses
     */
    public SigningKey key() {
        return key;
    }
}
