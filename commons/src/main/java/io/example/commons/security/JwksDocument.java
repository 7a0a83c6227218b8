package io.example.commons.security;

import java.io.StringReader;
import java.util.List;
import java.util.Map;

import io.example.commons.http.Json;

import io.helidon.security.jwt.jwk.JwkKeys;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

/**
 * The JWK Set document ({@code /.well-known/jwks.json}): written by the auth service, read by verifiers.
 * Helidon has no JWK writer, so the public members are written here.
 */
public final class JwksDocument {
    private JwksDocument() {
    }

    /**
     * The JWK Set JSON for public keys.
     *
     * @param keys keys to publish (only their public parts are written)
     * @return JSON text
     */
    public static String write(List<SigningKey> keys) {
        List<Map<String, String>> jwks = keys.stream()
                .map(key -> Map.of("kty", "EC",
                                   "crv", "P-256",
                                   "x", key.x(),
                                   "y", key.y(),
                                   "kid", key.kid(),
                                   "alg", SigningKey.ALGORITHM,
                                   "use", "sig"))
                .toList();
        return Json.write(Map.of("keys", jwks));
    }

    /**
     * Parse a JWK Set document.
     *
     * @param json JSON text
     * @return keys
     */
    public static JwkKeys read(String json) {
        try (var reader = JsonProvider.provider().createReader(new StringReader(json))) {
            JsonObject object = reader.readObject();
            return JwkKeys.create(object);
        }
    }
}
