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
 * {@code email}, {@code roles}, {@code sid} (the session, what a logout revokes), {@code iat}, {@code nbf},
 * {@code exp}, {@code jti}, and {@code kid} in the header; and service tokens, which carry {@code client_id}
 * and {@code scope} instead of a user's claims.
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
     * Sign an access token of a session of its own (a new {@code sid}).
     *
     * @param userId   {@code sub}
     * @param email    {@code email}
     * @param roles    {@code roles}
     * @param issuedAt {@code iat} and {@code nbf}
     * @param lifetime time until {@code exp}
     * @return compact JWS
     */
    public String sign(String userId, String email, Set<String> roles, Instant issuedAt, Duration lifetime) {
        return sign(userId, email, roles, UUID.randomUUID().toString(), issuedAt, lifetime);
    }

    /**
     * Sign an access token of a session.
     *
     * @param userId    {@code sub}
     * @param email     {@code email}
     * @param roles     {@code roles}
     * @param sessionId {@code sid}: revoking it revokes this token
     * @param issuedAt  {@code iat} and {@code nbf}
     * @param lifetime  time until {@code exp}
     * @return compact JWS
     */
    public String sign(String userId, String email, Set<String> roles, String sessionId, Instant issuedAt,
                       Duration lifetime) {
        Jwt jwt = common(userId, issuedAt, lifetime)
                .email(email)
                .addPayloadClaim("roles", List.copyOf(roles))
                .addPayloadClaim(VerifiedToken.SESSION_ID, sessionId)
                .build();
        return SignedJwt.sign(jwt, jwk).tokenContent();
    }

    /**
     * Sign a service token: {@code sub} and {@code client_id} are the calling service, {@code scope} what it
     * may do; no roles, no session.
     *
     * @param clientId the calling service, e.g. {@code order-service}
     * @param scopes   granted scopes, e.g. {@code inventory}
     * @param issuedAt {@code iat} and {@code nbf}
     * @param lifetime time until {@code exp}
     * @return compact JWS
     */
    public String signService(String clientId, Set<String> scopes, Instant issuedAt, Duration lifetime) {
        Jwt jwt = common(clientId, issuedAt, lifetime)
                .addPayloadClaim(VerifiedToken.CLIENT_ID, clientId)
                .scopes(scopes.stream().sorted().toList())
                .build();
        return SignedJwt.sign(jwt, jwk).tokenContent();
    }

    private Jwt.Builder common(String subject, Instant issuedAt, Duration lifetime) {
        return Jwt.builder()
                .algorithm(SigningKey.ALGORITHM)
                .keyId(key.kid())
                .type("JWT")
                .issuer(issuer)
                .addAudience(audience)
                .subject(subject)
                .issueTime(issuedAt)
                .notBefore(issuedAt)
                .expirationTime(issuedAt.plus(lifetime))
                .jwtId(UUID.randomUUID().toString());
    }

    /**
     * @return the key this signer uses
     */
    public SigningKey key() {
        return key;
    }
}
